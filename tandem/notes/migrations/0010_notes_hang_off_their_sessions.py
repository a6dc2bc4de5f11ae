"""Every session note hangs off a session (encounter).

A note is linked to its child's appointment with the note's author on the note's date
(clinic time) that was not cancelled and is not already another note's, the one
starting nearest the note's start. A note with no such appointment documents a session
that was never booked: it gets a session of its own, at the note's times, with the
child's attendance recorded.

Signed notes are sealed by database triggers on PostgreSQL (the whole row); linking
them is the one change this migration makes to them (the link is not part of the
sealed content), so it lifts the triggers for its own transaction only.
"""

import datetime
import secrets
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import migrations

BATCH = 2000


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def forwards(apps, schema_editor):
    SessionNote = apps.get_model("notes", "SessionNote")
    Appointment = apps.get_model("appointments", "Appointment")
    Encounter = apps.get_model("appointments", "Encounter")
    Organization = apps.get_model("accounts", "Organization")
    if not SessionNote.objects.filter(encounter__isnull=True).exists():
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE notes_sessionnote DISABLE TRIGGER USER")
    zones = {o.pk: ZoneInfo(o.timezone) for o in Organization.objects.all()}
    # (child, therapist, local date) -> [(start minute, encounter id)]
    booked = defaultdict(list)
    rows = Appointment.objects.exclude(status="cancelled").values_list(
        "organization_id",
        "child_id",
        "encounter_id",
        "encounter__therapist_id",
        "encounter__starts_at",
    )
    for org_id, child_id, encounter_id, therapist_id, starts_at in rows.iterator():
        local = starts_at.astimezone(zones[org_id])
        booked[(child_id, therapist_id, local.date())].append(
            (local.hour * 60 + local.minute, encounter_id)
        )
    pending = (
        SessionNote.objects.filter(encounter__isnull=True)
        .select_related("author")
        .order_by("date", "start_time", "pk")
    )
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            break
        encounters, appointments = [], []
        for note in batch:
            found = booked.get((note.child_id, note.author_id, note.date))
            if found:
                start = _minutes(note.start_time)
                nearest = min(found, key=lambda f: abs(f[0] - start))
                found.remove(nearest)  # one note per booked session
                note.encounter_id = nearest[1]
                continue
            zone = zones[note.organization_id]
            starts_at = datetime.datetime.combine(note.date, note.start_time, tzinfo=zone)
            minutes = max(_minutes(note.end_time) - _minutes(note.start_time), 5)
            encounter = Encounter(
                organization_id=note.organization_id,
                starts_at=starts_at,
                duration_minutes=min(minutes, 480),
                service_type=note.service_type,
                discipline=note.author.discipline or "other",
                location=note.location,
                therapist_id=note.author_id,
                video_room=secrets.token_urlsafe(16) if note.location == "teletherapy" else "",
                created_by_id=note.author_id,
                created_at=note.created_at,
                updated_at=note.created_at,
            )
            encounters.append(encounter)
            appointments.append(
                Appointment(
                    organization_id=note.organization_id,
                    encounter=encounter,
                    child_id=note.child_id,
                    # The columns the next appointments migration moves to the session.
                    therapist_id=note.author_id,
                    starts_at=starts_at,
                    duration_minutes=encounter.duration_minutes,
                    service_type=encounter.service_type,
                    discipline=encounter.discipline,
                    location=encounter.location,
                    status="attended",
                    created_by_id=note.author_id,
                    created_at=note.created_at,
                    updated_at=note.created_at,
                )
            )
            note.encounter = encounter
        Encounter.objects.bulk_create(encounters)
        Appointment.objects.bulk_create(appointments)
        SessionNote.objects.bulk_update(batch, ["encounter"])
    if postgres:
        # The deferred foreign-key checks run now, so the table may be altered again.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE notes_sessionnote ENABLE TRIGGER USER")


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0009_sessions_and_rooms"),
        ("appointments", "0004_encounters_for_appointments"),
        ("accounts", "0010_sessions_and_rooms"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
