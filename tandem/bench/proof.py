"""``make proof``: the load test of issue 15, too long for CI; writes docs/proof.md.

On a fresh PostgreSQL database (``tandem_proof``, dropped first) it migrates, generates a
clinic (PROOF_CHILDREN, PROOF_THERAPISTS, PROOF_YEARS), prepares the people the load signs
in as (tandem/bench/load/prepare.py), serves it with gunicorn as docs/deployment.md
says (production settings, PROOF_WORKERS sync workers, ``--timeout 60``, 127.0.0.1 only)
and runs locust headless (tandem/bench/load/locustfile.py): PROOF_USERS simulated people
(therapists documenting, families practising and writing, the front desk booking),
started at PROOF_SPAWN_RATE a second, for PROOF_SECONDS. Bounded in time and count, on
the loopback only. It samples the gunicorn workers' memory every second.

The target (issue 15): 0 errors; the p95 of every request is reported. Exits 1 when any
request failed, after writing the report.

    make proof
    PROOF_USERS=20 PROOF_SECONDS=30 make proof     # a quick look
"""

import csv
import os
import platform
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tandem.bench import run as bench

ROOT = bench.ROOT
VAR = ROOT / "var" / "proof"
PY = sys.executable
PG_DB = os.environ.get("PROOF_POSTGRES_DB", "tandem_proof")
CHILDREN = int(os.environ.get("PROOF_CHILDREN", "300"))
THERAPISTS = int(os.environ.get("PROOF_THERAPISTS_GENERATED", "20"))
YEARS = os.environ.get("PROOF_YEARS", "1")
SEED = int(os.environ.get("PROOF_SEED", "1"))
USERS = int(os.environ.get("PROOF_USERS", "100"))
SPAWN_RATE = os.environ.get("PROOF_SPAWN_RATE", "10")
SECONDS = int(os.environ.get("PROOF_SECONDS", "300"))
WORKERS = int(os.environ.get("PROOF_WORKERS", "4"))
REPORT = ROOT / "docs" / "proof.md"


def log(message: str) -> None:
    print(f"[proof {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def fresh_database() -> str:
    import psycopg

    with psycopg.connect(f"{bench.PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return f"{bench.PG_URL}/{PG_DB}"


def rss_kib(pids: list[int]) -> list[int]:
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return sizes


class MemoryWatch(threading.Thread):
    """Samples the gunicorn workers' resident memory every second."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master, self.stop = master, threading.Event()
        self.samples: list[list[int]] = []

    def run(self) -> None:
        while not self.stop.wait(1.0):
            try:
                self.samples.append(rss_kib(bench.workers(self.master)))
            except (FileNotFoundError, ProcessLookupError):
                continue


def load(port: int, prepared: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], int]:
    """Run locust headless; its per-request rows, its failures and its exit code."""
    prefix = VAR / "locust"
    env = {**os.environ, "PROOF_PREPARED": str(prepared), "PYTHONPATH": str(ROOT)}
    args = [
        str(Path(PY).parent / "locust"),
        "-f",
        str(ROOT / "tandem" / "bench" / "load" / "locustfile.py"),
        "--headless",
        f"--users={USERS}",
        f"--spawn-rate={SPAWN_RATE}",
        f"--run-time={SECONDS}s",
        f"--host=http://127.0.0.1:{port}",
        f"--csv={prefix}",
        "--only-summary",
        "--stop-timeout=15",
        "--loglevel=WARNING",
    ]
    done = subprocess.run(args, env=env, cwd=ROOT, check=False)  # noqa: S603 - fixed command
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv") as f:
        failures = list(csv.DictReader(f))
    return rows, failures, done.returncode


def markdown(result: dict[str, Any]) -> str:
    host = bench.machine()
    rows, failures = result["rows"], result["failures"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    lines = [
        "# Proof under load",
        "",
        "Written by `make proof` (tandem/bench/proof.py); issue 15, item 1. The security,",
        "crash-safety and backup tests run in CI with the rest of the suite (docs/security.md,",
        "docs/deployment.md); this load test takes minutes, so it runs here and its latest",
        "output is committed.",
        "",
        f"Run of {result['started']:%Y-%m-%d %H:%M} UTC on {host['cpus']}, {host['ram']} RAM, "
        f"Python {host['python']}, {host['os']}; load average at the end {host['load']}.",
        "",
        f"- Clinic: generated, {CHILDREN} children, {THERAPISTS} therapists, {YEARS} year(s) "
        f"of signed sessions, on {result['database']} (database `{PG_DB}`).",
        f"- Server: gunicorn, production settings, {WORKERS} sync workers, `--timeout 60`, "
        "127.0.0.1 (as docs/deployment.md runs it, on the same 2 cores as the load).",
        f"- Load: locust {result['locust']} headless, {USERS} simulated people started at "
        f"{SPAWN_RATE} a second, for {SECONDS} s, each waiting 2–8 s between actions: "
        f"{result['people']['therapists']} therapists, {result['people']['guardians']} "
        f"families and {result['people']['front_desk']} front-desk members signed in "
        "(tandem/bench/load/).",
        "",
        f"**Target: 0 errors — {'met' if errors == 0 else 'MISSED'}** "
        f"({int(total['Request Count']):,} requests, {errors} failed; "
        f"{float(total['Requests/s']):.1f} requests/s; p50 {total['50%']} ms, "
        f"p95 {total['95%']} ms, p99 {total['99%']} ms over all requests).",
        "",
        "| request | count | failed | rps | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["Name"] == "Aggregated":
            continue
        lines.append(
            f"| {r['Type']} {r['Name']} | {int(r['Request Count']):,} | {r['Failure Count']} | "
            f"{float(r['Requests/s']):.1f} | {r['50%']} | {r['95%']} | {r['99%']} | "
            f"{float(r['Max Response Time']):.0f} |"
        )
    memory = result["memory"]
    lines += [
        "",
        "A clash refused on the booking form (`FORM front desk: book refused (clash)`) is the",
        "form's answer to a time already taken, as a person would get it, not an error; its",
        "time is the booking's above.",
        "",
        f"gunicorn workers' resident memory (MiB, the largest worker): "
        f"{memory['first']:.0f} in the first minute, {memory['last']:.0f} in the last, "
        f"peak {memory['peak']:.0f}.",
        "",
    ]
    if failures:
        grouped: dict[tuple[str, str], int] = {}
        for f in failures:
            key = (f"{f['Method']} {f['Name']}", f["Error"][:100].replace("|", "/"))
            grouped[key] = grouped.get(key, 0) + int(f["Occurrences"])
        lines += ["Failures:", "", "| request | error | count |", "|---|---|---:|"]
        lines += [f"| {name} | {error} | {n} |" for (name, error), n in sorted(grouped.items())]
        lines.append("")
    lines += [
        "## Reproduce",
        "",
        "    make proof                                  # 100 people, 5 minutes",
        "    PROOF_USERS=20 PROOF_SECONDS=30 make proof   # a quick look",
        "",
        "Settings: PROOF_USERS (100), PROOF_SECONDS (300), PROOF_SPAWN_RATE (10),",
        "PROOF_WORKERS (4 gunicorn workers), PROOF_CHILDREN (300), PROOF_THERAPISTS_GENERATED",
        "(20), PROOF_YEARS (1), PROOF_SEED (1), BENCH_POSTGRES (the server, as for make",
        "bench). Raw figures: var/proof/locust_*.csv.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    url = fresh_database()
    env = bench.environment(url) | {"TANDEM_VAR_DIR": str(VAR / "var")}
    log("fresh database, migrate, collect static files")
    bench.command([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    bench.command([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    log(f"generate {CHILDREN} children, {THERAPISTS} therapists, {YEARS} year(s)")
    args = [PY, "manage.py", "generate_clinic", f"--children={CHILDREN}"]
    args += [f"--therapists={THERAPISTS}", f"--years={YEARS}", f"--seed={SEED}"]
    bench.command(args, env, capture_output=True)
    prepared = VAR / "prepared.json"
    bench.command([PY, "-m", "tandem.bench.load.prepare", str(prepared), str(SEED)], env)
    server = bench.Server(env, count=WORKERS, options=("--timeout=60",))
    watch = MemoryWatch(server.process.pid)
    watch.start()
    try:
        log(f"locust: {USERS} people for {SECONDS} s")
        rows, failures, code = load(server.port, prepared)
    finally:
        watch.stop.set()
        server.stop()
    import json

    import locust

    people = json.loads(prepared.read_text())
    largest = [max(s) / 1024 for s in watch.samples if s] or [0.0]
    result = {
        "started": started,
        "rows": rows,
        "failures": failures,
        "database": database_version(url),
        "locust": locust.__version__,
        "people": {k: len(v) for k, v in people.items()},
        "memory": {
            "first": max(largest[:60]),
            "last": max(largest[-60:]),
            "peak": max(largest),
        },
    }
    REPORT.write_text(markdown(result))
    log(f"wrote {REPORT.relative_to(ROOT)} (locust exit code {code})")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    print(
        f"\n0 errors: {'met' if errors == 0 else 'MISSED'} ({errors} of "
        f"{int(total['Request Count']):,} requests failed); p95 {total['95%']} ms"
    )
    sys.exit(1 if errors else 0)


def database_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0] if row else '?'} ({platform.machine()})"


if __name__ == "__main__":
    main()
