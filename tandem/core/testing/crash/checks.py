"""What the crash test checks in a database after the kills (read through a connection
alias of the test process, ``alias``).

- ``missing``: acknowledged writes that are not there as acknowledged.
- ``half_applied``: records that are there in part: a note without its session, its
  attendance, its goal data or its version; a signed note whose seal fails or whose
  history lacks the signature; a message outside the child's conversation, or whose
  other side was never told; a practice log without its version; an idempotency key
  without its answer, or whose answer names no record.
- ``duplicates``: a write (its unique text) found in more than one record.
"""

import json
import uuid
from collections import Counter
from email import message_from_bytes
from pathlib import Path
from typing import Any

from django.db import models
from django_tasks_db.models import DBTaskResult

from tandem.accounts.models import Membership
from tandem.appointments.models import Appointment, AppointmentStatus
from tandem.core.models import IdempotencyKey
from tandem.homeprogram.models import PracticeLog
from tandem.messaging.models import Message
from tandem.notes import seal
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.notifications.models import EmailState, Kind, Notification

from .driver import Ack

SCOPES: dict[str, type[models.Model]] = {
    "notes.create": SessionNote,
    "homeprogram.practice_log": PracticeLog,
    "messaging.message": Message,
}


def _notes(alias: str, org: str) -> dict[str, SessionNote]:
    rows = SessionNote.objects.using(alias).filter(organization_id=org)
    return {str(n.pk): n for n in rows}


def missing(alias: str, org: str, acks: list[Ack]) -> list[str]:
    """Acknowledged writes not found as acknowledged."""
    notes = _notes(alias, org)
    entries = {
        (str(e.note_id), str(e.goal_id)): e
        for e in GoalData.objects.using(alias).filter(organization_id=org)
    }
    logs = {str(x.pk): x for x in PracticeLog.objects.using(alias).filter(organization_id=org)}
    messages = {str(m.pk): m for m in Message.objects.using(alias).filter(organization_id=org)}
    lost = []
    for ack in acks:
        note = notes.get(ack.id)
        found = {
            "note": note is not None and note.subjective == ack.tag,
            "goal_data": (ack.id, ack.goal) in entries
            and entries[(ack.id, ack.goal)].comment == ack.tag,
            "text": note is not None and note.objective == ack.tag,
            "sign": note is not None and note.status == NoteStatus.SIGNED,
            "practice_log": ack.id in logs and logs[ack.id].note == ack.tag,
            "message": ack.id in messages and messages[ack.id].body == ack.tag,
        }[ack.kind]
        if not found:
            lost.append(f"{ack.kind} {ack.id} ({ack.tag})")
    return lost


def half_applied(alias: str, world: dict[str, Any]) -> list[str]:
    org = world["organization"]
    problems: list[str] = []
    problems += _notes_half_applied(alias, org, set(world["goals"]))
    problems += _messages_half_applied(alias, world)
    logged = set(
        PracticeLog.history.using(alias)
        .filter(organization_id=org, history_type="+")
        .values_list("id", flat=True)
    )
    for log in PracticeLog.objects.using(alias).filter(organization_id=org):
        if log.pk not in logged:
            problems.append(f"practice log {log.pk}: no version in its history")
    problems += _keys_half_applied(alias, org)
    return problems


def _notes_half_applied(alias: str, org: str, goal_ids: set[str]) -> list[str]:
    problems = []
    notes = _notes(alias, org)
    entries: dict[str, list[GoalData]] = {}
    for entry in GoalData.objects.using(alias).filter(organization_id=org):
        entries.setdefault(str(entry.note_id), []).append(entry)
    attended = {
        (str(a.encounter_id), str(a.child_id))
        for a in Appointment.objects.using(alias).filter(
            organization_id=org, status=AppointmentStatus.ATTENDED
        )
    }
    versions: dict[str, list[Any]] = {}
    for row in (
        SessionNote.history.using(alias)
        .filter(organization_id=org)
        .order_by("history_date", "history_id")
    ):
        versions.setdefault(str(row.id), []).append(row)
    for pk, note in notes.items():
        mine = entries.get(pk, [])
        history = versions.get(pk, [])
        if (str(note.encounter_id), str(note.child_id)) not in attended:
            problems.append(f"note {pk}: its session has no attendance for the child")
        if {str(e.goal_id) for e in mine} != goal_ids:
            problems.append(f"note {pk}: goal data for {len(mine)} of {len(goal_ids)} goals")
        if not history or history[0].history_type != "+":
            problems.append(f"note {pk}: no first version in its history")
        elif (history[-1].version, history[-1].status) != (note.version, note.status):
            problems.append(f"note {pk}: its last version is not the note as it stands")
        if note.status == NoteStatus.DRAFT:
            if note.content_hash or note.signed_at:
                problems.append(f"note {pk}: a draft with a signature's hash or time")
            continue
        if not seal.note_is_intact(note, mine):
            problems.append(f"note {pk}: signed, but its seal does not verify")
        if not any(
            v.status == NoteStatus.SIGNED and v.content_hash == note.content_hash for v in history
        ):
            problems.append(f"note {pk}: signed, but its history holds no signed version")
    return problems


def _messages_half_applied(alias: str, world: dict[str, Any]) -> list[str]:
    """Each message is in the child's conversation, said by the side it names, and the
    other side was told (a notice per side at least: unread ones gather later ones)."""
    problems = []
    org, child = world["organization"], world["child"]
    sides = {world["therapist"]: False, world["guardian"]: True}  # author → from the family
    told = set(
        Notification.objects.using(alias)
        .filter(organization_id=org, child_id=child, kind=Kind.NEW_MESSAGE)
        .values_list("recipient_id", flat=True)
    )
    other = {world["therapist"]: world["guardian"], world["guardian"]: world["therapist"]}
    for message in Message.objects.using(alias).filter(organization_id=org):
        author = str(message.author_id)
        if str(message.child_id) != child or sides.get(author) != message.from_family:
            problems.append(f"message {message.pk}: not the conversation or side it says")
        elif uuid.UUID(other[author]) not in told:
            problems.append(f"message {message.pk}: the other side was never told")
    return problems


def _keys_half_applied(alias: str, org: str) -> list[str]:
    problems = []
    for key in IdempotencyKey.objects.using(alias).filter(organization_id=org):
        model = SCOPES.get(key.scope)
        if key.response_status is None or not 200 <= key.response_status < 300:
            problems.append(f"key {key.key} ({key.scope}): claimed without its answer")
            continue
        if model is None:
            continue
        record = json.loads(key.response_body)["id"]
        found = model._base_manager.using(alias).filter(**{"organization_id": org, "pk": record})
        if not found.exists():
            problems.append(f"key {key.key} ({key.scope}): its answer names no record")
    return problems


def duplicates(alias: str, org: str) -> list[str]:
    """Unique texts of the stream found in more than one record."""
    texts: Counter[str] = Counter()
    texts.update(
        SessionNote.objects.using(alias)
        .filter(organization_id=org, subjective__startswith="crash-")
        .values_list("subjective", flat=True)
    )
    texts.update(
        PracticeLog.objects.using(alias)
        .filter(organization_id=org, note__startswith="crash-")
        .values_list("note", flat=True)
    )
    texts.update(
        Message.objects.using(alias)
        .filter(organization_id=org, body__startswith="crash-")
        .values_list("body", flat=True)
    )
    return sorted(f"{text} ×{n}" for text, n in texts.items() if n > 1)


def row_counts(alias: str, org: str) -> dict[str, int]:
    return {
        model.__name__: model._base_manager.using(alias).filter(organization_id=org).count()
        for model in (SessionNote, GoalData, PracticeLog, Message, IdempotencyKey)
    }


def tasks(alias: str) -> Counter[str]:
    """The task rows by path and status, e.g. "….probe: SUCCESSFUL"."""
    rows = DBTaskResult.objects.using(alias).values_list("task_path", "status")
    return Counter(f"{path.rsplit('.', 1)[-1]}: {status}" for path, status in rows)


def emails(alias: str, org: str, folder: Path) -> dict[str, Any]:
    """Emails written to the outbox and notifications marked sent, per recipient."""
    written: Counter[str] = Counter()
    for path in folder.glob("*.eml"):
        written[message_from_bytes(path.read_bytes())["To"]] += 1
    sent: Counter[str] = Counter()
    states: Counter[str] = Counter()
    people = {
        m.pk: m.user.email
        for m in Membership.objects.using(alias).filter(organization_id=org).select_related("user")
    }
    for notification in Notification.objects.using(alias).filter(organization_id=org):
        states[notification.email_state] += 1
        if notification.email_state == EmailState.SENT:
            sent[people[notification.recipient_id]] += 1
    return {"written": dict(written), "sent": dict(sent), "states": dict(states)}
