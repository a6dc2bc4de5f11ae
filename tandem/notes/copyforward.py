"""Copy forward: a new note starts from the child's last signed note of the same discipline.

What carries over is what a therapist would write again and reads before signing:
the activities used and the plan (text), the service and place when no appointment
gives them, the goals (the discipline's active goals are ticked), and the prompt level
each goal's trial counter starts at (the last one used for it). Measured data —
trials, counts, durations, GAS levels — and what happened in the session (S, O, A)
are never copied: they are today's to record.

The editor shows what was copied (``in_editor``): a copied text stays marked as
copied while it is word for word the last note's, so the therapist sees what still
needs reading. Nothing is signed but by the therapist's own "Sign the note", and
not while copied text is unchanged unless they tick "I have read the copied text"
(``check_read``): nothing signed without review.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child

from .access import goal_data_of, notes_of
from .models import SessionNote

COPIED_TEXT = ("activities", "plan_next")
SESSION = ("service_type", "location")


@dataclass
class CopyForward:
    """What a draft took from the last signed note, as the editor shows it."""

    source: SessionNote
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, label) still copied
    prompts: dict[str, str] = field(default_factory=dict)  # goal id → prompt level
    goals_shared: int = 0  # goals on both notes
    goals_before: int = 0  # goals on the last note

    @property
    def anything(self) -> bool:
        return bool(self.fields or self.prompts)


def last_signed(
    membership: Membership, child: Child, discipline: str, *, before: SessionNote | None = None
) -> SessionNote | None:
    """The child's latest signed note by a therapist of ``discipline`` (before ``before``)."""
    notes = notes_of(membership, child).filter(
        signed_at__isnull=False, author__discipline=discipline
    )
    if before is not None:
        notes = notes.exclude(pk=before.pk).filter(date__lte=before.date)
    return notes.select_related("author__user").order_by("-date", "-start_time").first()


def initial_from(source: SessionNote | None, *, with_session: bool) -> dict[str, Any]:
    """A new note's fields copied from ``source`` (service and place only ``with_session``)."""
    if source is None:
        return {}
    names = COPIED_TEXT + (SESSION if with_session else ())
    return {name: getattr(source, name) for name in names if getattr(source, name)}


def copied_labels(initial: dict[str, Any]) -> list[str]:
    """The labels of the copied fields, for the new note's summary."""
    return [_label(name) for name in (*COPIED_TEXT, *SESSION) if name in initial]


def _label(name: str) -> str:
    return str(getattr(SessionNote._meta.get_field(name), "verbose_name", name)).capitalize()


def last_prompts(membership: Membership, source: SessionNote) -> dict[str, str]:
    """The prompt level of each goal's last trial in ``source`` (one query)."""
    rows = goal_data_of(membership, source.child).filter(note=source)
    prompts = {}
    for goal_id, trials in rows.values_list("goal_id", "trials"):
        prompts[str(goal_id)] = trials[-1]["prompt"] if trials else ""
    return prompts


def unchanged(note: SessionNote, source: SessionNote) -> list[str]:
    """The copied text fields of ``note`` still word for word those of ``source``."""
    return [
        name
        for name in COPIED_TEXT
        if (getattr(note, name) or "").strip() and getattr(note, name) == getattr(source, name)
    ]


def check_read(membership: Membership, note: SessionNote, confirmed: bool) -> None:
    """Nothing signed without review: refuse (ValidationError) to sign a draft whose
    copied text is still word for word the last note's, unless the therapist ticked
    "I have read the copied text" (``NoteForm.copied_read``)."""
    if confirmed or not note.author.discipline:
        return
    source = last_signed(membership, note.child, note.author.discipline, before=note)
    if source is not None and unchanged(note, source):
        raise ValidationError(
            _(
                "Some text was copied from the last note and not changed: read it, then tick "
                "“I have read the copied text” or change it."
            )
        )


def in_editor(membership: Membership, note: SessionNote, goal_ids: list[str]) -> CopyForward | None:
    """What the draft carries from the last signed note of its author's discipline."""
    discipline = note.author.discipline
    source = last_signed(membership, note.child, discipline, before=note) if discipline else None
    if source is None:
        return None
    before = last_prompts(membership, source)
    found = CopyForward(
        source=source,
        fields=[(name, _label(name)) for name in unchanged(note, source)],
        prompts={g: p for g, p in before.items() if p and g in goal_ids},
        goals_shared=len(set(before) & set(goal_ids)),
        goals_before=len(before),
    )
    return found if found.anything else None


def mark_copied(form: Any, data_forms: list[Any], copied: CopyForward | None) -> None:
    """Mark each copied field of the editor's form until its text is changed, and start
    each goal's trial counter at the prompt level last used for it."""
    if copied is None:
        return
    for data_form in data_forms:
        prompt = copied.prompts.get(str(data_form.entry.goal_id))
        if prompt and not data_form.is_bound and "prompt" in data_form.fields:
            data_form.initial["prompt"] = prompt
    when = date_format(copied.source.date)
    for name, _label_text in copied.fields:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["data-copied"] = "true"
            form.fields[name].help_text = _(
                "Copied from the note of %(date)s: read it and change what was different today."
            ) % {"date": when}
