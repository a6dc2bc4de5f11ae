"""What the home program pages and the API read, computed in Python from a few queries.

- this week's practice per activity (the family's cards);
- adherence per activity per week over the last eight weeks, with the barriers;
- where each goal's skill has been seen (skill × setting);
- home practice per goal per week (drawn on the goal's progress chart);
- which goals the progress rules flag (plateau or regression).

Nothing here queries inside a loop: callers pass in what they fetched.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.plans.models import Goal
from tandem.progress import analysis

from .access import logs_of, signed_goal_data_for
from .models import (
    INDEPENDENCE_RANK,
    Barrier,
    HomeActivity,
    Independence,
    Observation,
    Outcome,
    PracticeLog,
    Setting,
    week_start,
)

ADHERENCE_WEEKS = 8
REVIEW_DAYS = 28

# --- This week ------------------------------------------------------------------------


@dataclass
class PracticeWeek:
    """One activity's practice so far this week, for the family's one-tap card."""

    activity: HomeActivity
    done: int = 0
    partly: int = 0
    skipped: int = 0
    today: list[PracticeLog] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return self.activity.times_per_week

    @property
    def practised(self) -> int:
        return self.done + self.partly

    @property
    def latest_today(self) -> PracticeLog | None:
        return self.today[0] if self.today else None

    @property
    def dots(self) -> list[bool]:
        """One mark per planned time this week, filled for each practice (extra ones too)."""
        return [i < self.practised for i in range(max(self.planned, self.practised))]


def practice_weeks(
    activities: Iterable[HomeActivity], logs: Iterable[PracticeLog], today: datetime.date
) -> list[PracticeWeek]:
    """Count this week's logs per activity; ``logs`` may hold more than this week."""
    monday = week_start(today)
    weeks = {a.id: PracticeWeek(a) for a in activities}
    for log in sorted(logs, key=lambda entry: entry.created_at, reverse=True):
        week = weeks.get(log.activity_id)
        if week is None or not monday <= log.date <= today:
            continue
        if log.outcome == Outcome.DONE:
            week.done += 1
        elif log.outcome == Outcome.PARTLY:
            week.partly += 1
        else:
            week.skipped += 1
        if log.date == today:
            week.today.append(log)
    return list(weeks.values())


# --- Adherence ----------------------------------------------------------------------------


def barrier_phrase(code: str, child_name: str, other: str = "") -> str:
    """Say what got in the way without blame: about the circumstances, not the family."""
    if code == Barrier.NO_TIME:
        return _("Practice was hard to fit in this week.")
    if code == Barrier.REFUSED:
        return _("%(name)s wasn't ready to join in.") % {"name": child_name}
    if code == Barrier.UNCLEAR:
        return _("The steps may need explaining again.")
    if code == Barrier.MATERIALS:
        return _("The materials weren't at hand.")
    if other:
        return _("Something else got in the way: “%(text)s”.") % {"text": other}
    return _("Something else got in the way.")


@dataclass
class AdherenceCell:
    week: datetime.date
    planned: int | None  # None: the activity was not part of the program that week
    done: int = 0
    partly: int = 0
    skipped: int = 0
    barriers: list[str] = field(default_factory=list)

    @property
    def practised(self) -> int:
        return self.done + self.partly

    @property
    def level(self) -> str:
        """ "off", "met", "some" or "none": how the week compares with the plan."""
        if self.planned is None:
            return "off"
        if self.practised >= self.planned:
            return "met"
        return "some" if self.practised else "none"


@dataclass
class AdherenceRow:
    activity: HomeActivity
    cells: list[AdherenceCell]

    @property
    def planned(self) -> int:
        return sum(c.planned or 0 for c in self.cells)

    @property
    def practised(self) -> int:
        return sum(min(c.practised, c.planned or 0) for c in self.cells)

    @property
    def percent(self) -> int | None:
        return round(100 * self.practised / self.planned) if self.planned else None


@dataclass
class BarrierNote:
    date: datetime.date
    activity: HomeActivity
    code: str
    phrase: str


@dataclass
class Adherence:
    weeks: list[datetime.date]
    rows: list[AdherenceRow]
    barriers: list[BarrierNote]

    @property
    def barrier_counts(self) -> list[tuple[str, int]]:
        """Each kind of barrier with how often it came up, most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        phrases: dict[str, str] = {}
        for note in self.barriers:
            key = note.code if note.code != Barrier.OTHER else f"other:{note.phrase}"
            counts[key] += 1
            phrases[key] = note.phrase
        return sorted(((phrases[k], n) for k, n in counts.items()), key=lambda p: -p[1])

    @property
    def percent(self) -> int | None:
        planned = sum(r.planned for r in self.rows)
        return round(100 * sum(r.practised for r in self.rows) / planned) if planned else None


def adherence_weeks(today: datetime.date, count: int = ADHERENCE_WEEKS) -> list[datetime.date]:
    """The Mondays of the last ``count`` weeks, oldest first, this week last."""
    monday = week_start(today)
    return [monday - datetime.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def _running(activity: HomeActivity, monday: datetime.date) -> bool:
    sunday = monday + datetime.timedelta(days=6)
    if activity.starts_on > sunday:
        return False
    return activity.archived_on is None or activity.archived_on >= monday


def adherence(
    child: Child,
    activities: Sequence[HomeActivity],
    logs: Iterable[PracticeLog],
    today: datetime.date,
) -> Adherence:
    """Practice logged against the plan, per activity per week, and the barriers met."""
    weeks = adherence_weeks(today)
    rows = {
        a.id: AdherenceRow(
            a, [AdherenceCell(w, a.times_per_week if _running(a, w) else None) for w in weeks]
        )
        for a in activities
    }
    index = {w: i for i, w in enumerate(weeks)}
    name = child.preferred_name or child.first_name
    notes = []
    for log in sorted(logs, key=lambda entry: (entry.date, entry.created_at)):
        row = rows.get(log.activity_id)
        slot = index.get(week_start(log.date))
        if row is None or slot is None:
            continue
        cell = row.cells[slot]
        if log.outcome == Outcome.DONE:
            cell.done += 1
        elif log.outcome == Outcome.PARTLY:
            cell.partly += 1
        else:
            cell.skipped += 1
        if log.barrier:
            phrase = barrier_phrase(log.barrier, name, log.barrier_other)
            cell.barriers.append(phrase)
            notes.append(BarrierNote(log.date, row.activity, log.barrier, phrase))
    notes.reverse()  # newest first
    shown = [r for r in rows.values() if any(c.planned is not None for c in r.cells)]
    return Adherence(weeks, shown, notes)


def adherence_logs(
    membership: Membership, child: Child, today: datetime.date
) -> QuerySet[PracticeLog]:
    """The child's logs over the adherence window (one query when evaluated)."""
    return logs_of(membership, child).filter(date__gte=adherence_weeks(today)[0], date__lte=today)


# --- Skill × setting ---------------------------------------------------------------------


SETTINGS = list(Setting)


@dataclass
class SettingCell:
    setting: str
    label: str
    observations: list[Observation] = field(default_factory=list)

    @property
    def latest(self) -> Observation | None:
        return self.observations[0] if self.observations else None

    @property
    def best(self) -> Observation | None:
        return max(self.observations, key=lambda o: o.rank, default=None)

    @property
    def state(self) -> str:
        """ "seen" (on their own), "help" (with help), "not_yet", or "unknown" (no one has said)."""
        latest = self.latest
        if latest is None:
            return "unknown"
        if latest.independence == Independence.INDEPENDENT:
            return "seen"
        if latest.independence == Independence.NOT_YET:
            return "not_yet"
        return "help"


@dataclass
class SkillRow:
    goal: Goal
    cells: list[SettingCell]

    @property
    def seen_in(self) -> list[str]:
        return [c.label for c in self.cells if c.state in ("seen", "help")]

    @property
    def not_yet_in(self) -> list[str]:
        return [c.label for c in self.cells if c.state in ("not_yet", "unknown")]

    @property
    def count(self) -> int:
        return sum(len(c.observations) for c in self.cells)


def skill_settings(goals: Iterable[Goal], observations: Iterable[Observation]) -> list[SkillRow]:
    """For each goal, where its skill has been observed and how independently (newest first)."""
    rows = {
        g.id: SkillRow(g, [SettingCell(s.value, str(s.label)) for s in SETTINGS]) for g in goals
    }
    column = {s.value: i for i, s in enumerate(SETTINGS)}
    ordered = sorted(observations, key=lambda o: (o.observed_on, o.created_at), reverse=True)
    for observation in ordered:
        row = rows.get(observation.goal_id)
        if row is not None and observation.setting in column:
            row.cells[column[observation.setting]].observations.append(observation)
    return list(rows.values())


def independence_label(value: str) -> str:
    return str(Independence(value).label) if value in INDEPENDENCE_RANK else value


# --- Home practice per goal, for the progress chart -------------------------------------


def practice_by_goal(
    membership: Membership, child: Child, *, end: datetime.date | None = None
) -> dict[Any, list[tuple[datetime.date, int]]]:
    """{goal_id: [(Monday, times practised that week), ...]} from the family's logs (one query).

    A practice counts for every goal its activity is linked to; done and partly both count.
    """
    org = membership.organization_id
    logs = logs_of(membership, child).filter(
        outcome__in=[Outcome.DONE, Outcome.PARTLY],
        activity__organization_id=org,
        activity__goals__organization_id=org,
    )
    if end is not None:
        logs = logs.filter(date__lte=end)
    weeks: dict[Any, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for goal_id, day in logs.values_list("activity__goals__id", "date"):
        weeks[goal_id][week_start(day)] += 1
    return {goal_id: sorted(by_week.items()) for goal_id, by_week in weeks.items()}


# --- Progress flags ------------------------------------------------------------------------


def session_series(
    membership: Membership, child_ids: Iterable, goals: Iterable[Goal]
) -> dict[Any, list[tuple[datetime.date, float]]]:
    """{goal_id: [(date, value), ...]} of these goals from signed notes of several
    children (one query). Only the goals asked for: a caseload's children carry years of
    readings of goals of closed plans (at 20,000 children, a therapist's 86 children had
    ~20,000 readings; the today page read them all to look at its active goals')."""
    rows = (
        signed_goal_data_for(membership, child_ids)
        .filter(value__isnull=False, goal_id__in=[g.id for g in goals])
        .order_by("note__date", "note__start_time")
        .values_list("goal_id", "note__date", "value")
    )
    series: dict[Any, list[tuple[datetime.date, float]]] = defaultdict(list)
    for goal_id, day, value in rows:
        if value is not None:
            series[goal_id].append((day, value))
    return series


def analyse_goals(goals: Iterable[Goal], series: dict) -> dict[Any, analysis.GoalAnalysis]:
    """Apply the progress rules to each goal's signed session values."""
    return {g.id: analysis.analyse(g, series.get(g.id, [])) for g in goals}


def needs_review(result: analysis.GoalAnalysis | None) -> bool:
    return bool(result and (result.plateau or result.regression))


@dataclass
class Review:
    """A flagged goal with what the family has logged and seen lately."""

    goal: Goal
    result: analysis.GoalAnalysis
    logs: list[PracticeLog]
    observations: list[Observation]


def reviews(
    goals: Iterable[Goal],
    results: Mapping[Any, analysis.GoalAnalysis | None],
    activities: Iterable[HomeActivity],
    recent_logs: Iterable[PracticeLog],
    observations: Iterable[Observation],
    today: datetime.date,
) -> list[Review]:
    """Flagged goals, each with the last four weeks' practice of its activities and observations."""
    since = today - datetime.timedelta(days=REVIEW_DAYS)
    goals_of_activity = {a.id: {g.id for g in a.goals.all()} for a in activities}
    found = []
    recent = [entry for entry in recent_logs if entry.date >= since]
    seen = [o for o in observations if o.observed_on >= since]
    for goal in goals:
        result = results.get(goal.id)
        if result is None or not needs_review(result):
            continue
        logs = [e for e in recent if goal.id in goals_of_activity.get(e.activity_id, ())]
        found.append(Review(goal, result, logs, [o for o in seen if o.goal_id == goal.id]))
    return found
