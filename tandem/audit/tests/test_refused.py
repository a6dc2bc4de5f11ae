"""A signed-in member refused a child's record (404/403) is in the clinic's trail; the
row names the child only if it is the clinic's own, never another clinic's."""

import uuid

from django.urls import reverse

from tandem.api.tests.conftest import ApiAs, api_as  # noqa: F401 (the API's caller)
from tandem.audit.models import AccessLog
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def refused() -> list[AccessLog]:
    return list(AccessLog.objects.filter(action=AccessLog.Action.REFUSED))


def test_same_clinic_child_out_of_scope_is_recorded_and_shown(
    world: World, client_as: ClientAs
) -> None:
    url = reverse("notes:index", args=[world.child.id])
    assert client_as(world.unassigned_therapist).get(url).status_code == 404
    (row,) = refused()
    assert row.child == world.child and row.user == world.unassigned_therapist.user
    assert row.organization == world.org and row.route == "notes:index" and row.path == url
    body = client_as(world.admin).get(reverse("audit:index"), {"action": "refused"}).content
    text = body.decode()
    assert "Refused" in text and "Session notes" in text and "Maya Okafor" in text
    assert world.unassigned_therapist.display_name in text


def test_another_clinics_child_is_recorded_without_naming_it(
    world: World, client_as: ClientAs
) -> None:
    url = reverse("children:detail", args=[world.foreign_child.id])
    assert client_as(world.therapist).get(url).status_code == 404
    (row,) = refused()
    assert row.organization == world.org and row.child is None  # the asker's clinic
    text = client_as(world.admin).get(reverse("audit:index")).content.decode()
    assert "No record of this clinic" in text
    assert world.foreign_child.display_name not in text
    assert str(world.foreign_child.id) not in text
    foreign = client_as(world.foreign_admin).get(reverse("audit:index")).content.decode()
    assert world.therapist.display_name not in foreign  # not in the other clinic's trail


def test_an_id_that_is_no_child_is_recorded(world: World, client_as: ClientAs) -> None:
    url = reverse("children:detail", args=[uuid.uuid4()])
    assert client_as(world.guardian).get(url).status_code == 404
    (row,) = refused()
    assert row.child is None and row.user == world.guardian.user


def test_a_refused_write_is_recorded(world: World, client_as: ClientAs) -> None:
    url = reverse("children:edit", args=[world.child.id])
    assert client_as(world.consulting_therapist).post(url, {}).status_code == 403
    (row,) = refused()
    assert row.child == world.child and row.route == "children:edit"


def test_api_refusals_are_recorded(world: World, api_as: ApiAs) -> None:  # noqa: F811
    response = api_as(world.other_guardian).get(f"/children/{world.child.id}")
    assert response.status_code == 404
    (row,) = refused()
    assert row.child == world.child and row.route.startswith("api:")


def test_answers_that_succeed_or_name_no_child_record_nothing(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.therapist)
    assert client.get(reverse("children:detail", args=[world.child.id])).status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(reverse("audit:index")).status_code == 404  # no child in the URL
    assert refused() == []


def test_signed_out_visitors_are_not_recorded(world: World) -> None:
    from django.test import Client

    assert Client().get(reverse("children:detail", args=[uuid.uuid4()])).status_code == 302
    assert refused() == []
