"""Migrating to sessions: each appointment gets its session (its versions kept), and each
note hangs off its booked session or, unbooked, one of its own with the child attending."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tandem.core.testing import factories as f

BEFORE = [
    ("appointments", "0002_record_times_default_to_now"),
    ("notes", "0008_record_times_default_to_now"),
]
ZONE = datetime.timezone(datetime.timedelta(hours=-6))  # America/Chicago in winter


def migrate(*target: str) -> None:
    call_command("migrate", *target, stdout=StringIO(), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_appointments_and_notes_move_onto_sessions():
    migrate("appointments", "0002")
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    # The clinic's people and children are today's models: only sessions moved.
    org = f.OrganizationFactory(name="Old clinic", timezone="America/Chicago")
    therapist = f.TherapistFactory(organization=org, discipline="ot")
    child = f.ChildFactory(organization=org, first_name="Ana", last_name="Ruiz")
    Appointment = old.get_model("appointments", "Appointment")
    booked = Appointment.objects.create(
        organization_id=org.id,
        child_id=child.id,
        therapist_id=therapist.id,
        starts_at=datetime.datetime(2026, 11, 2, 10, 0, tzinfo=ZONE),
        duration_minutes=45,
        discipline="ot",
        location="teletherapy",
        status="attended",
    )
    old.get_model("appointments", "HistoricalAppointment").objects.create(
        id=booked.id,
        organization_id=org.id,
        child_id=child.id,
        therapist_id=therapist.id,
        starts_at=booked.starts_at,
        duration_minutes=45,
        discipline="ot",
        location="teletherapy",
        status="attended",
        service_type="individual",
        version=1,
        created_at=booked.created_at,
        history_date=booked.created_at,
        history_type="+",
    )
    SessionNote = old.get_model("notes", "SessionNote")
    common = {"organization_id": org.id, "child_id": child.id, "author_id": therapist.id}
    on_booking = SessionNote.objects.create(
        **common, date=datetime.date(2026, 11, 2), start_time="10:05", end_time="10:45"
    )
    unbooked = SessionNote.objects.create(
        **common, date=datetime.date(2026, 11, 9), start_time="15:00", end_time="15:30"
    )

    migrate()

    from tandem.appointments.models import Appointment as NewAppointment
    from tandem.appointments.models import Encounter
    from tandem.notes.models import SessionNote as NewNote

    moved = NewAppointment.objects.get(pk=booked.pk)
    session = moved.encounter
    assert (session.starts_at, session.therapist_id, session.location) == (
        booked.starts_at,
        therapist.id,
        "teletherapy",
    )
    assert len(session.video_room) >= 20  # a video session's own room name
    assert session.history.get().starts_at == booked.starts_at  # its version, kept
    assert NewNote.objects.get(pk=on_booking.pk).encounter_id == session.id
    own = NewNote.objects.get(pk=unbooked.pk).encounter
    assert own.starts_at == datetime.datetime(2026, 11, 9, 15, 0, tzinfo=ZONE)
    assert own.duration_minutes == 30
    attended = NewAppointment.objects.get(encounter=own)
    assert (attended.child_id, attended.status) == (child.id, "attended")
    assert Encounter.objects.count() == 2
