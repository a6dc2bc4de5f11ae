"""Times offered to a family: the clinic offers a few, the family chooses one, it is booked."""

import html
from typing import Any

import pytest
from django.urls import reverse

from tandem.appointments.models import Appointment, TimeOffer, TimeOfferStatus
from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.notifications.models import Kind, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
JSON = "application/json"


def offer_form(world: World, *days: int, hour: int = 10, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "therapist": world.therapist.pk,
        "duration_minutes": 45,
        "service_type": "individual",
        "location": "clinic",
    }
    for n, day in enumerate(days, start=1):
        when = in_days(world.child, day, hour)
        data[f"date_{n}"] = when.date().isoformat()
        data[f"time_{n}"] = f"{hour:02d}:00"
    data.update(changes)
    return data


def url(world: World) -> str:
    return reverse("appointments:offer_times", args=[world.child.id])


def test_the_family_chooses_one_of_three_times_and_it_is_booked(
    world: World, client_as: ClientAs
) -> None:
    desk = client_as(world.front_desk)
    response = desk.post(url(world), offer_form(world, 3, 4, 5))
    assert response.status_code == 302
    offered = list(TimeOffer.objects.filter(child=world.child).order_by("starts_at"))
    assert [o.status for o in offered] == ["open"] * 3
    notice = Notification.objects.get(recipient=world.guardian, kind=Kind.TIMES_OFFERED)
    family = client_as(world.guardian)
    page = family.get(notice.url).content.decode()
    assert page.count("Choose ") >= 3 and "Choose a time" in page
    chosen = offered[1]
    done = family.post(
        reverse("appointments:take_time", args=[world.child.id]), {"offer": chosen.pk}
    )
    assert done.status_code == 302
    appointment = Appointment.objects.select_related("encounter").get(child=world.child)
    assert appointment.encounter.starts_at == chosen.starts_at
    assert appointment.encounter.therapist == world.therapist
    statuses = [o.status for o in TimeOffer.objects.filter(child=world.child).order_by("starts_at")]
    assert statuses == ["not_chosen", "taken", "not_chosen"]
    assert "Choose a time" not in family.get(notice.url).content.decode()


def test_a_time_the_therapist_is_not_free_is_not_offered(world: World, client_as: ClientAs) -> None:
    make_appointment(world.sibling, world.therapist, in_days(world.child, 4, 10))
    response = client_as(world.therapist).post(url(world), offer_form(world, 3, 4))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert f"{world.therapist.display_name} already has a session from 10:00 to 10:45" in body
    assert not TimeOffer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_2": "2030-01-01", "time_2": ""}, "Give both the date and the time, or neither."),
        ({"duration_minutes": "0"}, "Ensure this value is greater than or equal to 5."),
        ({"time_1": "25:00"}, "Enter a valid time."),
    ],
)
def test_bad_offers_are_refused_with_a_message(
    world: World, client_as: ClientAs, changes: dict[str, Any], message: str
) -> None:
    response = client_as(world.admin).post(url(world), offer_form(world, 3, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not TimeOffer.objects.exists()


def test_a_time_taken_meanwhile_is_refused_and_the_offer_stays(
    world: World, client_as: ClientAs
) -> None:
    client_as(world.admin).post(url(world), offer_form(world, 3, 4))
    first = TimeOffer.objects.filter(child=world.child).order_by("starts_at")[0]
    make_appointment(world.sibling, world.therapist, first.starts_at)
    family = client_as(world.guardian)
    response = family.post(
        reverse("appointments:take_time", args=[world.child.id]), {"offer": first.pk}, follow=True
    )
    assert "This time is no longer free" in response.content.decode()
    assert not Appointment.objects.filter(child=world.child).exists()
    assert set(TimeOffer.objects.values_list("status", flat=True)) == {"open"}


def test_new_times_replace_the_open_ones_and_can_be_withdrawn(
    world: World, client_as: ClientAs
) -> None:
    desk = client_as(world.front_desk)
    desk.post(url(world), offer_form(world, 3))
    desk.post(url(world), offer_form(world, 5, 6))
    statuses = sorted(TimeOffer.objects.values_list("status", flat=True))
    assert statuses == ["open", "open", "withdrawn"]
    desk.post(url(world), {"action": "withdraw"})
    assert not TimeOffer.objects.filter(status=TimeOfferStatus.OPEN).exists()


def test_who_may_offer_and_choose(world: World, client_as: ClientAs) -> None:
    client_as(world.admin).post(url(world), offer_form(world, 3))
    offer = TimeOffer.objects.get()
    take = reverse("appointments:take_time", args=[world.child.id])
    assert client_as(world.consulting_therapist).post(take, {"offer": offer.pk}).status_code == 403
    assert client_as(world.billing).post(take, {"offer": offer.pk}).status_code == 403
    assert client_as(world.other_guardian).post(take, {"offer": offer.pk}).status_code == 404
    assert client_as(world.consulting_therapist).get(url(world)).status_code == 404
    other = reverse("appointments:take_time", args=[world.sibling.id])
    assert client_as(world.guardian).post(other, {"offer": offer.pk}).status_code == 404
    assert TimeOffer.objects.get().status == "open"


def test_offer_and_choose_through_the_api(world: World, client_as: ClientAs) -> None:
    base = f"/api/v1/children/{world.child.id}/offered-times"
    starts = [in_days(world.child, d, 11).isoformat() for d in (3, 4)]
    made = client_as(world.therapist).post(
        base, {"therapist_id": str(world.therapist.pk), "starts": starts}, JSON
    )
    assert made.status_code == 201 and len(made.json()) == 2
    family = client_as(world.guardian)
    listed = family.get(base).json()
    assert [o["status"] for o in listed] == ["open", "open"]
    taken = family.post(f"{base}/{listed[0]['id']}", {}, JSON)
    assert taken.status_code == 201
    again = family.post(f"{base}/{listed[1]['id']}", {}, JSON)
    assert again.status_code == 422 and "no longer offered" in again.content.decode()
    four = client_as(world.admin).post(
        base, {"therapist_id": str(world.therapist.pk), "starts": starts * 2}, JSON
    )
    assert four.status_code == 422
