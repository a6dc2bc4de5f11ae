"""The authorization matrices' world builds at any hour (run at pinned instants by
`make test-clock`): its set-up signs a note for each child it visits, and a note dated
the test clinics' today must sign whatever UTC's date is."""

import datetime

import pytest

from tandem.conftest import World
from tandem.consent.models import ConsentGrant
from tandem.core import clock
from tandem.core.testing.factories import clinic_today
from tandem.notes.models import NoteStatus, SessionNote

pytestmark = pytest.mark.clock


def test_the_matrix_world_builds_and_signs_its_notes_on_the_clinics_today(
    matrix_world: World,
    db: None,
) -> None:
    today = clinic_today()
    riverside, lakeside = matrix_world.child.organization, matrix_world.foreign_child.organization
    assert today == clock.today_for(riverside) == clock.today_for(lakeside)
    signed = SessionNote.objects.filter(status=NoteStatus.SIGNED).select_related("encounter")
    visited = {matrix_world.child, matrix_world.other_child, matrix_world.foreign_child}
    # The visits' notes are dated today; the FHIR matrix also signs the note of a session
    # attended three days ago (an Encounter to read), dated on its session's day.
    today_notes = [note for note in signed if note.date == today]
    assert {note.child for note in today_notes} == visited
    for note in signed:
        assert note.encounter is not None or note.date == today
        if note.encounter is not None:
            zone = clock.zone_for(note.child.organization)
            assert note.date == note.encounter.starts_at.astimezone(zone).date()
    assert all(note.signed_at and note.content_hash for note in signed)


def test_the_matrix_consents_are_active_or_ended_on_the_clinics_calendar(
    matrix_world: World,
    db: None,
) -> None:
    riverside = matrix_world.child.organization
    today = clock.today_for(riverside)
    grants = ConsentGrant.objects.filter(organization=riverside)
    by = {grant.collaborator_id: grant for grant in grants}
    assert by[matrix_world.expired_collaborator.id].expires_on == today - datetime.timedelta(days=1)
    assert not by[matrix_world.expired_collaborator.id].is_active(today)
    assert by[matrix_world.revoked_collaborator.id].revoked_at is not None
    assert (
        ConsentGrant.objects.filter(collaborator=matrix_world.consented_collaborator)
        .active(today)
        .count()
        == 2
    )
