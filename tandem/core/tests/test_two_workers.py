"""Several workers on one queue over one database (docs/scaling.md): two real
``manage.py db_worker`` processes share 200 tasks; each task runs exactly once and both
workers take some.

The database is the test's own: a file in ``tmp_path`` when the suite runs on SQLite, a
database ``tandem_workers_<pid>`` (made, then dropped) when it runs on PostgreSQL. A
worker claims a task in a transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL; an exclusive transaction on SQLite) and marks it running before it runs it.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TASKS = 200
WORKERS = ("worker-a", "worker-b")
DEADLINE = 300  # seconds for the whole run, start-up included: only a guard against hangs
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

ENQUEUE = """
from tandem.core.tests.worker_tasks import record_run
for number in range({count}):
    record_run.enqueue({directory!r}, number)
"""
REPORT = """
import json
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.values_list("status", "worker_ids", "args_kwargs")
print(json.dumps([[s, w, a["args"][1]] for s, w, a in rows]))
"""


@pytest.fixture
def queue_database(tmp_path: Path) -> Iterator[str]:
    """A database holding only the task queue's table: its URL."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'queue.sqlite3'}"
        return
    import psycopg
    from psycopg.conninfo import make_conninfo

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"tandem_workers_{os.getpid()}"
    server = make_conninfo(
        host=str(config.get("HOST") or "127.0.0.1"),
        port=str(config.get("PORT") or 5432),
        user=str(config.get("USER") or ""),
        password=str(config.get("PASSWORD") or ""),
        dbname="postgres",
    )
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str, timeout: int = 120) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def stop(worker: subprocess.Popen) -> None:
    """SIGTERM: the worker finishes the task it is running, then exits."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


def test_two_workers_on_one_queue_run_each_task_exactly_once(
    queue_database: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TANDEM_TESTING": "1",
        "TANDEM_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": queue_database,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("TANDEM_REPLICA_DATABASE_URL", None)
    runs = tmp_path / "runs"
    runs.mkdir()
    manage(env, "migrate", "django_tasks_database", "--noinput", timeout=300)

    logs = {name: (tmp_path / f"{name}.log").open("w") for name in WORKERS}
    worker = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    workers = {
        name: subprocess.Popen(
            [*worker, "--interval", "0.1", "--worker-id", name],
            cwd=ROOT,
            env=env,
            stdout=logs[name],
            stderr=subprocess.STDOUT,
        )
        for name in WORKERS
    }
    try:
        manage(env, "shell", "-c", ENQUEUE.format(count=TASKS, directory=str(runs)))
        deadline = time.monotonic() + DEADLINE
        while len(list(runs.glob("*.run"))) < TASKS and time.monotonic() < deadline:
            stopped = [name for name, process in workers.items() if process.poll() is not None]
            assert not stopped, (tmp_path / f"{stopped[0]}.log").read_text()
            time.sleep(0.2)
    finally:
        for process in workers.values():
            stop(process)
        for log in logs.values():
            log.close()

    # Each task ran exactly once: one file per task, one line (one run) in each.
    ran = {int(path.stem): path.read_text().split() for path in runs.glob("*.run")}
    assert sorted(ran) == list(range(TASKS))
    assert [number for number, by in ran.items() if len(by) != 1] == []
    # The queue agrees: every task finished, claimed by one worker, the one that ran it.
    rows = json.loads(manage(env, "shell", "-c", REPORT).strip().splitlines()[-1])
    assert len(rows) == TASKS
    assert {status for status, _, _ in rows} == {"SUCCESSFUL"}
    assert all(claimed == ran[number] for _, claimed, number in rows)
    # Both workers took some.
    taken = Counter(by[0] for by in ran.values())
    print(f"\ntasks per worker: {dict(sorted(taken.items()))}")
    assert set(taken) == set(WORKERS), f"tasks per worker: {dict(taken)}"
