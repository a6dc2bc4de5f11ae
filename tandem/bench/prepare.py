"""``make bench``'s in-process half: personas, sessions, query counts and PDF times.

    python -m tandem.bench.prepare OUT.json SEED [SMALL_SEED]

Runs with the same settings as the gunicorn it prepares for (tandem/bench/run.py sets
the environment). For the clinic of SEED it picks a therapist and their child with the
most notes, and that child's guardian; signs them in by writing sessions directly
(staff sessions marked MFA-confirmed, as the test suite does); gives the therapist an
API token; opens one draft note per load thread for the note-save endpoint. Then it
counts each endpoint's queries (django.test.Client, after one warm-up request) in the
clinic of SEED and of SMALL_SEED, and times the two progress-report PDFs.
"""

import datetime
import json
import os
import sqlite3
import sys
import time
from datetime import time as clock_time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tandem.accounts.models import Membership, Organization, Role  # noqa: E402
from tandem.children.models import Child, GuardianLink  # noqa: E402
from tandem.core import clock  # noqa: E402
from tandem.core.testing import signin  # noqa: E402
from tandem.core.testing.signin import session_for  # noqa: E402
from tandem.notes import actions as note_actions  # noqa: E402
from tandem.plans.models import Goal  # noqa: E402

DRAFTS = 32  # one draft note per load thread at the highest concurrency
# The drafts are dated a fortnight back: a draft books its own session, and 32 of them
# today filled the measured therapist's today page and week with ~40 sessions (10 is a
# real week of the generator's). No schedule page of this week shows them.
DRAFTS_DAYS_AGO = 14


def drafts_date(therapist: Membership) -> datetime.date:
    return clock.today_for(therapist.organization) - datetime.timedelta(days=DRAFTS_DAYS_AGO)


def personas(org: Organization) -> dict[str, Any]:
    therapist = (
        Membership.objects.filter(organization=org, role=Role.THERAPIST)
        .select_related("user")
        .annotate(n=Count("notes"))
        .order_by("-n", "user__email")
        .first()
    )
    child = (
        Child.objects.filter(
            organization=org, care_team__therapist=therapist, care_team__role="lead"
        )
        .annotate(n=Count("session_notes"))
        .order_by("-n", "id")
        .first()
    )
    link = GuardianLink.objects.select_related("guardian__user").get(organization=org, child=child)
    return {"therapist": therapist, "child": child, "guardian": link.guardian}


def drafts(therapist: Membership, child: Child, n: int) -> list[dict[str, Any]]:
    """Draft notes for the note-save endpoint, one per load thread."""
    goals = list(Goal.objects.filter(organization=therapist.organization, child=child)[:1])
    day = drafts_date(therapist)
    result = []
    for _i in range(n):
        note = note_actions.create_note(
            therapist,
            child,
            goals=goals,
            date=day,
            start_time=clock_time(7),
            end_time=clock_time(7, 45),
        )
        result.append({"id": str(note.id), "version": note.version})
    return result


def api_token(therapist: Membership) -> str:
    return signin.api_token(therapist, "bench")


def endpoints(p: dict[str, Any], note: dict[str, Any]) -> list[dict[str, Any]]:
    """Every measured endpoint: name, who calls it, method, path, body."""
    child = p["child"].id
    notes = f"/api/v1/children/{child}/notes"
    return [
        {"name": "floor", "as": "therapist", "path": "/bench/floor"},
        {"name": "today (week schedule)", "as": "therapist", "path": "/appointments/schedule/"},
        {"name": "caseload", "as": "therapist", "path": "/children/"},
        {"name": "child record", "as": "therapist", "path": f"/children/{child}/"},
        {"name": "progress tab", "as": "therapist", "path": f"/children/{child}/progress/"},
        {"name": "guardian home", "as": "guardian", "path": "/children/family/"},
        {
            "name": "note save (API PATCH)",
            "as": "token",
            "method": "PATCH",
            "path": f"{notes}/{note['id']}",
            "body": {"version": note["version"], "subjective": "Bench save."},
        },
        {"name": "API child GET", "as": "token", "path": f"/api/v1/children/{child}"},
        {"name": "API children list", "as": "token", "path": "/api/v1/children"},
        {"name": "API notes list", "as": "token", "path": notes},
    ]


def count_queries(org: Organization) -> dict[str, int]:
    """Each endpoint's queries in-process, after a warm-up request of the same session."""
    p = personas(org)
    note = drafts(p["therapist"], p["child"], 1)[0]
    token = api_token(p["therapist"])
    clients = {}
    for role in ("therapist", "guardian"):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_for(p[role])
        clients[role] = client
    clients["token"] = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    counts = {}
    for endpoint in endpoints(p, note):
        client = clients[endpoint["as"]]
        client.get(f"/children/{p['child'].id}/" if endpoint["as"] != "token" else "/api/v1/me")
        with CaptureQueriesContext(connection) as captured:
            if endpoint.get("method") == "PATCH":
                response = client.patch(
                    endpoint["path"], endpoint["body"], content_type="application/json"
                )
            else:
                response = client.get(endpoint["path"])
        assert response.status_code == 200, (endpoint, response.status_code)
        counts[endpoint["name"]] = len(captured)
    return counts


def pdf_times(org: Organization) -> dict[str, int]:
    """The progress report's PDFs of the bench child, as a person gets them: the page
    that asks (a web request: ``ask_*``), the worker's print (``family``, ``clinical``:
    the task run in-process) and the request that hands the file over (``collect_*``)."""
    from tandem.exports.models import Export
    from tandem.exports.tasks import make_export

    p = personas(org)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_for(p["therapist"])
    url = f"/children/{p['child'].id}/progress/report.pdf"

    def one(register: str) -> dict[str, int]:
        started = time.perf_counter()
        waiting = client.get(f"{url}?register={register}")
        asked = time.perf_counter()
        assert waiting.status_code == 200, waiting.status_code
        export = Export.objects.filter(requested_by=p["therapist"]).latest("created_at")
        assert make_export.call(str(export.pk)) == "ready"
        printed = time.perf_counter()
        response = client.get(f"{url}?register={register}&export={export.pk}")
        collected = time.perf_counter()
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return {
            register: round((printed - asked) * 1000),
            f"ask_{register}": round((asked - started) * 1000),
            f"collect_{register}": round((collected - printed) * 1000),
            f"kib_{register}": round(len(response.content) / 1024),
        }

    one("family")  # fonts and templates loaded once
    return one("family") | one("clinical")


def size_of(org: Organization) -> dict[str, int]:
    from tandem.notes.models import GoalData, SessionNote

    return {
        "children": Child.objects.filter(organization=org).count(),
        "notes": SessionNote.objects.filter(organization=org).count(),
        "goal_data": GoalData.objects.filter(organization=org).count(),
    }


def main() -> None:
    out, seed = sys.argv[1], int(sys.argv[2])
    small_seed = int(sys.argv[3]) if len(sys.argv) > 3 else None
    org = Organization.objects.get(name=f"Bench clinic {seed}")
    p = personas(org)
    notes = drafts(p["therapist"], p["child"], DRAFTS)
    result: dict[str, Any] = {
        "sessions": {
            "therapist": session_for(p["therapist"]),
            "guardian": session_for(p["guardian"]),
        },
        "token": api_token(p["therapist"]),
        "endpoints": endpoints(p, notes[0]),
        "drafts": notes,
        "child": str(p["child"].id),
        "child_notes": p["child"].n,
        "sizes": {"large": size_of(org)},
        "queries": {"large": count_queries(org)},
        "pdf_ms": pdf_times(org),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            result["database"] = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        result["database"] = f"SQLite {sqlite3.sqlite_version}"
    if small_seed is not None:
        small = Organization.objects.get(name=f"Bench clinic {small_seed}")
        result["sizes"]["small"] = size_of(small)
        result["queries"]["small"] = count_queries(small)
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
