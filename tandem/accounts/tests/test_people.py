"""The admin's people directory."""

from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def test_admin_lists_the_clinics_people_only(world: World, client_as: ClientAs) -> None:
    body = client_as(world.admin).get(reverse("accounts:people")).content.decode()
    assert world.therapist.user.email in body
    assert world.foreign_admin.user.email not in body


def test_people_page_filters_by_role(world: World, client_as: ClientAs) -> None:
    body = (
        client_as(world.admin)
        .get(reverse("accounts:people"), {"role": "guardian"})
        .content.decode()
    )
    assert world.guardian.user.email in body and world.therapist.user.email not in body


def test_therapists_and_guardians_have_no_people_page(world: World, client_as: ClientAs) -> None:
    assert client_as(world.therapist).get(reverse("accounts:people")).status_code == 404
    assert client_as(world.guardian).get(reverse("accounts:people")).status_code == 404


def test_admin_sets_an_assistants_supervisor(world: World, client_as: ClientAs) -> None:
    url = reverse("accounts:person", args=[world.unassigned_therapist.id])
    response = client_as(world.admin).post(
        url,
        {
            "role": Role.THERAPIST,
            "discipline": "pt",
            "licence": "assistant",
            "supervisor": world.therapist.id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    member = Membership.objects.get(pk=world.unassigned_therapist.pk)
    assert member.is_assistant and member.supervisor == world.therapist


def test_admin_cannot_remove_their_own_admin_role(world: World, client_as: ClientAs) -> None:
    url = reverse("accounts:person", args=[world.admin.id])
    client_as(world.admin).post(
        url, {"role": Role.THERAPIST, "discipline": "ot", "licence": "licensed"}
    )
    assert Membership.objects.get(pk=world.admin.pk).role == Role.ADMIN


def test_people_page_query_count_is_bounded(
    world: World, client_as: ClientAs, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_as(world.admin)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("accounts:people")).status_code == 200
