"""The access kernel: relations in one query, rule atoms, the registry, the refusals.

The expectations come from PRODUCT.md's roles table (who sees which child, who edits),
not from the kernel's code.
"""

from typing import cast

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from pytest_django import DjangoAssertNumQueries

from tandem.access import (
    ADMIN,
    AUTHOR,
    COLLABORATOR,
    EDITOR,
    GUARDIAN,
    LEGAL_GUARDIAN,
    SUPERVISOR_OF_AUTHOR,
    TEAM,
    MemberRequest,
    allows,
    child_for,
    register,
    relation_of,
    rule_for,
    visible_children,
)
from tandem.access.registry import registered
from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing import factories as f


@pytest.fixture
def office(world: World) -> dict[str, Membership]:
    """Every persona of the world by name, and the clinic's front desk and billing."""
    return {
        **world.members(),
        "front_desk": f.MembershipFactory(organization=world.org, role=Role.FRONT_DESK),
        "billing": f.MembershipFactory(organization=world.org, role=Role.BILLING),
    }


def test_each_role_sees_the_children_the_product_says(office: dict[str, Membership]) -> None:
    seen = {
        name: set(visible_children(office[name]).values_list("first_name", flat=True))
        for name in (
            "admin",
            "therapist",
            "consulting_therapist",
            "unassigned_therapist",
            "guardian",
            "other_guardian",
            "collaborator",
            "consented_collaborator",
            "expired_collaborator",
            "revoked_collaborator",
            "front_desk",
            "billing",
            "foreign_admin",
        )
    }
    assert seen["admin"] == {"Maya", "Eli", "Noah"}
    assert seen["therapist"] == {"Maya", "Eli"}
    assert seen["consulting_therapist"] == {"Maya"}
    assert seen["unassigned_therapist"] == {"Noah"}
    assert seen["guardian"] == {"Maya", "Eli"}
    assert seen["other_guardian"] == {"Noah"}
    assert seen["collaborator"] == set()
    assert seen["consented_collaborator"] == {"Maya", "Noah"}
    assert seen["expired_collaborator"] == set()
    assert seen["revoked_collaborator"] == set()
    # The office sees the whole clinic (scheduling, intake, billing), nobody else's.
    assert seen["front_desk"] == seen["billing"] == {"Maya", "Eli", "Noah"}
    assert seen["foreign_admin"] == {"Zara"}


def test_the_relation_comes_with_the_child_in_one_query(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        children = {c.first_name: c for c in visible_children(world.therapist)}
        maya = relation_of(world.therapist, children["Maya"])
        eli = relation_of(world.therapist, children["Eli"])
    assert maya.seat == "lead" and maya.editor and maya.on_team
    assert eli.editor


def test_relations_per_role(world: World) -> None:
    w = world
    consulting = relation_of(w.consulting_therapist, w.child)
    assert consulting.on_team and not consulting.editor
    assert relation_of(w.admin, w.child).editor
    guardian = relation_of(w.guardian, w.child)
    assert guardian.guardian and not guardian.on_team
    shared = relation_of(w.consented_collaborator, w.child).scopes
    assert shared == {"summary"}
    assert relation_of(w.consented_collaborator, w.other_child).scopes == {
        "summary",
        "observations",
        "notes",
    }
    # Another clinic's child: no relation, whatever the role.
    assert not relation_of(w.foreign_admin, w.child).visible
    assert not relation_of(w.unassigned_therapist, w.child).visible


def test_atoms_combine_and_know_their_roles() -> None:
    rule = EDITOR | GUARDIAN
    assert rule.roles == {"admin", "therapist", "guardian"}
    assert (LEGAL_GUARDIAN & GUARDIAN).roles == {"guardian"}
    assert COLLABORATOR("notes").roles == {"collaborator"}
    assert str(ADMIN | TEAM) == "ADMIN | TEAM"


def test_object_rules_look_at_the_object(world: World) -> None:
    note = type("Note", (), {"author_id": world.assistant.pk, "author": world.assistant})()
    note.child = world.child
    register("kernel_test.cosign", SUPERVISOR_OF_AUTHOR)
    register("kernel_test.edit_own", AUTHOR)
    assert allows(world.therapist, "kernel_test.cosign", obj=note)  # the assistant's supervisor
    assert not allows(world.admin, "kernel_test.cosign", obj=note)
    assert allows(world.assistant, "kernel_test.edit_own", obj=note)
    assert not allows(world.therapist, "kernel_test.edit_own", obj=note)


def test_a_child_out_of_sight_is_never_allowed(world: World) -> None:
    register("kernel_test.anyone", ADMIN | TEAM | GUARDIAN)
    assert allows(world.admin, "kernel_test.anyone", child=world.child)
    assert not allows(world.foreign_admin, "kernel_test.anyone", child=world.child)
    assert not allows(world.other_guardian, "kernel_test.anyone", child=world.child)


def test_actions_are_named_once_and_must_exist() -> None:
    register("kernel_test.once", ADMIN)
    with pytest.raises(ValueError, match="already has a rule"):
        register("kernel_test.once", EDITOR)
    with pytest.raises(ValueError, match=r"<app>\.<verb>"):
        register("nodot", ADMIN)
    with pytest.raises(LookupError, match="No access rule"):
        rule_for("kernel_test.never_registered")


def test_every_app_registers_its_actions() -> None:
    apps = {name.split(".")[0] for name in registered()}
    assert {"children", "consent", "audit"} <= apps


def test_child_for_hides_on_reads_and_refuses_writes(world: World) -> None:
    register("kernel_test.write", EDITOR)
    factory = RequestFactory()
    get = cast(MemberRequest, factory.get("/"))
    get.membership = world.consulting_therapist
    with pytest.raises(Http404):
        child_for(get, world.child.id, "kernel_test.write")
    post = cast(MemberRequest, factory.post("/"))
    post.membership = world.consulting_therapist
    with pytest.raises(PermissionDenied):
        child_for(post, world.child.id, "kernel_test.write")
    outsider = cast(MemberRequest, factory.post("/"))
    outsider.membership = world.foreign_admin
    with pytest.raises(Http404):
        child_for(outsider, world.child.id, "kernel_test.write")
    post.membership = world.therapist
    assert child_for(post, world.child.id, "kernel_test.write") == world.child


def test_the_template_tag_gives_the_same_answer(world: World) -> None:
    register("kernel_test.shown", EDITOR)
    template = Template(
        '{% load access %}{% allows "kernel_test.shown" child=child as ok %}{{ ok|yesno }}'
    )
    request = cast(MemberRequest, RequestFactory().get("/"))
    for member, expected in ((world.therapist, "yes"), (world.consulting_therapist, "no")):
        request.membership = member
        child = visible_children(member).get(pk=world.child.pk)
        assert template.render(Context({"request": request, "child": child})) == expected
