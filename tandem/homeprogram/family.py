"""The guardian's home page: each child's week at home, next appointment, messages, progress.

Built from a fixed number of queries whatever the number of children, activities and
sessions: one per kind of record, for all of the guardian's children at once.
Appointments and messages come from their apps when those are installed.
"""

import datetime
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock
from tandem.plans.models import GoalStatus, PlanStatus
from tandem.progress.analysis import GoalAnalysis

from . import reading
from .access import activities_for, goals_for, logs_for
from .models import ActivityStatus, week_start


@dataclass
class FamilyChild:
    """What the guardian's home shows for one child."""

    child: Child
    weeks: list[reading.PracticeWeek]
    progress_line: str
    needs_review: bool = False
    has_goals: bool = False
    next_appointment: Any = None
    unread_messages: int = 0
    # What the guardian is asked to do ("For you"): plans to sign (again), a check-in that
    # fell due, today's practice, times to choose or a reminded session to confirm, and
    # reports (final evaluations) the team shared lately.
    plans_to_sign: list[Any] = field(default_factory=list)
    checkin_due_on: datetime.date | None = None
    time_offers: int = 0
    new_reports: list[Any] = field(default_factory=list)
    confirm_link: str = ""
    # Questionnaires the team asked the family to fill before an evaluation, and what the
    # child's school plans raise (a review due, the move out of early intervention).
    questionnaires: list[dict[str, Any]] = field(default_factory=list)
    school_dates: list[Any] = field(default_factory=list)

    @property
    def practice_today(self) -> list[reading.PracticeWeek]:
        """Activities not practised today whose week is not done yet."""
        return [w for w in self.weeks if not w.today and w.practised < w.planned]

    @property
    def for_you(self) -> bool:
        return bool(
            self.plans_to_sign
            or self.checkin_due_on
            or self.practice_today
            or self.time_offers
            or self.new_reports
            or self.confirm_link
            or self.questionnaires
            or self.school_dates
        )


# A final evaluation is "new" on the family's home for this long after it was shared.
NEW_REPORT_DAYS = 14


def optional_reader(module_name: str, function: str) -> Callable[..., Any] | None:
    """A reading function of an app that may not be installed yet (None if it is absent)."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, function, None)


def _first(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def progress_line(goals: Sequence[Any], results: dict[Any, GoalAnalysis]) -> tuple[str, bool]:
    """One plain sentence about the child's goals, and whether any is flagged for review."""
    if not goals:
        return _("The goals will show here once the team shares the plan."), False
    reached = [g for g in goals if g.status == GoalStatus.MET or results[g.id].mastered]
    working = [g for g in goals if g not in reached]
    forward = [g for g in working if results[g.id].direction == "improving"]
    slower = [g for g in working if reading.needs_review(results[g.id])]
    parts = []
    if working:
        parts.append(
            ngettext("Working on %(n)s goal", "Working on %(n)s goals", len(working))
            % {"n": len(working)}
        )
    if reached:
        parts.append(
            ngettext("%(n)s goal reached", "%(n)s goals reached", len(reached))
            % {"n": len(reached)}
        )
    if forward:
        parts.append(
            ngettext(
                "%(n)s moving in the right direction",
                "%(n)s moving in the right direction",
                len(forward),
            )
            % {"n": len(forward)}
        )
    if slower:
        parts.append(
            ngettext(
                "%(n)s taking a little longer (that's normal)",
                "%(n)s taking a little longer (that's normal)",
                len(slower),
            )
            % {"n": len(slower)}
        )
    return " · ".join(parts), bool(slower)


def _time_offers(membership: Membership, children: Sequence[Child]) -> dict[Any, int]:
    """How many times are offered to each child's family to choose from (one query)."""
    offers = optional_reader("tandem.appointments.access", "open_time_offers")
    if offers is None:
        return {}
    rows = offers(membership, children).values("child_id").annotate(n=Count("id"))
    return {row["child_id"]: row["n"] for row in rows.order_by()}


def _new_reports(membership: Membership, ids: list[Any]) -> dict[Any, list[Any]]:
    """The final evaluations shared with the family lately, per child (one query)."""
    model: Any = optional_reader("tandem.assessments.models", "Evaluation")
    if model is None:
        return {}
    since = clock.now() - datetime.timedelta(days=NEW_REPORT_DAYS)
    found: dict[Any, list[Any]] = {}
    rows = (
        model.objects.visible_to(membership)
        .filter(child_id__in=ids, status="final", updated_at__gte=since)
        # What the "For you" line shows (discipline, date, link), not the report's text.
        .only("id", "organization_id", "child_id", "discipline", "evaluated_on", "status")
    )
    for evaluation in rows.order_by("-evaluated_on", "-created_at"):
        found.setdefault(evaluation.child_id, []).append(evaluation)
    return found


def _confirm_link(membership: Membership, appointment: Any) -> str:
    """The session reminder's answer page, while the reminded session is unconfirmed."""
    if not getattr(appointment, "reminded_at", None) or appointment.confirmed_at:
        return ""
    reply_link = optional_reader("tandem.appointments.reminders", "reply_link")
    return reply_link(appointment, membership.pk) if reply_link else ""


def _label_team(children: Sequence[Child]) -> None:
    """Each care-team seat's discipline in words (``discipline_label``), translated once
    per page: Django's ``get_discipline_display`` hashes every lazy label of the choices
    on each call (about ten translations a seat; issue 16). The page prefetches the team."""
    field = Membership._meta.get_field("discipline")
    labels = {value: str(label) for value, label in field.flatchoices}
    for child in children:
        for seat in child.care_team.all():
            found = seat.therapist.discipline
            vars(seat)["discipline_label"] = labels.get(found, found)


def family_home(
    membership: Membership, children: Sequence[Child], today: datetime.date
) -> list[FamilyChild]:
    """Everything the guardian's home shows, for all of their children at once."""
    ids = [c.id for c in children]
    if not ids:
        return []
    _label_team(children)
    org = membership.organization_id
    activities = list(
        activities_for(membership, ids, with_goals=False).filter(status=ActivityStatus.ACTIVE)
    )
    logs = []
    if activities:
        logs = list(logs_for(membership, ids).filter(date__gte=week_start(today), date__lte=today))
    goals = list(
        goals_for(membership, ids).filter(
            plan__organization_id=org,
            plan__status=PlanStatus.ACTIVE,
            status__in=[GoalStatus.ACTIVE, GoalStatus.MET],
        )
    )
    series = reading.session_series(membership, {g.child_id for g in goals}, goals) if goals else {}
    results = reading.analyse_goals(goals, series)
    next_appointments = optional_reader("tandem.appointments.reading", "next_appointments")
    unread_counts = optional_reader("tandem.messaging.reading", "unread_counts")
    plans_to_sign = optional_reader("tandem.plans.reading", "plans_to_sign")
    checkins_due = optional_reader("tandem.messaging.reading", "checkins_due")
    appointments = next_appointments(membership, ids) if next_appointments else {}
    unread = unread_counts(membership, ids) if unread_counts else {}
    to_sign = plans_to_sign(membership, ids) if plans_to_sign else {}
    due = checkins_due(membership, ids, today) if checkins_due else {}
    questionnaires_due = optional_reader("tandem.assessments.family", "questionnaires_due")
    school_reminders = optional_reader("tandem.schoolplans.reading", "reminders_by_child")
    offered = _time_offers(membership, children)
    reports = _new_reports(membership, ids)
    asked: dict[Any, list[dict[str, Any]]] = {}
    for item in questionnaires_due(membership) if questionnaires_due else []:
        asked.setdefault(item["child"].pk, []).append(item)
    school = school_reminders(membership, children, today) if school_reminders else {}
    found = []
    for child in children:
        own = [a for a in activities if a.child_id == child.id]
        own_goals = [g for g in goals if g.child_id == child.id]
        line, review = progress_line(own_goals, results)
        appointment = _first((appointments or {}).get(child.id))
        found.append(
            FamilyChild(
                child=child,
                weeks=reading.practice_weeks(own, logs, today),
                progress_line=line,
                needs_review=review,
                has_goals=bool(own_goals),
                next_appointment=appointment,
                unread_messages=int((unread or {}).get(child.id) or 0),
                plans_to_sign=list(to_sign.get(child.id, [])),
                checkin_due_on=due.get(child.id),
                time_offers=offered.get(child.id, 0),
                new_reports=reports.get(child.id, []),
                confirm_link=_confirm_link(membership, appointment),
                questionnaires=asked.get(child.id, []),
                school_dates=school.get(child.id, []),
            )
        )
    return found
