"""The clinic the crash test writes into, made in its database with production settings.

    python -m tandem.core.testing.crash.world setup OUT.json PROBE_FOLDER PROBES HELD
    python -m tandem.core.testing.crash.world drain
    python -m tandem.core.testing.crash.world rerun

``setup``: a clinic with a therapist (an API token), a guardian (a signed-in session and
a CSRF cookie) and their child, with a plan of two goals and a home activity; both hear
of new messages by email at any hour (no quiet hours, so the result does not depend on
the time of day) and get no practice reminders. Then PROBES probe tasks are queued
(``tasks.probe``), number HELD held until the test releases it.

``drain`` (after the last kill, with TASK_STALE_AFTER_MINUTES=0): ``task_upkeep`` puts
back the tasks the dead workers left running, a worker (``db_worker --batch``) runs the
queue to its end and ``send_due_reminders`` sends the emails a lost enqueue left behind —
the commands a server runs, in one process to save start-ups.

``rerun``: queue every finished task of Tandem's own again (the probes aside), as if a
worker had been killed between a task's end and the record of it, and run them: their
effects must not double. Prints how many.
"""

import json
import os
import sys
from datetime import time, timedelta
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from django_tasks_db.compat import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from tandem.children.models import TeamRole  # noqa: E402
from tandem.core import clock  # noqa: E402
from tandem.core.testing import factories as f  # noqa: E402
from tandem.core.testing.signin import api_token, session_for  # noqa: E402
from tandem.homeprogram import actions as home_actions  # noqa: E402
from tandem.notifications.models import Preference  # noqa: E402
from tandem.plans.models import Goal  # noqa: E402
from tandem.plans.tests.helpers import make_plan  # noqa: E402

from .tasks import probe  # noqa: E402

PROBE_PATH = probe.module_path


def setup(out: str, probe_folder: str, probes: int, held: int) -> None:
    org = f.OrganizationFactory(name="Crash test clinic")
    therapist = f.TherapistFactory(organization=org, discipline="ot")
    child = f.ChildFactory(organization=org, first_name="Ada", last_name="Crash")
    guardian = f.GuardianLinkFactory(child=child).guardian
    f.CareTeamMemberFactory(child=child, therapist=therapist, role=TeamRole.LEAD)
    make_plan(child, therapist, goals=2)
    goals = list(Goal.objects.filter(child=child).order_by("position", "created_at"))
    today = clock.today_for(org)
    activity = home_actions.create_activity(
        therapist,
        child,
        goals=goals[:1],
        title="Pinch the pegs",
        why="Strong fingers make buttons easier.",
        steps="Put ten pegs on a box.",
        times_per_week=3,
        minutes=10,
        starts_on=today - timedelta(weeks=2),
    )
    for member in (therapist, guardian):
        Preference.objects.create(
            organization=org,
            member=member,
            quiet_start=time(0, 0),
            quiet_end=time(0, 0),  # equal: no quiet hours
            practice_reminders=False,
        )
    for number in range(probes):
        if number == held:
            open(os.path.join(probe_folder, f"hold-{number}"), "w").close()
        probe.enqueue(probe_folder, number)
    world: dict[str, Any] = {
        "organization": str(org.pk),
        "child": str(child.pk),
        "goals": [str(g.pk) for g in goals],
        "activity": str(activity.pk),
        "therapist": str(therapist.pk),
        "guardian": str(guardian.pk),
        "token": api_token(therapist, "crash test"),
        "session": session_for(guardian),
        "csrf": get_random_string(32),
        # A day before the clinic's today: signable whatever the hour when the test runs.
        "day": (today - timedelta(days=1)).isoformat(),
    }
    with open(out, "w") as file:
        json.dump(world, file)


def run_queue() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def drain() -> None:
    call_command("task_upkeep", verbosity=0)
    run_queue()
    call_command("send_due_reminders", verbosity=0)


def rerun() -> None:
    finished = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).exclude(
        task_path=PROBE_PATH
    )
    count = 0
    for row in finished.order_by("enqueued_at"):
        task = import_string(row.task_path)
        task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        count += 1
    run_queue()
    print(count)


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1] == "drain":
        drain()
    elif sys.argv[1] == "rerun":
        rerun()
    else:
        raise SystemExit(__doc__)
