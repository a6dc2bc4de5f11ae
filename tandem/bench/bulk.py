"""``make bench``'s FHIR Bulk Data figures: a system-level ``$export`` of each clinic.

Each export runs in a process of its own (``manage.py bench_bulk_export``: the worker's
task in-process as the clinic's admin, its files deleted after), so that the peak RSS
it reports is the export's and not the bench's. It runs for the large clinic and for the
small one (the two sizes of the query counts); "memory flat" compares the two peaks.
"""

import json
import subprocess
from collections.abc import Callable, Sequence
from typing import Any

# Memory flat: the export's peak RSS on the large clinic at most this much above the
# small clinic's (the process's own baseline, Django and the FHIR models, is in both).
RSS_GROWTH = 0.10

Run = Callable[..., subprocess.CompletedProcess]


def export_figures(run: Run, python: str, env: dict[str, str], seed: int) -> dict[str, Any]:
    """The last line ``bench_bulk_export`` prints (JSON): resources, bytes, seconds,
    resources per second, peak RSS and the RSS before the export, in MB."""
    args = [python, "manage.py", "bench_bulk_export", f"--seed={seed}"]
    output = run(args, env, capture_output=True, text=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    if figures.get("result") != "done":
        raise RuntimeError(f"the bulk export of seed {seed} was not made: {figures}")
    return dict(figures)


def described(bulk: dict[str, dict[str, Any]]) -> list[str]:
    """The paragraph of docs/performance.md on the exports."""

    def one(f: dict[str, Any]) -> str:
        return (
            f"{f['children']:,} children: {f['resources']:,} resources "
            f"({f['bytes'] / 1e6:,.1f} MB of NDJSON) in {f['seconds']:,.1f} s, "
            f"{f['resources_per_s']:,} resources/s, peak RSS {f['peak_rss_mb']} MB "
            f"({f['rss_before_mb']} MB before the export)"
        )

    return [
        "FHIR Bulk Data: a system-level `$export` of the whole clinic (every type), written "
        "by the worker's task as the clinic's admin in a process of its own "
        "(`manage.py bench_bulk_export`; NDJSON files to the media storage, deleted after): "
        f"{one(bulk['large'])}; {one(bulk['small'])}.",
    ]


def checks(bulk: dict[str, dict[str, Any]]) -> Sequence[tuple[str, bool, str]]:
    """Issue 16's "memory flat" for the export: peak RSS at the two sizes."""
    large, small = bulk["large"]["peak_rss_mb"], bulk["small"]["peak_rss_mb"]
    met = large <= small * (1 + RSS_GROWTH)
    ratio = bulk["large"]["resources"] / max(bulk["small"]["resources"], 1)
    value = f"{large} MB vs {small} MB for {ratio:,.0f}× the resources"
    return [(f"FHIR export peak RSS flat (≤ +{RSS_GROWTH:.0%} from small to large)", met, value)]
