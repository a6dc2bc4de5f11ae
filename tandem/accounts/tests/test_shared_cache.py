"""Rate limits and used one-time codes hold across web workers: they live in the shared
(database) cache, not in one process's memory.

The first tests look at where the counters go; the last one runs the real thing: gunicorn
with three workers (each recycled after a few requests, so the requests are answered by
several processes) over SQLite in a temporary folder, on the loopback address only.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing import schema_cache
from tandem.core.testing.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[3]
LOGIN = reverse("account_login")
MFA = reverse("mfa_authenticate")
REFUSED = "Too many failed login attempts"
DEADLINE = 240  # seconds for the whole multi-worker run, start-up included


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHES['default']['LOCATION']}")
        return cursor.fetchone()[0]


def test_the_default_cache_is_the_database() -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_failed_sign_ins_are_counted_in_the_database(world: World) -> None:
    before = cache_rows()
    Client().post(LOGIN, {"login": world.guardian.user.email, "password": "wrong-password"})
    assert cache_rows() > before


def test_redis_is_used_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import tandem.settings as tandem_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        reloaded = importlib.reload(tandem_settings)
        assert reloaded.CACHES["default"] == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
        # An import's progress too (without Redis: files, outside any transaction).
        assert reloaded.CACHES["progress"] == reloaded.CACHES["default"]
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(tandem_settings)


# --- Several gunicorn workers --------------------------------------------------------

SETUP = """
import json, pyotp
from allauth.mfa.totp.internal.auth import TOTP
from tandem.core.testing import factories as f
org = f.OrganizationFactory()
guessed = f.TherapistFactory(organization=org)
staff = f.TherapistFactory(organization=org)
secret = pyotp.random_base32()
TOTP.activate(staff.user, secret)
print(json.dumps({"guessed": guessed.user.email, "staff": staff.user.email, "secret": secret}))
"""


class Browser:
    """A client with its own cookies, speaking to the server over the loopback address."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body, headers=headers), timeout=30
            ) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def post_form(self, path: str, data: dict) -> tuple[int, str, str]:
        """GET the page for its CSRF token, then POST the form."""
        _status, _location, page = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        return self.request(path, {"csrfmiddlewaretoken": token.group(1), **data})


# What ``gunicorn_server`` gives: its base URL, the people SETUP made, its access log.
Server = tuple[str, dict[str, str], Path]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server(tmp_path: Path) -> Iterator[Server]:
    """gunicorn, 3 workers each recycled after 3 requests, over SQLite in ``tmp_path``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings_test",
        "TANDEM_TESTING": "1",
        "TANDEM_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tandem.sqlite3'}",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    # `migrate` alone makes the cache table (accounts/migrations/0002_cache_table.py); it
    # has nothing left to do on a copy of the migrated test database.
    schema_cache.copy_sqlite_schema(tmp_path / "tandem.sqlite3")
    subprocess.run(
        [*manage, "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    people = json.loads(made.stdout.strip().splitlines()[-1])
    port = free_port()
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "tandem.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", "3",
            "--max-requests", "3",
            "--access-logfile", str(log),
            "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5):
                    break
            except OSError:
                assert server.poll() is None, "gunicorn stopped"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.5)
        yield base, people, log
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="one run is enough: the server gets its own SQLite database either way",
)
def test_limits_and_used_codes_hold_across_several_gunicorn_workers(
    gunicorn_server: Server,
) -> None:
    base, people, log = gunicorn_server
    started = time.monotonic()

    # Five wrong passwords, each from a new browser, whichever worker answers.
    for _ in range(5):
        status, _location, page = Browser(base).post_form(
            LOGIN, {"login": people["guessed"], "password": "wrong-password"}
        )
        assert status == 200 and REFUSED not in page
    status, _location, page = Browser(base).post_form(
        LOGIN, {"login": people["guessed"], "password": PASSWORD}
    )
    assert status == 200 and REFUSED in page  # the sixth try is refused

    # One authenticator code signs in once: three browsers past the password step...
    browsers = [Browser(base) for _ in range(3)]
    for browser in browsers:
        status, location, _page = browser.post_form(
            LOGIN, {"login": people["staff"], "password": PASSWORD}
        )
        assert (status, location) == (302, MFA)
    # ...then the same code from each, early in a 30-second period so it stays current.
    if 30 - time.time() % 30 < 20:
        time.sleep(30 - time.time() % 30 + 0.1)
    code = pyotp.TOTP(people["secret"]).now()
    results = [browser.post_form(MFA, {"code": code})[0] for browser in browsers]
    assert time.monotonic() - started < DEADLINE
    if pyotp.TOTP(people["secret"]).now() == code:  # the code did not roll over meanwhile
        assert results == [302, 200, 200]  # accepted once, then refused
    else:
        assert results.count(302) <= 1

    # The requests were answered by several worker processes.
    time.sleep(0.5)  # the access log is written after each response
    posts = [line.split()[0] for line in log.read_text().splitlines() if " POST " in line]
    assert len(posts) >= 12
    assert len(set(posts)) >= 3, f"only {len(set(posts))} worker(s) answered"
