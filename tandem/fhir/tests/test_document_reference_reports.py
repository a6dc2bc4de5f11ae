"""DocumentReference for the progress reports: each plan in force or closed has its
progress report, each closed plan its discharge summary, as PDFs on their own pages —
read and searched beside the final evaluations, for whoever reads the child's progress."""

import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tandem.conftest import World, sign_in
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.notes.tests.helpers import make_note
from tandem.plans.models import PlanStatus
from tandem.plans.tests.helpers import make_plan

from .data import lead_of, records_of
from .helpers import every_page, get, ids, ok, outcome

pytestmark = pytest.mark.django_db
LOINC = "http://loinc.org"


@pytest.fixture
def reports(world: World) -> dict[str, Any]:
    """Maya's records (an active plan, a final evaluation), an earlier closed plan and a
    draft; Zara's records in the other clinic."""
    made = records_of(world.child)
    records_of(world.foreign_child)
    today = clinic_today()
    lead = lead_of(world.child)
    closed = make_plan(
        world.child,
        lead,
        status=PlanStatus.CLOSED,
        discipline="slp",
        start_date=today - datetime.timedelta(days=400),
        review_date=today - datetime.timedelta(days=220),
    )
    draft = make_plan(world.child, lead, status=PlanStatus.DRAFT, discipline="pt")
    return {
        "active": made["CarePlan"],
        "evaluation": made["DocumentReference"],
        "note": made["Encounter"],  # the session's signed note (test_document_reference_notes)
        "closed": closed,
        "draft": draft,
    }


def _by_id(client: Client, params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        e["resource"]["id"]: e["resource"] for e in every_page(client, "DocumentReference", params)
    }


def _code(resource: dict[str, Any]) -> str:
    coding = resource["type"]["coding"][0]
    assert coding["system"] == LOINC
    return str(coding["code"])


def test_the_team_finds_each_plans_reports_beside_the_evaluation(
    world: World, reports: Any
) -> None:
    client = sign_in(Client(), world.therapist)
    active, closed = reports["active"], str(reports["closed"].pk)
    found = _by_id(client, {"patient": str(world.child.pk), "_count": 1})
    assert {i: _code(r) for i, r in found.items()} == {
        reports["evaluation"]: "51848-0",
        f"{active}.progress": "11506-3",
        f"{closed}.progress": "11506-3",
        f"{closed}.discharge": "18842-5",
        f"{reports['note']}.note": "11507-1",  # the lead's signed session note (OT)
    }  # not the draft's
    running = found[f"{active}.progress"]
    assert running["docStatus"] == "preliminary"  # the plan still runs
    assert running["status"] == "current"
    assert running["category"][0]["coding"][0]["code"] == "clinical-note"
    assert running["subject"] == {"reference": f"Patient/{world.child.pk}"}
    assert running["author"][0]["reference"] == f"Practitioner/{lead_of(world.child).pk}"
    assert running["context"]["related"] == [{"reference": f"CarePlan/{active}"}]
    assert running["date"].endswith("Z")
    attachment = running["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf" and "data" not in attachment
    url = urlsplit(attachment["url"])
    assert url.path == reverse("progress:report_pdf", args=[world.child.pk])
    asked = parse_qs(url.query)
    assert asked["register"] == ["clinical"]
    assert asked["start"] == [running["context"]["period"]["start"]]
    assert asked["end"] == [clinic_today().isoformat()]
    assert found[f"{closed}.progress"]["docStatus"] == "final"
    assert found[f"{closed}.progress"]["context"]["period"]["end"] == (
        reports["closed"].review_date.isoformat()
    )
    discharge = found[f"{closed}.discharge"]
    assert discharge["docStatus"] == "final"
    assert discharge["content"][0]["attachment"]["url"].endswith(
        reverse("progress:discharge_pdf", args=[world.child.pk, closed])
    )
    for resource in found.values():
        # Each report's PDF page opens (the worker prints it; a member waits for three at
        # most: the note's has its own test).
        if "." in resource["id"] and not resource["id"].endswith(".note"):
            page = client.get(resource["content"][0]["attachment"]["url"])
            assert page.status_code == 200, resource["id"]
        response = get(client, f"DocumentReference/{resource['id']}")
        assert ok(client, f"DocumentReference/{resource['id']}") == resource
        assert response["ETag"] == f'W/"{resource["meta"]["versionId"]}"'


def test_the_family_reads_the_same_reports_in_their_register(world: World, reports: Any) -> None:
    family = sign_in(Client(), world.guardian)
    found = _by_id(family, {"patient": str(world.child.pk)})
    assert len(found) == 5  # the four reports and the signed note
    progress = found[f"{reports['active']}.progress"]["content"][0]["attachment"]["url"]
    assert parse_qs(urlsplit(progress).query)["register"] == ["family"]
    for resource in found.values():  # three reports: a member may wait for three PDFs
        if "." in resource["id"] and not resource["id"].endswith(".note"):
            assert family.get(resource["content"][0]["attachment"]["url"]).status_code == 200
    outcome(get(family, f"DocumentReference/{reports['draft'].pk}.progress"), 404)


def test_search_by_type_id_period_and_status(world: World, reports: Any) -> None:
    client = sign_in(Client(), world.admin)
    child = str(world.child.pk)
    active, closed = reports["active"], reports["closed"].pk
    progress = ok(client, "DocumentReference", {"patient": child, "type": "11506-3"})
    assert sorted(ids(progress)) == sorted([f"{active}.progress", f"{closed}.progress"])
    summary = ok(client, "DocumentReference", {"type": f"{LOINC}|18842-5"})
    assert ids(summary) == [f"{closed}.discharge"]
    either = {"type": "18842-5,51848-0", "patient": child}
    assert sorted(ids(ok(client, "DocumentReference", either))) == sorted(
        [f"{closed}.discharge", reports["evaluation"]]
    )
    wanted = f"{active}.progress,{reports['evaluation']}"
    assert sorted(ids(ok(client, "DocumentReference", {"_id": wanted}))) == sorted(
        wanted.split(",")
    )
    assert ok(client, "DocumentReference", {"_id": f"{active}.discharge"})["total"] == 0
    assert ok(client, "DocumentReference", {"_id": f"{closed}"})["total"] == 0  # no such kind
    assert ok(client, "DocumentReference", {"_id": "nothing.progress"})["total"] == 0
    year_ago = (clinic_today() - datetime.timedelta(days=365)).isoformat()
    earlier = ok(client, "DocumentReference", {"patient": child, "period": f"lt{year_ago}"})
    assert sorted(ids(earlier)) == sorted([f"{closed}.progress", f"{closed}.discharge"])
    everything = {"patient": child, "status": "current", "category": "clinical-note"}
    assert ok(client, "DocumentReference", everything)["total"] == 5  # with the note
    assert ok(client, "DocumentReference", {"patient": child, "date": "ge2000-01-01"})["total"] == 5
    later = {"patient": child, "_lastUpdated": "gt2999-01-01"}
    assert ok(client, "DocumentReference", later)["total"] == 0


def test_a_running_plans_report_runs_to_today_past_its_review_date(world: World) -> None:
    today = clinic_today()
    start = today - datetime.timedelta(days=300)
    overdue = make_plan(
        world.child,
        lead_of(world.child),
        start_date=start,
        review_date=start + datetime.timedelta(days=90),
    )
    client = sign_in(Client(), world.therapist)
    report = ok(client, f"DocumentReference/{overdue.pk}.progress")
    assert report["context"]["period"] == {"start": start.isoformat(), "end": today.isoformat()}
    assert report["docStatus"] == "preliminary"
    outcome(get(client, f"DocumentReference/{overdue.pk}.discharge"), 404)  # not closed


def test_a_running_plans_report_is_the_childs_and_changes_as_notes_are_signed(
    world: World, reports: Any
) -> None:
    client = sign_in(Client(), world.therapist)
    path = f"DocumentReference/{reports['active']}.progress"
    before = ok(client, path)
    # The PDF shows every plan's goals over the period: no discipline of its own.
    assert "practiceSetting" not in before["context"]
    assert "every plan's goals" in before["description"]
    assert before["meta"]["versionId"].endswith(clinic_today().strftime(".%Y%m%d"))
    make_note(world.child, lead_of(world.child), sign=True)
    after = ok(client, path)
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    assert after["meta"]["lastUpdated"] >= before["meta"]["lastUpdated"]
    assert after["date"] == after["meta"]["lastUpdated"]
    assert get(client, path)["ETag"] == f'W/"{after["meta"]["versionId"]}"'
    since = {"_lastUpdated": f"ge{after['meta']['lastUpdated']}", "type": "11506-3"}
    assert f"{reports['active']}.progress" in ids(ok(client, "DocumentReference", since))
    # A day later the period runs to the new today: a new version, updated since.
    with time_machine.travel(clock.now() + datetime.timedelta(days=1)):
        client = sign_in(Client(), world.therapist)  # the session of a day ago has ended
        tomorrow = ok(client, path)
        assert tomorrow["meta"]["versionId"] != after["meta"]["versionId"]
        assert tomorrow["meta"]["lastUpdated"] > after["meta"]["lastUpdated"]
        since = {"_lastUpdated": f"gt{after['meta']['lastUpdated']}", "type": "11506-3"}
        assert f"{reports['active']}.progress" in ids(ok(client, "DocumentReference", since))


@pytest.mark.parametrize(
    "params",
    [{"type": "34117-2"}, {"status": "superseded"}, {"category": "imaging"}, {"period": "31/02"}],
)
def test_bad_search_values_are_400(world: World, params: dict[str, str]) -> None:
    outcome(get(sign_in(Client(), world.admin), "DocumentReference", params), 400)


def test_ids_that_are_no_report_are_404(world: World, reports: Any) -> None:
    client = sign_in(Client(), world.admin)
    active, closed = reports["active"], reports["closed"].pk
    for bad in (f"{active}.discharge", f"{closed}.bogus", f"{closed}.", "nothing.progress"):
        outcome(get(client, f"DocumentReference/{bad}"), 404)


def test_only_those_who_read_the_childs_progress_find_the_reports(
    world: World, reports: Any
) -> None:
    closed = f"DocumentReference/{reports['closed'].pk}.discharge"
    child = {"patient": str(world.child.pk)}
    for member in (
        world.front_desk,
        world.billing,
        world.other_guardian,
        world.unassigned_therapist,
    ):
        client = sign_in(Client(), member)
        outcome(get(client, closed), 404)
        assert ok(client, "DocumentReference", child)["total"] == 0, member
    teacher = sign_in(Client(), world.consented_collaborator)
    outcome(get(teacher, "DocumentReference", child), 404)  # not within their scopes
    outcome(get(teacher, closed), 404)
    foreign = sign_in(Client(), world.foreign_admin)
    outcome(get(foreign, closed), 404)
    found = ok(foreign, "DocumentReference")
    assert found["total"] == 3  # their own child's evaluation, progress report and note
    assert str(world.child.pk) not in str(found)
    consulting = sign_in(Client(), world.consulting_therapist)  # on the team, any seat
    assert ok(consulting, closed)["id"] == closed.removeprefix("DocumentReference/")


def test_a_page_costs_the_same_queries_with_more_reports(
    world: World, reports: Any, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.therapist)
    ok(client, "DocumentReference", {"_count": 5})  # warms the process's caches
    with django_assert_max_num_queries(12) as small:
        ok(client, "DocumentReference", {"_count": 5})
    for n in range(3):
        kid = f.ChildFactory(organization=world.org, first_name=f"Kid{n}", last_name="Load")
        f.CareTeamMemberFactory(child=kid, therapist=world.therapist, role="lead")
        records_of(kid, plans=2)
        make_plan(kid, world.therapist, status=PlanStatus.CLOSED)
    with django_assert_max_num_queries(12) as large:
        found = ok(client, "DocumentReference", {"_count": 5})
    assert found["total"] > 5 and len(found["entry"]) == 5
    assert len(large.captured_queries) == len(small.captured_queries)
