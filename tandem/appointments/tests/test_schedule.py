"""The week's schedule: a therapist's own, an admin's clinic."""

import datetime

import pytest
from django.urls import reverse

from tandem.appointments.reading import week_of
from tandem.children.models import CareTeamMember
from tandem.core.testing.text import without_tokens

from .helpers import clinic_today, in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
# Seven queries set up the session and user, one reads the membership (one more may
# count unread notices for the menu); then the children, the appointments and the log.
BUDGET = 15
URL = reverse("appointments:schedule")


def monday(child):
    return week_of(clinic_today(child))


def at(child, weekday, hour):
    day = monday(child) + datetime.timedelta(days=weekday)
    return in_days(child, (day - clinic_today(child)).days, hour)


def test_therapist_sees_only_their_own_week(world, client_as):
    make_appointment(world.child, world.therapist, at(world.child, 1, 9))
    make_appointment(world.child, world.assistant, at(world.child, 1, 11))
    make_appointment(world.other_child, world.unassigned_therapist, at(world.child, 2, 9))
    body = without_tokens(client_as(world.therapist).get(URL).content)
    assert "My schedule" in body
    assert "Maya Okafor" in body and "09:00–09:45" in body
    assert "11:00" not in body and "Noah" not in body


def test_a_child_taken_off_the_team_leaves_the_therapists_schedule(world, client_as):
    make_appointment(world.sibling, world.therapist, at(world.sibling, 3, 9))
    CareTeamMember.objects.filter(child=world.sibling, therapist=world.therapist).delete()
    body = without_tokens(client_as(world.therapist).get(URL).content)
    assert "Eli" not in body


def test_admin_sees_the_clinic_and_can_pick_a_therapist(world, client_as):
    make_appointment(world.child, world.therapist, at(world.child, 0, 9))
    make_appointment(world.other_child, world.unassigned_therapist, at(world.child, 0, 9))
    client = client_as(world.admin)
    body = client.get(URL).content.decode()
    assert "Clinic schedule" in body and "Maya" in body and "Noah" in body
    one = client.get(URL, {"therapist": world.unassigned_therapist.id}).content.decode()
    assert "Noah" in one and "Maya Okafor</a>" not in one


def test_weeks_can_be_browsed(world, client_as):
    make_appointment(world.child, world.therapist, at(world.child, 9, 10))  # next week
    client = client_as(world.therapist)
    assert "Maya" not in client.get(URL).content.decode()
    following = (monday(world.child) + datetime.timedelta(days=7)).isoformat()
    assert "Maya" in client.get(URL, {"week": following}).content.decode()
    assert client.get(URL, {"week": "not-a-date"}).status_code == 200


def test_families_find_no_schedule(world, client_as):
    assert client_as(world.guardian).get(URL).status_code == 404


def test_query_count_does_not_grow_with_the_week(world, client_as, django_assert_max_num_queries):
    make_appointment(world.child, world.therapist, at(world.child, 0, 6))
    client = client_as(world.admin)
    client.get(reverse("children:caseload"))
    with django_assert_max_num_queries(BUDGET) as few:
        assert client.get(URL).status_code == 200
    for n in range(35):
        child = (world.child, world.sibling, world.other_child)[n % 3]
        therapist = world.unassigned_therapist if child == world.other_child else world.therapist
        make_appointment(child, therapist, at(world.child, n % 7, 7 + n // 7 * 2))
    with django_assert_max_num_queries(BUDGET) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
    print(f"\nclinic schedule: {len(many)} queries for 35 appointments")


def test_services_places_and_statuses_are_in_the_readers_language(world, client_as):
    """The page translates its labels once (issue 16), still in each reader's language."""
    make_appointment(world.child, world.therapist, at(world.child, 1, 9), location="home")
    make_appointment(
        world.sibling, world.therapist, at(world.child, 2, 9), service_type="evaluation"
    )
    page = client_as(world.therapist).get(URL).content.decode()
    for child in (world.child, world.sibling):
        assert f'href="{reverse("appointments:child", args=[child.id])}#appt-' in page
    body = without_tokens(page)
    assert "Individual therapy · Home" in body and "Evaluation · Clinic" in body
    assert body.count(">Scheduled</span>") == 2
    world.therapist.user.language = "es"
    world.therapist.user.save()
    body = without_tokens(client_as(world.therapist).get(URL).content)
    assert "Terapia individual · Casa" in body and "Evaluación · Clínica" in body
    assert body.count(">Programada</span>") == 2


def test_a_therapists_own_week_reads_as_many_queries_for_many_sessions(
    world, client_as, django_assert_max_num_queries
):
    """Their own schedule loads no therapist (no name shown): nothing read row by row."""
    make_appointment(world.child, world.therapist, at(world.child, 0, 6))
    client = client_as(world.therapist)
    client.get(reverse("children:caseload"))
    with django_assert_max_num_queries(BUDGET) as few:
        assert client.get(URL).status_code == 200
    for n in range(20):
        child = (world.child, world.sibling)[n % 2]
        make_appointment(child, world.therapist, at(world.child, n % 7, 8 + n // 7 * 2))
    with django_assert_max_num_queries(BUDGET) as many:
        body = client.get(URL).content.decode()
    assert len(many) == len(few) and body.count("Individual therapy · Clinic") == 21


def test_a_therapists_week_is_read_through_the_sessions_clinic_indexes(world):
    """The sessions' indexes start with the clinic (clinic, therapist or second therapist,
    time): without the session's own clinic in the filter PostgreSQL read every
    appointment of every child on the caseload to find the week's (20 ms at 20,000
    children; 2 ms through the indexes). The query keeps that filter."""
    from tandem.appointments.access import own_appointments

    sql = str(own_appointments(world.therapist).query)
    assert '"appointments_encounter"."organization_id" =' in sql
