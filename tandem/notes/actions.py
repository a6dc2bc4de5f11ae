"""Changes to session notes: drafts and their goal data, signing, addenda (the
co-signature: ``cosigning.py``; what each goal's data records: ``goal_data.py``).

Each runs in one transaction on a row-locked note. Every change of a draft or of
its goal data bumps ``note.version``; a change based on an older version raises
``Conflict``. A signed note never changes: changes to it raise ``NoteIsLocked``
(a 409, like a stale version) and corrections are addenda.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.appointments.actions import record_unbooked_session
from tandem.appointments.models import Appointment, Encounter
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind
from tandem.plans.models import Goal

from . import seal
from .goal_data import (
    DATA_FIELDS,
    for_measurement,
    goal_data_problems,
    has_data,
    trial_problems,
    value_of,
)
from .models import NOTE_FIELDS, Addendum, GoalData, NoteStatus, SessionNote
from .signals import note_signed

MAX_ADDENDUM = 5000
PARENTS = (
    "organization",
    "child",
    "encounter",
    "note",
    "goal",
    "author",
    "signed_by",
    "cosigned_by",
)


class NoteStateConflict(Conflict):
    """A change the note's state no longer allows: refused like a stale version (409)."""

    def __init__(self, current_version: int, message: str) -> None:
        Exception.__init__(self, message)
        self.current_version = current_version


class NoteIsLocked(NoteStateConflict):
    """A change to a signed note; corrections are addenda."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            current_version, _("This note is signed and locked. Add an addendum instead.")
        )


# --- Rules shared by forms and the API ------------------------------------------


def note_problems(note: SessionNote) -> dict[str, str]:
    """Return what is wrong with a note's details, by field."""
    errors = {}
    if note.start_time and note.end_time and note.end_time <= note.start_time:
        errors["end_time"] = _("The session must end after it starts.")
    return errors


def sign_problems(
    note: SessionNote, entries: list[GoalData], today: datetime.date | None = None
) -> list[str]:
    """What keeps a draft from being signed, in words the author can act on.

    ``today`` is the clinic's date (default: the active clinic's, in a request)."""
    problems = []
    if note.date > (today or clock.today()):
        problems.append(_("A session in the future cannot be signed."))
    if not (note.objective or "").strip():
        problems.append(_("Write what happened in the session (O — objective) before signing."))
    if not (note.assessment or "").strip():
        problems.append(_("Write your assessment (A) before signing."))
    for entry in entries:
        if not has_data(entry):
            problems.append(
                _("No data for the goal “%(goal)s”: record it or take the goal off this note.")
                % {"goal": entry.goal.statement[:80]}
            )
    return problems


def _validate(obj: Any, problems: dict[str, str], prefix: str = "") -> None:
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=list(PARENTS), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = {prefix + k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    for name, message in problems.items():
        errors.setdefault(prefix + name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _set(obj: Any, allowed: tuple[str, ...], changes: dict[str, Any]) -> bool:
    """Apply changes; return whether any value actually changed."""
    changed = False
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def locked_note(note: SessionNote) -> SessionNote:
    """The note, row-locked until the transaction ends (writes of the co-signature too)."""
    current = SessionNote.objects.select_for_update().get(
        pk=note.pk, organization_id=note.organization_id
    )
    current.child = note.child  # keeps the annotated can_edit
    return current


def ensure_draft(note: SessionNote) -> None:
    """Refuse any change to a signed note (409), before asking who may change it."""
    if note.is_locked:
        raise NoteIsLocked(note.version)


def _draft(note: SessionNote, expected_version: int | None) -> SessionNote:
    """Lock the note; refuse a signed note (409) or a stale version (409)."""
    current = locked_note(note)
    ensure_draft(current)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(current.version)
    return current


def entries_of(note: SessionNote) -> list[GoalData]:
    """The note's goal data, each with its goal."""
    return list(
        GoalData.objects.filter(organization_id=note.organization_id, note=note)
        .filter(goal__organization_id=note.organization_id)
        .select_related("goal")
    )


# --- Drafts ---------------------------------------------------------------------


@transaction.atomic
def create_note(
    by: Membership,
    child: Child,
    *,
    goals: list[Goal],
    encounter: Encounter | None = None,
    at: datetime.datetime | None = None,
    **fields: Any,
) -> SessionNote:
    """Start a draft note for a session, with an empty entry for each goal worked on.

    The note hangs off ``encounter``, a session the child takes part in (the note
    started from its appointment). Without one, the note documents a session that was
    not booked: it gets a session of its own at the note's times, with the child's
    attendance recorded, so every note has its session.
    """
    note = SessionNote(organization_id=child.organization_id, child=child, author=by)
    _set(note, NOTE_FIELDS, fields)
    _validate(note, note_problems(note))
    if encounter is None:
        start = datetime.datetime.combine(note.date, note.start_time)
        encounter = record_unbooked_session(
            by,
            child,
            starts_at=start,
            minutes=note.minutes,
            service_type=note.service_type,
            location=note.location,
            at=at,
        )
    elif not Appointment.objects.filter(
        organization_id=child.organization_id, encounter=encounter, child=child
    ).exists():
        raise ValidationError({"encounter": [_("This child does not take part in that session.")]})
    note.encounter = encounter
    note.save(at=at)
    for goal in goals:
        _new_entry(note, goal).save(at=at)
    return note


def _new_entry(note: SessionNote, goal: Goal) -> GoalData:
    if goal.child_id != note.child_id or goal.organization_id != note.organization_id:
        raise ValidationError({"goals": [_("That goal is not one of this child's goals.")]})
    return GoalData(
        organization_id=note.organization_id, child_id=note.child_id, note=note, goal=goal
    )


@transaction.atomic
def update_note(
    note: SessionNote,
    by: Membership,
    *,
    expected_version: int,
    fields: dict[str, Any] | None = None,
    goal_data: dict[Any, dict[str, Any]] | None = None,
    at: datetime.datetime | None = None,
) -> SessionNote:
    """Save a draft's details and goal data, based on ``expected_version``.

    ``goal_data`` maps a goal id to the fields recorded for it; only goals already
    on the note are accepted. Nothing is written (and the version stays) when
    nothing changed.
    """
    current = _draft(note, expected_version)
    changed = _set(current, NOTE_FIELDS, fields or {})
    _validate(current, note_problems(current))
    entries = {str(e.goal_id): e for e in entries_of(current)}
    touched = []
    for goal_id, data in (goal_data or {}).items():
        entry = entries.get(str(goal_id))
        if entry is None:
            raise ValidationError({"goal_data": [_("That goal is not on this note.")]})
        if _set(entry, DATA_FIELDS, for_measurement(goal_id, entry.goal, data)):
            # Malformed trials are refused before anything reads them.
            if (problem := trial_problems(entry.trials)) is not None:
                raise ValidationError({f"{goal_id}.trials": [problem]})
            entry.value = value_of(entry, entry.goal.measurement_type)
            _validate(entry, goal_data_problems(entry, entry.goal), prefix=f"{goal_id}.")
            touched.append(entry)
    for entry in touched:
        entry.save(at=at)
    if changed or touched:
        current.version += 1
        current.save(at=at)
    return current


@transaction.atomic
def set_goals(
    note: SessionNote, by: Membership, *, expected_version: int | None, goals: list[Goal]
) -> SessionNote:
    """Make these the goals the draft records data for (adding and removing entries)."""
    current = _draft(note, expected_version)
    entries = {e.goal_id: e for e in entries_of(current)}
    wanted = {g.id: g for g in goals}
    for goal_id, entry in entries.items():
        if goal_id not in wanted:
            entry.delete()
    added = [_new_entry(current, g) for gid, g in wanted.items() if gid not in entries]
    for entry in added:
        entry.save()
    if added or set(entries) - set(wanted):
        current.version += 1
        current.save()
    return current


# --- Signing --------------------------------------------------------------------


@transaction.atomic
def sign_note(
    note: SessionNote,
    by: Membership,
    *,
    expected_version: int | None,
    at: datetime.datetime | None = None,
) -> SessionNote:
    """Seal the draft: store its content hash and lock it.

    An assistant's note then waits for their supervising therapist's co-signature.
    """
    current = _draft(note, expected_version)
    entries = entries_of(current)
    problems = sign_problems(current, entries, clock.today_for_member(by, at))
    if by.is_assistant and by.supervisor_id is None:
        problems.append(
            _(
                "Your notes need a supervising therapist's co-signature, and none is set: "
                "ask a clinic admin."
            )
        )
    if problems:
        raise ValidationError(problems)
    current.signed_at = at or timezone.now()
    current.signed_by = by
    current.status = NoteStatus.AWAITING_COSIGN if by.is_assistant else NoteStatus.SIGNED
    current.version += 1
    current.hash_version = seal.HASH_VERSION
    current.content_hash = current.compute_hash(entries)
    current.save(at=at)
    if current.status == NoteStatus.AWAITING_COSIGN:
        tell_supervisor(current, by, at)
    else:
        note_signed.send(sender=SessionNote, note=current, at=at)
    return current


def tell_supervisor(
    note: SessionNote, author: Membership, at: datetime.datetime | None = None
) -> None:
    """Tell the assistant's supervising therapist a note waits for their co-signature."""
    if author.supervisor is None:
        return
    notify(
        [author.supervisor],
        Kind.COSIGN_NEEDED,
        child=note.child,
        actor_name=author.display_name,
        url=reverse("notes:cosign_queue"),
        now=at,
    )


# --- Seal and addenda -------------------------------------------------------------


def is_intact(
    note: SessionNote, entries: list[GoalData], addenda: list[Addendum] | None = None
) -> bool:
    """Whether the note, its goal data, signature, co-signature and addenda are as sealed."""
    return seal.note_is_intact(note, entries) and seal.addenda_are_intact(note, addenda or [])


@transaction.atomic
def add_addendum(
    note: SessionNote, by: Membership, text: str, *, at: datetime.datetime | None = None
) -> Addendum:
    """Add a correction or later information to a signed note."""
    current = locked_note(note)
    if not current.is_locked:
        raise ValidationError(
            {"text": [_("This note is still a draft: change the note itself instead.")]}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the addendum.")]})
    if len(text) > MAX_ADDENDUM:
        raise ValidationError(
            {"text": [_("An addendum has at most %(n)s characters.") % {"n": MAX_ADDENDUM}]}
        )
    addendum = Addendum(
        organization_id=current.organization_id,
        child_id=current.child_id,
        note=current,
        author=by,
        text=text,
    )
    addendum.save(at=at)
    return addendum


def billable_units(minutes: int) -> int:
    """Units of a timed (15-minute) service code by the 8-minute rule."""
    if minutes < 8:
        return 0
    return (minutes - 8) // 15 + 1
