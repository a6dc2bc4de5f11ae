"""The waitlist of a full workshop: served in turn, promoted on the spot, never over-filled."""

import datetime
import threading
import time
from collections.abc import Callable
from typing import cast

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.children.models import GuardianLink
from tandem.conftest import World
from tandem.core.testing.factories import GuardianLinkFactory
from tandem.notifications.models import Kind, Notification, Preference
from tandem.notifications.reading import describe
from tandem.resources import actions
from tandem.resources.models import PlaceStatus, WorkshopRegistration

from .helpers import make_workshop, places_at, waitlist_at

LIST = reverse("resources:workshops")
REGISTER = reverse("resources:register")
UNREGISTER = reverse("resources:unregister")


def families(world: World, n: int) -> list[Membership]:
    """``n`` more guardians of the clinic, each with a child of their own."""
    made = [GuardianLinkFactory(child__organization=world.org) for _ in range(n)]
    return [cast(GuardianLink, link).guardian for link in made]


def told(guardian: Membership) -> list[Notification]:
    return list(Notification.objects.filter(recipient=guardian, kind=Kind.WORKSHOP_PLACE))


def test_a_freed_place_goes_to_the_first_on_the_waitlist_who_is_told(world, client_as):
    workshop = make_workshop(world.therapist, capacity=1, title="Sleep evening")
    first, second = client_as(world.guardian), client_as(world.other_guardian)
    first.post(REGISTER, {"workshop": str(workshop.id)})
    second.post(REGISTER, {"workshop": str(workshop.id)})
    assert "You are on the waitlist (number 1)" in second.get(LIST).content.decode()
    first.post(UNREGISTER, {"workshop": str(workshop.id)})
    assert "Your place was given up." in first.get(LIST).content.decode()
    assert places_at(workshop) == [world.other_guardian.id]
    assert waitlist_at(workshop) == []
    promoted = WorkshopRegistration.objects.get(guardian=world.other_guardian)
    assert promoted.promoted_at is not None
    [notice] = told(world.other_guardian)
    assert notice.detail == "Sleep evening" and notice.url == LIST and notice.child is None
    assert describe(notice).title == "You have a place at “Sleep evening”"
    assert not told(world.guardian)
    body = second.get(LIST).content.decode()
    assert "You have a place" in body and "You are on the waitlist" not in body
    notices = second.get(reverse("notifications:index")).content.decode()
    assert "You have a place at “Sleep evening”" in notices


def test_the_waitlist_is_served_by_time_of_joining(world):
    workshop = make_workshop(world.therapist, capacity=1)
    holder, early, late = families(world, 3)
    actions.register(holder, workshop)
    late_turn = actions.register(late, workshop)
    early_turn = actions.register(early, workshop)
    # ``early`` joined first, whatever the order of the rows' ids.
    WorkshopRegistration.objects.filter(pk=early_turn.pk).update(
        created_at=late_turn.created_at - datetime.timedelta(minutes=5)
    )
    assert waitlist_at(workshop) == [early.id, late.id]
    actions.cancel_registration(holder, workshop)
    assert places_at(workshop) == [early.id]
    assert waitlist_at(workshop) == [late.id]
    actions.cancel_registration(early, workshop)
    assert places_at(workshop) == [late.id]
    assert [len(told(g)) for g in (holder, early, late)] == [0, 1, 1]


def test_leaving_the_waitlist_moves_the_others_up_and_frees_no_place(world, client_as):
    workshop = make_workshop(world.therapist, capacity=1)
    holder, leaver, stayer = families(world, 3)
    for guardian in (holder, leaver, stayer):
        actions.register(guardian, workshop)
    client = client_as(stayer)
    assert "You are on the waitlist (number 2)" in client.get(LIST).content.decode()
    leaving = client_as(leaver)
    leaving.post(UNREGISTER, {"workshop": str(workshop.id)})
    body = leaving.get(LIST).content.decode()
    assert "You left the waitlist." in body and "Join the waitlist" in body
    assert "You are on the waitlist (number 1)" in client.get(LIST).content.decode()
    assert places_at(workshop) == [holder.id]
    assert not Notification.objects.filter(kind=Kind.WORKSHOP_PLACE).exists()


def test_asking_twice_keeps_one_turn_and_no_one_jumps_the_queue(world, client_as):
    workshop = make_workshop(world.therapist, capacity=1)
    holder, waiting, newcomer = families(world, 3)
    actions.register(holder, workshop)
    turn = actions.register(waiting, workshop)
    assert turn.status == PlaceStatus.WAITLISTED
    assert actions.register(waiting, workshop) == turn
    actions.cancel_registration(holder, workshop)
    # The freed place went to the family waiting: there is none for the newcomer.
    client = client_as(newcomer)
    client.post(REGISTER, {"workshop": str(workshop.id)})
    assert "so you are on the waitlist (number 1)" in client.get(LIST).content.decode()
    assert places_at(workshop) == [waiting.id]
    assert waitlist_at(workshop) == [newcomer.id]


def test_more_places_go_to_the_waitlist_and_fewer_unregister_no_one(world, client_as):
    workshop = make_workshop(world.therapist, capacity=1)
    holder, second, third, fourth = families(world, 4)
    for guardian in (holder, second, third, fourth):
        actions.register(guardian, workshop)
    when = timezone.localtime(workshop.starts_at).strftime("%Y-%m-%dT%H:%M")
    form = {
        "title": workshop.title,
        "starts_at": when,
        "duration_minutes": 60,
        "location": workshop.location,
        "capacity": 3,
        "language": "en",
        "version": 1,
    }
    edit = f"{reverse('resources:workshop_edit')}?id={workshop.id}"
    assert client_as(world.therapist).post(edit, form)["Location"] == LIST
    assert places_at(workshop) == [holder.id, second.id, third.id]
    assert waitlist_at(workshop) == [fourth.id]
    assert [len(told(g)) for g in (holder, second, third, fourth)] == [0, 1, 1, 0]
    refused = client_as(world.therapist).post(edit, form | {"capacity": 2, "version": 2})
    assert "3 families already have a place." in refused.content.decode()
    actions.update_workshop(workshop, expected_version=2, capacity=3, title="Renamed")
    assert places_at(workshop) == [holder.id, second.id, third.id]
    assert waitlist_at(workshop) == [fourth.id]


def test_no_promotion_once_the_event_is_called_off(world):
    workshop = make_workshop(world.therapist, capacity=1)
    holder, waiting = families(world, 2)
    actions.register(holder, workshop)
    actions.register(waiting, workshop)
    actions.cancel_workshop(workshop, expected_version=1)
    actions.cancel_registration(holder, workshop)
    assert places_at(workshop) == []
    assert waitlist_at(workshop) == [waiting.id]
    assert not told(waiting)


def test_the_place_from_the_waitlist_is_told_whatever_the_preferences(world):
    workshop = make_workshop(world.therapist, capacity=1)
    holder, waiting = families(world, 2)
    Preference.objects.create(
        organization=world.org,
        member=waiting,
        new_messages=False,
        new_reports=False,
        checkin_reminders=False,
        practice_reminders=False,
        by_email=False,
    )
    actions.register(holder, workshop)
    actions.register(waiting, workshop)
    actions.cancel_registration(holder, workshop)
    [notice] = told(waiting)
    assert notice.email_state == "none"


def test_staff_see_places_and_the_waitlist_separately(world, client_as):
    workshop = make_workshop(world.therapist, capacity=1)
    holder, early, late = families(world, 3)
    for guardian in (holder, early, late):
        actions.register(guardian, workshop)
    roster = f"{reverse('resources:workshop_roster')}?id={workshop.id}"
    body = client_as(world.admin).get(roster).content.decode()
    places, waitlist = body.split("<h2>Waitlist</h2>")
    assert holder.display_name in places and early.display_name not in places
    assert "1 of 1 places taken" in places
    assert waitlist.index(early.display_name) < waitlist.index(late.display_name)
    assert holder.display_name not in waitlist
    assert "On the waitlist: 2" in client_as(world.admin).get(LIST).content.decode()
    assert client_as(holder).get(roster).status_code == 404


# --- Races: every change to a workshop's places locks the workshop row first ---------


def _in_turn(call: Callable[[], object]) -> None:
    """Run the call; on the test's in-memory SQLite, wait for the database like a file would.

    The in-memory test database shares one cache between connections: a writer that
    finds it busy fails at once ("table is locked") instead of waiting its turn as
    the file database does (20 s busy timeout). The action ran in one transaction and
    changed nothing, so running it again is what waiting would have done. PostgreSQL
    never gets here: there the workshop row lock makes the callers wait.
    """
    for _attempt in range(200):
        try:
            call()
            return
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def race(*calls: Callable[[], object]) -> list[BaseException]:
    """Run the calls at the same moment, each in its own thread (and connection)."""
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            _in_turn(call)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_families_asking_at_once_never_overfill_a_workshop(world):
    workshop = make_workshop(world.therapist, capacity=2)
    guardians = families(world, 6)
    errors = race(*[lambda g=g: actions.register(g, workshop) for g in guardians])
    assert not errors
    assert len(places_at(workshop)) == 2
    assert len(waitlist_at(workshop)) == 4


@pytest.mark.django_db(transaction=True)
def test_places_given_up_at_once_go_to_the_waitlist_in_turn(world):
    workshop = make_workshop(world.therapist, capacity=3)
    holders, waiting = families(world, 3), families(world, 4)
    for guardian in holders + waiting:
        actions.register(guardian, workshop)
    newcomer = families(world, 1)[0]
    errors = race(
        *[lambda g=g: actions.cancel_registration(g, workshop) for g in holders],
        lambda: actions.register(newcomer, workshop),
    )
    assert not errors
    assert places_at(workshop) == [g.id for g in waiting[:3]]
    assert waitlist_at(workshop)[0] == waiting[3].id
    assert set(waitlist_at(workshop)) == {waiting[3].id, newcomer.id}
    assert [len(told(g)) for g in waiting] == [1, 1, 1, 0]
