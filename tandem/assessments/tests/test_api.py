"""The assessments API: roles own/foreign, bad input, conflicts, access log, query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.assessments.models import Evaluation
from tandem.assessments.tests.helpers import TODAY, make_evaluation
from tandem.audit.models import AccessLog

pytestmark = [pytest.mark.urls("tandem.assessments.tests.api_urls"), pytest.mark.django_db]


def path(child, rest=""):
    return f"/api/v1/children/{child.id}/evaluations{rest}"


def payload(**changes):
    data = {"discipline": "ot", "evaluated_on": TODAY.isoformat(), "summary": "Start"}
    data.update(changes)
    return data


def test_staff_on_the_team_read_and_each_read_is_logged(world, client_as):
    make_evaluation(world.child, world.therapist)
    for member in (world.admin, world.therapist, world.consulting_therapist, world.assistant):
        response = client_as(member).get(path(world.child))
        assert response.status_code == 200, member
        assert len(response.json()) == 1
        assert AccessLog.objects.filter(user=member.user, child=world.child).exists()


def test_outsiders_and_families_get_404(world, client_as):
    evaluation = make_evaluation(world.child, world.therapist)
    for member in (
        world.guardian,
        world.other_guardian,
        world.unassigned_therapist,
        world.foreign_admin,
        world.collaborator,
    ):
        client = client_as(member)
        assert client.get(path(world.child)).status_code == 404
        assert client.get(path(world.child, f"/{evaluation.id}")).status_code == 404
        assert (
            client.post(path(world.child), payload(), content_type="application/json").status_code
            == 404
        )


def test_editor_creates_and_reader_is_refused(world, client_as):
    created = client_as(world.therapist).post(
        path(world.child), payload(), content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["version"] == 1
    refused = client_as(world.consulting_therapist).post(
        path(world.child), payload(), content_type="application/json"
    )
    assert refused.status_code == 403
    assert Evaluation.objects.count() == 1


def test_unknown_fields_and_bad_values_are_refused_without_change(world, client_as):
    client = client_as(world.therapist)
    extra = client.post(path(world.child), payload(secret=1), content_type="application/json")
    bad = client.post(
        path(world.child), payload(discipline="astrology"), content_type="application/json"
    )
    assert extra.status_code == 422
    assert bad.status_code == 422 and "discipline" in bad.json()["detail"]
    assert not Evaluation.objects.exists()


def test_patch_on_a_stale_version_is_a_conflict(world, client_as):
    evaluation = make_evaluation(world.child, world.therapist)
    url = path(world.child, f"/{evaluation.id}")
    client = client_as(world.therapist)
    ok = client.patch(url, {"version": 1, "summary": "New"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "summary": "Old"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    evaluation.refresh_from_db()
    assert evaluation.summary == "New"


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_evaluations(world, client_as):
    client = client_as(world.therapist)
    for _ in range(3):
        make_evaluation(world.child, world.therapist)
    client.get(path(world.child))  # the first request also touches the session
    few = _count(client, path(world.child))
    for _ in range(27):
        make_evaluation(world.child, world.therapist)
    many = _count(client, path(world.child))
    print(f"\nAPI evaluations list: {few} queries (3) vs {many} (30)")
    assert few == many


def test_refusals_come_before_input_errors(world, client_as):
    bad = {"discipline": "ot", "evaluated_on": "not a date", "extra": 1}
    outsider = client_as(world.foreign_admin).post(
        path(world.child), bad, content_type="application/json"
    )
    family = client_as(world.guardian).post(path(world.child), bad, content_type="application/json")
    reader = client_as(world.consulting_therapist).post(
        path(world.child), bad, content_type="application/json"
    )
    editor = client_as(world.therapist).post(
        path(world.child), bad, content_type="application/json"
    )
    assert (outsider.status_code, family.status_code, reader.status_code, editor.status_code) == (
        404,
        404,
        403,
        422,
    )
