"""Workshops: staff announce them, guardians take and give up places, capacity holds."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.core.testing.factories import GuardianLinkFactory
from tandem.resources import actions
from tandem.resources.models import Workshop, WorkshopRegistration

from .helpers import make_workshop, places_at, waitlist_at

LIST = reverse("resources:workshops")
REGISTER = reverse("resources:register")
UNREGISTER = reverse("resources:unregister")


def messages_of(client: Client) -> str:
    return client.get(LIST).content.decode()


def test_staff_announce_a_workshop(world, client_as):
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=5)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = client_as(world.therapist).post(
        reverse("resources:workshop_edit"),
        {
            "title": "Parent evening: sleep",
            "description": "Tips for calmer bedtimes.",
            "starts_at": when,
            "duration_minutes": 90,
            "location": "",
            "online_url": "https://meet.example.org/sleep",
            "capacity": 12,
            "language": "en",
        },
    )
    assert response["Location"] == LIST
    workshop = Workshop.objects.get()
    assert workshop.capacity == 12 and workshop.created_by == world.therapist
    body = client_as(world.guardian).get(LIST).content.decode()
    assert "Parent evening: sleep" in body and "Places left: 12" in body


def test_a_workshop_needs_a_place_or_a_link_and_a_future_time(world, client_as):
    past = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    body = (
        client_as(world.admin)
        .post(
            reverse("resources:workshop_edit"),
            {
                "title": "X",
                "starts_at": past,
                "duration_minutes": 60,
                "capacity": 5,
                "language": "en",
            },
        )
        .content.decode()
    )
    assert "Choose a time in the future." in body
    with pytest.raises(Exception, match="online link"):
        make_workshop(world.admin, location="")
    assert not Workshop.objects.exists()


def test_guardians_take_places_until_it_is_full_then_join_the_waitlist(world, client_as):
    workshop = make_workshop(world.therapist, capacity=2)
    first, second = client_as(world.guardian), client_as(world.other_guardian)
    third_guardian = GuardianLinkFactory(child=world.sibling).guardian
    third = client_as(third_guardian)
    assert first.post(REGISTER, {"workshop": str(workshop.id)})["Location"] == LIST
    assert "You have a place. See you there!" in messages_of(first)
    second.post(REGISTER, {"workshop": str(workshop.id)})
    assert "Join the waitlist" in messages_of(third)
    assert third.post(REGISTER, {"workshop": str(workshop.id)})["Location"] == LIST
    body = messages_of(third)
    assert "This event is full, so you are on the waitlist (number 1)." in body
    assert "You are on the waitlist (number 1)" in body and "Leave the waitlist" in body
    assert "Full" in body
    assert WorkshopRegistration.objects.filter(cancelled_at__isnull=True).count() == 3
    assert places_at(workshop) == [world.guardian.id, world.other_guardian.id]
    assert waitlist_at(workshop) == [third_guardian.id]


def test_giving_up_a_place_frees_it_when_no_one_waits(world, client_as):
    workshop = make_workshop(world.therapist, capacity=1)
    first, second = client_as(world.guardian), client_as(world.other_guardian)
    first.post(REGISTER, {"workshop": str(workshop.id)})
    first.post(UNREGISTER, {"workshop": str(workshop.id)})
    assert "Your place was given up." in messages_of(first)
    second.post(REGISTER, {"workshop": str(workshop.id)})
    assert "You have a place." in messages_of(second)
    assert places_at(workshop) == [world.other_guardian.id]
    assert waitlist_at(workshop) == []


def test_taking_a_place_twice_keeps_one(world):
    workshop = make_workshop(world.therapist)
    assert actions.register(world.guardian, workshop) == actions.register(world.guardian, workshop)
    assert WorkshopRegistration.objects.count() == 1


def test_cancelled_and_past_events_take_no_registrations(world, client_as):
    cancelled = make_workshop(world.therapist)
    actions.cancel_workshop(cancelled, expected_version=1)
    client = client_as(world.guardian)
    client.post(REGISTER, {"workshop": str(cancelled.id)})
    assert "This event was cancelled." in messages_of(client)
    started = make_workshop(world.therapist)
    started.starts_at = timezone.now() - datetime.timedelta(hours=1)
    started.save()
    client.post(REGISTER, {"workshop": str(started.id)})
    assert "This event has already started." in messages_of(client)
    assert not WorkshopRegistration.objects.exists()


def test_staff_see_who_is_coming_families_do_not(world, client_as):
    workshop = make_workshop(world.therapist)
    actions.register(world.guardian, workshop)
    roster = f"{reverse('resources:workshop_roster')}?id={workshop.id}"
    body = client_as(world.admin).get(roster).content.decode()
    assert world.guardian.display_name in body and "1 of 2 places taken" in body
    assert "No one is on the waitlist." in body
    assert client_as(world.guardian).get(roster).status_code == 404
    assert client_as(world.foreign_admin).get(roster).status_code == 404


def test_other_clinics_workshops_are_not_there(world, client_as):
    foreign = make_workshop(world.foreign_therapist, title="Lakeside evening")
    client = client_as(world.guardian)
    assert "Lakeside evening" not in client.get(LIST).content.decode()
    assert client.post(REGISTER, {"workshop": str(foreign.id)}).status_code == 404
    assert not WorkshopRegistration.objects.exists()
    assert (
        client_as(world.therapist).post(REGISTER, {"workshop": str(foreign.id)}).status_code == 404
    )


def test_fewer_places_than_taken_is_refused(world, client_as):
    workshop = make_workshop(world.therapist, capacity=2)
    actions.register(world.guardian, workshop)
    actions.register(world.other_guardian, workshop)
    with pytest.raises(Exception, match="already have a place"):
        actions.update_workshop(workshop, expected_version=1, capacity=1)
    assert places_at(workshop) == [world.guardian.id, world.other_guardian.id]


def test_workshop_list_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    client, staff = client_as(world.guardian), client_as(world.therapist)
    make_workshop(world.therapist)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        assert client.get(LIST).status_code == 200
    staff.get(LIST)
    with django_assert_max_num_queries(12) as few_for_staff:
        assert staff.get(LIST).status_code == 200
    waiting = GuardianLinkFactory(child=world.sibling).guardian
    for n in range(10):
        workshop = make_workshop(world.therapist, title=f"Event {n}", capacity=1)
        actions.register(world.other_guardian, workshop)
        actions.register(waiting, workshop)
        actions.register(world.guardian, workshop)  # waitlisted, number 2
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(LIST).content.decode()
    assert body.count("You are on the waitlist (number 2)") == 10
    with django_assert_max_num_queries(len(few_for_staff.captured_queries)):
        assert staff.get(LIST).content.decode().count("On the waitlist: 2") == 10
