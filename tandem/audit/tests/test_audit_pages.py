"""Admins browse the audit trail per child and per person; nobody can edit it."""

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.audit.models import AccessLog
from tandem.audit.versions import versioned_models
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def test_child_trail_shows_views_and_changes(world: World, client_as: ClientAs) -> None:
    client_as(world.guardian).get(reverse("children:detail", args=[world.child.id]))
    client_as(world.therapist).post(
        reverse("children:edit", args=[world.child.id]),
        {
            "first_name": "Maya",
            "last_name": "Okafor",
            "date_of_birth": world.child.date_of_birth,
            "sex": "F",
            "interests": "Lego bricks",
            "version": world.child.version,
        },
    )
    body = (
        client_as(world.admin).get(reverse("audit:child", args=[world.child.id])).content.decode()
    )
    assert world.guardian.user.get_full_name() in body
    assert "children:detail" in body
    assert "Lego bricks" in body and "interests" in body


def test_a_list_that_showed_the_child_is_in_its_trail(world: World, client_as: ClientAs) -> None:
    client_as(world.therapist).get(reverse("children:caseload"))
    body = (
        client_as(world.admin).get(reverse("audit:child", args=[world.child.id])).content.decode()
    )
    assert "children:caseload" in body and "a list of 2 children" in body
    other = (
        client_as(world.admin)
        .get(reverse("audit:child", args=[world.other_child.id]))
        .content.decode()
    )
    assert "children:caseload" not in other  # not on this therapist's caseload


def test_person_trail_shows_what_they_viewed(world: World, client_as: ClientAs) -> None:
    client_as(world.therapist).get(reverse("children:detail", args=[world.sibling.id]))
    body = (
        client_as(world.admin)
        .get(reverse("audit:person", args=[world.therapist.id]))
        .content.decode()
    )
    assert "Eli Okafor" in body


def test_audit_is_for_admins_of_the_same_clinic(world: World, client_as: ClientAs) -> None:
    assert client_as(world.therapist).get(reverse("audit:index")).status_code == 404
    assert (
        client_as(world.foreign_admin)
        .get(reverse("audit:child", args=[world.child.id]))
        .status_code
        == 404
    )


def test_access_log_rows_cannot_be_edited_or_deleted(world: World, client_as: ClientAs) -> None:
    client_as(world.guardian).get(reverse("children:detail", args=[world.child.id]))
    row = AccessLog.objects.get()
    row.route = "tampered"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.filter(pk=row.pk).update(route="tampered")
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().route == "children:detail"


def test_audit_pages_query_count_is_bounded(
    world: World, client_as: ClientAs, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(20):
        client_as(world.guardian).get(reverse("children:detail", args=[world.child.id]))
    client = client_as(world.admin)
    # One history query per versioned model, however many changes and views there are.
    budget = 18 + len(versioned_models())
    with django_assert_max_num_queries(budget):
        assert client.get(reverse("audit:index")).status_code == 200
