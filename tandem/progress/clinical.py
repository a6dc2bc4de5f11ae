"""What the clinical report adds for payers and physicians, read in a fixed number of queries.

Diagnoses (ICD-10-CM), attendance, frequency and length of sessions in each discipline of
the plans the report covers, standardized scores with their percentile and descriptor, a
draft medical-necessity paragraph (necessity.py) and the treating therapists with their
credentials and NPI. Everything is read through the owning apps' access functions; none of
it is read per goal or per plan.

Reports are not signed in Tandem: the signature block names the therapist who wrote each
plan (credentials and NPI from their billing numbers) and the day the report was made.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tandem.accounts.access import members_visible_to
from tandem.accounts.models import CLINIC_ROLES, Membership
from tandem.appointments.access import appointments_of
from tandem.appointments.models import AppointmentStatus
from tandem.assessments import scales
from tandem.assessments.access import scores_of
from tandem.assessments.models import EvaluationStatus
from tandem.billing.access import provider_numbers
from tandem.children.access import diagnoses_visible_to
from tandem.children.models import Child
from tandem.core import clock

from . import necessity
from .services import ChildProgress, GoalProgress


@dataclass
class Attendance:
    """One discipline's sessions over the period. Cancellations are the family's (or of
    no recorded canceller); the clinic's own are counted apart and left out of the rate."""

    discipline: str = ""
    label: str = ""
    attended: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    clinic_cancelled: int = 0
    missed: int = 0
    undocumented: int = 0  # past sessions still "scheduled": no attendance recorded
    upcoming: int = 0
    minutes: int | None = None  # the usual length of a session
    per_week: float | None = None  # sessions booked a week (not cancelled by the clinic)

    @property
    def due(self) -> int:
        """Sessions the child was due at (attended, missed or cancelled by the family)."""
        return self.attended + self.missed + self.cancelled

    @property
    def rate(self) -> int | None:
        return round(100 * self.attended / self.due) if self.due else None


@dataclass
class ScoreRow:
    instrument: str
    subtest: str
    standard_score: float | None
    percentile: float | None
    descriptor: str
    on: datetime.date


@dataclass
class Signer:
    name: str
    credentials: str
    npi: str


@dataclass
class ClinicalFacts:
    diagnoses: list[tuple[str, str]]
    attendance: list[Attendance]  # one per discipline of the plans the report covers
    scores: list[ScoreRow]
    signers: list[Signer]
    report_date: datetime.date
    necessity: list[str] = field(default_factory=list)


def goal_status(gp: GoalProgress) -> str:
    """One plain word or two for where a goal stands (what the staff chips said)."""
    a = gp.analysis
    if not gp.values:
        return _("no data in this period")
    if a.mastered:
        return _("met")
    if a.regression:
        return _("regression")
    if a.plateau:
        return _("plateau")
    if a.direction == "improving":
        return _("improving")
    if a.direction == "worsening":
        return _("worsening")
    return _("steady")


def clinical_facts(
    membership: Membership,
    child: Child,
    progress: ChildProgress,
    start: datetime.date,
    end: datetime.date,
) -> ClinicalFacts:
    """The clinical report's facts beyond the goals (five queries)."""
    diagnoses = list(diagnoses_visible_to(membership, child).values_list("code", "label"))
    attendance = _attendance(membership, child, progress, start, end)
    scores = _scores(membership, child, end)
    signers = _signers(membership, progress)
    facts = ClinicalFacts(diagnoses, attendance, scores, signers, clock.today())
    facts.necessity = necessity.draft(child, progress, facts, end)
    return facts


def _attendance(
    membership: Membership,
    child: Child,
    progress: ChildProgress,
    start: datetime.date,
    end: datetime.date,
) -> list[Attendance]:
    """Attendance, frequency and session length in each discipline of the report's plans,
    from the appointments of those disciplines only (one query)."""
    plans = [p.plan for p in progress.plans]
    per: dict[str, Attendance] = {}
    for plan in plans:
        per.setdefault(plan.discipline, Attendance(plan.discipline, plan.get_discipline_display()))
    if not per:
        return []
    rows = (
        appointments_of(membership, child)
        .filter(
            encounter__starts_at__date__gte=start,
            encounter__starts_at__date__lte=end,
            encounter__discipline__in=list(per),
        )
        .values_list(
            "encounter__discipline",
            "status",
            "late_cancel",
            "cancelled_by__role",
            "encounter__duration_minutes",
            "encounter__starts_at",
        )
    )
    now = clock.now()
    lengths: dict[str, Counter[int]] = {d: Counter() for d in per}
    first: dict[str, datetime.date] = {}
    for discipline, status, late, canceller, minutes, starts_at in rows:
        result = per[discipline]
        if status == AppointmentStatus.ATTENDED:
            result.attended += 1
            lengths[discipline][minutes] += 1
        elif status == AppointmentStatus.MISSED:
            result.missed += 1
        elif status == AppointmentStatus.CANCELLED and canceller in CLINIC_ROLES:
            result.clinic_cancelled += 1
            continue  # not a session the child was due at
        elif status == AppointmentStatus.CANCELLED:
            result.cancelled += 1
            result.late_cancelled += bool(late)
        elif starts_at < now:
            result.undocumented += 1
        else:
            result.upcoming += 1
        day = starts_at.date()
        first[discipline] = min(day, first.get(discipline, day))
    for discipline, result in per.items():
        if lengths[discipline]:
            result.minutes = lengths[discipline].most_common(1)[0][0]
        plan_start = min(p.start_date for p in plans if p.discipline == discipline)
        since = max(start, plan_start)
        since = min(since, first.get(discipline, since))
        weeks = max(1.0, ((min(end, clock.today()) - since).days + 1) / 7)
        booked = result.due + result.undocumented
        if booked:
            result.per_week = round(booked / weeks, 1)
    return list(per.values())


def _scores(membership: Membership, child: Child, end: datetime.date) -> list[ScoreRow]:
    """Scores of final evaluations up to the period's end, newest evaluation first. The
    descriptor is the therapist's interpretation, else worked out on the subtest's own
    metric when the instrument's catalogue gives it (blank otherwise)."""
    rows = (
        scores_of(membership, child)
        .filter(
            evaluation__status=EvaluationStatus.FINAL,
            evaluation__evaluated_on__lte=end,
            evaluation__organization_id=membership.organization_id,
        )
        .select_related("evaluation")
        .order_by("-evaluation__evaluated_on", "created_at")[:60]
    )
    return [
        ScoreRow(
            instrument=score.instrument.name,
            subtest=score.subtest,
            standard_score=score.standard_score,
            percentile=score.percentile,
            descriptor=score.interpretation
            or scales.describe(score.instrument.code, score.subtest, score.standard_score),
            on=score.evaluation.evaluated_on,
        )
        for score in rows
    ]


def _signers(membership: Membership, progress: ChildProgress) -> list[Signer]:
    """The therapists who wrote the plans, with their credentials and NPI (two queries)."""
    author_ids = list(dict.fromkeys(p.plan.author_id for p in progress.plans))
    if not author_ids:
        return []
    members = {m.pk: m for m in members_visible_to(membership).filter(pk__in=author_ids)}
    numbers: dict[Any, Any] = provider_numbers(membership) if members else {}
    signers = []
    for author_id in author_ids:
        member = members.get(author_id)
        if member is None:
            continue
        found = numbers.get(author_id)
        signers.append(
            Signer(
                name=member.display_name,
                credentials=found.credentials if found else "",
                npi=found.npi if found else "",
            )
        )
    return signers
