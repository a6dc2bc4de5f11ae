"""Run by test_idempotent_writes on a SQLite file of its own (``DATABASE_URL``): two
guardians' phones send one practice tap at the same moment, in rounds; print JSON.

The suite's in-memory SQLite locks tables instead of waiting, so the race is run here
on a file in WAL mode, as deployed, where each write transaction begins IMMEDIATE.
"""

import json
import os
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from tandem.accounts.models import Membership  # noqa: E402
from tandem.conftest import build_world, sign_in  # noqa: E402
from tandem.homeprogram.models import PracticeLog  # noqa: E402
from tandem.homeprogram.tests.helpers import make_activity  # noqa: E402

ROUNDS = 3


def race(url: str, guardian: Membership, key: str) -> list:
    """Post one tap from two signed-in phones at the same moment; return both answers."""
    clients = [sign_in(Client(), guardian) for _ in range(2)]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def send(i: int) -> None:
        try:
            start.wait()
            data = {"outcome": "done", "idempotency_key": key}
            answers[i] = clients[i].post(url, data, HTTP_HX_REQUEST="true")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def main() -> None:
    call_command("migrate", verbosity=0)
    setup_test_environment()
    world = build_world()
    activity = make_activity(world.child, world.therapist)
    url = reverse("homeprogram:log_new", args=[world.child.id, activity.id])
    rounds = []
    for number in range(ROUNDS):
        answers = race(url, world.guardian, f"race-key-{number:04d}")
        rounds.append(
            {
                "statuses": [a.status_code for a in answers],
                "same_body": answers[0].content == answers[1].content,
                "replayed": sum(a.get("Idempotent-Replayed") == "true" for a in answers),
            }
        )
    logs = PracticeLog.objects.filter(activity=activity).count()
    print(json.dumps({"vendor": connection.vendor, "rounds": rounds, "logs": logs}))


if __name__ == "__main__":
    main()
