"""A ``next`` parameter that is not a page of ours sends the person to the default page:
never a 500 (``next=abc``), never another site."""

import pytest
from django.urls import reverse

from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.homeprogram.tests.helpers import log, make_activity

BAD_NEXTS = ["abc", "//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil"]


@pytest.mark.parametrize("wanted", BAD_NEXTS)
def test_switching_language(world: World, client_as: ClientAs, wanted: str) -> None:
    response = client_as(world.therapist).post(
        reverse("accounts:language"), {"language": "es", "next": wanted}
    )
    assert (response.status_code, response["Location"]) == (302, "/")


def test_switching_language_returns_to_a_page_of_ours(world: World, client_as: ClientAs) -> None:
    page = reverse("children:detail", args=[world.child.id])
    response = client_as(world.therapist).post(
        reverse("accounts:language"), {"language": "es", "next": page}
    )
    assert response["Location"] == page


@pytest.mark.parametrize("wanted", BAD_NEXTS)
def test_appointment_status(world: World, client_as: ClientAs, wanted: str) -> None:
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    url = reverse("appointments:status", args=[world.child.id, appointment.id])
    data = {"status": "cancelled", "reason": "Unwell", "version": 1, "next": wanted}
    response = client_as(world.therapist).post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:child", args=[world.child.id])


@pytest.mark.parametrize("wanted", BAD_NEXTS)
def test_practice_logs(world: World, client_as: ClientAs, wanted: str) -> None:
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    home = reverse("homeprogram:index", args=[world.child.id])
    url = reverse("homeprogram:log_new", args=[world.child.id, activity.id])
    response = client.post(url, {"outcome": "done", "next": wanted})
    assert (response.status_code, response["Location"]) == (302, home)
    entry = log(make_activity(world.child, world.therapist), world.guardian)
    for name in ("homeprogram:log_update", "homeprogram:log_undo"):
        url = reverse(name, args=[world.child.id, entry.id])
        response = client.post(url, {"how_it_went": "3", "next": wanted})
        assert (response.status_code, response["Location"]) == (302, home)
