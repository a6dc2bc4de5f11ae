"""Changes to home programs, practice logs and observations.

Each runs in one transaction and keeps a version (django-simple-history). Callers
check the app's rules (``rules.py``) and fetch the child, activity and goals through
``access.py`` first; these functions check only the records' state and what ties them
together (same child, same organization, a current version).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.uploads import clean_upload
from tandem.plans.models import Goal

from .models import (
    ActivityStatus,
    Barrier,
    HomeActivity,
    Observation,
    PracticeLog,
    RecorderRole,
)
from .uploads import check_handout

ACTIVITY_FIELDS = ("title", "why", "steps", "times_per_week", "minutes", "materials", "starts_on")
LOG_FIELDS = ("date", "outcome", "minutes", "how_it_went", "barrier", "barrier_other", "note")
OBSERVATION_FIELDS = ("observed_on", "setting", "who_was_there", "independence", "note")
# Links to rows the caller already fetched through the access layer; not re-read to validate.
PARENTS = ["organization", "child", "assigned_by", "activity", "logged_by", "goal", "recorded_by"]
# How far back a family may log practice or an observation they forgot to enter.
BACKDATE_DAYS = 60


def _validate(obj: Any, problems: dict[str, str] | None = None) -> None:
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=PARENTS, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    for name, message in (problems or {}).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _set(obj: Any, allowed: tuple[str, ...], changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        setattr(obj, name, value)


def _day_problem(
    day: datetime.date | None, name: str, *, limit_past: bool, today: datetime.date
) -> dict[str, str]:
    """``today`` is the clinic's (``clock.today_for``): actions also run outside requests."""
    if day is None:
        return {}
    if day > today:
        return {name: _("This day is still to come: choose today or an earlier day.")}
    if limit_past and (today - day).days > BACKDATE_DAYS:
        return {name: _("Choose a day in the last two months.")}
    return {}


def _check_goals(child: Child, goals: Iterable[Goal], field: str = "goals") -> list[Goal]:
    goals = list(goals)
    for goal in goals:
        if goal.child_id != child.id or goal.organization_id != child.organization_id:
            raise ValidationError({field: [_("Choose a goal of this child.")]})
    return goals


def _attach(activity: HomeActivity, handout: UploadedFile) -> None:
    try:
        kind = check_handout(handout)
    except ValidationError as exc:
        raise ValidationError({"handout": exc.messages}) from exc
    activity.handout_type = kind
    activity.handout_name = (handout.name or "handout")[-200:]
    activity.handout.save("handout", clean_upload(handout, kind), save=False)


def _link_goals(activity: HomeActivity, goals: list[Goal]) -> None:
    """Make the activity's goal links exactly these, through the link table alone.

    (``activity.goals.set()`` would read the goals table without the organization.)
    """
    links = HomeActivity.goals.through.objects
    wanted = {g.id for g in goals}
    existing = set(links.filter(homeactivity_id=activity.id).values_list("goal_id", flat=True))
    links.filter(homeactivity_id=activity.id, goal_id__in=existing - wanted).delete()
    links.bulk_create(
        [links.model(homeactivity_id=activity.id, goal_id=goal_id) for goal_id in wanted - existing]
    )


# --- Activities ----------------------------------------------------------------------


@transaction.atomic
def create_activity(
    by: Membership,
    child: Child,
    *,
    goals: Iterable[Goal] = (),
    handout: UploadedFile | None = None,
    at: datetime.datetime | None = None,
    **fields: Any,
) -> HomeActivity:
    """Assign a home activity to a child, linked to some of the child's goals."""
    linked = _check_goals(child, goals)
    activity = HomeActivity(organization_id=child.organization_id, child=child, assigned_by=by)
    _set(activity, ACTIVITY_FIELDS, fields)
    _validate(activity)
    if handout is not None:
        _attach(activity, handout)
    activity.goal_ids = sorted(str(g.id) for g in linked)
    activity.save(at=at)
    _link_goals(activity, linked)
    return activity


@transaction.atomic
def update_activity(
    activity: HomeActivity,
    *,
    expected_version: int,
    goals: Iterable[Goal] | None = None,
    handout: UploadedFile | None = None,
    remove_handout: bool = False,
    **changes: Any,
) -> HomeActivity:
    """Save changes made to ``expected_version`` of the activity, or raise Conflict."""
    current = HomeActivity.objects.select_for_update().get(
        pk=activity.pk, organization_id=activity.organization_id
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    linked = _check_goals(activity.child, goals) if goals is not None else None
    _set(current, ACTIVITY_FIELDS, changes)
    _validate(current)
    if handout is not None:
        _attach(current, handout)
    elif remove_handout:
        # The file itself is kept: earlier versions of the activity still point at it.
        current.handout, current.handout_name, current.handout_type = "", "", ""
    current.version = expected_version + 1
    if linked is not None:
        current.goal_ids = sorted(str(g.id) for g in linked)
    current.save()
    if linked is not None:
        _link_goals(current, linked)
    current.child = activity.child
    return current


@transaction.atomic
def set_activity_status(
    activity: HomeActivity, *, expected_version: int, status: str
) -> HomeActivity:
    """Archive an activity (it leaves the family's list, its logs stay) or bring it back."""
    if status not in ActivityStatus.values:
        raise ValidationError({"status": [_("Choose active or archived.")]})
    current = HomeActivity.objects.select_for_update().get(
        pk=activity.pk, organization_id=activity.organization_id
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    current.status = status
    today = clock.today_for(activity.child.organization)
    current.archived_on = today if status == ActivityStatus.ARCHIVED else None
    current.version += 1
    current.save()
    current.child = activity.child
    return current


# --- Practice logs ---------------------------------------------------------------------


def _log_problems(log: PracticeLog, *, limit_past: bool, today: datetime.date) -> dict[str, str]:
    log.barrier = log.barrier or ""
    log.barrier_other = (log.barrier_other or "").strip()
    if log.barrier_other:
        log.barrier = Barrier.OTHER  # words typed under "something else" say what it was
    return _day_problem(log.date, "date", limit_past=limit_past, today=today)


@transaction.atomic
def log_practice(
    by: Membership,
    activity: HomeActivity,
    *,
    limit_past: bool = True,
    at: datetime.datetime | None = None,
    **fields: Any,
) -> PracticeLog:
    """Record a guardian's practice of an activity (done, partly or not today).

    Families may log up to two months back; demo data passes ``limit_past=False``.
    Callers check ``homeprogram.log_practice`` first.
    """
    if not activity.is_active:
        raise ValidationError({"activity": [_("This activity is no longer part of the program.")]})
    log = PracticeLog(
        organization_id=activity.organization_id,
        child_id=activity.child_id,
        activity=activity,
        logged_by=by,
    )
    _set(log, LOG_FIELDS, {k: v for k, v in fields.items() if v is not None})
    today = clock.today_for_member(by, at)
    _validate(log, _log_problems(log, limit_past=limit_past, today=today))
    log.save(at=at)
    return log


@transaction.atomic
def update_log(log: PracticeLog, **changes: Any) -> PracticeLog:
    """Add how it went, minutes, a barrier or a note to a log (callers check
    ``homeprogram.change_log``: its writer only)."""
    current = PracticeLog.objects.select_for_update().get(
        pk=log.pk, organization_id=log.organization_id
    )
    _set(current, LOG_FIELDS, changes)
    if "barrier" in changes and changes["barrier"] != Barrier.OTHER:
        current.barrier_other = ""  # a new choice replaces the earlier words
    today = clock.today_for_member(log.logged_by)
    _validate(current, _log_problems(current, limit_past=True, today=today))
    current.save()
    current.activity = log.activity
    return current


@transaction.atomic
def undo_log(log: PracticeLog) -> None:
    """Take a log back (a mistaken tap); its history keeps that it existed."""
    log.delete()


# --- Observations -----------------------------------------------------------------------


def recorder_role(by: Membership) -> str:
    if by.role == Role.GUARDIAN:
        return RecorderRole.FAMILY
    if by.role == Role.COLLABORATOR:
        return RecorderRole.COLLABORATOR
    return RecorderRole.STAFF


@transaction.atomic
def record_observation(
    by: Membership, child: Child, goal: Goal, *, at: datetime.datetime | None = None, **fields: Any
) -> Observation:
    """Record where and how independently the child showed a goal's skill."""
    _check_goals(child, [goal], field="goal")
    observation = Observation(
        organization_id=child.organization_id,
        child=child,
        goal=goal,
        recorded_by=by,
        recorder_role=recorder_role(by),
    )
    _set(observation, OBSERVATION_FIELDS, {k: v for k, v in fields.items() if v is not None})
    today = clock.today_for_member(by, at)
    problem = _day_problem(observation.observed_on, "observed_on", limit_past=False, today=today)
    _validate(observation, problem)
    observation.save(at=at)
    return observation
