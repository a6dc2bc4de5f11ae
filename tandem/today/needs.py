"""What a therapist's day asks of them: "Today / needs you".

Every list reads through the apps' scopes (``visible_to``, ``visible_children``) and is a
fixed number of queries whatever the size of the caseload: the children are read once,
then each kind of item in one query over all of them. The caseload here is the children
on whose care team the member holds a lead or treating seat (those whose work is theirs).
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from tandem.access import allows, visible_children
from tandem.accounts.models import Membership
from tandem.appointments.models import Appointment
from tandem.appointments.reading import mark_join_links
from tandem.billing.access import clinic_authorizations
from tandem.billing.reading import AuthorizationUse, at_risk
from tandem.children.models import CareTeamMember, Child, GuardianLink, TeamRole
from tandem.core import clock
from tandem.homeprogram.access import activities_for, logs_for
from tandem.homeprogram.reading import adherence, adherence_weeks, session_series
from tandem.messaging.models import WELLBEING_LOW, CheckIn
from tandem.messaging.reading import unread_counts
from tandem.notes.access import cosign_queue, open_returns_in
from tandem.notes.models import NoteStatus, SessionNote
from tandem.plans.models import Goal, GoalStatus, Plan, PlanSignature, PlanStatus
from tandem.progress.analysis import analyse
from tandem.schoolplans.models import SchoolPlan
from tandem.schoolplans.reminders import reminders_for

# How far each list looks.
LIST_LIMIT = 20  # rows of one list shown (the count says how many there are)
TREND_DAYS = 180  # the signed data a goal's flags are drawn from
REVIEW_SOON_DAYS = 14  # a plan's review falls due within
DATES_AHEAD_DAYS = 30  # an IFSP/IEP date coming
CHECKIN_DAYS = 30  # a check-in that asked for contact, this recent
LOW_ADHERENCE = 50  # per cent of the planned home practice logged, below which a family is listed


@dataclass
class Section:
    """One list: its rows (at most ``LIST_LIMIT``) and how many there are in all."""

    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @classmethod
    def of(cls, rows: list[Any]) -> "Section":
        return cls(rows[:LIST_LIMIT], len(rows))


@dataclass
class Flag:
    child: Child
    goal: Goal
    kind: str  # "regression", "plateau", "mastered"


@dataclass
class DateDue:
    child: Child
    # "ifsp", "iep", "review" (the child's dates); "transition", "ifsp_review",
    # "iep_review", "504_review" (from the school plans, ``tandem.schoolplans.reminders``)
    kind: str
    day: datetime.date


@dataclass
class PlanDue:
    plan: Plan
    overdue: bool  # its review date has passed
    review_soon: bool  # its review falls due within two weeks
    unsigned: bool  # a legal guardian has not signed its current version


@dataclass
class Renewal:
    """An authorization of the caseload running out: a progress report and a renewal
    request are due."""

    child: Child
    use: AuthorizationUse


@dataclass
class ChildCount:
    child: Child
    value: int


@dataclass
class Needs:
    today: datetime.date
    sessions: list[Appointment]
    drafts: Section
    cosign: Section
    sent_back: Section
    flags: Section
    plans: Section
    dates: Section
    adherence: Section
    checkins: Section
    unread: Section
    caseload_size: int
    renewals: Section = field(default_factory=Section)

    @property
    def sections(self) -> list[Section]:
        return [
            self.drafts,
            self.cosign,
            self.sent_back,
            self.flags,
            self.plans,
            self.dates,
            self.adherence,
            self.checkins,
            self.unread,
            self.renewals,
        ]

    @property
    def anything(self) -> bool:
        return any(s.total for s in self.sections)


def caseload(membership: Membership) -> list[Child]:
    """The active children on whose care team the member is lead or treating (one query)."""
    seats = Q(
        care_team__organization_id=membership.organization_id,
        care_team__therapist=membership,
        care_team__role__in=[TeamRole.LEAD, TeamRole.TREATING],
    )
    children = visible_children(membership).active().filter(seats).distinct()
    return list(children.order_by("last_name", "first_name", "id"))


def todays_sessions(membership: Membership, today: datetime.date) -> list[Appointment]:
    """The member's sessions today (lead or second therapist), each with the id of the
    child's note when one is started (``note_id``) and the join link when open."""
    org = membership.organization_id
    # The member's own note of the session (a co-treatment has one note per therapist).
    note = SessionNote.objects.filter(
        organization_id=org,
        encounter_id=OuterRef("encounter_id"),
        child_id=OuterRef("child_id"),
        author=membership,
    ).order_by("created_at")
    rows = list(
        Appointment.objects.visible_to(membership)
        .filter(Q(encounter__therapist=membership) | Q(encounter__co_therapist=membership))
        .filter(
            encounter__starts_at__gte=clock.start_of(today),
            encounter__starts_at__lt=clock.start_of(today + datetime.timedelta(days=1)),
        )
        .with_encounter()
        .annotate(note_id=Subquery(note.values("id")[:1]))
        .annotate(note_status=Subquery(note.values("status")[:1]))
        .order_by("encounter__starts_at", "child__last_name", "id")
    )
    mark_join_links(membership, rows)
    return rows


def drafts(membership: Membership, today: datetime.date) -> Section:
    """The member's unsigned notes, oldest session first, each with its age in days."""
    notes = (
        SessionNote.objects.visible_to(membership)
        .filter(author=membership, status=NoteStatus.DRAFT)
        # Of a session that has started, of a child still seen, whose record they edit
        # (a lead or treating seat): the link opens the editor.
        .filter(encounter__starts_at__lte=clock.now(), child__archived_at__isnull=True)
        .filter(Exists(_editor_seat(membership)))
        .select_related("child")
        .order_by("date", "start_time", "id")
    )
    rows = list(notes[: LIST_LIMIT + 1])
    for note in rows:
        note.age_days = (today - note.date).days  # type: ignore[attr-defined]
    total = len(rows) if len(rows) <= LIST_LIMIT else notes.count()
    return Section(rows[:LIST_LIMIT], total)


def _editor_seat(membership: Membership) -> Any:
    """A lead or treating seat of the member on the row's child (for ``Exists``)."""
    return CareTeamMember.objects.filter(
        organization_id=membership.organization_id,
        child_id=OuterRef("child_id"),
        therapist=membership,
        role__in=[TeamRole.LEAD, TeamRole.TREATING],
    )


def _open_return(membership: Membership) -> Any:
    return open_returns_in(membership).filter(note_id=OuterRef("pk"))


def to_cosign(membership: Membership) -> Section:
    """Notes of the member's assistants waiting for their co-signature, oldest first (not
    those sent back: they wait for the assistant's addendum)."""
    notes = (
        cosign_queue(membership)
        .exclude(Exists(_open_return(membership)))
        .select_related("child", "author__user")
    )
    rows = list(notes.order_by("signed_at", "id")[: LIST_LIMIT + 1])
    total = len(rows) if len(rows) <= LIST_LIMIT else notes.count()
    return Section(rows[:LIST_LIMIT], total)


def sent_back(membership: Membership) -> Section:
    """The member's own notes a supervisor sent back with a comment: add an addendum."""
    notes = (
        SessionNote.objects.visible_to(membership)
        .filter(author=membership, status=NoteStatus.AWAITING_COSIGN)
        .filter(Exists(_open_return(membership)))
        .select_related("child")
    )
    rows = list(notes.order_by("signed_at", "id")[: LIST_LIMIT + 1])
    total = len(rows) if len(rows) <= LIST_LIMIT else notes.count()
    return Section(rows[:LIST_LIMIT], total)


def goal_flags(membership: Membership, children: dict[uuid.UUID, Child]) -> Section:
    """Active goals whose signed data of the last months show a regression, a plateau, or
    mastery reached (the progress tab's rules), regressions first (two queries)."""
    goals = list(
        Goal.objects.visible_to(membership)
        .filter(
            child_id__in=list(children),
            status=GoalStatus.ACTIVE,
            plan__organization_id=membership.organization_id,
            plan__status=PlanStatus.ACTIVE,
        )
        .order_by("child_id", "position", "created_at")
    )
    # The whole signed series, as the progress tab reads it (its rules compare the latest
    # readings with the first ones); a goal with no reading lately is not flagged.
    series = session_series(membership, children, goals)
    since = clock.today() - datetime.timedelta(days=TREND_DAYS)
    order = {"regression": 0, "plateau": 1, "mastered": 2}
    flags = []
    for goal in goals:
        values = series.get(goal.id, [])
        if not values or values[-1][0] < since:
            continue
        result = analyse(goal, values)
        kind = (
            "regression"
            if result.regression
            else "plateau"
            if result.plateau
            else "mastered"
            if result.mastered
            else None
        )
        if kind:
            flags.append(Flag(children[goal.child_id], goal, kind))
    flags.sort(key=lambda f: (order[f.kind], f.child.last_name, f.child.first_name))
    return Section.of(flags)


def plans_due(
    membership: Membership, children: dict[uuid.UUID, Child], today: datetime.date
) -> Section:
    """Plans in force that are overdue for review or due within two weeks, or that a legal
    guardian has not signed in their current version (one query)."""
    org = membership.organization_id
    signed = PlanSignature.objects.filter(
        organization_id=org, plan=OuterRef("pk"), plan_version=OuterRef("version")
    )
    has_signer = GuardianLink.objects.filter(
        organization_id=org, child_id=OuterRef("child_id"), has_legal_authority=True
    )
    soon = today + datetime.timedelta(days=REVIEW_SOON_DAYS)
    plans = (
        Plan.objects.visible_to(membership)
        .filter(child_id__in=list(children), status=PlanStatus.ACTIVE)
        .annotate(signed=Exists(signed), has_signer=Exists(has_signer))
        .filter(Q(review_date__lte=soon) | Q(signed=False, has_signer=True))
        .order_by("review_date", "id")
    )
    rows = []
    for plan in plans:
        plan.child = children[plan.child_id]
        unsigned = plan.has_signer and not plan.signed  # type: ignore[attr-defined]
        overdue = plan.review_date < today
        soon_due = not overdue and plan.review_date <= soon
        rows.append(PlanDue(plan, overdue=overdue, review_soon=soon_due, unsigned=unsigned))
    return Section.of(rows)


def dates_coming(
    membership: Membership, children: dict[uuid.UUID, Child], today: datetime.date
) -> Section:
    """IFSP, IEP and IEP/IFSP review dates in the next 30 days (the children's own dates),
    and what the children's school plans in force raise: a review due or past, the Part C
    transition window open (one query for the whole caseload)."""
    until = today + datetime.timedelta(days=DATES_AHEAD_DAYS)
    plans: dict[uuid.UUID, list[SchoolPlan]] = defaultdict(list)
    if children:
        in_force = SchoolPlan.objects.visible_to(membership).filter(
            child_id__in=list(children), ended_on__isnull=True
        )
        for plan in in_force:
            plans[plan.child_id].append(plan)
    rows = [
        DateDue(reminder.child, reminder.kind, reminder.day)
        for child_id, child_plans in plans.items()
        for reminder in reminders_for(children[child_id], child_plans, today)
    ]
    rows += [
        DateDue(child, kind, day)
        for child in children.values()
        for kind, day in (
            ("ifsp", child.ifsp_date),
            ("iep", child.iep_date),
            ("review", child.iep_review_date),
        )
        if day is not None and today <= day <= until
    ]
    rows.sort(key=lambda d: (d.day, d.child.last_name))
    return Section.of(rows)


def low_adherence(
    membership: Membership, children: dict[uuid.UUID, Child], today: datetime.date
) -> Section:
    """Families who logged less than half the home practice planned over the last eight
    finished weeks (the child's adherence page counts the same, this week too), lowest
    first."""
    ids = list(children)
    # The finished weeks only: a week under way (or an activity set this week) is not
    # yet a family falling behind.
    today = today - datetime.timedelta(days=today.weekday() + 1)  # last Sunday
    start = adherence_weeks(today)[0]
    activities: dict[Any, list[Any]] = defaultdict(list)
    for activity in activities_for(membership, ids, with_goals=False).filter(
        Q(archived_on__isnull=True) | Q(archived_on__gte=start)
    ):
        activities[activity.child_id].append(activity)
    logs: dict[Any, list[Any]] = defaultdict(list)
    for log in logs_for(membership, ids).filter(date__gte=start, date__lte=today):
        logs[log.child_id].append(log)
    rows = []
    for child_id, running in activities.items():
        percent = adherence(children[child_id], running, logs[child_id], today).percent
        if percent is not None and percent < LOW_ADHERENCE:
            rows.append(ChildCount(children[child_id], percent))
    rows.sort(key=lambda r: (r.value, r.child.last_name))
    return Section.of(rows)


def checkins_asking(membership: Membership, children: dict[uuid.UUID, Child]) -> Section:
    """Recent check-ins in which a caregiver rated how they are doing low: reach out."""
    since = clock.now() - datetime.timedelta(days=CHECKIN_DAYS)
    rows = list(
        CheckIn.objects.visible_to(membership)
        .filter(child_id__in=list(children), created_at__gte=since, wellbeing__lte=WELLBEING_LOW)
        .select_related("guardian__user")
        .order_by("-created_at")
    )
    for checkin in rows:
        checkin.child = children[checkin.child_id]
    return Section.of(rows)


def unread(membership: Membership, children: dict[uuid.UUID, Child]) -> Section:
    counts = unread_counts(membership, children)
    rows = [ChildCount(children[child_id], n) for child_id, n in counts.items()]
    rows.sort(key=lambda r: (-r.value, r.child.last_name))
    return Section.of(rows)


def renewals(
    membership: Membership, children: dict[uuid.UUID, Child], today: datetime.date
) -> Section:
    """The caseload's authorizations still running that are 80 % used or end within 30
    days (billing's rule, ``billing.reading.at_risk``): time to write a progress report
    and ask the payer for a renewal. The soonest to end first (one query)."""
    running = clinic_authorizations(membership).filter(
        child_id__in=list(children), starts_on__lte=today
    )
    rows = [Renewal(children[u.authorization.child_id], u) for u in at_risk(running, today)]
    rows.sort(key=lambda r: (r.use.days_left, -r.use.percent_used, r.child.last_name))
    return Section.of(rows)


def with_children(
    membership: Membership, sessions: list[Appointment], children: dict[uuid.UUID, Child]
) -> None:
    """Give each session its child as the kernel reads it (the relation annotated, so the
    note button asks the rules without a query); children outside the caseload (a second
    therapist's, a consulting seat's) in one more query."""
    missing = {a.child_id for a in sessions} - set(children)
    extra = {}
    if missing:
        extra = {c.id: c for c in visible_children(membership).filter(pk__in=missing)}
    for appointment in sessions:
        child = children.get(appointment.child_id) or extra.get(appointment.child_id)
        if child is not None:
            appointment.child = child
        appointment.may_write_note = child is not None and allows(  # type: ignore[attr-defined]
            membership, "notes.write", child=child
        )


def needs(membership: Membership) -> Needs:
    """Everything on the member's "Today" page, in a fixed number of queries."""
    today = clock.today()
    children = {c.id: c for c in caseload(membership)}
    sessions = todays_sessions(membership, today)
    with_children(membership, sessions, children)
    return Needs(
        today=today,
        sessions=sessions,
        drafts=drafts(membership, today),
        cosign=to_cosign(membership),
        sent_back=sent_back(membership),
        flags=goal_flags(membership, children),
        plans=plans_due(membership, children, today),
        dates=dates_coming(membership, children, today),
        adherence=low_adherence(membership, children, today),
        checkins=checkins_asking(membership, children),
        unread=unread(membership, children),
        caseload_size=len(children),
        renewals=renewals(membership, children, today),
    )
