"""Every page and API answer carries a Content-Security-Policy without inline script,
refuses framing, and is not kept by caches (no-store); static files stay cacheable.
The API docs page loads nothing from another host. With the production settings, HTTP
redirects to HTTPS, HSTS is sent, and the session, CSRF and device cookies are Secure,
HttpOnly and SameSite=Lax."""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from tandem.accounts.adapter import DEVICE_COOKIE
from tandem.api.tests.conftest import bearer, make_token
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.types import ClientAs, Response
from tandem.exports.tests.helpers import download_pdf

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "tandem"


def directives(response: Response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def assert_private(response: Response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert "max-age=300" not in response["Cache-Control"]


def test_a_page_has_a_strict_policy_and_is_not_stored(world: World, client_as: ClientAs) -> None:
    response = client_as(world.therapist).get(reverse("children:detail", args=[world.child.id]))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert_private(response)


def test_the_sign_in_page_is_covered_too() -> None:
    response = Client().get(reverse("account_login"))
    assert "Content-Security-Policy" in response and "no-store" in response["Cache-Control"]


def test_api_answers_are_not_stored(world: World) -> None:
    headers = bearer(make_token(world.therapist))
    response = Client().get(f"/api/v1/children/{world.child.id}", headers=headers)
    assert response.status_code == 200
    assert_private(response)


def test_a_report_pdf_is_not_stored(world: World, client_as: ClientAs) -> None:
    response = download_pdf(
        client_as(world.therapist), reverse("progress:report_pdf", args=[world.child.id])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_private(response)


def test_a_photo_is_not_stored(
    world: World, client_as: ClientAs, settings: Settings, tmp_path: Path
) -> None:
    from tandem.core.tests.test_stored_files import located

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "child-photos").mkdir()
    (tmp_path / "child-photos" / "p.jpg").write_bytes(located())
    world.child.photo.name = "child-photos/p.jpg"
    world.child.save()
    response = client_as(world.guardian).get(reverse("children:photo", args=[world.child.id]))
    assert response.status_code == 200
    assert_private(response)


def test_a_file_keeps_its_own_stricter_policy(
    world: World, client_as: ClientAs, settings: Settings, tmp_path: Path
) -> None:
    """A view's own policy (a sandbox for a served PDF or attachment) is not replaced."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tandem.messaging.models import MessageAttachment
    from tandem.messaging.tests.helpers import PDF_BYTES

    settings.MEDIA_ROOT = tmp_path
    client = client_as(world.guardian)
    letter = SimpleUploadedFile("letter.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(reverse("messaging:post", args=[world.child.id]), {"attachment": letter})
    stored = MessageAttachment.objects.get()
    response = client.get(reverse("messaging:attachment", args=[world.child.id, stored.id]))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert_private(response)


def test_static_files_stay_cacheable() -> None:
    response = Client().get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_api_docs_page_loads_nothing_from_another_host() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert not re.search(r"https?://", html)
    assert re.search(r"<script>", html) is None  # no inline script: the policy allows none
    for source in sources:
        assert Client().get(source).status_code == 200, source
    assert directives(response)["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    "template", sorted(TEMPLATE_ROOT.glob("**/templates/**/*.html")), ids=lambda p: p.name
)
def test_no_template_has_inline_script(template: Path) -> None:
    """The policy has no 'unsafe-inline' for scripts: a script block without src, an
    event-handler attribute or a javascript: link would silently stop working."""
    html = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler (onclick=…)"
    assert "javascript:" not in html


# --- Production settings (DEBUG off, not the test run) ---------------------------------------

HARDENING = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CONTENT_SECURITY_POLICY",
]
READ_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings; "
    f"print(json.dumps({{n: getattr(settings, n) for n in {HARDENING!r}}}))"
)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The hardening settings as a production server reads them (a process of its own, with
    the environment of ``test_deploy_check``: no DEBUG, no test flags)."""
    from tandem.core.tests.test_deploy_check import production_env

    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        env=production_env(tmp_path_factory.mktemp("var")),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_settings_harden_transport_cookies_and_scripts(production: dict) -> None:
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_HSTS_PRELOAD"]
    for cookie in ("SESSION", "CSRF"):
        assert production[f"{cookie}_COOKIE_SECURE"] is True, cookie
        assert production[f"{cookie}_COOKIE_HTTPONLY"] is True, cookie
        assert production[f"{cookie}_COOKIE_SAMESITE"] == "Lax", cookie
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["X_FRAME_OPTIONS"] == "DENY"
    policy = production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]


def _flags(response: Response, name: str) -> dict[str, Any]:
    morsel = response.cookies[name]
    return {
        "secure": morsel["secure"],
        "httponly": morsel["httponly"],
        "samesite": morsel["samesite"],
    }


def test_production_responses_carry_hsts_and_cookie_flags(
    production: dict, world: World, settings: Settings
) -> None:
    """The answers a browser gets once those settings are in force."""
    for name, value in production.items():
        if name != "DEBUG":
            setattr(settings, name, value)
    assert Client().get(reverse("account_login"))["Location"].startswith("https://")
    page = Client().get(reverse("account_login"), secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin" and page["X-Frame-Options"] == "DENY"
    policy = directives(page)
    assert (
        "'unsafe-inline'" not in policy["script-src"]
        and "'unsafe-eval'" not in policy["script-src"]
    )
    assert policy["frame-ancestors"] == ["'none'"]
    locked = {"secure": True, "httponly": True, "samesite": "Lax"}
    assert _flags(page, settings.CSRF_COOKIE_NAME) == locked
    family = Client()
    family.get(reverse("account_login"), secure=True)
    signed_in = family.post(
        reverse("account_login"),
        {"login": world.guardian.user.email, "password": PASSWORD},
        secure=True,
    )
    assert signed_in.status_code == 302
    assert _flags(signed_in, settings.SESSION_COOKIE_NAME) == locked
    assert _flags(signed_in, DEVICE_COOKIE) == locked
