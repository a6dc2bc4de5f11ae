"""Every appointment becomes one child's part in a session of its own (an encounter with
the appointment's time, place, service and therapist). A video appointment gets its
unguessable room name.

The appointment's versions keep what they recorded: each version of an appointment
becomes a version of its session (same moment, same person, same time, place and
therapist), before the next migration removes those columns from the appointment's.
"""

import secrets

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    Appointment = apps.get_model("appointments", "Appointment")
    Encounter = apps.get_model("appointments", "Encounter")
    pending = Appointment.objects.filter(encounter__isnull=True).order_by("pk")
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            break
        encounters = []
        for appointment in batch:
            encounter = Encounter(
                organization_id=appointment.organization_id,
                starts_at=appointment.starts_at,
                duration_minutes=appointment.duration_minutes,
                service_type=appointment.service_type,
                discipline=appointment.discipline,
                location=appointment.location,
                therapist_id=appointment.therapist_id,
                video_room=(
                    secrets.token_urlsafe(16) if appointment.location == "teletherapy" else ""
                ),
                created_by_id=appointment.created_by_id,
                created_at=appointment.created_at,
                updated_at=appointment.updated_at,
            )
            encounters.append(encounter)
            appointment.encounter = encounter
        Encounter.objects.bulk_create(encounters)
        Appointment.objects.bulk_update(batch, ["encounter"])
    _copy_versions(apps)


SESSION_COLUMNS = (
    "starts_at",
    "duration_minutes",
    "service_type",
    "discipline",
    "location",
    "therapist_id",
)


def _copy_versions(apps):
    Appointment = apps.get_model("appointments", "Appointment")
    HistoricalAppointment = apps.get_model("appointments", "HistoricalAppointment")
    HistoricalEncounter = apps.get_model("appointments", "HistoricalEncounter")
    encounter_of = dict(Appointment.objects.values_list("pk", "encounter_id"))
    versions = HistoricalAppointment.objects.order_by("history_id")
    batch = []
    for version in versions.iterator(chunk_size=BATCH):
        encounter_id = encounter_of.get(version.id)
        if encounter_id is None:  # the appointment itself is gone
            continue
        batch.append(
            HistoricalEncounter(
                id=encounter_id,
                organization_id=version.organization_id,
                **{name: getattr(version, name) for name in SESSION_COLUMNS},
                video_room="",
                created_by_id=version.created_by_id,
                created_at=version.created_at,
                version=version.version,
                history_date=version.history_date,
                history_change_reason=version.history_change_reason,
                history_type=version.history_type,
                history_user_id=version.history_user_id,
            )
        )
        if len(batch) >= BATCH:
            HistoricalEncounter.objects.bulk_create(batch)
            batch = []
    HistoricalEncounter.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    Appointment = apps.get_model("appointments", "Appointment")
    for appointment in Appointment.objects.exclude(encounter=None).select_related("encounter"):
        encounter = appointment.encounter
        appointment.starts_at = encounter.starts_at
        appointment.duration_minutes = encounter.duration_minutes
        appointment.service_type = encounter.service_type
        appointment.discipline = encounter.discipline
        appointment.location = encounter.location
        appointment.therapist_id = encounter.therapist_id
        appointment.save()


class Migration(migrations.Migration):
    dependencies = [("appointments", "0003_sessions_and_rooms")]

    operations = [migrations.RunPython(forwards, backwards)]
