"""DocumentReference of a signed session note, as PDF (``tandem.fhir.resources.document_reference``
serves it beside the reports).

A note is a document once signed (``signed_at``: an assistant's note waiting for its
co-signature too, for the staff who read it; families read co-signed notes only). Read
under ``notes.view`` through ``SessionNote.objects.visible_to`` — the notes app's own reader,
the one its pages use: the team every note of their children, guardians signed notes of
their children; drafts are never served. The id is ``<note id>.note``.

- ``type``: the LOINC progress note of the session's discipline (the Encounter's), from
  the HL7 value set ProgressNoteDocumentTypeCode (OID 2.16.840.1.113883.11.20.8.1, C-CDA on
  FHIR, http://hl7.org/fhir/us/ccda/ValueSet/2.16.840.1.113883.11.20.8.1): 11507-1
  "Occupational therapy Progress note", 11508-9 "Physical therapy Progress note", 11512-1
  "Speech-language pathology Progress note", 11510-5 "Psychology Progress note"; the other
  disciplines (behavioral, play therapy, other) have no code of their own there: 11506-3
  "Progress note".
- ``docStatus``: preliminary while waiting for a co-signature, amended once an addendum was
  added, else final. ``date`` is the signature's instant; ``context.period`` the session's
  day, ``context.encounter`` the session (Encounter ``<note id>``).
- ``meta.versionId``: the note's version (it moves on with each saved draft, the signature
  and the co-signature) plus its number of addenda, so it changes with every change to
  what the PDF shows;
  ``meta.lastUpdated`` the note's last change or its last addendum.
- The attachment's URL is the note's PDF page (``notes:note_pdf``, signed in), which has the
  worker print it, in the reader's register, with its addenda.
"""

from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import translation

from tandem.accounts.models import Discipline, Membership
from tandem.notes.models import Addendum, NoteStatus, SessionNote

from ..base import Context, concept, instant, ref

LOINC = "http://loinc.org"
DISCIPLINES = "urn:tandem:discipline"
CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
VIEW = "notes.view"
# A session's discipline → its LOINC progress note (see the module's docstring).
NOTE_TYPES = {
    Discipline.OT: ("11507-1", "Occupational therapy Progress note"),
    Discipline.PT: ("11508-9", "Physical therapy Progress note"),
    Discipline.SLP: ("11512-1", "Speech-language pathology Progress note"),
    Discipline.PSYCHOLOGY: ("11510-5", "Psychology Progress note"),
}
OTHER_NOTE = ("11506-3", "Progress note")
NOTE_CODES = tuple(sorted({code for code, _d in NOTE_TYPES.values()} | {OTHER_NOTE[0]}))


def english_label(discipline: str) -> str:
    """Titles and displays are the record's, in English, whoever reads them (a Spanish
    reader's request would otherwise mix a translated discipline into English words)."""
    with translation.override("en"):
        return str(Discipline(discipline).label)


def note_type(discipline: str) -> tuple[str, str]:
    return NOTE_TYPES.get(Discipline(discipline), OTHER_NOTE)


def disciplines_of(codes: set[str]) -> list[str]:
    """The disciplines whose notes have one of these LOINC codes."""
    return [d for d in Discipline.values if note_type(d)[0] in codes]


def notes(membership: Membership, child_ids: list[Any]) -> QuerySet[Any]:
    """The signed notes of these children the member reads (the notes app's reader), with
    how many addenda each has and when it last changed (its own change or an addendum)."""
    addenda = Addendum.objects.filter(
        organization_id=membership.organization_id, note=OuterRef("pk")
    )
    counted = addenda.order_by().values("note").annotate(n=Count("pk")).values("n")
    latest = addenda.order_by("-created_at").values("created_at")[:1]
    return (
        SessionNote.objects.visible_to(membership)
        .filter(child_id__in=child_ids, signed_at__isnull=False)
        .select_related("author__user", "encounter")
        .annotate(
            addenda_count=Coalesce(Subquery(counted), 0),
            changed=Greatest(F("updated_at"), Coalesce(Subquery(latest), F("updated_at"))),
        )
    )


def version(note: Any) -> str:
    """Each change to what the note's PDF shows counts one: the note's own version (saved
    drafts, the signature, the co-signature) and each addendum (which never changes it)."""
    return str(note.version + note.addenda_count)


def render_note(note: Any, ctx: Context) -> dict[str, Any]:
    discipline_code = note.encounter.discipline
    discipline = english_label(discipline_code)
    code, display = note_type(discipline_code)
    title = f"{discipline} session note, {note.date.isoformat()}"
    path = reverse("notes:note_pdf", args=[note.child_id, note.pk])
    if note.status == NoteStatus.AWAITING_COSIGN:
        status = "preliminary"
    else:
        status = "amended" if note.addenda_count else "final"
    return {
        "resourceType": "DocumentReference",
        "id": f"{note.pk}.note",
        "meta": {"versionId": version(note), "lastUpdated": instant(note.changed)},
        "status": "current",
        "docStatus": status,
        "type": concept(LOINC, code, display),
        "category": [concept(CATEGORY, "clinical-note", "Clinical Note")],
        "subject": ref("Patient", note.child_id),
        "date": instant(note.signed_at),
        "author": [ref("Practitioner", note.author_id, note.author.display_name)],
        "authenticator": ref("Practitioner", note.cosigned_by_id or note.signed_by_id),
        "custodian": ref("Organization", note.organization_id),
        "description": title,
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": f"{ctx.site or settings.SITE_URL}{path}",
                    "title": title,
                }
            }
        ],
        "context": {
            "encounter": [ref("Encounter", note.pk)],
            "period": {"start": note.date.isoformat(), "end": note.date.isoformat()},
            "practiceSetting": concept(DISCIPLINES, discipline_code, discipline),
        },
    }
