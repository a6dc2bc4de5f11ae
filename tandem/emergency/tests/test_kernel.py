"""The kernel and emergency access: a therapist off the care team sees a child while an
active grant lasts — read only: the reads a consulting seat passes, and no write, even one
``TEAM`` allows — and not before or after."""

import datetime

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries

from tandem.access import (
    EDITOR,
    TEAM,
    allows,
    readable_in_emergency,
    register,
    relation_of,
    visible_children,
)
from tandem.access.registry import emergency_reads, registered
from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing import factories as f

from .helpers import grant

pytestmark = pytest.mark.django_db
register("emergency_test.read", TEAM)
register("emergency_test.write", EDITOR)
# A write the whole team may do (a consulting seat posts messages): not for a grant.
register("emergency_test.team_write", TEAM)
readable_in_emergency("emergency_test.read")


def test_without_a_grant_the_child_is_out_of_sight(world: World) -> None:
    assert world.child not in visible_children(world.unassigned_therapist)
    assert not relation_of(world.unassigned_therapist, world.child).visible


def test_an_active_grant_opens_the_record_read_only(world: World) -> None:
    member = world.unassigned_therapist
    grant(member, world.child)
    seen = visible_children(member).get(pk=world.child.pk)
    relation = relation_of(member, seen)
    assert relation.visible and relation.emergency and relation.on_team
    assert not relation.editor and relation.seat is None
    assert allows(member, "emergency_test.read", child=seen)
    assert not allows(member, "emergency_test.write", child=seen)
    assert not allows(member, "emergency_test.team_write", child=seen)
    assert allows(world.consulting_therapist, "emergency_test.team_write", child=world.child)


def test_a_grant_passes_only_the_actions_listed_as_reads(world: World) -> None:
    member = world.unassigned_therapist
    grant(member, world.child)
    reads = emergency_reads()
    assert {"children.view", "plans.view", "notes.view", "messaging.view"} <= reads
    assert not reads & {"messaging.post", "messaging.handoff", "notes.addendum", "plans.edit"}
    assert reads - {"emergency_test.read"} <= set(registered())  # no typo in the list
    for action in ("messaging.post", "messaging.handoff", "notes.addendum", "children.edit"):
        assert not allows(member, action, child=world.child), action
    assert allows(member, "messaging.view", child=world.child)
    assert allows(world.consulting_therapist, "messaging.post", child=world.child)


def test_the_care_team_reads_without_the_emergency_flag(world: World) -> None:
    assert not relation_of(world.therapist, world.child).emergency
    assert not relation_of(world.consulting_therapist, world.child).emergency
    assert not relation_of(world.admin, world.child).emergency


def test_a_grant_opens_only_its_child_to_only_its_holder(world: World) -> None:
    grant(world.unassigned_therapist, world.child)
    assert world.sibling not in visible_children(world.unassigned_therapist)
    colleague = f.TherapistFactory(organization=world.org)
    assert world.child not in visible_children(colleague)


@pytest.mark.clock
def test_a_grant_ends_at_its_hour_even_for_a_query_built_before(world: World) -> None:
    member = world.unassigned_therapist
    access = grant(member, world.child)
    assert world.child in visible_children(member)  # built now, and kept on the object
    with time_machine.travel(access.expires_at + datetime.timedelta(seconds=1)):
        assert world.child not in visible_children(member)
    with time_machine.travel(access.expires_at - datetime.timedelta(minutes=1)):
        assert world.child in visible_children(member)


def test_a_grant_ended_early_or_not_yet_begun_opens_nothing(world: World) -> None:
    member = world.unassigned_therapist
    grant(member, world.child, ended_at=clock.now(), ended_by=member)
    later = clock.now() + datetime.timedelta(hours=1)
    grant(member, world.sibling, started_at=later, expires_at=later + datetime.timedelta(hours=4))
    assert not visible_children(member).filter(pk__in=[world.child.pk, world.sibling.pk]).exists()


def test_the_relation_still_comes_with_the_child_in_one_query(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    member = world.unassigned_therapist
    grant(member, world.child)
    with django_assert_num_queries(1):
        children = {c.first_name: c for c in visible_children(member)}
        maya = relation_of(member, children["Maya"])
        noah = relation_of(member, children["Noah"])
    assert maya.emergency and not maya.editor
    assert noah.seat == "lead" and noah.editor and not noah.emergency
