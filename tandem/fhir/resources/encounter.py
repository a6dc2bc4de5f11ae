"""Encounter: a session as documented, from its signed session note (``tandem.notes``
SessionNote; drafts are not served). Read under ``notes.view`` through
``SessionNote.objects.visible_to`` (families: signed notes of their children). The note's
clinical content is not here (DocumentReference and the note's own pages carry it)."""

import datetime
from typing import Any

from tandem.accounts.models import Membership
from tandem.appointments.models import Location, ServiceType
from tandem.core import clock
from tandem.notes.models import SessionNote

from ..base import COMMON, Context, Spec, coding, instant, meta, ref
from ..search import Param

ACT_CODES = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# Where the session was → the encounter's class (HL7 v3 ActEncounterCode).
CLASS = {
    Location.CLINIC: ("AMB", "ambulatory"),
    Location.HOME: ("HH", "home health"),
    Location.SCHOOL: ("FLD", "field"),
    Location.TELETHERAPY: ("VR", "virtual"),
}
SERVICES = "urn:tandem:service-type"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return (
        SessionNote.objects.visible_to(membership)
        .filter(child_id__in=child_ids or [], signed_at__isnull=False)
        .select_related("author__user", "organization")
    )


def render(note: SessionNote, ctx: Context) -> dict[str, Any]:
    zone = clock.zone_for(note.organization)
    start = datetime.datetime.combine(note.date, note.start_time, zone)
    end = datetime.datetime.combine(note.date, note.end_time, zone)
    code, display = CLASS.get(Location(note.location), CLASS[Location.CLINIC])
    service = str(ServiceType(note.service_type).label)
    return {
        "resourceType": "Encounter",
        "id": str(note.pk),
        "meta": meta(note),
        "status": "finished",
        "class": coding(ACT_CODES, code, display),
        "type": [{"coding": [coding(SERVICES, note.service_type, service)], "text": service}],
        "subject": ref("Patient", note.child_id),
        "participant": [
            {"individual": ref("Practitioner", note.author_id, note.author.display_name)}
        ],
        "period": {"start": instant(start), "end": instant(end)},
        "serviceProvider": ref("Organization", note.organization_id),
    }


SPEC = Spec(
    type="Encounter",
    actions=("notes.view",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "date": Param("date", "date"),
        "status": Param("token", "pk__isnull", codes={"finished": False}),
        "class": Param("token", "location", codes={c: loc for loc, (c, _d) in CLASS.items()}),
        "type": Param("token", "service_type"),
        "participant": Param("reference", "author_id", target="Practitioner"),
    },
    order=("child_id", "date", "start_time", "id"),
)
