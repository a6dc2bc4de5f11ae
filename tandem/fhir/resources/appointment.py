"""Appointment: a child's part in a session (``tandem.appointments`` Appointment, with its
Encounter: time, length, service, therapist). Read through ``Appointment.objects.visible_to``
(the ``appointments.view`` rule); the note for the family is not shown to billing
(``appointments.read_family_note``)."""

import datetime
from typing import Any

from tandem.access import allows
from tandem.accounts.models import Membership
from tandem.appointments.models import Appointment, AppointmentStatus

from ..base import COMMON, Context, Spec, instant, meta, ref
from ..search import Param

STATUS: dict[str, str] = {
    AppointmentStatus.SCHEDULED: "booked",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.ATTENDED: "fulfilled",
    AppointmentStatus.MISSED: "noshow",
}
SERVICES = "urn:tandem:service-type"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return (
        Appointment.objects.visible_to(membership)
        .with_encounter()
        .filter(child_id__in=child_ids or [])
    )


def render(appointment: Appointment, ctx: Context) -> dict[str, Any]:
    session = appointment.encounter
    end = session.starts_at + datetime.timedelta(minutes=session.duration_minutes)
    service = str(session.get_service_type_display())
    participants: list[dict[str, Any]] = [
        {"actor": ref("Patient", appointment.child_id), "status": "accepted"}
    ]
    for therapist in (session.therapist, session.co_therapist):
        if therapist is not None:
            actor = ref("Practitioner", therapist.pk, therapist.display_name)
            participants.append({"actor": actor, "status": "accepted"})
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "meta": meta(appointment),
        "status": STATUS[appointment.status],
        "serviceType": [
            {
                "coding": [{"system": SERVICES, "code": session.service_type, "display": service}],
                "text": service,
            }
        ],
        "start": instant(session.starts_at),
        "end": instant(end),
        "minutesDuration": session.duration_minutes,
        "participant": participants,
    }
    if appointment.status == AppointmentStatus.CANCELLED and appointment.cancel_reason:
        resource["cancelationReason"] = {"text": appointment.cancel_reason}
    reads_note = allows(ctx.membership, "appointments.read_family_note")
    if appointment.note_for_family and reads_note:
        resource["patientInstruction"] = appointment.note_for_family
    return resource


SPEC = Spec(
    type="Appointment",
    actions=("appointments.view",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "actor": Param("reference", "child_id"),
        "date": Param("date", "encounter__starts_at", instant=True),
        "status": Param("token", "status", codes={v: k for k, v in STATUS.items()}),
    },
    order=("encounter__starts_at", "id"),
)
