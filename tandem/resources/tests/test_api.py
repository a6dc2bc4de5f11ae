"""The resources API: library, "for you", sharing, workshops and places, every refusal JSON."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tandem.core.testing.factories import GuardianLinkFactory
from tandem.progress.tests.helpers import make_goal, make_plan
from tandem.resources import actions
from tandem.resources.models import (
    PlaceStatus,
    Resource,
    ResourceAssignment,
    WorkshopRegistration,
)

from .helpers import make_resource, make_workshop

API = "/api/v1"


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(API + path, body, content_type="application/json")


def test_staff_list_and_filter_the_library(world, client_as):
    make_resource(world.therapist, title="Feeding", domains=["feeding"])
    make_resource(world.therapist, title="Play", domains=["play"])
    make_resource(world.foreign_therapist, title="Elsewhere")
    client = client_as(world.therapist)
    assert {r["title"] for r in client.get(API + "/resources").json()} == {"Feeding", "Play"}
    found = client.get(API + "/resources", {"domain": "play"}).json()
    assert [r["title"] for r in found] == ["Play"]
    assert found[0]["domains"] == ["play"]


def test_families_get_what_is_for_them(world, client_as):
    make_goal(make_plan(world.child, world.therapist), domain="communication")
    make_resource(world.therapist, title="Talking tips", domains=["communication"])
    make_resource(world.therapist, title="Not for them", domains=["feeding"])
    data = client_as(world.guardian).get(API + "/resources").json()
    assert [(r["title"], r["for_children"]) for r in data] == [("Talking tips", ["Maya"])]
    assert client_as(world.collaborator).get(API + "/resources").status_code == 404


def test_staff_create_text_and_video_resources(world, client_as):
    client = client_as(world.admin)
    response = post(
        client,
        "/resources",
        {
            "title": "Sensory diet video",
            "kind": "video",
            "url": "https://videos.example.org/diet",
            "domains": ["sensory_processing"],
            "min_age_months": 24,
            "max_age_months": 96,
        },
    )
    assert response.status_code == 201
    assert response.json()["domains"] == ["sensory_processing"]
    for bad in (
        {"title": "x", "kind": "video", "url": "javascript:alert(1)"},
        {"title": "x", "kind": "handout"},
        {"title": "x", "kind": "text"},
        {"title": "x", "kind": "text", "body": "b", "domains": ["astrology"]},
        {"title": "x", "kind": "text", "body": "b", "min_age_months": 50, "max_age_months": 10},
        {"title": "x", "kind": "text", "body": "b", "colour": "red"},
    ):
        assert post(client, "/resources", bad).status_code == 422, bad
    assert Resource.objects.count() == 1
    assert post(client_as(world.guardian), "/resources", {}).status_code == 404


def test_sharing_through_the_api(world, client_as):
    resource = make_resource(world.therapist)
    path = f"/children/{world.child.id}/resources"
    client = client_as(world.therapist)
    response = post(client, path, {"resource_id": str(resource.id), "note": "Every morning"})
    assert response.status_code == 201
    assert response.json()["resource"]["title"] == resource.title
    family = client_as(world.guardian).get(API + path).json()
    assert [s["note"] for s in family["shared"]] == ["Every morning"]
    assert post(client_as(world.consulting_therapist), path, {}).status_code == 403
    assert post(client_as(world.guardian), path, {}).status_code == 403
    assert post(client_as(world.other_guardian), path, {}).status_code == 404
    foreign = make_resource(world.foreign_therapist)
    assert post(client, path, {"resource_id": str(foreign.id)}).status_code == 404
    bogus = {"resource_id": str(resource.id), "home_activity_id": str(resource.id)}
    assert post(client, path, bogus).status_code == 422
    share = ResourceAssignment.objects.get()
    assert client_as(world.guardian).delete(f"{API}{path}/{share.id}").status_code == 403
    assert client.delete(f"{API}{path}/{share.id}").status_code == 204
    assert not ResourceAssignment.objects.exists()


def test_workshops_and_places_through_the_api(world, client_as):
    staff = client_as(world.therapist)
    starts = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    created = post(
        staff,
        "/workshops",
        {"title": "Evening", "starts_at": starts, "location": "Room 1", "capacity": 1},
    )
    assert created.status_code == 201
    workshop_id = created.json()["id"]
    guardian = client_as(world.guardian)
    assert guardian.get(API + "/workshops").json()[0]["places_left"] == 1
    taken = post(guardian, "/workshop-registrations", {"workshop_id": workshop_id})
    assert taken.status_code == 201
    assert taken.json()["status"] == "registered"
    assert taken.json()["waitlist_position"] is None
    assert guardian.get(API + "/workshops").json()[0]["registered"] is True
    other = client_as(world.other_guardian)
    full = post(other, "/workshop-registrations", {"workshop_id": workshop_id})
    assert full.status_code == 201
    assert full.json()["status"] == "waitlisted" and full.json()["waitlist_position"] == 1
    [listed] = other.get(API + "/workshops").json()
    assert listed["places_left"] == 0 and listed["waiting"] == 1
    assert listed["registered"] is False and listed["waitlist_position"] == 1
    roster = staff.get(API + "/workshop-registrations", {"workshop_id": workshop_id}).json()
    assert [(p["guardian"], p["status"], p["waitlist_position"]) for p in roster] == [
        (world.guardian.display_name, "registered", None),
        (world.other_guardian.display_name, "waitlisted", 1),
    ]
    given_up = post(guardian, "/workshop-registrations/cancel", {"workshop_id": workshop_id})
    assert given_up.status_code == 200 and given_up.json()["status"] == "registered"
    assert (
        post(guardian, "/workshop-registrations/cancel", {"workshop_id": workshop_id}).status_code
        == 422
    )
    assert guardian.get(API + "/workshop-registrations").json() == []
    [promoted] = other.get(API + "/workshop-registrations").json()
    assert promoted["status"] == "registered" and promoted["promoted_at"] is not None
    assert other.get(API + "/workshops").json()[0]["registered"] is True
    left = post(other, "/workshop-registrations/cancel", {"workshop_id": workshop_id})
    assert left.status_code == 200
    assert post(staff, "/workshop-registrations", {"workshop_id": workshop_id}).status_code == 404
    assert post(guardian, "/workshops", {}).status_code == 404
    foreign = make_workshop(world.foreign_therapist)
    assert (
        post(guardian, "/workshop-registrations", {"workshop_id": str(foreign.id)}).status_code
        == 404
    )
    assert WorkshopRegistration.objects.filter(cancelled_at__isnull=True).count() == 0


def test_the_waitlist_through_the_api(world, client_as):
    workshop = make_workshop(world.therapist, capacity=1, title="Feeding evening")
    holder, first, second = (
        client_as(GuardianLinkFactory(child__organization=world.org).guardian) for _ in range(3)
    )
    body = {"workshop_id": str(workshop.id)}
    assert post(holder, "/workshop-registrations", body).json()["status"] == "registered"
    assert post(first, "/workshop-registrations", body).json()["waitlist_position"] == 1
    assert post(second, "/workshop-registrations", body).json()["waitlist_position"] == 2
    again = post(second, "/workshop-registrations", body)
    assert again.status_code == 201 and again.json()["waitlist_position"] == 2
    left = post(first, "/workshop-registrations/cancel", body)
    assert left.json()["status"] == "waitlisted"
    assert second.get(API + "/workshops").json()[0]["waitlist_position"] == 1
    post(holder, "/workshop-registrations/cancel", body)
    [place] = second.get(API + "/workshop-registrations").json()
    assert place["status"] == "registered" and place["waitlist_position"] is None
    notices = second.get(API + "/notifications").json()["notifications"]
    assert [(n["kind"], n["title"]) for n in notices] == [
        ("workshop_place", "You have a place at “Feeding evening”")
    ]
    assert first.get(API + "/notifications").json()["notifications"] == []
    assert (
        WorkshopRegistration.objects.filter(
            cancelled_at__isnull=True, status=PlaceStatus.REGISTERED
        ).count()
        == 1
    )


def test_api_lists_have_bounded_query_counts(world, client_as, django_assert_max_num_queries):
    make_goal(make_plan(world.child, world.therapist), domain="play")
    for n in range(10):
        resource = make_resource(world.therapist, title=f"R{n}", domains=["play", "social"])
        actions.share_resource(world.therapist, world.child, resource)
        workshop = make_workshop(world.therapist, title=f"W{n}", capacity=1)
        actions.register(world.other_guardian, workshop)
        actions.register(world.guardian, workshop)  # on the waitlist
    guardian = client_as(world.guardian)
    guardian.get(API + "/resources")
    for path in (
        "/resources",
        f"/children/{world.child.id}/resources",
        "/workshops",
        "/workshop-registrations",
    ):
        # 15: the kernel's API check and the handler each load the child (one query each).
        with django_assert_max_num_queries(15):
            assert guardian.get(API + path).status_code == 200
    staff = client_as(world.therapist)
    staff.get(API + "/workshops")
    for path in ("/workshops", "/workshop-registrations"):
        with django_assert_max_num_queries(14):
            rows = staff.get(API + path).json()
        assert len(rows) >= 10


@pytest.mark.parametrize("path", ["/resources", "/workshops", "/workshop-registrations"])
def test_collaborators_find_nothing(world, client_as, path):
    assert client_as(world.collaborator).get(API + path).status_code == 404
