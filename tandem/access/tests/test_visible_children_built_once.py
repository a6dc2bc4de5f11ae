"""visible_children(membership) is built once per member, role, clinic and (for a
collaborator) day in a process, and cloned after (issue 16: building the annotated query
cost about as much as running it, and a token's every call loads a new membership). A
clone is unevaluated, so it reads the database as it is when used; what shapes the query
(the role, a collaborator's today) rebuilds it. Its ``values("pk")`` (the scope as the
apps' subquery) is the same filter without the relation's annotations."""

import datetime
import uuid

import pytest
import time_machine

from tandem.access import relation, visible_children
from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember, GuardianLink, TeamRole
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


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    build = relation._visible_children

    def counting(membership: Membership) -> relation._Built:
        built.append(membership.role)
        return build(membership)

    relation.forget_built()
    monkeypatch.setattr(relation, "_visible_children", counting)
    return built


def test_a_role_changed_in_the_database_gives_the_next_load_its_own_scope(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = count_builds(monkeypatch)
    member = Membership.objects.get(pk=world.unassigned_therapist.pk)
    assert world.child not in visible_children(member)
    Membership.objects.filter(pk=member.pk).update(role=Role.ADMIN)
    assert world.child in visible_children(Membership.objects.get(pk=member.pk))
    Membership.objects.filter(pk=member.pk).update(role=Role.THERAPIST)
    assert world.child not in visible_children(Membership.objects.get(pk=member.pk))
    assert built == [Role.THERAPIST, Role.ADMIN]  # the therapist's query was kept


def test_the_scopes_ids_are_the_annotated_scopes_children_for_every_member(world: World) -> None:
    for name, member in world.members().items():
        annotated = set(visible_children(member).values_list("pk", flat=True))
        plain = visible_children(member).values("pk")
        assert "rel_" not in str(plain.query), name
        assert {row["pk"] for row in plain} == annotated, name


def test_ids_after_a_filter_on_the_relation_keep_the_filter(world: World) -> None:
    link = GuardianLink.objects.get(guardian=world.guardian, child=world.sibling)
    link.has_legal_authority = False
    link.save()
    legal = visible_children(world.guardian).filter(rel_legal=True).values("pk")
    assert {row["pk"] for row in legal} == {world.child.pk}
    assert {row["pk"] for row in visible_children(world.guardian).values("pk")} == {
        world.child.pk,
        world.sibling.pk,
    }


def test_the_kept_scopes_are_bounded(world: World) -> None:
    relation.forget_built()
    for _ in range(relation._BUILT_MAX + 5):
        visible_children(Membership(pk=uuid.uuid4(), role=Role.THERAPIST, organization=world.org))
    assert len(relation._BUILT) == relation._BUILT_MAX
    assert world.child in visible_children(world.therapist)  # still built on demand
