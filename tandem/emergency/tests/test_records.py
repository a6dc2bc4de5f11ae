"""A grant is kept as given: only its end and its review are written later; nothing of it,
nor any search, is deleted or rewritten through the app."""

import datetime

import pytest

from tandem.conftest import World
from tandem.core import clock
from tandem.emergency.models import EmergencyAccess, EmergencySearch, SearchOutcome

from .helpers import grant

pytestmark = pytest.mark.django_db


def test_what_was_granted_cannot_be_changed(world: World) -> None:
    access = grant(world.unassigned_therapist, world.child)
    access.expires_at += datetime.timedelta(hours=8)
    with pytest.raises(TypeError, match="expires_at"):
        access.save()
    loaded = EmergencyAccess.objects.get(pk=access.pk)
    loaded.reason = "Something else entirely, written later."
    with pytest.raises(TypeError, match="reason"):
        loaded.save()


def test_its_end_is_written_and_versioned(world: World) -> None:
    access = EmergencyAccess.objects.get(pk=grant(world.unassigned_therapist, world.child).pk)
    access.ended_at = clock.now()
    access.ended_by = world.unassigned_therapist
    access.save()
    assert access.history.count() == 2


def test_grants_and_searches_are_never_deleted_or_rewritten(world: World) -> None:
    access = grant(world.unassigned_therapist, world.child)
    with pytest.raises(TypeError):
        access.delete()
    with pytest.raises(TypeError):
        EmergencyAccess.objects.all().delete()
    with pytest.raises(TypeError):
        EmergencyAccess.objects.update(reason="x" * 20)
    search = EmergencySearch.objects.create(
        organization=world.org,
        member=world.unassigned_therapist,
        first_name="Maya",
        last_name="Okafor",
        date_of_birth=world.child.date_of_birth,
        outcome=SearchOutcome.NO_MATCH,
    )
    search.outcome = SearchOutcome.FOUND
    with pytest.raises(TypeError):
        search.save()
    with pytest.raises(TypeError):
        search.delete()
