"""The family's Appointments page: their children only, in plain words, clinic time, bounded."""

import pytest
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.core.testing.factories import TherapistFactory
from tandem.core.testing.text import without_tokens

from .helpers import in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
# Seven queries set up the session and user, one reads the membership (one more may
# count unread notices for the menu); then the children, the appointments and the log.
BUDGET = 15
URL = reverse("appointments:family")


def _warm(client):
    client.get(reverse("homeprogram:family_home"))
    return client


def test_guardian_sees_upcoming_and_past_for_each_child(world, client_as):
    make_appointment(
        world.child,
        world.therapist,
        in_days(world.child, 2, 14, 30),
        note_for_family="Bring comfortable shoes",
        location="teletherapy",
    )
    make_appointment(world.sibling, world.therapist, in_days(world.child, -5, 9), status="attended")
    response = client_as(world.guardian).get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    upcoming, past = body.split('id="past-h"')
    assert "Maya Okafor" in upcoming and "2:30 p.m." in upcoming  # clinic time, not UTC
    assert "Bring comfortable shoes" in upcoming
    assert "Video call (teletherapy)" in upcoming
    assert "Eli Okafor" in past and "Attended" in past
    assert "America/Chicago" in body
    assert "<body hx-headers" in body and 'class="family"' in body


def test_guardian_never_sees_another_familys_appointments(world, client_as):
    make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 1))
    body = without_tokens(client_as(world.guardian).get(URL).content)
    assert "Noah" not in body
    assert "Nothing is booked right now" in body


def test_a_child_filter_shows_one_child_and_ignores_others_ids(world, client_as):
    make_appointment(world.child, world.therapist, in_days(world.child, 2))
    make_appointment(world.sibling, world.therapist, in_days(world.child, 3))
    client = client_as(world.guardian)
    body = client.get(URL, {"child": world.sibling.id}).content.decode()
    assert "Eli Okafor's appointments" in body
    assert body.count('class="card appt') == 1
    foreign = client.get(URL, {"child": world.other_child.id}).content.decode()
    assert "Noah" not in foreign and foreign.count('class="card appt') == 2


def test_today_and_tomorrow_are_said_in_words(world, client_as):
    make_appointment(world.child, world.therapist, in_days(world.child, 1, 10))
    body = client_as(world.guardian).get(URL).content.decode()
    assert "<strong>Tomorrow</strong>" in body


def test_the_page_speaks_spanish_to_a_spanish_speaking_family(world, client_as):
    world.guardian.user.language = "es"
    world.guardian.user.save()
    make_appointment(world.child, world.therapist, in_days(world.child, 9, 16))
    body = client_as(world.guardian).get(URL).content.decode()
    assert 'lang="es"' in body
    assert "16:00" in body  # Spanish times are written on the 24-hour clock
    assert " de " in body  # … and dates as "3 de junio de 2027"


def test_every_family_string_has_a_spanish_translation():
    """The reviewed dictionary (tandem/locale/es.json) that fills the Spanish catalogue."""
    import json
    from pathlib import Path

    import tandem

    spanish = json.loads((Path(tandem.__file__).parent / "locale" / "es.json").read_text())
    for english in (
        "Appointments",
        "Coming up",
        "Past appointments",
        "At the clinic",
        "Video call (teletherapy)",
        "A note from the team",
        "Times are in the clinic's time zone (%(zone)s).",
        "Nothing is booked right now. The clinic will let you know when the next "
        "appointment is set.",
    ):
        assert spanish.get(english), english


def test_staff_and_collaborators_find_no_family_page(world, client_as):
    for member in (world.therapist, world.admin, world.collaborator):
        assert client_as(member).get(URL).status_code == 404


def test_viewing_is_logged_for_the_children_shown(world, client_as):
    client_as(world.guardian).get(URL)
    logged = AccessLog.objects.filter(route="appointments:family")
    assert logged.count() == 1  # one row for the list, naming both children
    assert logged.children_shown() == {world.child.id, world.sibling.id}


def test_past_appointments_come_twenty_at_a_time(world, client_as):
    for n in range(25):
        make_appointment(
            world.child, world.therapist, in_days(world.child, -n - 1, 9), status="attended"
        )
    client = client_as(world.guardian)
    body = client.get(URL).content.decode()
    assert body.count('<li id="appt-') == 20
    assert "Show earlier appointments" in body
    more = client.get(URL, {"past": 40}).content.decode()
    assert more.count('<li id="appt-') == 25 and "Show earlier appointments" not in more


def test_query_count_does_not_grow_with_appointments(
    world, client_as, django_assert_max_num_queries
):
    make_appointment(world.child, world.therapist, in_days(world.child, -1, 9))
    make_appointment(world.child, world.therapist, in_days(world.child, 1, 9))
    client = _warm(client_as(world.guardian))
    with django_assert_max_num_queries(BUDGET) as few:
        assert client.get(URL).status_code == 200
    colleague = TherapistFactory(organization=world.org)
    for n in range(30):
        therapist = world.therapist if n % 2 else colleague
        make_appointment(world.child, therapist, in_days(world.child, n - 15, 8 + n % 8))
        make_appointment(world.sibling, therapist, in_days(world.child, n - 15, 17))
    with django_assert_max_num_queries(BUDGET) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
    print(f"\nfamily appointments page: {len(many)} queries for 60 appointments")
