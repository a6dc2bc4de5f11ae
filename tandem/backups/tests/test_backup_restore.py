"""``manage.py backup`` and ``restore``: a clinic with real records comes back whole
(the full-record digest of each clinic is the same), signed notes still verify, and a
backup that was changed, made by a newer Tandem or of another database is refused before
anything is touched. On SQLite and PostgreSQL alike (``make test-postgres``).

The tests that restore commit their records (``transactional_db``): pg_dump reads only
what is committed, and pg_restore replaces the tables under every connection. Those
refused before anything is restored run in a transaction, as most tests do.
"""

import builtins
import datetime
import json
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pytest_django import Settings

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.homeprogram.tests.helpers import PDF_BYTES, log, make_activity, upload
from tandem.messaging import actions as messaging
from tandem.messaging.tests.helpers import png
from tandem.notes import actions as notes
from tandem.notes.cosigning import cosign_note
from tandem.notes.models import NoteStatus, SessionNote
from tandem.notes.tests.helpers import active_goals, make_note
from tandem.plans.tests.helpers import make_plan

COMMITTED = pytest.mark.django_db(transaction=True)

DATABASE_FILE = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """Uploaded files in this test's own folder (a restore swaps the folder's contents)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def records(world: World) -> None:
    """A clinic's life: a plan, signed, co-signed and draft notes with an addendum, a home
    activity with its handout, practice, messages with a picture; and another clinic."""
    make_plan(world.child, world.therapist, goals=2)
    goals = active_goals(world.child)
    signed = make_note(world.child, world.therapist, goals=goals, sign=True)
    notes.add_addendum(signed, world.therapist, "Her mother reports buttons at home too.")
    by_assistant = make_note(
        world.child,
        world.assistant,
        goals=goals,
        sign=True,
        start_time=datetime.time(11),
        end_time=datetime.time(11, 45),
    )
    cosign_note(by_assistant, world.therapist, expected_version=by_assistant.version)
    make_note(  # a draft
        world.child,
        world.therapist,
        goals=goals[:1],
        start_time=datetime.time(14),
        end_time=datetime.time(14, 30),
    )
    activity = make_activity(
        world.child, world.therapist, goals=goals[:1], handout=upload("pegs.pdf", PDF_BYTES)
    )
    log(activity, world.guardian)
    messaging.post_message(world.therapist, world.child, "See you on Tuesday.")
    messaging.post_message(world.guardian, world.child, "Her drawing of the pegs", png())
    make_note(world.foreign_child, world.foreign_therapist, sign=True)


def digests() -> str:
    """``manage.py record_digest``: one line per clinic."""
    out = StringIO()
    call_command("record_digest", stdout=out)
    return out.getvalue()


def back_up(tmp_path: Path) -> Path:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=StringIO())
    return folder


def restore(folder: Path, *options: str) -> str:
    out = StringIO()
    call_command("restore", str(folder), *options, stdout=out)
    return out.getvalue()


def wipe(media: Path) -> None:
    """Lose everything: every table emptied, every uploaded file gone."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


@COMMITTED
def test_a_restored_backup_gives_back_every_record_and_file(
    world: World, media: Path, tmp_path: Path, client_as: ClientAs
) -> None:
    records(world)
    before = digests()
    folder = back_up(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert set(manifest["files"]) == {DATABASE_FILE, "media.tar"}
    assert "notes.0001_initial" in manifest["migrations"]
    with pytest.raises(CommandError, match="already exists and is not empty"):
        back_up(tmp_path)  # a backup never writes over another
    wipe(media)
    assert digests() == ""  # no clinic left
    said = restore(folder, "--yes")
    assert "Restored the database" in said and "Restored the uploaded files" in said
    assert digests() == before
    # The seals still verify, as the API reads them.
    api = client_as(world.therapist)
    signed = SessionNote.objects.filter(child=world.child).exclude(status=NoteStatus.DRAFT)
    assert signed.count() == 2
    for note in signed:
        answer = api.get(f"/api/v1/children/{world.child.id}/notes/{note.id}").json()
        assert answer["content_intact"] is True
    handout = next(media.rglob("*.pdf"))
    assert handout.read_bytes() == PDF_BYTES


def tampered(folder: Path, name: str, change: Any) -> Path:
    """A copy of the backup with one change made to it."""
    copy = folder.with_name(f"{folder.name}-{name}")
    shutil.copytree(folder, copy)
    change(copy)
    return copy


def flip_a_byte(folder: Path) -> None:
    path = folder / DATABASE_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def manifest_change(**changes: Any) -> Any:
    def change(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text())
        for name, value in changes.items():
            manifest[name] = value(manifest[name]) if callable(value) else value
        (folder / "manifest.json").write_text(json.dumps(manifest))

    return change


@COMMITTED
def test_a_changed_backup_or_one_this_tandem_cannot_take_is_refused_untouched(
    world: World, media: Path, tmp_path: Path
) -> None:
    folder = back_up(tmp_path)
    messaging.post_message(world.therapist, world.child, "Written after the backup.")
    other_engine = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    newer = manifest_change(migrations=lambda m: [*m, "notes.9999_from_a_newer_tandem"])
    refusals = {
        "changed": (flip_a_byte, f"{DATABASE_FILE} does not match the manifest"),
        "newer": (newer, r"made by a newer Tandem.*notes\.9999_from_a_newer_tandem"),
        "engine": (manifest_change(engine=other_engine), f"runs on {connection.vendor}"),
    }
    for name, (change, refusal) in refusals.items():
        with pytest.raises(CommandError, match=refusal):
            restore(tampered(folder, name, change), "--yes")
    assert messaging.Message.objects.filter(body="Written after the backup.").exists()


def test_a_folder_without_a_manifest_is_no_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a Tandem backup"):
        restore(tmp_path, "--yes")


@COMMITTED
def test_restore_asks_first_and_changes_nothing_unless_told_yes(
    world: World, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = back_up(tmp_path)
    messaging.post_message(world.therapist, world.child, "Written after the backup.")
    later = messaging.Message.objects.filter(body="Written after the backup.")
    monkeypatch.setattr(builtins, "input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Not restored"):
        restore(folder)
    assert later.exists()
    monkeypatch.setattr(builtins, "input", lambda prompt: "yes")
    restore(folder)
    assert not later.exists()


@COMMITTED
def test_uploads_on_a_storage_service_are_left_to_it(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    folder = back_up(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {DATABASE_FILE}
    assert manifest["media"].startswith("not included")


@COMMITTED
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_restore's --clean only")
def test_a_database_with_tables_the_backup_does_not_know_is_refused(
    world: World, media: Path, tmp_path: Path
) -> None:
    folder = back_up(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE stray_from_a_newer_tandem (id integer)")
    try:
        with pytest.raises(CommandError, match="tables the backup does not know"):
            restore(folder, "--yes")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE stray_from_a_newer_tandem")
