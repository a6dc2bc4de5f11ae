"""The seal of a signed note: what its hashes cover and how they are checked.

A signature seals the note's content, its goal data and the signature itself
(organization, child, author, signer, time, and the status the signature gave it);
a co-signature has its own hash over the note's hash, the co-signer and the time. An
addendum hashes its own text, author and time with the hash of the note it adds to.
Every column that the database triggers lock (migration 0006) is covered by one of
these hashes, so a change made around the triggers still shows as "no longer matches".

The functions take plain values so that migrations can use them too. Notes signed
before version 2 keep their version-1 hash (content and goal data only) if it did not
verify when they were upgraded; notes signed before version 3 keep their version-2
hash, which does not cover the session they were linked to when sessions came in (that
link is locked by the triggers like every other column); notes signed before version 4
keep their version-3 hash, which does not cover the family summary (added empty to them,
locked by the triggers all the same); notes signed before version 5 keep their version-4
hash, which does not cover the behavior-analytic data fields of the goal data (per-step
prompt levels, minutes observed, intervals, a second observer's record) nor the note's
ABC records, added empty to them.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

HASH_VERSION = 5
# The note's columns sealed by the signature (as stored: foreign keys by id).
V1_FIELDS = (
    "child_id",
    "author_id",
    "date",
    "start_time",
    "end_time",
    "service_type",
    "location",
    "subjective",
    "objective",
    "assessment",
    "plan_next",
    "activities",
    "child_chosen_activities",
    "regulation",
    "mood",
    "engagement",
)
V2_FIELDS = (
    *V1_FIELDS,
    "id",
    "organization_id",
    "created_at",
    "signed_at",
    "signed_by_id",
    "hash_version",
)
# Version 3 also seals the session the note documents (its appointment, its charges).
V3_FIELDS = (*V2_FIELDS, "encounter_id")
# Version 4 also seals the family summary and whether it is shared with the family.
V4_FIELDS = (*V3_FIELDS, "family_summary_en", "family_summary_es", "share_summary")
# Version 5 also seals the session's ABC records (a list, sealed as data, not as text).
V5_NOTE_DATA = ("abc_records",)
GOAL_DATA_FIELDS = (
    "trials",
    "count",
    "duration_seconds",
    "rating",
    "steps_done",
    "steps_total",
    "value",
    "gas_level",
    "comment",
)
GOAL_DATA_V2_FIELDS = ("id", "organization_id", "child_id", "note_id", "created_at")
# Version 5 also seals the behavior-analytic data (``tandem/notes/datatypes.py``).
GOAL_DATA_V5_FIELDS = (
    "step_prompts",
    "observation_minutes",
    "interval_seconds",
    "intervals",
    "second_observer",
)
AWAITING_COSIGN = "awaiting_cosign"
SIGNED = "signed"


def _text(value: Any) -> str:
    """One stable text for a value, whichever database it came back from."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def _sha256(payload: dict[str, Any]) -> str:
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def goal_data_payload(entry: Any, version: int) -> dict[str, Any]:
    payload = {"goal_id": str(entry.goal_id)}
    payload.update({name: getattr(entry, name) for name in GOAL_DATA_FIELDS})
    if version >= 2:
        payload.update({name: _text(getattr(entry, name)) for name in GOAL_DATA_V2_FIELDS})
    if version >= 5:
        payload.update({name: getattr(entry, name) for name in GOAL_DATA_V5_FIELDS})
    return payload


def note_hash(note: Any, goal_data: list[Any], *, version: int, signed_status: str) -> str:
    """The SHA-256 a signature of this version stores for the note and its goal data.

    ``signed_status`` is the status the signature gave the note (awaiting a
    co-signature, or signed); version 1 covered neither it nor the signature.
    """
    fields = {1: V1_FIELDS, 2: V2_FIELDS, 3: V3_FIELDS}.get(version, V4_FIELDS)
    payload: dict[str, Any] = {name: _text(getattr(note, name)) for name in fields}
    if version >= 5:
        payload.update({name: getattr(note, name) for name in V5_NOTE_DATA})
    if version >= 2:
        payload["status"] = signed_status
        # The version the signature gave the note (a co-signature adds one).
        payload["version"] = note.version - (1 if _is_cosigned(note) else 0)
    payload["goal_data"] = sorted(
        [goal_data_payload(entry, version) for entry in goal_data], key=lambda d: d["goal_id"]
    )
    return _sha256(payload)


def cosign_hash(note: Any) -> str:
    """The SHA-256 of a co-signature: the note's hash, the co-signer and the time."""
    return _sha256(
        {
            "content_hash": note.content_hash,
            "cosigned_by_id": _text(note.cosigned_by_id),
            "cosigned_at": _text(note.cosigned_at),
            "status": SIGNED,
        }
    )


def addendum_hash(addendum: Any, note_hash: str) -> str:
    """The SHA-256 of an addendum, tied to the hash of the note it adds to."""
    return _sha256(
        {
            "note_hash": note_hash,
            **{
                name: _text(getattr(addendum, name))
                for name in ("id", "organization_id", "child_id", "note_id", "author_id")
            },
            "text": addendum.text,
            "created_at": _text(addendum.created_at),
        }
    )


def _is_cosigned(note: Any) -> bool:
    return bool(note.cosigned_at or note.cosigned_by_id or note.cosign_hash)


def signed_status(note: Any) -> str:
    """The status the signature gave the note, as its current state implies."""
    return AWAITING_COSIGN if _is_cosigned(note) else note.status


def note_is_intact(note: Any, goal_data: list[Any]) -> bool:
    """Whether the note, its goal data and any co-signature match what was signed."""
    if not note.content_hash or note.signed_at is None:
        return False
    if _is_cosigned(note) and note.status != SIGNED:
        return False
    if signed_status(note) not in (AWAITING_COSIGN, SIGNED):
        return False
    if note.hash_version == 1:
        return note_hash(note, goal_data, version=1, signed_status="") == note.content_hash
    if _is_cosigned(note) and note.cosign_hash != cosign_hash(note):
        return False
    expected = note_hash(
        note, goal_data, version=note.hash_version, signed_status=signed_status(note)
    )
    return expected == note.content_hash


def addenda_are_intact(note: Any, addenda: list[Any]) -> bool:
    """Whether every addendum still matches what its author added."""
    return all(a.content_hash == addendum_hash(a, note.content_hash) for a in addenda)
