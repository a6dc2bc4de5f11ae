"""The child's profile page, as each role, and its access log."""

from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def url(child: Child) -> str:
    return reverse("children:detail", args=[child.id])


def test_therapist_on_the_team_reads_the_profile(world: World, client_as: ClientAs) -> None:
    world.child.interests = "Dinosaurs and trains"
    world.child.save()
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert "Dinosaurs and trains" in body
    assert "Edit profile" in body


def test_consulting_therapist_reads_but_has_no_edit_button(
    world: World, client_as: ClientAs
) -> None:
    body = client_as(world.consulting_therapist).get(url(world.child)).content.decode()
    assert "Maya" in body and "Edit profile" not in body


def test_therapist_not_on_the_team_gets_404(world: World, client_as: ClientAs) -> None:
    assert client_as(world.unassigned_therapist).get(url(world.child)).status_code == 404


def test_guardian_of_another_family_gets_404(world: World, client_as: ClientAs) -> None:
    response = client_as(world.other_guardian).get(url(world.child))
    assert response.status_code == 404
    assert "Maya" not in response.content.decode()


def test_other_clinic_gets_404(world: World, client_as: ClientAs) -> None:
    assert client_as(world.foreign_admin).get(url(world.child)).status_code == 404


def test_unknown_id_is_404(world: World, client_as: ClientAs) -> None:
    assert (
        client_as(world.admin).get("/children/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_each_view_writes_an_access_log_row(world: World, client_as: ClientAs) -> None:
    client_as(world.guardian).get(url(world.child))
    client_as(world.therapist).get(reverse("children:team", args=[world.child.id]))
    rows = list(AccessLog.objects.filter(child=world.child).order_by("at", "id"))
    assert [(r.user, r.route) for r in rows] == [
        (world.guardian.user, "children:detail"),
        (world.therapist.user, "children:team"),
    ]
    assert all(r.organization_id == world.child.organization_id for r in rows)


def test_refused_views_write_no_access_log(world: World, client_as: ClientAs) -> None:
    client_as(world.other_guardian).get(url(world.child))
    # Only the refused attempt (tandem.audit.middleware), never a view.
    rows = AccessLog.objects.filter(child=world.child)
    assert [r.action for r in rows] == [AccessLog.Action.REFUSED]


def test_profile_query_count_is_bounded(
    world: World, client_as: ClientAs, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_as(world.therapist)
    with django_assert_max_num_queries(18):
        assert client.get(url(world.child)).status_code == 200
