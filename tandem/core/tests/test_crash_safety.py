"""Crash safety (issue 15): gunicorn and the task worker, killed with SIGKILL in the middle
of a stream of writes, lose no acknowledged write and leave none half-made; a retried
write is answered from its key; every queued task runs, its effect once.

One run per module and database (``crash``), in real processes with production settings
(DEBUG off, the database task queue), over a database of its own made from the test
database: a SQLite file, or on PostgreSQL ``tandem_crash_<pid>``. The run:

1. A worker takes the queued probe tasks (``core.testing.crash.tasks``) and is killed
   while it runs the held one.
2. gunicorn (2 workers) and a new worker start. A therapist (API token) documents
   sessions — note, goal data, text, signature, a message — and a family (session and
   CSRF cookie) logs practice and writes, from four threads. When the server has
   acknowledged 25, 60 and 100 writes, gunicorn is killed (master and workers at once)
   and started again; at 45 and 85 the worker is; at 55 ``manage.py backup`` runs while
   the writes go on.
3. Every acknowledged POST is sent again with its key; then both servers are killed at
   once, ``task_upkeep`` puts back the tasks of the dead workers, a worker drains the
   queue and ``send_due_reminders`` sends what a lost enqueue left behind. Every Tandem
   task that finished is queued again and run again.
4. The backup taken under load is restored into an empty database.

Pass or fail never depends on timing: the kills come after counts of acknowledgements,
and the generous time limits only stop a hung run. ``pytest -m crash`` runs only this.
"""

import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tandem.core.testing.crash import checks
from tandem.core.testing.crash.driver import (
    ROOT,
    Ack,
    Ledger,
    Person,
    Processes,
    Wire,
    family_practice,
    free_listener,
    therapist_session,
)
from tandem.core.testing.crash.site import Databases, production_env
from tandem.core.testing.crash.tasks import probe

pytestmark = [pytest.mark.crash, pytest.mark.django_db]

PY = sys.executable
MANAGE = [PY, str(ROOT / "manage.py")]
SESSIONS_PER_THREAD = 8  # two therapist threads: 6 writes each session
DAYS_PER_THREAD = 14  # two family threads: 2 writes each day
WEB_KILLS_AT = (25, 60, 100)
WORKER_KILLS_AT = (45, 85)
BACKUP_AT = 55
PROBES, HELD = 6, 2


@dataclass
class Run:
    """What the run did and what the checks found."""

    world: dict[str, Any]
    acks: list[Ack]
    kills: Counter[str]
    interrupted: int
    errors: list[str]
    held_left_running: bool
    replays: list[tuple[Ack, int, str, bool]]  # ack, status, id answered, replayed
    counts_before_replay: dict[str, int]
    counts_after_replay: dict[str, int]
    missing: list[str]
    half_applied: list[str]
    duplicates: list[str]
    tasks: Counter[str]
    attempts: Counter[int]
    effects: Counter[int]
    mail: dict[str, Any]
    rerun: int
    tasks_after_rerun: Counter[str]
    mail_after_rerun: dict[str, Any]
    acked_before_backup: list[Ack]
    missing_from_backup: list[str]
    half_applied_in_backup: list[str]
    timeline: dict[str, float] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)


# --- The run ------------------------------------------------------------------------


def numbers(path: Path) -> Counter[int]:
    return Counter(int(line) for line in path.read_text().split()) if path.exists() else Counter()


def wait_until(condition: Any, what: str, limit: float = 120.0) -> None:
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.05)


def send_again(job: tuple[Wire, Ack]) -> tuple[Ack, int, str, bool]:
    """Send an acknowledged keyed write again: (the ack, status, id answered, replayed)."""
    wire, ack = job
    assert ack.resend is not None
    answer = wire.send(*ack.resend)
    replayed = answer.headers.get("idempotent-replayed") == "true"
    return ack, answer.status, str((answer.body or {}).get("id")), replayed


class Timeline:
    """Seconds each part of the run took (reported, never asserted)."""

    def __init__(self) -> None:
        self.mark = time.monotonic()
        self.parts: dict[str, float] = {}

    def lap(self, part: str) -> None:
        now = time.monotonic()
        self.parts[part] = round(now - self.mark, 1)
        self.mark = now


def perform(databases: Databases, processes: Processes, folder: Path) -> Run:
    timeline = Timeline()
    probes = folder / "probes"
    (probes / "done").mkdir(parents=True)
    world_file = folder / "world.json"
    crash_world = [PY, "-m", "tandem.core.testing.crash.world"]
    processes.run([*crash_world, "setup", str(world_file), str(probes), str(PROBES), str(HELD)])
    world = json.loads(world_file.read_text())
    org = world["organization"]
    timeline.lap("setup")
    kills: Counter[str] = Counter()
    listener = free_listener()
    wire = Wire(listener.getsockname()[1])
    gunicorn = [str(Path(PY).parent / "gunicorn"), "tandem.wsgi"]
    gunicorn += [f"--bind=fd://{listener.fileno()}", "--workers=2", "--preload"]
    gunicorn += ["--log-level=warning", "--timeout=60"]
    fds = (listener.fileno(),)
    db_worker = [*MANAGE, "db_worker", "--no-reload", "--no-startup-delay", "--interval=0.2"]

    # 1. A worker killed while it runs a task (gunicorn starts meanwhile).
    web = processes.start("web", gunicorn, pass_fds=fds)
    worker = processes.start("worker", db_worker)
    wait_until(lambda: HELD in numbers(probes / "attempts"), "the worker runs the held probe")
    processes.kill(worker)
    kills["worker"] += 1
    held = next(
        row
        for row in DBTaskResult.objects.using("crash").filter(task_path=probe.module_path)
        if row.args_kwargs["args"][1] == HELD
    )
    held_left_running = held.status == TaskResultStatus.RUNNING
    (probes / f"hold-{HELD}").unlink()
    worker = processes.start("worker", db_worker)
    wire.healthy()
    timeline.lap("start, kill a worker mid-task")

    # 2. The stream of writes, with kills and a backup.
    ledger = Ledger()
    therapist = Person(wire, ledger, {"Authorization": f"Bearer {world['token']}"})
    family = Person(
        wire,
        ledger,
        {
            "Cookie": f"sessionid={world['session']}; csrftoken={world['csrf']}",
            "X-CSRFToken": world["csrf"],
            "Referer": "https://127.0.0.1/",
        },
    )

    def writes(person: Person, step: Any, first: int, count: int) -> None:
        try:
            for n in range(first, first + count):
                step(person, world, n)
        except Exception as exc:
            ledger.fail(f"{step.__name__}: {exc!r}")

    work = [
        (therapist, therapist_session, 0, SESSIONS_PER_THREAD),
        (therapist, therapist_session, 100, SESSIONS_PER_THREAD),
        (family, family_practice, 0, DAYS_PER_THREAD),
        (family, family_practice, 100, DAYS_PER_THREAD),
    ]
    threads = [threading.Thread(target=writes, args=args, daemon=True) for args in work]
    for thread in threads:
        thread.start()
    plan = [(n, "web") for n in WEB_KILLS_AT] + [(n, "worker") for n in WORKER_KILLS_AT]
    acked_before_backup: list[Ack] = []
    backup_command = [*MANAGE, "backup", str(folder / "online-backup")]

    def back_up() -> None:
        try:
            processes.run(backup_command)
        except Exception as exc:
            ledger.fail(f"backup: {exc!r}")

    backup = threading.Thread(target=back_up)
    for threshold, action in sorted([*plan, (BACKUP_AT, "backup")]):
        ledger.wait_for(threshold, lambda: not any(t.is_alive() for t in threads))
        timeline.lap(f"writes to {threshold}")
        if action == "web":
            processes.kill(web)
            kills["web"] += 1
            web = processes.start("web", gunicorn, pass_fds=fds)
            wire.healthy()
        elif action == "worker":
            processes.kill(worker)
            kills["worker"] += 1
            worker = processes.start("worker", db_worker)
        else:  # beside the writes, which go on meanwhile
            acked_before_backup = ledger.snapshot()
            backup.start()
        timeline.lap(f"{action} at {threshold}")
    for thread in [*threads, backup]:
        thread.join(timeout=300)
    acks = ledger.snapshot()
    timeline.lap("writes to the end")

    # 3. Every keyed write sent again; then the last crash, both at once, and the upkeep.
    counts_before_replay = checks.row_counts("crash", org)
    with ThreadPoolExecutor(max_workers=4) as pool:
        replays = list(pool.map(send_again, [(wire, ack) for ack in acks if ack.resend]))
    counts_after_replay = checks.row_counts("crash", org)
    timeline.lap("retries")
    processes.kill(web)
    processes.kill(worker)
    kills["web"] += 1
    kills["worker"] += 1
    listener.close()
    processes.run([*crash_world, "drain"], {**processes.env, "TASK_STALE_AFTER_MINUTES": "0"})
    tasks = checks.tasks("crash")
    mail = checks.emails("crash", org, folder / "mail")
    timeline.lap("upkeep and drain")
    rerun = int(processes.run([*crash_world, "rerun"]))
    timeline.lap("tasks run again")

    # 4. The backup taken under load, restored into an empty database.
    restored_env = {**processes.env, "DATABASE_URL": databases.url("restored")}
    restored_env["TANDEM_MEDIA_ROOT"] = str(folder / "restored-media")
    processes.run([*MANAGE, "restore", str(folder / "online-backup"), "--yes"], restored_env)
    timeline.lap("restore")
    run = Run(
        world=world,
        acks=acks,
        kills=kills,
        interrupted=wire.interrupted,
        errors=ledger.errors,
        held_left_running=held_left_running,
        replays=replays,
        counts_before_replay=counts_before_replay,
        counts_after_replay=counts_after_replay,
        missing=checks.missing("crash", org, acks),
        half_applied=checks.half_applied("crash", world),
        duplicates=checks.duplicates("crash", org),
        tasks=tasks,
        attempts=numbers(probes / "attempts"),
        effects=numbers(probes / "effects"),
        mail=mail,
        rerun=rerun,
        tasks_after_rerun=checks.tasks("crash"),
        mail_after_rerun=checks.emails("crash", org, folder / "mail"),
        acked_before_backup=acked_before_backup,
        missing_from_backup=checks.missing("restored", org, acked_before_backup),
        half_applied_in_backup=checks.half_applied("restored", world),
    )
    timeline.lap("checks")
    run.timeline = timeline.parts
    return run


@pytest.fixture(scope="module")
def crash(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    """The run, once per module (before any test's transaction), and its databases
    dropped after; every process it started is killed, whatever happens."""
    folder = tmp_path_factory.mktemp("crash")
    for name in ("logs", "mail", "media", "var"):
        (folder / name).mkdir()
    started = time.monotonic()
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "memorydb" in name or name.startswith("test_"), f"not a test database: {name}"
        databases = Databases(folder)
        processes = Processes(production_env(databases, folder), folder / "logs")
        try:
            run = perform(databases, processes, folder)
        except BaseException:
            processes.kill_all()
            databases.drop()
            raise
        processes.kill_all()
    run.timeline["whole run"] = round(time.monotonic() - started, 1)
    run.figures = figures(run, databases.vendor)
    print(f"\ncrash run on {databases.vendor}: {json.dumps(run.figures)}")
    yield run
    with django_db_blocker.unblock():
        databases.drop()


def figures(run: Run, vendor: str) -> dict[str, Any]:
    return {
        "database": vendor,
        "writes acknowledged": len(run.acks),
        "by kind": dict(Counter(a.kind for a in run.acks)),
        "requests cut by a kill (sent again)": run.interrupted,
        "kills": dict(run.kills),
        "acknowledged writes found": len(run.acks) - len(run.missing),
        "retries answered from their key": sum(r[3] for r in run.replays),
        "tasks": dict(run.tasks),
        "probe deliveries": sum(run.attempts.values()),
        "probe effects": sum(run.effects.values()),
        "emails": sum(run.mail["written"].values()),
        "tasks run again": run.rerun,
        "acknowledged before the online backup, found in it": len(run.acked_before_backup)
        - len(run.missing_from_backup),
        "seconds": run.timeline,
    }


# --- What must hold ---------------------------------------------------------------------
#
# One test (so that pytest-xdist never runs the module's processes twice), in the order a
# reader would ask.


def test_sigkill_of_the_server_and_the_worker_loses_nothing_acknowledged(crash: Run) -> None:
    the_stream_ran_through_every_kill(crash)
    # Every acknowledged write is there, none half-made or made twice.
    assert crash.missing == []
    assert crash.half_applied == []
    assert crash.duplicates == []
    a_write_sent_again_with_its_key_is_answered_from_it(crash)
    a_task_whose_worker_was_killed_runs_again_its_effect_once(crash)
    notification_emails_go_out_once_each(crash)
    tandems_tasks_run_again_double_nothing(crash)
    # The backup taken during the writes holds each write acknowledged before it began.
    assert len(crash.acked_before_backup) >= BACKUP_AT
    assert crash.missing_from_backup == []
    assert crash.half_applied_in_backup == []


def the_stream_ran_through_every_kill(crash: Run) -> None:
    assert crash.errors == []
    assert crash.kills == {"web": len(WEB_KILLS_AT) + 1, "worker": len(WORKER_KILLS_AT) + 2}
    assert len(crash.acks) == 2 * SESSIONS_PER_THREAD * 6 + 2 * DAYS_PER_THREAD * 2


def a_write_sent_again_with_its_key_is_answered_from_it(crash: Run) -> None:
    """…with the record it made the first time, and nothing is written again."""
    assert crash.replays, "no keyed write to send again"
    for ack, status, answered, replayed in crash.replays:
        assert (status, answered, replayed) == (201, ack.id, True), ack.tag
    assert crash.counts_after_replay == crash.counts_before_replay


def a_task_whose_worker_was_killed_runs_again_its_effect_once(crash: Run) -> None:
    assert crash.held_left_running  # what a killed worker leaves behind
    assert crash.attempts[HELD] >= 2  # delivered again after the upkeep
    assert crash.effects == Counter(range(PROBES))  # every probe's effect, once
    assert set(crash.tasks) <= {"probe: SUCCESSFUL", "send_notification_email: SUCCESSFUL"}
    assert crash.tasks["probe: SUCCESSFUL"] == PROBES


def notification_emails_go_out_once_each(crash: Run) -> None:
    """Every email is sent (none lost with a killed web server or worker), and once: the
    only way to send one twice is a worker killed in the instant between the mail
    server taking it and its record, so at most one more per worker killed."""
    mail = crash.mail
    assert mail["states"].get("pending", 0) == 0
    assert sum(mail["sent"].values()) > 0
    assert set(mail["written"]) == set(mail["sent"])
    for person, sent in mail["sent"].items():
        written = mail["written"].get(person, 0)
        assert sent <= written <= sent + crash.kills["worker"], person


def tandems_tasks_run_again_double_nothing(crash: Run) -> None:
    again = sum(n for name, n in crash.tasks.items() if not name.startswith("probe"))
    assert crash.rerun == again > 0
    assert crash.mail_after_rerun == crash.mail
    assert all(name.endswith("SUCCESSFUL") for name in crash.tasks_after_rerun)
