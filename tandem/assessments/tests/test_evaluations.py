"""Evaluation pages: who sees and edits them, bad input, conflicts, the family register."""

import pytest
from django.urls import reverse

from tandem.assessments.models import Evaluation
from tandem.assessments.tests.helpers import TODAY, make_evaluation
from tandem.audit.models import AccessLog
from tandem.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "discipline": "ot",
        "evaluated_on": TODAY.isoformat(),
        "status": "draft",
        "reason_for_referral": "Handwriting",
        "observations": "",
        "strengths": "Kind",
        "interests": "Lego",
        "summary": "",
        "recommendations": "",
    }
    data.update(changes)
    return data


def test_lead_therapist_starts_an_evaluation(world, client_as):
    response = client_as(world.therapist).post(
        reverse("assessments:new", args=[world.child.id]), form_data()
    )
    evaluation = Evaluation.objects.get(child=world.child)
    assert response.status_code == 302
    assert response["Location"] == evaluation.get_absolute_url()
    assert evaluation.therapist == world.therapist
    assert evaluation.organization_id == world.org.id


def test_a_future_date_is_refused_with_a_message_and_nothing_saved(world, client_as):
    tomorrow = TODAY.replace(year=TODAY.year + 1)
    response = client_as(world.therapist).post(
        reverse("assessments:new", args=[world.child.id]),
        form_data(evaluated_on=tomorrow.isoformat()),
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_date_before_birth_is_refused_on_create_and_edit(world, client_as):
    before_birth = world.child.date_of_birth.replace(year=world.child.date_of_birth.year - 1)
    client = client_as(world.therapist)
    response = client.post(
        reverse("assessments:new", args=[world.child.id]),
        form_data(evaluated_on=before_birth.isoformat()),
    )
    assert "before the child&#x27;s date of birth" in response.content.decode()
    assert not Evaluation.objects.exists()
    evaluation = make_evaluation(world.child, world.therapist)
    response = client.post(
        reverse("assessments:edit", args=[world.child.id, evaluation.id]),
        form_data(evaluated_on=before_birth.isoformat(), version=evaluation.version),
    )
    assert "before the child&#x27;s date of birth" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).evaluated_on == evaluation.evaluated_on


def test_consulting_therapist_reads_but_cannot_start_an_evaluation(world, client_as):
    client = client_as(world.consulting_therapist)
    url = reverse("assessments:new", args=[world.child.id])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 403
    assert client.get(reverse("assessments:index", args=[world.child.id])).status_code == 200
    assert not Evaluation.objects.exists()


def test_outsiders_get_404(world, client_as):
    evaluation = make_evaluation(world.child, world.therapist)
    for member in (
        world.unassigned_therapist,
        world.other_guardian,
        world.foreign_admin,
        world.collaborator,
    ):
        client = client_as(member)
        assert client.get(reverse("assessments:index", args=[world.child.id])).status_code == 404
        assert client.get(evaluation.get_absolute_url()).status_code == 404


def test_edit_based_on_an_old_version_is_a_conflict(world, client_as):
    evaluation = make_evaluation(world.child, world.therapist)
    url = reverse("assessments:edit", args=[world.child.id, evaluation.id])
    first = client_as(world.admin).post(url, form_data(summary="Admin's words", version=1))
    assert first.status_code == 302
    second = client_as(world.therapist).post(url, form_data(summary="Mine", version=1))
    assert second.status_code == 409
    assert "Someone else saved this" in second.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.summary == "Admin's words" and evaluation.version == 2
    assert evaluation.history.count() == 2


def test_the_family_hears_of_an_evaluation_once_when_it_becomes_final(world, client_as):
    client = client_as(world.therapist)
    client.post(reverse("assessments:new", args=[world.child.id]), form_data())
    evaluation = Evaluation.objects.get(child=world.child)
    url = reverse("assessments:edit", args=[world.child.id, evaluation.id])
    reports = Notification.objects.filter(kind=Kind.NEW_REPORT, child=world.child)
    assert not reports.exists()  # a draft is not a report

    client.post(url, form_data(status="final", summary="Done", version=1))
    client.post(url, form_data(status="final", summary="Typo fixed", version=2))
    client.post(url, form_data(status="draft", summary="Reopened", version=3))
    client.post(url, form_data(status="final", summary="Final again", version=4))

    # Only Maya's guardian, and once: correcting or reopening a final evaluation is not news.
    assert Evaluation.objects.get().version == 5
    assert [n.recipient for n in reports] == [world.guardian]
    page = client_as(world.guardian).get(reverse("notifications:index")).content.decode()
    assert "A new report is ready to read." in page


def test_an_evaluation_written_as_final_through_the_api_tells_the_family(world, client_as):
    response = client_as(world.therapist).post(
        f"/api/v1/children/{world.child.id}/evaluations",
        {"discipline": "ot", "evaluated_on": TODAY.isoformat(), "status": "final"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    reports = Notification.objects.filter(kind=Kind.NEW_REPORT, child=world.child)
    assert [n.recipient for n in reports] == [world.guardian]


def test_guardian_reads_only_a_final_evaluation_in_plain_language(world, client_as):
    final = make_evaluation(world.child, world.therapist, observations="Clinical detail")
    draft = make_evaluation(world.child, world.therapist, status="draft")
    client = client_as(world.guardian)
    response = client.get(final.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "What your child does well" in body and "Clinical detail" not in body
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("assessments:index", args=[world.child.id])).status_code == 404
    assert AccessLog.objects.filter(user=world.guardian.user, child=world.child).exists()


def test_index_lists_evaluations_and_shows_empty_states(world, client_as):
    client = client_as(world.therapist)
    url = reverse("assessments:index", args=[world.child.id])
    body = client.get(url).content.decode()
    assert "No evaluation yet" in body and "No growth measurements yet" in body
    make_evaluation(world.child, world.therapist)
    body = client.get(url).content.decode()
    assert "Occupational therapy" in body and "No evaluation yet" not in body


def test_assessments_tab_query_count_does_not_grow(world, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(world.therapist)
    url = reverse("assessments:index", args=[world.child.id])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        make_evaluation(world.child, world.therapist)
    client.get(url)  # the first request also touches the session
    few = count()
    for _ in range(27):
        make_evaluation(world.child, world.therapist)
    many = count()
    print(f"\nassessments tab: {few} queries (3 evaluations) vs {many} (30)")
    assert few == many
