"""The service worker, the manifest and the offline page: public, from the site's root,
under the same Content-Security-Policy as every page, holding nothing of a record."""

import json

from django.test import Client
from django.urls import reverse

from tandem.conftest import World


def test_the_service_worker_is_served_from_the_root_for_the_whole_site() -> None:
    response = Client().get(reverse("offline:service_worker"))
    assert reverse("offline:service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    config = json.loads(body.split("const TANDEM = ", 1)[1].split(";\n", 1)[0])
    # The app shell and the offline page, never a page of a record.
    assert "/static/css/tandem.css" in config["shell"]
    assert "/static/offline/offline.js" in config["shell"]
    assert config["offlinePage"] == reverse("offline:page")
    assert all(path.startswith("/static/") for path in config["shell"])
    assert 'request.method !== "GET"' in body  # writes pass through to the server


def test_the_manifest_names_the_app_and_its_icons() -> None:
    response = Client().get(reverse("offline:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert (data["name"], data["start_url"], data["scope"], data["display"]) == (
        "Tandem",
        "/",
        "/",
        "standalone",
    )
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert Client().get(icon["src"]).status_code == 200


def test_the_manifest_speaks_spanish_to_a_spanish_phone() -> None:
    response = Client().get(reverse("offline:manifest"), HTTP_ACCEPT_LANGUAGE="es")
    data = json.loads(response.content)
    assert data["lang"] == "es"
    assert data["description"] != "Therapy, together: session notes and home practice."


def test_the_offline_page_shows_no_one_s_record(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(world.guardian)
    response = client.get(reverse("offline:page"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="offline-queue"' in body
    assert 'data-owner=""' in body  # the cached page lists no one's entries
    assert world.child.first_name not in body
    assert "no-store" in response["Cache-Control"]


def test_pages_link_the_manifest_and_the_queue(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(world.guardian)
    body = client.get(reverse("homeprogram:family_home")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert "offline/offline.js" in body
    assert f'data-owner="{world.guardian.user.pk}"' in body
