"""The appointments rules for the office: the front desk schedules, billing reads.

The front desk (scheduling, intake) opens the clinic's schedule and every child's
appointments, and books, changes and cancels them, on the pages and through the API.
Billing opens the schedule and a child's appointments read-only: every write is refused
(403), the note for the family is left out. Neither opens the family's own page.
"""

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.registry import registered
from tandem.accounts.models import Membership, Role
from tandem.api.tests.conftest import Api
from tandem.appointments.models import Appointment
from tandem.audit.models import AccessLog
from tandem.conftest import World
from tandem.core.testing import factories as f

from .helpers import form_data, in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
SignIn = Callable[[Membership], Client]


def office(world: World, role: str) -> Membership:
    """A member of the front desk or billing at the clinic under test."""
    member = cast(Membership, f.MembershipFactory(organization=world.org, role=role))
    return member


def api_path(appointment: Appointment | None = None, *, child: Any) -> str:
    base = f"/children/{child.id}/appointments"
    return f"{base}/{appointment.id}" if appointment else base


def body(therapist: Membership, when: Any, **changes: Any) -> dict[str, Any]:
    return {"therapist_id": str(therapist.id), "starts_at": when.isoformat()} | changes


def test_every_action_of_the_app_has_a_rule() -> None:
    actions = {name for name in registered() if name.startswith("appointments.")}
    assert {
        "appointments.view",
        "appointments.clinic_view",
        "appointments.book",
        "appointments.edit",
        "appointments.set_status",
        "appointments.schedule",
        "appointments.family",
    } <= actions


def test_front_desk_books_changes_and_cancels_on_the_pages(world: World, client_as: SignIn) -> None:
    desk = office(world, Role.FRONT_DESK)
    client = client_as(desk)
    child_url = reverse("appointments:child", args=[world.child.id])
    listed = client.get(child_url).content.decode()
    assert reverse("appointments:new", args=[world.child.id]) in listed
    new_url = reverse("appointments:new", args=[world.child.id])
    assert client.get(new_url).status_code == 200
    when = in_days(world.child, 3, 11)
    response = client.post(new_url, form_data(world.therapist, when, note_for_family="Shoes"))
    assert response.status_code == 302
    appointment = Appointment.objects.get(child=world.child)
    assert appointment.created_by == desk and appointment.starts_at == when
    assert AccessLog.objects.filter(user=desk.user, route="appointments:new").exists()
    edit_url = reverse("appointments:edit", args=[world.child.id, appointment.id])
    assert client.get(edit_url).status_code == 200
    moved = form_data(world.therapist, in_days(world.child, 4, 9), version=1)
    assert client.post(edit_url, moved).status_code == 302
    status_url = reverse("appointments:status", args=[world.child.id, appointment.id])
    cancel = {"status": "cancelled", "reason": "Family away", "version": 2}
    assert client.post(status_url, cancel).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.version == 3
    # Any child of the clinic, not only the ones of a care team they are on.
    other = reverse("appointments:new", args=[world.other_child.id])
    data = form_data(world.unassigned_therapist, in_days(world.child, 3, 15))
    assert client.post(other, data).status_code == 302
    # Still no double booking: the state checks stay in the actions.
    clash = form_data(world.unassigned_therapist, in_days(world.child, 3, 15, 15))
    refused = client.post(other, clash)
    assert refused.status_code == 200 and "already has a session" in refused.content.decode()


def test_front_desk_books_through_the_api(world: World, client_as: SignIn) -> None:
    api = Api(client_as(office(world, Role.FRONT_DESK)))
    when = in_days(world.child, 5, 10)
    created = api.post(api_path(child=world.child), body(world.therapist, when))
    assert created.status_code == 201, created.json()
    data = created.json()
    moved = api.patch(
        api_path(Appointment.objects.get(pk=data["id"]), child=world.child),
        {"version": 1, "starts_at": in_days(world.child, 6, 10).isoformat()},
    )
    assert moved.status_code == 200 and moved.json()["version"] == 2
    assert len(api.get(api_path(child=world.child)).json()) == 1
    mine = api.get("/appointments").json()
    assert [a["child"]["name"] for a in mine] == ["Maya Okafor"]


def test_billing_reads_the_schedule_and_a_childs_list(world: World, client_as: SignIn) -> None:
    today = in_days(world.child, 0, 23, 0)
    make_appointment(world.child, world.therapist, today, note_for_family="Bring shoes")
    make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 0, 22))
    client = client_as(office(world, Role.BILLING))
    schedule = client.get(reverse("appointments:schedule"))
    page = schedule.content.decode()
    assert schedule.status_code == 200
    assert "Clinic schedule" in page and "Maya Okafor" in page and "Noah Berg" in page
    one = client.get(reverse("appointments:schedule"), {"therapist": str(world.therapist.id)})
    assert "Maya Okafor" in one.content.decode() and "Noah Berg" not in one.content.decode()
    listed = client.get(reverse("appointments:child", args=[world.child.id]))
    text = listed.content.decode()
    assert listed.status_code == 200 and "Individual therapy" in text
    assert reverse("appointments:new", args=[world.child.id]) not in text
    assert "Cancel this appointment" not in text and "Bring shoes" not in text
    api = Api(client)
    rows = api.get(api_path(child=world.child)).json()
    assert len(rows) == 1 and rows[0]["note_for_family"] == ""


def test_billing_is_refused_every_write(world: World, client_as: SignIn) -> None:
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2))
    client = client_as(office(world, Role.BILLING))
    new_url = reverse("appointments:new", args=[world.child.id])
    assert client.get(new_url).status_code == 404
    data = form_data(world.therapist, in_days(world.child, 3))
    assert client.post(new_url, data).status_code == 403
    status_url = reverse("appointments:status", args=[world.child.id, appointment.id])
    assert client.post(status_url, {"status": "cancelled", "version": 1}).status_code == 403
    api = Api(client)
    when = in_days(world.child, 3)
    assert api.post(api_path(child=world.child), body(world.therapist, when)).status_code == 403
    patch = api.patch(api_path(appointment, child=world.child), {"version": 1})
    assert patch.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "scheduled" and Appointment.objects.count() == 1


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.BILLING])
def test_the_office_has_no_family_page(world: World, client_as: SignIn, role: str) -> None:
    assert client_as(office(world, role)).get(reverse("appointments:family")).status_code == 404


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.BILLING])
def test_the_office_of_another_clinic_finds_nothing(
    world: World, client_as: SignIn, role: str
) -> None:
    member = cast(Membership, f.MembershipFactory(organization=world.foreign_org, role=role))
    client = client_as(member)
    assert client.get(reverse("appointments:child", args=[world.child.id])).status_code == 404
    data = form_data(world.therapist, in_days(world.child, 3))
    new_url = reverse("appointments:new", args=[world.child.id])
    assert client.post(new_url, data).status_code == 404
    assert Api(client).get(api_path(child=world.child)).status_code == 404


def test_families_read_through_the_api_but_not_the_clinics_pages(
    world: World, client_as: SignIn
) -> None:
    make_appointment(world.child, world.therapist, in_days(world.child, 2))
    client = client_as(world.guardian)
    assert client.get(reverse("appointments:child", args=[world.child.id])).status_code == 404
    assert client.get(reverse("appointments:schedule")).status_code == 404
    assert len(Api(client).get(api_path(child=world.child)).json()) == 1
    teacher = Api(client_as(world.consented_collaborator))  # consents share no appointments
    assert teacher.get(api_path(child=world.child)).status_code == 404
    assert client_as(world.collaborator).get(reverse("appointments:family")).status_code == 404
