"""Starting, editing, activating and closing plans: permissions, validation, versions."""

import datetime

from django.urls import reverse

from tandem.plans.models import Plan, PlanStatus
from tandem.plans.tests.helpers import TODAY, make_plan


def new_url(child):
    return reverse("plans:new", args=[child.id])


def plan_data(**changes):
    data = {
        "discipline": "ot",
        "start_date": TODAY.isoformat(),
        "review_date": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "family_priorities": "Getting dressed on her own",
        "summary": "",
    }
    data.update(changes)
    return data


def test_lead_therapist_starts_a_draft_plan(world, client_as):
    response = client_as(world.therapist).post(new_url(world.child), plan_data())
    plan = Plan.objects.get(child=world.child)
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.status == PlanStatus.DRAFT
    assert plan.author == world.therapist
    assert plan.family_priorities == "Getting dressed on her own"


def test_admin_and_treating_assistant_may_start_plans(world, client_as):
    for member in (world.admin, world.assistant):
        assert client_as(member).post(new_url(world.child), plan_data()).status_code == 302
    assert Plan.objects.filter(child=world.child).count() == 2


def test_consulting_therapist_and_guardian_cannot_start_a_plan(world, client_as):
    for member in (world.consulting_therapist, world.guardian):
        client = client_as(member)
        assert client.get(new_url(world.child)).status_code == 404
        assert client.post(new_url(world.child), plan_data()).status_code == 403
    assert not Plan.objects.exists()


def test_outsiders_cannot_start_a_plan(world, client_as):
    for member in (world.unassigned_therapist, world.foreign_admin, world.other_guardian):
        assert client_as(member).post(new_url(world.child), plan_data()).status_code == 404
    assert not Plan.objects.exists()


def test_review_before_start_is_refused_with_a_clear_message(world, client_as):
    response = client_as(world.therapist).post(
        new_url(world.child),
        plan_data(review_date=(TODAY - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The review date must be after the start date." in body
    assert 'role="alert" id="id_review_date_error"' in body
    assert 'aria-describedby="id_review_date_helptext id_review_date_error"' in body
    assert 'aria-invalid="true"' in body
    assert not Plan.objects.exists()


def test_missing_fields_are_reported_and_nothing_is_saved(world, client_as):
    response = client_as(world.therapist).post(new_url(world.child), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Plan.objects.exists()


def edit_url(plan):
    return reverse("plans:edit", args=[plan.child_id, plan.id])


def test_editing_bumps_the_version_and_keeps_history(world, client_as):
    plan = make_plan(world.child, world.therapist)
    before = plan.version
    response = client_as(world.therapist).post(
        edit_url(plan), plan_data(summary="Focus on dressing", version=before)
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.summary == "Focus on dressing"
    assert plan.version == before + 1
    latest = plan.history.first()
    assert latest.summary == "Focus on dressing"
    assert latest.history_user == world.therapist.user
    assert latest.prev_record.summary == ""


def test_stale_version_is_refused_with_a_conflict(world, client_as):
    plan = make_plan(world.child, world.therapist)
    opened = plan.version
    client_as(world.admin).post(edit_url(plan), plan_data(summary="Admin's change", version=opened))
    response = client_as(world.therapist).post(
        edit_url(plan), plan_data(summary="Therapist's change", version=opened)
    )
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in response.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "Admin's change"


def test_consulting_therapist_cannot_edit(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.consulting_therapist)
    assert client.get(edit_url(plan)).status_code == 404
    response = client.post(edit_url(plan), plan_data(summary="x", version=plan.version))
    assert response.status_code == 403


def status_url(plan):
    return reverse("plans:status", args=[plan.child_id, plan.id])


def test_activating_a_plan_closes_the_previous_one_of_that_discipline(world, client_as):
    old = make_plan(world.child, world.therapist)
    other_discipline = make_plan(world.child, world.therapist, discipline="slp")
    new = make_plan(world.child, world.therapist, status="draft")
    response = client_as(world.therapist).post(
        status_url(new), {"status": "active", "version": new.version}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    other_discipline.refresh_from_db()
    assert new.status == PlanStatus.ACTIVE
    assert old.status == PlanStatus.CLOSED
    assert other_discipline.status == PlanStatus.ACTIVE


def test_closing_a_plan(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client_as(world.therapist).post(status_url(plan), {"status": "closed", "version": plan.version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_stale_status_change_changes_nothing(world, client_as):
    plan = make_plan(world.child, world.therapist)
    response = client_as(world.therapist).post(
        status_url(plan), {"status": "closed", "version": plan.version - 1}, follow=True
    )
    assert "changed while you were looking at it" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_guardian_cannot_change_status(world, client_as):
    plan = make_plan(world.child, world.therapist)
    response = client_as(world.guardian).post(
        status_url(plan), {"status": "closed", "version": plan.version}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_plan_page_shows_review_date_and_version(world, client_as):
    plan = make_plan(world.child, world.therapist)
    body = client_as(world.therapist).get(plan.get_absolute_url()).content.decode()
    assert plan.review_date.strftime("%-d %b %Y") in body
    assert "Make this the active plan" not in body
    assert "Close plan" in body


def test_foreign_plan_id_under_own_child_is_404(world, client_as):
    foreign = make_plan(world.foreign_child, world.foreign_therapist)
    url = reverse("plans:detail", args=[world.child.id, foreign.id])
    assert client_as(world.admin).get(url).status_code == 404
