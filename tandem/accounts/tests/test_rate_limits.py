"""Failed sign-ins cool down per (account, address), per address and, for browsers that
never signed in to the account, per account; the proxy's forwarded address counts only
when the proxy is configured. Nobody can lock a family (or the clinic) out."""

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from tandem.accounts.adapter import DEVICE_COOKIE
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.text import found
from tandem.core.testing.types import Response

LOGIN = reverse("account_login")
REFUSED = "Too many failed login attempts"
PROXY = "10.0.0.2"  # the reverse proxy: every request reaches Tandem from it


def attempt(client: Client, email: str, password: str, *, via: str | None = None) -> Response:
    """Sign in; ``via`` is the client address the proxy forwards (X-Forwarded-For)."""
    extra: dict[str, Any] = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": via} if via else {}
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def refused(response: Response) -> bool:
    return response.status_code == 200 and REFUSED in response.content.decode()


def signed_in(response: Response) -> bool:
    return response.status_code == 302


def test_the_forwarded_address_is_ignored_unless_a_proxy_is_configured(world: World) -> None:
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default
    email = world.guardian.user.email
    # A forged X-Forwarded-For per try does not buy fresh counters.
    for n in range(5):
        attempt(Client(), email, "wrong-password", via=f"198.51.100.{n}")
    assert refused(attempt(Client(), email, PASSWORD, via="198.51.100.99"))


def test_behind_the_proxy_one_persons_mistakes_do_not_lock_out_the_clinic(
    world: World, settings: Settings
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    email = world.guardian.user.email
    for _ in range(5):
        attempt(Client(), email, "wrong-password", via="203.0.113.5")
    assert refused(attempt(Client(), email, PASSWORD, via="203.0.113.5"))
    # The same family at home, and everybody else behind the same proxy, sign in.
    assert signed_in(attempt(Client(), email, PASSWORD, via="198.51.100.7"))
    other = world.other_guardian.user.email
    assert signed_in(attempt(Client(), other, PASSWORD, via="203.0.113.5"))


def test_a_client_cannot_pick_its_address_behind_the_proxy(
    world: World, settings: Settings
) -> None:
    """nginx appends the real address last; what the client sent before it is ignored."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    email = world.guardian.user.email
    for n in range(5):
        attempt(Client(), email, "wrong-password", via=f"192.0.2.{n}, 203.0.113.5")
    assert refused(attempt(Client(), email, PASSWORD, via="192.0.2.200, 203.0.113.5"))


def test_one_address_trying_many_accounts_is_slowed_down(world: World, settings: Settings) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        attempt(Client(), f"nobody{n}@example.org", "wrong-password", via="203.0.113.9")
    response = attempt(Client(), world.guardian.user.email, PASSWORD, via="203.0.113.9")
    assert refused(response)
    assert signed_in(attempt(Client(), world.guardian.user.email, PASSWORD, via="198.51.100.7"))


def test_strangers_everywhere_cannot_lock_a_family_out_of_their_own_phone(
    world: World, settings: Settings
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TANDEM_LOGIN_ACCOUNT_LIMIT = "6/1h/key"
    email = world.guardian.user.email
    phone = Client()
    assert signed_in(attempt(phone, email, PASSWORD, via="198.51.100.7"))
    assert phone.cookies[DEVICE_COOKIE].value
    phone.post(reverse("account_logout"))

    # Guessing from many addresses uses up the account's allowance for unknown browsers.
    for n in range(8):
        attempt(Client(), email, "wrong-password", via=f"203.0.113.{n}")
    assert refused(attempt(Client(), email, PASSWORD, via="198.51.100.8"))  # a new browser
    # The phone the family signed in on before still signs in.
    assert signed_in(attempt(phone, email, PASSWORD, via="198.51.100.7"))


def test_a_forged_device_cookie_is_no_way_around_the_account_limit(
    world: World, settings: Settings
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TANDEM_LOGIN_ACCOUNT_LIMIT = "3/1h/key"
    email = world.guardian.user.email
    for n in range(3):
        attempt(Client(), email, "wrong-password", via=f"203.0.113.{n}")
    forger = Client()
    forger.cookies[DEVICE_COOKIE] = "made-up"
    assert refused(attempt(forger, email, PASSWORD, via="203.0.113.50"))


def test_the_right_password_does_not_use_up_the_allowance(world: World, settings: Settings) -> None:
    settings.TANDEM_LOGIN_ACCOUNT_LIMIT = "2/1h/key"
    email = world.guardian.user.email
    for _ in range(4):
        client = Client()
        assert signed_in(attempt(client, email, PASSWORD))
        client.post(reverse("account_logout"))


@pytest.mark.parametrize("header", ["", "X-Real-IP"])
def test_settings_read_the_proxy_from_the_environment(
    header: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    import tandem.settings as tandem_settings

    monkeypatch.setenv("TANDEM_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("TANDEM_CLIENT_IP_HEADER", header)
    try:
        reloaded = importlib.reload(tandem_settings)
        assert reloaded.ALLAUTH_TRUSTED_PROXY_COUNT == 1
        assert (header or None) == reloaded.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    finally:
        monkeypatch.delenv("TANDEM_TRUSTED_PROXIES")
        monkeypatch.delenv("TANDEM_CLIENT_IP_HEADER")
        importlib.reload(tandem_settings)


def test_a_password_reset_by_email_frees_the_account_from_strangers_tries(
    world: World, settings: Settings
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TANDEM_LOGIN_ACCOUNT_LIMIT = "3/1h/key"
    email = world.guardian.user.email
    for n in range(4):
        attempt(Client(), email, "wrong-password", via=f"203.0.113.{n}")
    assert refused(attempt(Client(), email, PASSWORD, via="198.51.100.7"))

    family = Client()
    family.post(reverse("account_reset_password"), {"email": email})
    link = found(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_page = family.get(link.group(1), follow=True)
    new = "a-brand-new-passphrase"
    family.post(form_page.request["PATH_INFO"], {"password1": new, "password2": new})
    assert signed_in(attempt(Client(), email, new, via="198.51.100.7"))


def test_a_header_the_proxy_sets_can_name_the_client_instead(
    world: World, settings: Settings
) -> None:
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    email = world.guardian.user.email

    def via_header(client: Client, password: str, ip: str | None) -> Response:
        extra: dict[str, Any] = {"REMOTE_ADDR": PROXY} | ({"HTTP_X_REAL_IP": ip} if ip else {})
        return client.post(LOGIN, {"login": email, "password": password}, **extra)

    for _ in range(5):
        via_header(Client(), "wrong-password", "203.0.113.5")
    assert refused(via_header(Client(), PASSWORD, "203.0.113.5"))
    assert signed_in(via_header(Client(), PASSWORD, "198.51.100.7"))
    # Without the header the proxy's own address counts (never a 500).
    assert signed_in(via_header(Client(), PASSWORD, None))
