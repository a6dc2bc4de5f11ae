"""What every signed-in request costs before its view runs (issue 16): the session, the
person with their clinics in one query, and the device record at most once a minute."""

from datetime import timedelta

import time_machine
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.middleware import USERSESSION_SEEN
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.types import ClientAs

PREFERENCES = reverse("accounts:preferences")


def _tables(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PREFERENCES).status_code == 200
    reads = [q["sql"] for q in queries if " FROM " in q["sql"]]
    return [sql.split(" FROM ")[1].split()[0].strip('"') for sql in reads]


def test_a_signed_in_request_reads_the_session_then_the_person_with_their_clinics(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.guardian)
    client.get(PREFERENCES)  # the first request writes the device record
    tables = _tables(client)
    assert tables[:2] == ["django_session", "accounts_membership"]
    assert "accounts_user" not in tables  # joined into the membership query
    assert "usersessions_usersession" not in tables


def test_the_device_record_is_written_at_most_once_a_minute(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.guardian)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(PREFERENCES)
        first = UserSession.objects.get(session_key=client.session.session_key).last_seen_at
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(PREFERENCES)
        assert UserSession.objects.get().last_seen_at == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(PREFERENCES)
        assert UserSession.objects.get().last_seen_at == start + timedelta(seconds=61)


def test_a_new_browser_on_the_session_is_recorded_at_once(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.guardian)
    client.get(PREFERENCES, HTTP_USER_AGENT="Phone A")
    client.get(PREFERENCES, HTTP_USER_AGENT="Phone B")
    assert UserSession.objects.get().user_agent == "Phone B"
    assert client.session[USERSESSION_SEEN][1].endswith("Phone B")


def test_a_deactivated_person_or_a_changed_password_ends_the_session(
    world: World, client_as: ClientAs
) -> None:
    guardian = client_as(world.guardian)
    therapist = client_as(world.therapist)
    world.guardian.user.is_active = False
    world.guardian.user.save(update_fields=["is_active"])
    world.therapist.user.set_password(PASSWORD + "-new")
    world.therapist.user.save(update_fields=["password"])
    for client in (guardian, therapist):
        response = client.get(PREFERENCES)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_without_a_clinic_is_still_read(world: World, client: Client) -> None:
    """A superuser with no membership: the backend falls back to reading the user."""
    world.guardian.is_active = False  # their only membership is no longer active
    world.guardian.save(update_fields=["is_active"])
    client.force_login(world.guardian.user)
    response = client.get(PREFERENCES)
    assert response.status_code in (302, 404)  # signed in, but a member of no clinic
    assert "/accounts/login/" not in response.get("Location", "")
