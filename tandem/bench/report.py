"""``make bench``'s report: the targets met or missed, and docs/performance.md."""

import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tandem.bench import bulk
from tandem.bench.config import (
    API_GET_RATIO,
    CHILDREN,
    CONCURRENCY,
    LARGE_REPORT,
    MAIN_REPORT,
    P95_MS,
    PAGE_RATIO,
    PAGES,
    PDF_MS,
    REPORT,
    SECONDS,
    THERAPISTS,
    YEARS,
)


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
        "# Performance" if REPORT == MAIN_REPORT else f"# Performance: {CHILDREN:,} children",
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
    if REPORT == MAIN_REPORT and LARGE_REPORT.exists():
        lines += [
            "## The 20,000-child clinic",
            "",
            "Measured by the same bench on PostgreSQL without the bulk export (hours at that",
            "size): docs/performance-20k.md, rewritten only by the command under Reproduce.",
            "",
        ]
    elif REPORT == MAIN_REPORT:
        lines += [
            "## Not measured yet",
            "",
            "- The 20,000-child clinic under load (see below for the generator's rate).",
            "",
        ]
    lines += [
        "## Reproduce",
        "",
        "    make bench                                 # PostgreSQL and SQLite, 300 children",
        "    BENCH_DATABASES=postgresql make bench       # one database",
        "    BENCH_DATABASES=postgresql BENCH_POSTGRES_DB=tandem_bench_20k \\",
        "    BENCH_CHILDREN=20000 BENCH_THERAPISTS=300 BENCH_YEARS=2 BENCH_BULK=0 \\",
        "    BENCH_REPORT=docs/performance-20k.md make bench   # issue 16's size (~25 minutes)",
        "",
        "Settings: BENCH_CHILDREN (300), BENCH_THERAPISTS (20), BENCH_YEARS (3), BENCH_SEED (1),",
        "BENCH_SMALL_CHILDREN (20, the second size of the query counts), BENCH_SECONDS (4 per",
        "endpoint and concurrency), BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432; the",
        "database `tandem_bench` is dropped and created), BENCH_NICE (nice level of every",
        "process), BENCH_BULK (1; 0 skips the FHIR exports), BENCH_REUSE (0; 1 measures the",
        "clinics an earlier run generated in the same database again), BENCH_REPORT",
        "(docs/performance.md). The SQLite database is var/bench/bench.sqlite3; raw figures are in",
        "var/bench/results-*.json. The generator alone:",
        "`manage.py generate_clinic --children N --therapists M --years Y --seed S`.",
        "",
    ]
    return "\n".join(lines)
