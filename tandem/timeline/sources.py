"""Where each kind of event on a child's timeline comes from, read through its app's scopes.

Every source reads what the member could open on its own page: signed notes through
``notes.access`` (guardians: signed notes only, never their clinical text), observations
through ``homeprogram.access`` (of goals the member sees), appointments through
``appointments.access``, plan versions and guardians' signatures through ``plans.access``
(guardians: never a draft), SBAR hand-offs through ``messaging.access`` (the team's only)
and the reports the member made through ``exports.access`` (one's own documents). A kind
the member may not open elsewhere (its app's rule) is not read at all.

Each source is one query per page, whatever the number of events: the newest rows before
the cursor, ``limit`` of them, with what the summary names joined in.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from tandem.access import allows
from tandem.accounts.models import Membership
from tandem.appointments.access import appointments_of
from tandem.children.models import Child
from tandem.core import clock
from tandem.exports.access import exports_of
from tandem.homeprogram.access import goals_of as home_goals_of
from tandem.homeprogram.access import observations_of
from tandem.messaging.access import handoffs_of
from tandem.notes.access import notes_of
from tandem.notes.models import NoteStatus
from tandem.plans.access import plans_of, signatures_of
from tandem.plans.models import Plan, PlanStatus

from . import words

REPORT_KINDS = (
    "progress.report",
    "progress.school_summary",
    "progress.discharge",
    "assessments.summary",
)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: events strictly older than this one, in timeline order."""

    at: datetime.datetime
    rank: int
    pk: str

    def encode(self) -> str:
        return f"{self.at.isoformat()}~{self.rank}~{self.pk}"

    @classmethod
    def decode(cls, text: str) -> "Cursor | None":
        """The cursor of an "older" link, or None for anything else (the newest page)."""
        try:
            at_text, rank_text, pk = text.split("~")
            at = datetime.datetime.fromisoformat(at_text)
            rank = int(rank_text)
        except ValueError:
            return None
        if at.tzinfo is None or not 0 <= rank < len(SOURCES) or not pk or len(pk) > 40:
            return None
        return cls(at, rank, pk)


@dataclass
class Event:
    kind: str  # the filter it belongs to (words.KINDS)
    rank: int  # its source's place in SOURCES (orders events at the same instant)
    at: datetime.datetime
    pk: Any
    # The date shown: the instant's, on the clinic's clock (the event's order, so months
    # group without gaps: a note is dated when it was signed, an observation when shared).
    day: datetime.date
    who: str
    summary: str
    url: str

    @property
    def key(self) -> tuple[datetime.datetime, int, Any]:
        # The id compares only with one of the same source (same type), as the database does.
        return (self.at, self.rank, self.pk)

    @property
    def month(self) -> datetime.date:
        return self.day.replace(day=1)

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, self.rank, str(self.pk))


@dataclass(frozen=True)
class Source:
    kind: str
    action: str  # the rule of the page where these records open
    rows: Callable[[Membership, Child], QuerySet[Any]]
    at: str  # the column events are ordered by
    pk: str
    event: Callable[["words.Teller", Any, int], Event]


# --- The queries ---------------------------------------------------------------------


def _notes(membership: Membership, child: Child) -> QuerySet[Any]:
    return (
        notes_of(membership, child)
        .filter(status=NoteStatus.SIGNED, signed_at__isnull=False)
        .select_related("author__user", "encounter")
        .only(
            "id",
            "child_id",
            "signed_at",
            "date",
            "service_type",
            "author__invited_name",
            "author__discipline",
            "author__user__first_name",
            "author__user__last_name",
            "encounter__discipline",
        )
    )


def _observations(membership: Membership, child: Child) -> QuerySet[Any]:
    goals = home_goals_of(membership, child).values("pk")
    return observations_of(membership, child).filter(goal__in=goals).select_related("goal")


def _appointments(membership: Membership, child: Child) -> QuerySet[Any]:
    # The story so far: sessions that have started (upcoming ones are on their own page).
    return appointments_of(membership, child).filter(encounter__starts_at__lte=clock.now())


def _plan_versions(membership: Membership, child: Child) -> QuerySet[Any]:
    """One event per version of a plan the member sees once it is in force, and per change
    of its status (in force, closed), from the plan's history; the team also sees when it
    was drafted (the drafting's own saves are not events). Guardians read no draft.
    ``first_in_force``: the plan's first version in force ("Maya's plan is ready")."""
    history = Plan.history.model.objects.filter(organization_id=child.organization_id)
    same_plan = {"organization_id": OuterRef("organization_id"), "id": OuterRef("id")}
    earlier = history.filter(
        **same_plan,
        version=OuterRef("version"),
        status=OuterRef("status"),
        history_date__lt=OuterRef("history_date"),
    )
    in_force_before = history.filter(**same_plan, history_date__lt=OuterRef("history_date"))
    rows = (
        history.filter(id__in=plans_of(membership, child).values("pk"))
        .filter(~Exists(earlier))
        .annotate(
            first_in_force=~Exists(in_force_before.exclude(status=PlanStatus.DRAFT)),
        )
    )
    drafted = Q(status=PlanStatus.DRAFT, history_type="+")
    if membership.is_guardian:
        rows = rows.exclude(status=PlanStatus.DRAFT)
    else:
        rows = rows.filter(~Q(status=PlanStatus.DRAFT) | drafted)
    return rows.select_related("author__user")


def _signatures(membership: Membership, child: Child) -> QuerySet[Any]:
    return signatures_of(membership, child).select_related("plan", "guardian__user")


def _handoffs(membership: Membership, child: Child) -> QuerySet[Any]:
    return handoffs_of(membership, child)


def _reports(membership: Membership, child: Child) -> QuerySet[Any]:
    return (
        exports_of(membership)
        .filter(child=child, kind__in=REPORT_KINDS)
        .defer("content")
        .select_related("requested_by__user")
    )


SOURCES: tuple[Source, ...] = (
    Source("sessions", "notes.view", _notes, "signed_at", "id", words.note),
    Source(
        "observations", "homeprogram.view", _observations, "created_at", "id", words.observation
    ),
    Source(
        "appointments",
        "appointments.view",
        _appointments,
        "encounter__starts_at",
        "id",
        words.appointment,
    ),
    Source("plans", "plans.view", _plan_versions, "history_date", "history_id", words.plan_version),
    Source("plans", "plans.view", _signatures, "signed_at", "id", words.signature),
    Source("handoffs", "messaging.timeline", _handoffs, "created_at", "id", words.handoff),
    Source("reports", "progress.view", _reports, "created_at", "id", words.report),
)


def kinds_for(membership: Membership, child: Child) -> list[str]:
    """The kinds of event this member may see for this child, in filter order."""
    seen = {s.kind for s in SOURCES if allows(membership, s.action, child=child)}
    return [k for k in words.KINDS if k in seen]


def _older(source: Source, rank: int, cursor: Cursor | None) -> Q:
    """Rows after the cursor in timeline order (newest first; then source; then id)."""
    if cursor is None:
        return Q()
    at = source.at
    if rank < cursor.rank:
        return Q(**{f"{at}__lte": cursor.at})
    if rank > cursor.rank:
        return Q(**{f"{at}__lt": cursor.at})
    return Q(**{f"{at}__lt": cursor.at}) | Q(**{at: cursor.at, f"{source.pk}__lt": cursor.pk})


def page_of_events(
    membership: Membership,
    child: Child,
    *,
    kinds: list[str],
    cursor: Cursor | None,
    size: int,
) -> tuple[list[Event], Cursor | None]:
    """The ``size`` newest events before ``cursor`` of these kinds, and the next cursor
    (None when nothing older is left). One query per kind's source."""
    teller = words.Teller(membership, child)
    found: list[Event] = []
    for rank, source in enumerate(SOURCES):
        if source.kind not in kinds:
            continue
        rows = (
            source.rows(membership, child)
            .filter(_older(source, rank, cursor))
            .order_by(f"-{source.at}", f"-{source.pk}")[: size + 1]
        )
        found.extend(source.event(teller, row, rank) for row in rows)
    found.sort(key=lambda e: e.key, reverse=True)
    page = found[:size]
    more = len(found) > size
    return page, (page[-1].cursor if more and page else None)
