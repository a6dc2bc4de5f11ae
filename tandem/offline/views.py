"""The installable app: its service worker, its web app manifest and the offline page.

The three are public (no sign-in, nothing of anyone's record): a browser fetches the
manifest without cookies, and the service worker and the offline page must load before
anyone signs in again. The service worker is served from the site's root so that it
may control every page (``Service-Worker-Allowed: /``); it keeps the app shell (styles,
scripts, icons) and the offline page, never a page of a child's record: pages carry
``Cache-Control: no-store`` (core/middleware.py) and stay that way. What a person
records while offline is kept by ``offline.js`` in the browser's IndexedDB and sent,
with its idempotency key, when the connection is back (docs/architecture.md).
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

WORKER_SOURCE = Path(__file__).with_name("sw.js")
# What a reload without a connection needs besides the offline page itself.
SHELL = (
    "css/tandem.css",
    "vendor/htmx.min.js",
    "favicon.svg",
    "offline/offline.js",
    "offline/offline.css",
    "offline/icon.svg",
    "offline/icon-192.png",
    "offline/icon-512.png",
)
THEME = "#1f5f8b"


@cache
def _worker_source() -> str:
    return WORKER_SOURCE.read_text(encoding="utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, with the addresses of this build's static files."""
    shell = [static(path) for path in SHELL]
    offline_url = reverse("offline:page")
    source = _worker_source()
    # A new build (new static names) or a new worker is a new cache; old ones are dropped.
    version = hashlib.sha256(json.dumps([shell, source]).encode()).hexdigest()[:12]
    config = {"version": version, "shell": shell, "offlinePage": offline_url}
    body = f"const TANDEM = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what the phone shows when Tandem is added to the home screen."""
    data = {
        "name": "Tandem",
        "short_name": "Tandem",
        "description": _("Therapy, together: session notes and home practice."),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": static("offline/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": static("offline/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when a page cannot be loaded: nothing of a record,
    only what this device still holds to send (read from IndexedDB by offline.js)."""
    return render(request, "offline/offline.html")
