"""``make bench``'s settings, from BENCH_* variables (see tandem/bench/run.py)."""

import os
import sys
from pathlib import Path

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
BULK = os.environ.get("BENCH_BULK", "1") != "0"
REUSE = os.environ.get("BENCH_REUSE", "0") == "1"
REPORT = ROOT / os.environ.get("BENCH_REPORT", "docs/performance.md")
MAIN_REPORT = ROOT / "docs" / "performance.md"
LARGE_REPORT = ROOT / "docs" / "performance-20k.md"
TICKS = os.sysconf("SC_CLK_TCK")
# Issue 16's targets, as ratios of throughput to the floor's in the same run.
API_GET_RATIO, PAGE_RATIO, P95_MS = 0.50, 0.25, 100.0
PDF_MS = 1000  # a 3-year child's report, printed by the worker
PAGES = ("today (week schedule)", "caseload", "child record", "progress tab", "guardian home")
