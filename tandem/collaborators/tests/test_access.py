"""The access layer opens a child to a collaborator only with a consent for that part."""

import datetime

from tandem.children.access import (
    children_visible_to,
    diagnoses_visible_to,
    guardian_links_visible_to,
)
from tandem.consent.models import Scope
from tandem.notes.access import goal_data_of, notes_of
from tandem.plans.access import goals_of, plans_of, signatures_of
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions


def test_without_a_scope_a_collaborator_sees_no_child(world):
    assert not children_visible_to(world.consented_collaborator).exists()


def test_each_scope_opens_only_the_children_it_is_shared_for(world):
    member = world.consented_collaborator
    assert set(children_visible_to(member, consent_scope=Scope.SUMMARY)) == {
        world.child,
        world.other_child,
    }
    assert set(children_visible_to(member, consent_scope=Scope.NOTES)) == {world.other_child}
    for persona in ("expired_collaborator", "revoked_collaborator", "collaborator"):
        member = getattr(world, persona)
        for scope in Scope:
            assert not children_visible_to(member, consent_scope=scope).exists(), persona


def test_a_scope_changes_nothing_for_other_roles(world):
    for persona in ("admin", "therapist", "guardian", "other_guardian", "foreign_admin"):
        member = getattr(world, persona)
        expected = set(children_visible_to(member))
        for scope in Scope:
            assert set(children_visible_to(member, consent_scope=scope)) == expected


def test_records_follow_the_consent_even_when_asked_directly(world):
    """Defence in depth: the *_of helpers re-check the consent for collaborators."""
    plan = make_plan(world.child, world.therapist)
    goal = make_goal(plan)
    record_sessions(world.therapist, world.child, [(datetime.date(2024, 2, 5), {goal: (1.0, 0)})])
    teacher = world.consented_collaborator  # Maya: summary only
    assert list(plans_of(teacher, world.child)) == [plan]
    assert list(goals_of(teacher, world.child)) == [goal]
    assert goal_data_of(teacher, world.child).count() == 1
    assert not notes_of(teacher, world.child).exists()  # notes not shared
    assert not signatures_of(teacher, world.child).exists()
    assert not diagnoses_visible_to(teacher, world.child).exists()
    assert not guardian_links_visible_to(teacher, world.child).exists()
    for persona in ("expired_collaborator", "revoked_collaborator"):
        member = getattr(world, persona)
        assert not plans_of(member, world.child).exists()
        assert not goal_data_of(member, world.child).exists()
        assert not notes_of(member, world.child).exists()
