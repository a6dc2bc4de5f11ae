"""visible_children(membership) is built once per membership object and cloned after
(issue 16: building the annotated query cost about as much as running it). A clone is
unevaluated, so it reads the database as it is when used; what shapes the query (the
role, a collaborator's today) rebuilds it."""

import datetime

import pytest
import time_machine

from tandem.access import visible_children
from tandem.accounts.models import Role
from tandem.children.models import CareTeamMember, TeamRole
from tandem.conftest import World
from tandem.consent.models import ConsentGrant

pytestmark = pytest.mark.django_db


def test_a_later_use_sees_a_seat_given_in_between(world: World) -> None:
    member = world.unassigned_therapist
    assert world.child not in visible_children(member)
    CareTeamMember.objects.create(
        organization_id=world.child.organization_id,
        child=world.child,
        therapist=member,
        role=TeamRole.TREATING,
    )
    seen = visible_children(member).get(pk=world.child.pk)
    assert seen.can_edit and seen.rel_seat == TeamRole.TREATING


def test_a_changed_role_builds_the_query_again(world: World) -> None:
    member = world.unassigned_therapist
    assert world.child not in visible_children(member)
    member.role = Role.ADMIN  # as if promoted (not saved: the object's role is what counts)
    assert world.child in visible_children(member)


def test_a_collaborators_consent_ends_on_its_day_for_the_same_object(world: World) -> None:
    teacher = world.consented_collaborator
    last_day = ConsentGrant.objects.get(collaborator=teacher, child=world.child).expires_on
    assert world.child in visible_children(teacher)
    with time_machine.travel(last_day + datetime.timedelta(days=2)):
        assert world.child not in visible_children(teacher)
