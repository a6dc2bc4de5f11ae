"""Fields that become links (a video's address, a workshop's online link, the clinic's
video service) refuse every address that is not http(s) — ``javascript:``, ``data:``,
``vbscript:``, however written — through the page and through the API. (And a workshop's
start sent to the API without its offset, as these tests first did, is the clinic's
local time rather than an error.)"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Organization
from tandem.api.tests.conftest import bearer, make_token
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.core.testing.types import ClientAs
from tandem.resources.models import Resource, Workshop

from .test_xss_corpus import BAD_LINKS

each_link = pytest.mark.parametrize("link", BAD_LINKS)


def _api(world: World) -> Client:
    return Client(headers=bearer(make_token(world.admin)))


def _starts_at() -> str:
    return f"{clinic_today() + datetime.timedelta(days=9)}T18:00"


@each_link
def test_a_video_link_that_is_not_a_web_address_is_refused(
    world: World, client_as: ClientAs, link: str
) -> None:
    form = {"title": "Video", "kind": "video", "url": link, "language": "en", "version": ""}
    response = client_as(world.admin).post(reverse("resources:edit"), form)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    answer = _api(world).post(
        "/api/v1/resources",
        {"title": "Video", "kind": "video", "url": link},
        content_type="application/json",
    )
    assert answer.status_code in (400, 422), answer.content
    assert not Resource.objects.exists()


@each_link
def test_a_workshop_link_that_is_not_a_web_address_is_refused(
    world: World, client_as: ClientAs, link: str
) -> None:
    form = {
        "title": "Sleep",
        "starts_at": _starts_at(),
        "duration_minutes": "60",
        "capacity": "10",
        "language": "en",
        "online_url": link,
    }
    response = client_as(world.admin).post(reverse("resources:workshop_edit"), form)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    answer = _api(world).post(
        "/api/v1/workshops",
        {"title": "Sleep", "starts_at": _starts_at(), "capacity": 10, "online_url": link},
        content_type="application/json",
    )
    assert answer.status_code in (400, 422), answer.content
    assert not Workshop.objects.exists()


@each_link
def test_a_video_service_that_is_not_a_web_address_is_refused(
    world: World, client_as: ClientAs, link: str
) -> None:
    template = f"{link}{{room}}"
    response = client_as(world.admin).post(
        reverse("appointments:rooms"), {"action": "video", "video_url_template": template}
    )
    assert response.status_code == 200
    assert Organization.objects.get(pk=world.org.pk).video_url_template == ""


def test_a_workshop_start_without_its_offset_is_the_clinics_local_time(world: World) -> None:
    answer = _api(world).post(
        "/api/v1/workshops",
        {"title": "Sleep", "starts_at": _starts_at(), "capacity": 10, "location": "Room 2"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    workshop = Workshop.objects.get()
    local = workshop.starts_at.astimezone(ZoneInfo(world.org.timezone))
    assert local.strftime("%Y-%m-%dT%H:%M") == _starts_at()
