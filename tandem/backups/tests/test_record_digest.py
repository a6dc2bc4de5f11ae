"""The full-record export: every row a clinic owns and its files, in one digest that
changes with any of them and with nothing of another clinic's."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pytest_django import Settings

from tandem.backups.records import record_of
from tandem.conftest import World
from tandem.homeprogram.tests.helpers import PDF_BYTES, make_activity, upload
from tandem.messaging import actions as messaging
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_record_holds_the_clinics_rows_its_people_and_their_files(world: World) -> None:
    make_note(world.child, world.therapist, sign=True)
    make_activity(world.child, world.therapist, handout=upload("pegs.pdf", PDF_BYTES))
    record = record_of(world.org.pk)
    tables = record.tables
    assert {row["id"] for row in tables["accounts.Organization"]} == {str(world.org.pk)}
    assert str(world.child.pk) in {row["id"] for row in tables["children.Child"]}
    assert str(world.foreign_child.pk) not in {row["id"] for row in tables["children.Child"]}
    assert world.therapist.user.pk in {row["id"] for row in tables["accounts.User"]}
    assert world.foreign_therapist.user.pk not in {row["id"] for row in tables["accounts.User"]}
    assert len(tables["notes.HistoricalSessionNote"]) >= 2  # versions too
    assert tables["homeprogram.HomeActivity_goals"]  # link tables of the clinic's rows
    assert "sessions.Session" not in tables and "django_tasks_db.DBTaskResult" not in tables
    assert list(record.files.values()) == [hashlib.sha256(PDF_BYTES).hexdigest()]


def test_the_digest_changes_with_any_record_or_file_of_the_clinic_and_only_them(
    world: World,
) -> None:
    activity = make_activity(world.child, world.therapist, handout=upload("pegs.pdf", PDF_BYTES))
    first = record_of(world.org.pk).digest()
    assert record_of(world.org.pk).digest() == first  # the same records, the same digest
    messaging.post_message(world.foreign_therapist, world.foreign_child, "Another clinic's.")
    assert record_of(world.org.pk).digest() == first
    messaging.post_message(world.therapist, world.child, "See you on Tuesday.")
    second = record_of(world.org.pk).digest()
    assert second != first
    name = activity.handout.name
    assert name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(PDF_BYTES + b"%changed"))
    assert record_of(world.org.pk).digest() != second
