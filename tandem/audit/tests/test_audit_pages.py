"""Admins browse the audit trail per child and per person; nobody can edit it."""

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.audit.models import AccessLog
from tandem.audit.versions import versioned_models
from tandem.children.models import TeamRole
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def edit_child(world: World, client_as: ClientAs, **changes: str) -> None:
    data = {
        "first_name": "Maya",
        "last_name": "Okafor",
        "date_of_birth": world.child.date_of_birth,
        "sex": "F",
        "interests": "",
        "version": world.child.version,
    } | changes
    response = client_as(world.therapist).post(
        reverse("children:edit", args=[world.child.id]), data
    )
    assert response.status_code == 302


def test_child_trail_shows_page_names_and_field_changes(world: World, client_as: ClientAs) -> None:
    client_as(world.guardian).get(reverse("children:detail", args=[world.child.id]))
    edit_child(world, client_as, interests="Lego bricks")
    body = (
        client_as(world.admin).get(reverse("audit:child", args=[world.child.id])).content.decode()
    )
    assert world.guardian.user.get_full_name() in body
    assert "Child record" in body and "children:detail" not in body
    assert "<dt>Interests</dt>" in body and "Lego bricks" in body
    changes = body.split("<h2>Changes")[1]
    assert str(world.child.id) not in changes.replace(f"/{world.child.id}/", "")  # no raw ids


def test_links_and_choices_read_as_names(world: World, client_as: ClientAs) -> None:
    body = (
        client_as(world.admin).get(reverse("audit:child", args=[world.child.id])).content.decode()
    )
    # The care-team seat created for the therapist: the link by name, the role by label.
    assert "<dt>Therapist</dt>" in body and world.therapist.display_name in body
    assert "<dt>Role on the team</dt>" in body and str(TeamRole.LEAD.label) in body
    assert str(world.therapist.id) not in body.split("<h2>Changes")[1]


def test_long_text_is_shortened_with_a_way_to_see_it_whole(
    world: World, client_as: ClientAs
) -> None:
    long = "Loves building towers " * 10
    edit_child(world, client_as, interests=long.strip())
    body = (
        client_as(world.admin).get(reverse("audit:child", args=[world.child.id])).content.decode()
    )
    assert "…" in body and "Show all" in body and long.strip() in body


def test_a_list_that_showed_the_child_is_in_its_trail(world: World, client_as: ClientAs) -> None:
    client_as(world.therapist).get(reverse("children:caseload"))
    body = (
        client_as(world.admin).get(reverse("audit:child", args=[world.child.id])).content.decode()
    )
    assert "Caseload" in body and "a list of 2 children" in body
    other = (
        client_as(world.admin)
        .get(reverse("audit:child", args=[world.other_child.id]))
        .content.decode()
    )
    assert "a list of 2 children" not in other  # not on this therapist's caseload


def test_person_trail_shows_what_they_viewed(world: World, client_as: ClientAs) -> None:
    client_as(world.therapist).get(reverse("children:detail", args=[world.sibling.id]))
    body = (
        client_as(world.admin)
        .get(reverse("audit:person", args=[world.therapist.id]))
        .content.decode()
    )
    assert "Eli Okafor" in body and "Child record" in body


def test_audit_is_for_admins_of_the_same_clinic(world: World, client_as: ClientAs) -> None:
    assert client_as(world.therapist).get(reverse("audit:index")).status_code == 404
    assert client_as(world.therapist).get(reverse("audit:export")).status_code == 404
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


# One history query per versioned model, one per model its changes link to (named in
# bulk), and the page's own: however many views and changes there are.
BUDGET = 30 + len(versioned_models())


@pytest.mark.parametrize("views", [1, 25])
def test_audit_pages_query_count_is_bounded(
    world: World,
    client_as: ClientAs,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    views: int,
) -> None:
    for _ in range(views):
        client_as(world.guardian).get(reverse("children:detail", args=[world.child.id]))
        client_as(world.unassigned_therapist).get(reverse("children:detail", args=[world.child.id]))
    edit_child(world, client_as, interests="Lego")
    client = client_as(world.admin)
    urls = [
        reverse("audit:index"),
        reverse("audit:index") + "?action=refused&start=2020-01-01",
        reverse("audit:child", args=[world.child.id]),
        reverse("audit:person", args=[world.therapist.id]),
        reverse("audit:seen", args=[world.child.id]),
    ]
    for url in urls:
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("audit:export"))
        assert response.status_code == 200
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
