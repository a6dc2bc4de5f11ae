"""The choice board draws on the home program: titles, pictures, and picks of activities."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.childmode.models import ChildChoice, ChoiceSource
from tandem.conftest import World

homeprogram = pytest.importorskip("tandem.homeprogram.tests.helpers")

HOME = reverse("childmode:home")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def child_client(world: World, client_as: Callable[[Membership], Client]) -> Client:
    client = client_as(world.guardian)
    client.post(reverse("childmode:enter"), {"child": str(world.child.id)})
    return client


def test_home_activities_come_first_with_their_picture(world, child_client, media):
    picture = SimpleUploadedFile("pegs.png", homeprogram.png_bytes(), content_type="image/png")
    activity = homeprogram.make_activity(world.child, world.therapist, handout=picture)
    homeprogram.make_activity(world.sibling, world.therapist, title="Sibling's activity")
    body = child_client.get(HOME).content.decode()
    assert body.index("Pinch the pegs") < body.index(">Trains</span>")
    assert "Sibling's activity" not in body
    src = f"{reverse('childmode:picture')}?activity={activity.id}"
    assert src in body
    response = child_client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_picking_a_home_activity_records_it(world, child_client):
    activity = homeprogram.make_activity(world.child, world.therapist)
    child_client.post(
        reverse("childmode:choose"),
        {"source": "home_activity", "label": "ignored", "home_activity_id": str(activity.id)},
    )
    choice = ChildChoice.objects.get()
    assert choice.label == "Pinch the pegs"
    assert choice.source == ChoiceSource.HOME_ACTIVITY
    assert choice.home_activity_id == activity.id


def test_another_childs_activity_cannot_be_picked_or_shown(world, child_client, media):
    picture = SimpleUploadedFile("pegs.png", homeprogram.png_bytes(), content_type="image/png")
    other = homeprogram.make_activity(world.sibling, world.therapist, handout=picture)
    child_client.post(
        reverse("childmode:choose"),
        {"source": "home_activity", "home_activity_id": str(other.id)},
    )
    assert not ChildChoice.objects.exists()
    picture = reverse("childmode:picture")
    assert child_client.get(f"{picture}?activity={other.id}").status_code == 404
    assert child_client.get(f"{picture}?activity=nonsense").status_code == 404
