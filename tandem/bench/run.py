"""``make bench``: serve a generated clinic with gunicorn and measure it (issue 16).

For each database (PostgreSQL ``tandem_bench``, and a SQLite file under var/bench/ for
the embedded case): create it empty, migrate, generate a clinic (BENCH_CHILDREN,
BENCH_THERAPISTS, BENCH_YEARS, BENCH_SEED) and a small one (BENCH_SMALL_CHILDREN) for
the second size of the query counts, prepare personas and count queries in-process
(tandem/bench/prepare.py), time a system-level FHIR bulk export of each clinic in a
process of its own (tandem/bench/bulk.py: resources/s, NDJSON bytes, peak RSS), then
start gunicorn (production settings: DEBUG off, static files collected, 2 sync workers,
127.0.0.1 on a free port, TANDEM_BENCH=1 for the floor endpoint) and drive each
endpoint for BENCH_SECONDS at 1, 8 and 32 connections with a small threaded http.client
driver. CPU per request comes from the gunicorn workers' /proc/<pid>/stat (utime +
stime) before and after. Writes var/bench/results-<db>.json and docs/performance.md;
prints which targets are met. No timing assertion anywhere.

    make bench                          # both databases, the default size
    BENCH_DATABASES=postgresql make bench
    BENCH_CHILDREN=20000 BENCH_THERAPISTS=300 BENCH_YEARS=2 make bench   # the issue's size
"""

import gzip
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tandem.bench import bulk

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
PY = sys.executable
CONCURRENCY = (1, 8, 32)
PG_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_DB = os.environ.get("BENCH_POSTGRES_DB", "tandem_bench")
CHILDREN = int(os.environ.get("BENCH_CHILDREN", "300"))
THERAPISTS = int(os.environ.get("BENCH_THERAPISTS", "20"))
YEARS = float(os.environ.get("BENCH_YEARS", "3"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
SMALL_CHILDREN = int(os.environ.get("BENCH_SMALL_CHILDREN", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
DATABASES = os.environ.get("BENCH_DATABASES", "postgresql sqlite").split()
NICE = os.environ.get("BENCH_NICE", "")  # e.g. "19": every child process niced
TICKS = os.sysconf("SC_CLK_TCK")
# Issue 16's targets, as ratios of throughput to the floor's in the same run.
API_GET_RATIO, PAGE_RATIO, P95_MS = 0.50, 0.25, 100.0
PDF_MS = 1000  # a 3-year child's report, printed by the worker
PAGES = ("today (week schedule)", "caseload", "child record", "progress tab", "guardian home")


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def command(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess:
    prefix = ["nice", "-n", NICE] if NICE else []
    # Our own fixed commands, no outside input.
    return subprocess.run(prefix + args, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def environment(database_url: str) -> dict[str, str]:
    """Production settings, loopback only, plus the floor endpoint."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TANDEM_TESTING")}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        TANDEM_BENCH="1",
        TANDEM_VAR_DIR=str(VAR / "var"),
        PYTHONPATH=str(ROOT),
    )
    return env


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        path = VAR / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return f"{PG_URL}/{PG_DB}"


def generate(env: dict[str, str], children: int, therapists: int, seed: int) -> dict[str, Any]:
    args = [PY, "manage.py", "generate_clinic", f"--children={children}"]
    args += [f"--therapists={therapists}", f"--years={YEARS}", f"--seed={seed}"]
    output = command(args, env, capture_output=True, text=True).stdout
    last = output.strip().splitlines()[-1]
    log(last)
    found = re.search(r"([\d,]+) rows in ([\d,.]+) s", last)
    if found is None:
        raise RuntimeError(f"generate_clinic did not say how many rows it wrote: {last}")
    rows, seconds = found.groups()
    return {"children": children, "rows": int(rows.replace(",", "")), "seconds": float(seconds)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


class Server:
    """gunicorn on 127.0.0.1 (a free port) with sync workers; ``options`` are added."""

    def __init__(self, env: dict[str, str], count: int = 2, options: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        prefix = ["nice", "-n", NICE] if NICE else []
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
            [
                *prefix,
                str(Path(PY).parent / "gunicorn"),
                "tandem.wsgi",
                f"--workers={count}",
                f"--bind=127.0.0.1:{self.port}",
                "--worker-class=sync",
                "--log-level=warning",
                *options,
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ms, _v = request(self.port, "GET", "/healthz", {}, None)
                if status == 200 and len(workers(self.process.pid)) == count:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> tuple[int, float, int | None]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            payload = gzip.decompress(payload)
    finally:
        conn.close()
    elapsed = (time.perf_counter() - started) * 1000
    version = None
    if method == "PATCH" and response.status in (200, 409):
        version = json.loads(payload).get("version")  # the next save is based on it
    return response.status, elapsed, version


def headers_for(endpoint: dict[str, Any], prepared: dict[str, Any]) -> dict[str, str]:
    # As a browser asks: compressed answers (their cost is in the figures).
    headers = {
        "Host": "127.0.0.1",
        "X-Forwarded-Proto": "https",
        "Connection": "close",
        "Accept-Encoding": "gzip",
    }
    if endpoint["as"] == "token":
        headers["Authorization"] = f"Bearer {prepared['token']}"
    else:
        headers["Cookie"] = f"sessionid={prepared['sessions'][endpoint['as']]}"
    if endpoint.get("method") == "PATCH":
        headers["Content-Type"] = "application/json"
    return headers


def drive(
    server: Server, endpoint: dict[str, Any], prepared: dict[str, Any], connections: int
) -> dict[str, Any]:
    """Send requests from ``connections`` threads for SECONDS; latency, rps, CPU/request."""
    headers = headers_for(endpoint, prepared)
    method = endpoint.get("method", "GET")
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    pids = workers(server.process.pid)
    deadline = time.monotonic() + SECONDS

    def worker(n: int) -> None:
        draft = dict(prepared["drafts"][n])
        path = endpoint["path"]
        if method == "PATCH":
            path = path.rsplit("/", 1)[0] + f"/{draft['id']}"
        while time.monotonic() < deadline:
            body = None
            if method == "PATCH":
                body = json.dumps({**endpoint["body"], "version": draft["version"]}).encode()
            status, ms, version = request(server.port, method, path, headers, body)
            if method == "PATCH":
                draft["version"] = version or draft["version"] + 1
            with lock:
                if status == 200:
                    latencies.append(ms)
                else:
                    errors.append(status)
        prepared["drafts"][n] = draft

    before, started = cpu_ticks(pids), time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, ticks = time.monotonic() - started, cpu_ticks(pids) - before
    done = len(latencies)
    ordered = sorted(latencies) or [0.0]
    return {
        "connections": connections,
        "requests": done,
        "errors": len(errors),
        "error_statuses": sorted(set(errors)),
        "rps": round(done / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "cpu_ms": round(ticks * 1000 / TICKS / max(done, 1), 1),
    }


def bench_database(kind: str) -> dict[str, Any]:
    log(f"== {kind}: fresh database, migrate")
    url = fresh_database(kind)
    env = environment(url)
    command([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    command([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    log(f"generate {CHILDREN} children, {THERAPISTS} therapists, {YEARS:g} years")
    generated = generate(env, CHILDREN, THERAPISTS, SEED)
    small = generate(
        env, SMALL_CHILDREN, max(1, THERAPISTS * SMALL_CHILDREN // CHILDREN), SEED + 1000
    )
    log("prepare personas, count queries, time PDFs")
    out = VAR / f"prepared-{kind}.json"
    command([PY, "-m", "tandem.bench.prepare", str(out), str(SEED), str(SEED + 1000)], env)
    prepared = json.loads(out.read_text())
    log("FHIR bulk export of each clinic (system level, by the worker's task)")
    exports = {
        size: bulk.export_figures(command, PY, env, seed)
        for size, seed in (("large", SEED), ("small", SEED + 1000))
    }
    server = Server(env)
    results = []
    try:
        for endpoint in prepared["endpoints"]:
            drive(server, endpoint, prepared, 2)  # warm both workers
            for connections in CONCURRENCY:
                row = drive(server, endpoint, prepared, connections)
                row["name"] = endpoint["name"]
                results.append(row)
                log(
                    f"{endpoint['name']:<24} c={connections:<3} {row['rps']:>7} rps  "
                    f"p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
                    f"cpu {row['cpu_ms']:>6} ms  errors {row['errors']}"
                )
    finally:
        server.stop()
    result = {
        "database": prepared["database"],
        "generated": generated,
        "small": small,
        "sizes": prepared["sizes"],
        "child_notes": prepared["child_notes"],
        "queries": prepared["queries"],
        "pdf_ms": prepared["pdf_ms"],
        "bulk": exports,
        "load": results,
    }
    (VAR / f"results-{kind}.json").write_text(json.dumps(result, indent=1))
    return result


def targets(result: dict[str, Any]) -> list[tuple[str, bool, str]]:
    rows = {(r["name"], r["connections"]): r for r in result["load"]}
    checks = []
    for c in CONCURRENCY:
        floor = rows[("floor", c)]["rps"] or 1
        api = rows[("API child GET", c)]["rps"] / floor
        checks.append(
            (f"API object GET ≥ 50 % of the floor at {c}", api >= API_GET_RATIO, f"{api:.0%}")
        )
        for page in PAGES:
            ratio = rows[(page, c)]["rps"] / floor
            checks.append(
                (f"{page} ≥ 25 % of the floor at {c}", ratio >= PAGE_RATIO, f"{ratio:.0%}")
            )
    for register in ("family", "clinical"):
        printed = result["pdf_ms"][register]
        checks.append((f"{register} PDF ≤ 1 s, by the worker", printed <= PDF_MS, f"{printed} ms"))
    for r in result["load"]:
        if r["connections"] == 32:
            met = r["p95_ms"] <= P95_MS and r["errors"] == 0
            checks.append((f"{r['name']} p95 ≤ 100 ms at 32", met, f"{r['p95_ms']} ms"))
    if "bulk" in result:
        checks += bulk.checks(result["bulk"])
    return checks


def machine() -> dict[str, str]:
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": f"{os.cpu_count()} × {cpu}",
        "ram": f"{int(mem) / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "os": platform.platform(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def markdown(results: dict[str, dict[str, Any]], host: dict[str, str]) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (tandem/bench/run.py), which writes this file. Issue 16:",
        "build the generator and the benchmark first, measure, then change.",
        "",
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {host['cpus']}, {host['ram']} RAM, "
        f"Python {host['python']}, {host['os']}; load average at the end {host['load']} "
        "(the machine was shared: figures are lower bounds and vary between runs).",
        "",
        "gunicorn with production settings (DEBUG off, collected static files, 2 sync workers,",
        "127.0.0.1), driven by a threaded http.client driver on the same machine (it shares",
        f"the 2 cores), {SECONDS:g} s per endpoint and concurrency after a warm-up. CPU ms is",
        "the gunicorn workers' user + system time divided by the requests answered (10 ms",
        "ticks, so small figures are approximate). Ratios are throughput (rps) to the floor's",
        "at the same concurrency in the same run. The floor is /bench/floor: an authenticated",
        "view through the same middleware doing one primary-key lookup; it exists only with",
        "TANDEM_BENCH=1, so the authorization matrices (run without it) never see it.",
        "",
    ]
    for _kind, result in results.items():
        g, sizes = result["generated"], result["sizes"]
        lines += [
            f"## {result['database']}",
            "",
            f"Clinic: {sizes['large']['children']:,} children, {THERAPISTS} therapists, "
            f"{YEARS:g} years: {sizes['large']['notes']:,} signed notes, "
            f"{sizes['large']['goal_data']:,} goal-data entries; generated in "
            f"{g['seconds']:,.0f} s ({g['rows']:,} rows with history, "
            f"{g['rows'] / max(g['seconds'], 1e-9):,.0f} rows/s). The child measured has "
            f"{result['child_notes']} notes.",
            "",
            "| endpoint | conn | rps | ratio to floor | p50 ms | p95 ms | CPU ms/req | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        floors = {r["connections"]: r["rps"] for r in result["load"] if r["name"] == "floor"}
        for r in result["load"]:
            ratio = r["rps"] / floors[r["connections"]] if floors[r["connections"]] else 0
            errors = f"{r['errors']} {r['error_statuses']}" if r["errors"] else "0"
            lines.append(
                f"| {r['name']} | {r['connections']} | {r['rps']} | {ratio:.0%} | "
                f"{r['p50_ms']} | {r['p95_ms']} | {r['cpu_ms']} | {errors} |"
            )
        q = result["queries"]
        lines += [
            "",
            f"Queries per request (in-process, after a warm-up request), clinic of "
            f"{sizes['small']['children']:,} children ({sizes['small']['notes']:,} notes) and "
            f"of {sizes['large']['children']:,} ({sizes['large']['notes']:,} notes):",
            "",
            "| endpoint | small | large |",
            "|---|---:|---:|",
        ]
        lines += [f"| {name} | {q['small'][name]} | {q['large'][name]} |" for name in q["large"]]
        pdf = result["pdf_ms"]
        lines += [
            "",
            "Progress-report PDFs of the child measured, made by the task worker (in-process): "
            f"printing the family one took {pdf['family']} ms ({pdf['kib_family']} KiB), "
            f"the clinical one {pdf['clinical']} ms ({pdf['kib_clinical']} KiB); the web "
            f"requests around them: asking {pdf['ask_family']} / {pdf['ask_clinical']} ms, "
            f"collecting the file {pdf['collect_family']} / {pdf['collect_clinical']} ms.",
            "",
            *([*bulk.described(result["bulk"]), ""] if "bulk" in result else []),
            "Targets (issue 16):",
            "",
        ]
        lines += [
            f"- {'met' if met else '**missed**'}: {name} ({value})"
            for name, met, value in targets(result)
        ]
        lines.append("")
    lines += [
        "## Not measured yet",
        "",
        "- The 20,000-child clinic under load (see below for the generator's rate).",
        "",
        "## Reproduce",
        "",
        "    make bench                                 # PostgreSQL and SQLite, 300 children",
        "    BENCH_DATABASES=postgresql make bench       # one database",
        "    BENCH_CHILDREN=20000 BENCH_THERAPISTS=300 BENCH_YEARS=2 make bench  # issue 16's size",
        "",
        "Settings: BENCH_CHILDREN (300), BENCH_THERAPISTS (20), BENCH_YEARS (3), BENCH_SEED (1),",
        "BENCH_SMALL_CHILDREN (20, the second size of the query counts), BENCH_SECONDS (4 per",
        "endpoint and concurrency), BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432; the",
        "database `tandem_bench` is dropped and created), BENCH_NICE (nice level of every",
        "process). The SQLite database is var/bench/bench.sqlite3; raw figures are in",
        "var/bench/results-*.json. The generator alone:",
        "`manage.py generate_clinic --children N --therapists M --years Y --seed S`.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    results = {kind: bench_database(kind) for kind in DATABASES}
    host = machine()
    extra = ROOT / "docs" / "performance-notes.md"
    text = markdown(results, host)
    if extra.exists():
        text += "\n" + extra.read_text()
    (ROOT / "docs" / "performance.md").write_text(text)
    log("wrote docs/performance.md")
    for _kind, result in results.items():
        checks = targets(result)
        print(
            f"\nTargets on {result['database']}: {sum(m for _n, m, _v in checks)}/{len(checks)} met"
        )
        for name, met, value in checks:
            print(f"  {'met   ' if met else 'MISSED'} {name} ({value})")
    shutil.rmtree(VAR / "var" / "media", ignore_errors=True)


if __name__ == "__main__":
    main()
