"""Session notes: SOAP, per-goal data, signing and locking, addenda, co-signature."""

import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.access.relation import visible_children
from tandem.accounts.models import Membership, Organization, Role
from tandem.appointments.models import Encounter, Location, ServiceType
from tandem.children.models import Child
from tandem.consent.models import Scope, consent_covers
from tandem.core.models import NoBulkWriteQuerySet, TandemModel
from tandem.plans.models import Goal

from . import seal


class NoteLocked(Exception):
    """A signed note was about to change; changes to signed notes are addenda."""


class Regulation(models.TextChoices):
    CALM = "calm", _("Calm and regulated")
    ALERT = "alert", _("Alert, ready to learn")
    LOW = "low", _("Low energy")
    ANXIOUS = "anxious", _("Anxious or worried")
    HIGH = "high", _("Over-excited")
    DYSREGULATED = "dysregulated", _("Dysregulated, needed support")


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_COSIGN = "awaiting_cosign", _("Signed, awaiting co-signature")
    SIGNED = "signed", _("Signed")


# The plain-language summary for the family, drafted in each language (``narrative.py``),
# and whether it is shared with the family once the note is signed.
SUMMARY_FIELDS = ("family_summary_en", "family_summary_es", "share_summary")
# The note's own fields, which its author writes while it is a draft.
NOTE_FIELDS = (
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
    *SUMMARY_FIELDS,
)
# The fields whose content is sealed by the signature (and hashed).
SEALED_FIELDS = ("child_id", "author_id", *NOTE_FIELDS)
# Every column of a signed note that never changes again (the co-signature's columns
# are set once, with the status moving forward from awaiting co-signature to signed).
LOCKED_FIELDS = (
    *SEALED_FIELDS,
    "organization_id",
    "encounter_id",
    "created_at",
    "signed_at",
    "signed_by_id",
    "content_hash",
    "hash_version",
    "abc_records",
)
COSIGN_FIELDS = ("status", "cosigned_at", "cosigned_by_id", "cosign_hash")


class SessionNoteQuerySet(NoBulkWriteQuerySet):
    """Named scopes for notes: who reads which, across the clinic, then for one child."""

    def visible_to(self, membership: Membership) -> "SessionNoteQuerySet":
        """Every note the member may read: the clinic's staff, every note of the children
        they see (admins: all); guardians, signed notes of their children; collaborators,
        signed notes while a consent shares session notes; the front desk and billing, none."""
        notes = self.filter(organization_id=membership.organization_id)
        if membership.role == Role.ADMIN:
            return notes
        if membership.role == Role.COLLABORATOR:
            shared = consent_covers(membership, Scope.NOTES, child="child")
            return notes.filter(shared, status=NoteStatus.SIGNED)
        if membership.role not in (Role.THERAPIST, Role.GUARDIAN):
            return notes.none()
        notes = notes.filter(child__in=visible_children(membership).values("pk"))
        if membership.role == Role.GUARDIAN:
            return notes.filter(status=NoteStatus.SIGNED)
        return notes

    def for_child(self, child: Child) -> "SessionNoteQuerySet":
        return self.filter(organization_id=child.organization_id, child=child)


class SessionNote(TandemModel):
    """One session's documentation. Signing seals it; later changes are addenda."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="session_notes")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="notes")
    # The session this note documents (its appointment, its later charges).
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="notes")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    service_type = models.CharField(
        _("service"), max_length=20, choices=ServiceType.choices, default=ServiceType.INDIVIDUAL
    )
    location = models.CharField(
        _("location"), max_length=15, choices=Location.choices, default=Location.CLINIC
    )
    subjective = models.TextField(_("S — subjective"), blank=True)
    objective = models.TextField(_("O — objective"), blank=True)
    assessment = models.TextField(_("A — assessment"), blank=True)
    plan_next = models.TextField(_("P — plan"), blank=True)
    activities = models.TextField(_("activities used"), blank=True)
    child_chosen_activities = models.TextField(_("activities the child chose"), blank=True)
    regulation = models.CharField(
        _("regulation"), max_length=15, choices=Regulation.choices, blank=True
    )
    mood = models.CharField(_("mood"), max_length=100, blank=True)
    engagement = models.PositiveSmallIntegerField(
        _("engagement (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    family_summary_en = models.TextField(_("summary for the family (English)"), blank=True)
    family_summary_es = models.TextField(_("summary for the family (Spanish)"), blank=True)
    share_summary = models.BooleanField(
        _("share the summary with the family on signing"), default=True
    )
    # Antecedent–behavior–consequence records of the session (``abc.py``):
    # [{"time": "09:10", "antecedent": …, "behavior": …, "consequence": …}, …]
    abc_records = models.JSONField(_("ABC records"), default=list, blank=True)
    status = models.CharField(max_length=20, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    # How content_hash was computed (tandem.notes.seal): 1 covered the content only.
    hash_version = models.PositiveSmallIntegerField(default=seal.HASH_VERSION)
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosign_hash = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SessionNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [
            # The child's sessions tab and progress series: notes by child and date.
            models.Index(fields=["organization", "child", "date"]),
            # A supervisor's co-signature queue; a therapist's unsigned drafts.
            models.Index(fields=["organization", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="note_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.date} for {self.child_id}"

    def get_absolute_url(self) -> str:
        return reverse("notes:detail", args=[self.child_id, self.id])

    @property
    def is_locked(self) -> bool:
        return self.signed_at is not None

    def family_summary_in(self, language: str) -> str:
        """The summary the family reads, in their language: only once the note is signed
        (co-signed, for an assistant's) and only if its author kept it shared."""
        if self.status != NoteStatus.SIGNED or not self.share_summary:
            return ""
        return (getattr(self, f"family_summary_{language}", "") or "").strip()

    @property
    def shared_summary(self) -> str:
        """The family summary in the reader's language, if shared (``family_summary_in``)."""
        from tandem.plans.wording import reader_language

        return self.family_summary_in(reader_language())

    @property
    def minutes(self) -> int:
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        return max(end - start, 0)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk:
            stored = (
                SessionNote.objects.filter(pk=self.pk, organization_id=self.organization_id)
                .values(*LOCKED_FIELDS, *COSIGN_FIELDS)
                .first()
            )
            if stored and stored["signed_at"] is not None and not self._may_follow(stored):
                raise NoteLocked("This note is signed and locked. Add an addendum instead.")
        super().save(*args, **kwargs)

    def _may_follow(self, stored: dict) -> bool:
        """Whether this state may replace the stored one of a signed note.

        Nothing changes but the co-signature: set once, moving the status forward.
        """
        if any(stored[f] != getattr(self, f) for f in LOCKED_FIELDS):
            return False
        if all(stored[f] == getattr(self, f) for f in COSIGN_FIELDS):
            return True
        return (
            stored["status"] == NoteStatus.AWAITING_COSIGN
            and stored["cosigned_at"] is None
            and stored["cosigned_by_id"] is None
            and not stored["cosign_hash"]
            and self.status == NoteStatus.SIGNED
            and self.cosigned_at is not None
            and self.cosigned_by_id is not None
            and bool(self.cosign_hash)
        )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_locked:
            raise NoteLocked("A signed note cannot be deleted.")
        return super().delete(*args, **kwargs)

    def compute_hash(self, goal_data: list["GoalData"]) -> str:
        """Return the SHA-256 its signature seals: content, goal data and the signature."""
        return seal.note_hash(
            self, goal_data, version=self.hash_version, signed_status=seal.signed_status(self)
        )


class PromptLevel(models.TextChoices):
    INDEPENDENT = "independent", _("Independent")
    GESTURAL = "gestural", _("Gestural")
    VERBAL = "verbal", _("Verbal")
    MODEL = "model", _("Model")
    PARTIAL_PHYSICAL = "partial_physical", _("Partial physical")
    FULL_PHYSICAL = "full_physical", _("Full physical")


class GoalDataQuerySet(NoBulkWriteQuerySet):
    """Named scopes for goal data: the numbers progress is drawn from."""

    def visible_to(self, membership: Membership) -> "GoalDataQuerySet":
        """Goal data the member may read: from the notes they may read (collaborators:
        signed data while a consent shares the progress summary, which is drawn from it)."""
        data = self.filter(organization_id=membership.organization_id)
        if membership.role == Role.COLLABORATOR:
            shared = consent_covers(membership, Scope.SUMMARY, child="child")
            return data.filter(
                shared,
                note__organization_id=membership.organization_id,
                note__status=NoteStatus.SIGNED,
            )
        if membership.role == Role.ADMIN:
            return data
        if membership.role not in (Role.THERAPIST, Role.GUARDIAN):
            return data.none()
        data = data.filter(child__in=visible_children(membership).values("pk"))
        if membership.role == Role.GUARDIAN:
            return data.filter(
                note__organization_id=membership.organization_id,
                note__status=NoteStatus.SIGNED,
            )
        return data

    def for_child(self, child: Child) -> "GoalDataQuerySet":
        return self.filter(organization_id=child.organization_id, child=child)


class GoalData(TandemModel):
    """What was measured for one goal in one session, matched to the goal's measurement type.

    ``value`` is the session's number on the goal's own scale (percent correct,
    count, seconds, rating, or percent of task steps done) so progress needs no
    per-type arithmetic.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="goal_data")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="data")
    # Trials: [{"correct": true, "prompt": "verbal"}, ...]
    trials = models.JSONField(default=list, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    steps_done = models.PositiveSmallIntegerField(null=True, blank=True)
    steps_total = models.PositiveSmallIntegerField(null=True, blank=True)
    # A task analysis with listed steps: each step's prompt level ("" = not scored).
    step_prompts = models.JSONField(default=list, blank=True)
    # Rate: the minutes observed (value = count per minute).
    observation_minutes = models.FloatField(null=True, blank=True)
    # Interval recording: each interval's length and whether the behavior was scored in it.
    interval_seconds = models.PositiveIntegerField(null=True, blank=True)
    intervals = models.JSONField(default=list, blank=True)
    # Inter-observer agreement: a second observer's record of the same goal in the same
    # session ({"observer": name, and the fields above it records}); never a reading of
    # its own (``value`` is the first observer's), compared by ``ioa.for_entry``.
    second_observer = models.JSONField(default=dict, blank=True)
    value = models.FloatField(null=True, blank=True)
    gas_level = models.SmallIntegerField(
        _("GAS level reached"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
    )
    comment = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GoalDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "goal"], name="one_entry_per_goal_per_note"),
        ]
        indexes = [
            # A goal's data series over time.
            models.Index(fields=["organization", "goal"]),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} in {self.note_id}: {self.value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._note_is_locked():
            raise NoteLocked("This note is signed and locked. Add an addendum instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._note_is_locked():
            raise NoteLocked("This note is signed and locked. Add an addendum instead.")
        return super().delete(*args, **kwargs)

    def _note_is_locked(self) -> bool:
        return SessionNote.objects.filter(
            pk=self.note_id, organization_id=self.organization_id, signed_at__isnull=False
        ).exists()


class Addendum(TandemModel):
    """A later addition to a signed note: who, when, what. Never edited."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("addendum"))
    # Set before saving (not auto_now_add) so that the hash can cover it.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # SHA-256 of the addendum with its note's hash (tandem.notes.seal.addendum_hash).
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Addendum to {self.note_id} by {self.author_id}"

    def save(self, *args: Any, at: datetime.datetime | None = None, **kwargs: Any) -> None:
        if not self._state.adding:
            raise NoteLocked("Addenda cannot be edited; add another addendum.")
        if at is not None:
            self.created_at = at  # before the hash, which covers it
        self.content_hash = seal.addendum_hash(self, self.note.content_hash)
        super().save(*args, at=at, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise NoteLocked("Addenda cannot be deleted.")


class CosignReturn(TandemModel):
    """A supervisor sends an assistant's signed note back, with a comment, instead of co-signing.

    The assistant's signature sealed the note, so the note itself never changes: the
    assistant answers with an addendum (the correction) and signs it off again
    (``resolved_at``), and the note returns to the supervisor's co-signature queue.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="returns")
    returned_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("what needs changing"))
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # A note's send-backs on its page and in the co-signature queue.
            models.Index(fields=["organization", "note"]),
        ]
        constraints = [
            # A note is sent back once at a time: the assistant answers before the next.
            models.UniqueConstraint(
                fields=["note"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_return_per_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.note_id} sent back by {self.returned_by_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
