"""Sign-in rules: MFA for staff, session limits, rate limiting without lock-out."""

from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.types import ClientAs, Response

CASELOAD = reverse("children:caseload")
LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db: None) -> None:
    cache.clear()


def login(client: Client, email: str, password: str = PASSWORD) -> Response:
    return client.post(LOGIN, {"login": email, "password": password})


def test_staff_without_an_authenticator_must_set_one_up(world: World) -> None:
    client = Client()
    login(client, world.therapist.user.email)
    response = client.get(CASELOAD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_an_authenticator_are_asked_for_the_code(world: World) -> None:
    secret = pyotp.random_base32()
    TOTP.activate(world.therapist.user, secret)
    client = Client()
    response = login(client, world.therapist.user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(CASELOAD).status_code == 302  # not signed in until the code is given
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get(CASELOAD).status_code == 200


def test_guardians_sign_in_without_a_second_factor(world: World) -> None:
    client = Client()
    login(client, world.guardian.user.email)
    assert client.get(reverse("homeprogram:family_home")).status_code == 200


def test_staff_session_ends_after_30_idle_minutes(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    assert client.get(CASELOAD).status_code == 200
    session = client.session
    session[SESSION_LAST_SEEN] = (timezone.now() - timedelta(minutes=31)).isoformat()
    session.save()
    response = client.get(CASELOAD)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(CASELOAD).status_code == 302  # the session is gone server-side


def test_staff_session_ends_after_12_hours_even_when_active(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.therapist)
    client.get(CASELOAD)
    session = client.session
    session[SESSION_STARTED] = (timezone.now() - timedelta(hours=12, minutes=1)).isoformat()
    session.save()
    assert client.get(CASELOAD).status_code == 302


def test_guardian_sessions_are_not_cut_after_30_minutes(world: World, client_as: ClientAs) -> None:
    client = client_as(world.guardian)
    session = client.session
    session[SESSION_LAST_SEEN] = (timezone.now() - timedelta(minutes=45)).isoformat()
    session.save()
    assert client.get(reverse("homeprogram:family_home")).status_code == 200


def test_sign_out_ends_the_session_on_the_server(world: World, client_as: ClientAs) -> None:
    client = client_as(world.guardian)
    session_key = client.session.session_key
    client.post(reverse("account_logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()


def test_repeated_failures_cool_down_but_never_lock_the_account_for_good(
    world: World,
) -> None:
    client = Client()
    email = world.guardian.user.email
    for _ in range(5):
        login(client, email, "wrong-password")
    blocked = login(client, email)  # right password, but cooling down
    assert blocked.status_code == 200
    assert "Too many failed login attempts" in blocked.content.decode()
    cache.clear()  # the cooldown window (5 minutes) passes
    assert login(Client(), email).status_code == 302


def test_the_sign_in_page_is_labelled_and_does_not_offer_sign_up(client: Client) -> None:
    body = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">' in body and '<label for="id_password">' in body
    assert "sign up" not in body.lower()
    assert "by invitation" in body
