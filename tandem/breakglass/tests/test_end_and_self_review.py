"""Ending an emergency access early — by its holder, or by an admin from its review — and
the one review no admin may record: of an access they held themselves."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.emergency import actions
from tandem.emergency.models import EmergencyAccess, Outcome

from .helpers import break_glass

pytestmark = pytest.mark.django_db


def _opened(world: World, client_as: ClientAs) -> EmergencyAccess:
    break_glass(client_as(world.unassigned_therapist), world.child)
    return EmergencyAccess.objects.get()


def test_an_admin_ends_an_open_access_without_reviewing_it(
    world: World, client_as: ClientAs
) -> None:
    access = _opened(world, client_as)
    admin = client_as(world.admin)
    page = admin.get(reverse("breakglass:review", args=[access.id])).content.decode()
    assert "End this access now" in page
    response = admin.post(reverse("breakglass:end"), {"access": access.id})
    assert response["Location"] == reverse("breakglass:review", args=[access.id])
    access.refresh_from_db()
    assert access.ended_by == world.admin and not access.is_reviewed
    holder = client_as(world.unassigned_therapist)
    assert holder.get(reverse("children:detail", args=[world.child.id])).status_code == 404


def test_nobody_else_ends_an_access(world: World, client_as: ClientAs) -> None:
    access = _opened(world, client_as)
    for member in (world.therapist, world.foreign_admin, world.assistant):
        assert (
            client_as(member).post(reverse("breakglass:end"), {"access": access.id}).status_code
            == 404
        )
    for member in (world.guardian, world.front_desk, world.billing):
        assert (
            client_as(member).post(reverse("breakglass:end"), {"access": access.id}).status_code
            == 404
        )
    access.refresh_from_db()
    assert access.is_active()


@pytest.mark.parametrize("typed", ["not-a-uuid", "1' OR '1'='1", "0" * 32 + "zz"])
def test_a_malformed_access_is_not_found(world: World, client_as: ClientAs, typed: str) -> None:
    _opened(world, client_as)
    for member in (world.unassigned_therapist, world.admin):
        assert (
            client_as(member).post(reverse("breakglass:end"), {"access": typed}).status_code == 404
        )
    assert EmergencyAccess.objects.get().is_active()


def test_a_holder_made_admin_does_not_review_their_own_access(
    world: World, client_as: ClientAs
) -> None:
    access = _opened(world, client_as)
    holder = world.unassigned_therapist
    holder.role = Role.ADMIN
    holder.save()
    client = client_as(holder)
    url = reverse("breakglass:review", args=[access.id])
    page = client.get(url)
    assert page.status_code == 200
    assert "another admin of the clinic reviews it" in page.content.decode()
    assert 'name="outcome"' not in page.content.decode()
    assert client.post(url, {"outcome": Outcome.APPROPRIATE}).status_code == 403
    with pytest.raises(ValidationError, match="another admin"):
        actions.review_access(holder, access, outcome=Outcome.APPROPRIATE)
    access.refresh_from_db()
    assert not access.is_reviewed
    # Another admin does.
    assert client_as(world.admin).post(url, {"outcome": Outcome.APPROPRIATE}).status_code == 302
