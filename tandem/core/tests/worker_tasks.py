"""A task for tests only: it writes down which worker ran it (``test_two_workers.py``)."""

import time
from pathlib import Path

from django_tasks import TaskContext, task

# How long the first tasks wait for a second worker to show up (start-up on a busy machine).
WAIT_FOR_SECOND_WORKER = 120


@task(takes_context=True)
def record_run(context: TaskContext, directory: str, number: int) -> None:
    """Append the id of the worker running it to the file of task ``number``.

    Until a second worker has run a task, each task waits for one: so both workers take
    part whatever their start-up times, and the first worker holds its task while the
    second looks for work (which must be another task, never the same one)."""
    worker = context.task_result.worker_ids[-1]
    folder = Path(directory)
    with open(folder / f"{number}.run", "a") as runs:
        runs.write(worker + "\n")
    (folder / f"worker-{worker}").touch()
    deadline = time.monotonic() + WAIT_FOR_SECOND_WORKER
    while len(list(folder.glob("worker-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
