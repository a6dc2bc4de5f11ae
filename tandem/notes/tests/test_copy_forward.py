"""Copy forward: a new note starts from the last signed note of the same discipline, shows
what it copied, never copies measured data, and marks copied text until it is changed."""

import datetime

import pytest
from django.urls import reverse

from tandem.appointments.tests.helpers import clinic_time, make_appointment
from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import TODAY, active_goals, editor_data, make_note
from tandem.plans.tests.helpers import make_plan

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

ACTIVITIES = "Dressing board, then her coat; obstacle course as a break."
PLAN = "Continue weekly. Home practice: buttons on the school coat."
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def last_week(world):
    make_plan(world.child, world.therapist, goals=2)
    return make_note(
        world.child,
        world.therapist,
        sign=True,
        date=TODAY - datetime.timedelta(days=7),
        activities=ACTIVITIES,
        plan_next=PLAN,
        subjective="Mum said she buttoned her cardigan.",
        location="teletherapy",
    )


def new_url(child, appointment=None):
    url = reverse("notes:new", args=[child.id])
    return f"{url}?appointment={appointment.id}" if appointment else url


def edit_url(note):
    return reverse("notes:edit", args=[note.child_id, note.id])


def test_a_new_note_shows_and_fills_in_what_it_copies(world, client_as, last_week):
    body = client_as(world.therapist).get(new_url(world.child)).content.decode()
    assert "Copied forward from the signed note of" in body
    assert ACTIVITIES in body and PLAN in body
    assert "buttoned her cardigan" not in body  # what happened that day is not copied
    assert 'value="teletherapy" selected' in body or 'value="teletherapy" checked' in body


def test_the_appointment_gives_time_place_and_service_not_the_last_note(
    world, client_as, last_week
):
    appointment = make_appointment(
        world.child, world.therapist, clinic_time(world.child, TODAY, 8, 15), location="school"
    )
    body = client_as(world.therapist).get(new_url(world.child, appointment)).content.decode()
    assert 'value="08:15"' in body and 'value="09:00"' in body
    assert 'value="school" selected' in body
    assert ACTIVITIES in body  # the text is still copied
    goals = active_goals(world.child)
    assert body.count("checked") == len(goals)  # the discipline's goals, due today


def test_a_note_of_another_discipline_is_not_copied(world, client_as, last_week):
    body = client_as(world.consulting_therapist).get(new_url(world.child)).content.decode()
    assert "Copied forward" not in body and ACTIVITIES not in body


def test_the_editor_marks_copied_text_until_it_is_changed_and_copies_no_data(
    world, client_as, last_week
):
    client = client_as(world.therapist)
    goals = active_goals(world.child)
    data = {
        "date": TODAY.isoformat(),
        "start_time": "10:00",
        "end_time": "10:45",
        "service_type": "individual",
        "location": "clinic",
        "goals": [g.id for g in goals],
        "activities": ACTIVITIES,
        "plan_next": PLAN,
    }
    response = client.post(new_url(world.child), data)
    assert response.status_code == 302
    note = SessionNote.objects.exclude(pk=last_week.pk).get(child=world.child)
    entries = GoalData.objects.filter(note=note)
    assert [e.trials for e in entries] == [[], []]  # trials are today's to record
    assert all(e.gas_level is None and e.value is None for e in entries)

    body = client.get(edit_url(note)).content.decode()
    assert "Copied forward from the signed note of" in body
    assert "Goals: 2 of the 2 goals of that note are on this one." in body
    assert body.count('data-copied="true"') == 2
    # The counter starts at the prompt level each goal was last worked at.
    last = GoalData.objects.filter(note=last_week).first().trials[-1]["prompt"]
    assert f'<option value="{last}" selected>' in body

    changed = editor_data(note, activities="Swing, then buttons on her coat.")
    assert client.post(edit_url(note), changed, **HTMX).status_code == 200
    body = client.get(edit_url(note)).content.decode()
    assert body.count('data-copied="true"') == 1  # the plan, still as copied


def test_the_editor_costs_a_bounded_number_of_queries(
    world, client_as, last_week, django_assert_max_num_queries
):
    note = make_note(world.child, world.therapist, data={}, activities=ACTIVITIES)
    client = client_as(world.therapist)
    with django_assert_max_num_queries(26):
        assert client.get(edit_url(note)).status_code == 200


def test_copied_text_is_signed_only_once_read(world, client_as, last_week):
    # Nothing signed without review: text still word for word the last note's is refused
    # until the therapist ticks "I have read the copied text" (or changes it).
    note = make_note(world.child, world.therapist, activities=ACTIVITIES, plan_next=PLAN)
    client = client_as(world.therapist)
    body = client.get(edit_url(note)).content.decode()
    assert 'name="copied_read"' in body and "I have read the copied text" in body
    sign_url = reverse("notes:sign", args=[note.child_id, note.id])
    refused = client.post(sign_url, editor_data(note, subjective="Calm today."))
    assert refused.status_code == 200
    assert "copied from the last note and not changed" in refused.content.decode()
    note = SessionNote.objects.get(pk=note.pk)
    assert note.status == "draft" and note.subjective == "Calm today."  # saved, not signed
    htmx = client.post(sign_url, editor_data(note), **HTMX)
    assert htmx.status_code == 422 and "not changed" in htmx.content.decode()
    assert SessionNote.objects.get(pk=note.pk).status == "draft"

    signed = client.post(sign_url, editor_data(note, copied_read="on"))
    assert signed.status_code == 302
    assert SessionNote.objects.get(pk=note.pk).is_locked


def test_changed_copied_text_needs_no_tick(world, client_as, last_week):
    note = make_note(world.child, world.therapist, activities=ACTIVITIES, plan_next=PLAN)
    client = client_as(world.therapist)
    changed = editor_data(note, activities="Swing, then her coat.", plan_next="Zips next.")
    assert client.post(edit_url(note), changed, **HTMX).status_code == 200
    note = SessionNote.objects.get(pk=note.pk)
    assert 'name="copied_read"' not in client.get(edit_url(note)).content.decode()
    sign_url = reverse("notes:sign", args=[note.child_id, note.id])
    assert client.post(sign_url, editor_data(note)).status_code == 302
    assert SessionNote.objects.get(pk=note.pk).is_locked
