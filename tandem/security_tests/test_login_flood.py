"""A flood of sign-ins with made-up accounts, from one address and from thousands, behind
the reverse proxy (``TANDEM_TRUSTED_PROXIES=1``): every answer is a page or a 429, never an
error; the counters in the shared cache stay few from one address, expire after their
window from many, and strangers guessing at a family's account from everywhere neither
stop the family's own phone nor keep a new browser out longer than the hour documented
(docs/security.md, "Rate limits")."""

import datetime
import ipaddress
from collections import Counter
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from tandem.accounts.adapter import DEVICE_COOKIE
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.types import Response

LOGIN = reverse("account_login")
PROXY = "10.0.0.2"
REFUSED = "Too many failed login attempts"
FLOOD = 1500  # sign-ins from one address
MANY = 600  # sign-ins from as many addresses
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def behind_the_proxy(settings: Settings, db: None) -> Iterator[None]:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def queries_filter_by_organization() -> Iterator[None]:
    """Thousands of sign-ins: the organization scoping of their queries (none reads a
    clinic's records) is checked by the rest of the suite."""
    yield None


def attempt(client: Client, email: str, password: str, address: str) -> Response:
    return client.post(
        LOGIN,
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def addresses(count: int) -> Iterator[str]:
    """``count`` addresses, each its own (IPv4; and IPv6 in different /64 networks)."""
    first = ipaddress.ip_address("100.64.0.0")
    for n in range(count):
        if n % 2:
            yield str(ipaddress.ip_address(f"2001:db8:{n:x}::1"))
        else:
            yield str(first + n)


def cache_rows(*, live: bool = False) -> list[tuple[str, datetime.datetime]]:
    """The rows of the database cache (its key, when it expires)."""
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, expires FROM {table}")  # noqa: S608 — our own table
        rows = [(key, _aware(expires)) for key, expires in cursor.fetchall()]
    return [row for row in rows if row[1] > timezone.now()] if live else rows


def cache_size() -> int:
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 — our own table
        return int(cursor.fetchone()[0])


def _aware(value: datetime.datetime | str) -> datetime.datetime:
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def statuses(responses: list[Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def test_the_cache_is_the_shared_database_one() -> None:
    """The counts below are of the cache every web worker shares (docs/security.md)."""
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def test_a_flood_from_one_address_leaves_a_handful_of_counters(world: World) -> None:
    client = Client()
    responses = [
        attempt(client, f"nobody{n}@example.org", "guess", "203.0.113.66") for n in range(FLOOD)
    ]
    assert set(statuses(responses)) <= {200, 429}, statuses(responses)
    assert statuses(responses)[429] > FLOOD * 0.9  # all but the first tries of each minute
    rows = cache_rows()
    # 20 tries are counted (per address, then per account and address, and per account):
    # then the address is refused before any account is counted.
    assert len(rows) <= 2 + 2 * 20 + 5, len(rows)
    assert all(expires <= timezone.now() + HOUR for _key, expires in rows)
    print(f"one address: {FLOOD} sign-ins, {len(rows)} cache keys at the end")
    # The family, from home, is not held up by it.
    assert attempt(Client(), world.guardian.user.email, PASSWORD, "198.51.100.7").status_code == 302


def test_a_flood_from_many_addresses_expires_with_its_window(
    world: World, settings: Settings
) -> None:
    flood = addresses(MANY + 200)
    responses = [
        attempt(Client(), f"nobody{n}@example.org", "guess", next(flood)) for n in range(MANY)
    ]
    assert set(statuses(responses)) == {200}, statuses(responses)
    rows = cache_rows()
    # A few counters per try (its address's, its account's), none kept past an hour.
    assert len(rows) <= 4 * MANY, len(rows)
    assert all(expires <= timezone.now() + HOUR for _key, expires in rows)
    print(f"{MANY} addresses: {MANY} sign-ins, {len(rows)} cache keys at the end")
    with time_machine.travel(timezone.now() + HOUR + datetime.timedelta(minutes=1)):
        assert cache_rows(live=True) == []
        assert attempt(Client(), "nobody7@example.org", "guess", "100.64.0.14").status_code == 200
    # However fast it comes, the table stops at TANDEM_CACHE_MAX_ENTRIES (here 400): past
    # it, the cache drops expired rows, then a third of the rest (docs/security.md).
    cache.clear()
    settings.CACHES = {"default": settings.CACHES["default"] | {"OPTIONS": {"MAX_ENTRIES": 400}}}
    for n, address in enumerate(flood):
        assert attempt(Client(), f"more{n}@example.org", "guess", address).status_code == 200
        assert cache_size() <= 400 + 4


def test_strangers_everywhere_slow_themselves_down_but_not_the_family(world: World) -> None:
    email = world.guardian.user.email
    phone = Client()
    assert attempt(phone, email, PASSWORD, "198.51.100.7").status_code == 302
    assert phone.cookies[DEVICE_COOKIE].value
    phone.post(reverse("account_logout"))

    # Guessing at the family's password from 100 addresses, amid made-up accounts.
    for n, address in enumerate(addresses(200)):
        guessed = email if n % 2 else f"nobody{n}@example.org"
        assert attempt(Client(), guessed, f"guess-{n}", address).status_code in (200, 429)

    # Their phone signs in as always.
    assert attempt(phone, email, PASSWORD, "198.51.100.7").status_code == 302
    # A new browser waits: at most the hour of the account's window, then signs in.
    new_browser = attempt(Client(), email, PASSWORD, "198.51.100.8")
    assert new_browser.status_code == 200 and REFUSED in new_browser.content.decode()
    with time_machine.travel(timezone.now() + HOUR + datetime.timedelta(minutes=1)):
        assert attempt(Client(), email, PASSWORD, "198.51.100.8").status_code == 302
        # The strangers' addresses cooled down too: nothing is locked for good.
        assert attempt(Client(), email, PASSWORD, "100.64.0.2").status_code == 302
