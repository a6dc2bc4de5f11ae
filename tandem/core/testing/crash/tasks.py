"""A task the crash test queues: it records each run and does its effect once.

A run appends its number to ``attempts`` (every delivery), waits while ``hold-<n>`` exists
(so the test can kill the worker while it runs), then appends its number to ``effects``
unless ``done/<n>`` says an earlier run already did: the shape of an idempotent task.
"""

import time
from pathlib import Path

from django_tasks import task

HOLD_AT_MOST = 120  # seconds: never hold a worker for ever if the test is gone


def _append(path: Path, line: str) -> None:
    with path.open("a") as f:
        f.write(line + "\n")
        f.flush()


@task()
def probe(folder: str, number: int) -> int:
    """Record this delivery, wait while held, then do the effect once."""
    base = Path(folder)
    _append(base / "attempts", str(number))
    hold = base / f"hold-{number}"
    deadline = time.monotonic() + HOLD_AT_MOST
    while hold.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    done = base / "done" / str(number)
    if not done.exists():
        _append(base / "effects", str(number))
        done.touch()
    return number
