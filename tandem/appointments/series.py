"""Recurring sessions: a series booked from an RFC 5545 rule, and changes to "this and the
following" or "all coming" sessions of it.

The rule's times are the clinic's wall clock (dateutil's rrule over local times): a
weekly 10:00 session stays at 10:00 when the clocks change. A series is booked ahead in
full (at most ``MAX_SESSIONS`` sessions within a year), each session its own encounter
and appointment, so each can be changed, cancelled or documented on its own; the whole
series is checked for clashes at once and booked only if none clashes.
"""

from datetime import datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from tandem.accounts.models import Membership
from tandem.children.models import Child

from . import actions
from .models import Appointment, AppointmentStatus, Encounter, Series

MAX_SESSIONS = 52
MAX_SPAN = timedelta(days=366)
RULE_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY"}
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY"}
SCOPES = ("this", "following", "all")


def weekly(every_weeks: int, count: int) -> str:
    """The rule for ``count`` sessions every ``every_weeks`` weeks (the booking form)."""
    return f"FREQ=WEEKLY;INTERVAL={every_weeks};COUNT={count}"


def starts(rule: str, first: datetime, zone: ZoneInfo) -> list[datetime]:
    """Every start the rule gives from ``first``, on the clinic's wall clock; a rule that
    is not one Tandem books (or gives too many sessions) is a ValidationError."""
    parts = _parts(rule)
    local = first.astimezone(zone).replace(tzinfo=None)
    if "UNTIL" in parts:  # rrulestr wants UNTIL in the dtstart's kind: a local time
        rule = ";".join(f"{k}={v}" for k, v in parts.items() if k != "UNTIL")
        rule += f";UNTIL={_local_until(parts['UNTIL'], zone)}"
    try:
        found = list(islice(rrulestr(rule, dtstart=local), MAX_SESSIONS + 1))
    except (ValueError, TypeError) as exc:
        raise _bad(_("This repeat rule could not be read.")) from exc
    if len(found) > MAX_SESSIONS:
        raise _bad(_("Book at most %(n)d sessions at once.") % {"n": MAX_SESSIONS})
    if not found:
        raise _bad(_("This repeat rule gives no session."))
    if found[-1] - found[0] > MAX_SPAN:
        raise _bad(_("Book at most a year of sessions at once."))
    return [timezone.make_aware(start, zone) for start in found]


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in rule.upper().strip().removeprefix("RRULE:").split(";"):
        name, _sep, value = item.partition("=")
        if name not in RULE_PARTS or not value:
            raise _bad(
                _("Use FREQ, INTERVAL, COUNT, UNTIL and BYDAY only (e.g. FREQ=WEEKLY;COUNT=10).")
            )
        parts[name] = value
    if parts.get("FREQ") not in FREQUENCIES:
        raise _bad(_("Repeat daily, weekly or monthly (FREQ=DAILY, WEEKLY or MONTHLY)."))
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _bad(_("Say how many sessions (COUNT) or until when (UNTIL)."))
    if not parts.get("INTERVAL", "1").isdigit() or not 1 <= int(parts.get("INTERVAL", "1")) <= 52:
        raise _bad(_("Repeat every 1 to 52 days, weeks or months (INTERVAL=1 to 52)."))
    return parts


def _local_until(value: str, zone: ZoneInfo) -> str:
    try:
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=ZoneInfo("UTC"))
            return moment.astimezone(zone).strftime("%Y%m%dT%H%M%S")
        if "T" in value:
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
            return local.strftime("%Y%m%dT%H%M%S")
        day = datetime.strptime(value, "%Y%m%d").replace(tzinfo=zone)
        return day.strftime("%Y%m%dT235959")
    except ValueError as exc:
        raise _bad(_("Write UNTIL as a date, e.g. UNTIL=20270601.")) from exc


def _stored(rule: str, last: datetime) -> str:
    """The rule as kept: UNTIL in UTC (RFC 5545, with a start in a time zone), the last
    session's start, so the rule gives exactly the sessions booked."""
    parts = _parts(rule)
    if "UNTIL" in parts:
        parts["UNTIL"] = _utc(last)
    return _join(parts)


def _bad(message: str) -> ValidationError:
    return ValidationError({"repeat": [message]})


@transaction.atomic
def book_series(
    by: Membership, child: Child, *, rule: str, at: datetime | None = None, **fields: Any
) -> list[Appointment]:
    """Book every session of a series for a child, or none if one of them clashes."""
    if fields.get("status", AppointmentStatus.SCHEDULED) != AppointmentStatus.SCHEDULED:
        raise ValidationError(
            {"status": [_("A series is booked ahead: record each session as it happens.")]}
        )
    zone = actions.clinic_zone(child.organization)
    first = actions.in_clinic_time(fields["starts_at"], child.organization)
    times = starts(rule, first, zone)
    template = Encounter(organization_id=child.organization_id, created_by=by)
    appointment = Appointment(
        organization_id=child.organization_id, child=child, created_by=by, encounter=template
    )
    actions._apply(appointment, {**fields, "starts_at": times[0]})
    if not template.discipline and template.therapist_id:
        template.discipline = template.therapist.discipline or "other"
    length = timedelta(minutes=template.duration_minutes)
    actions._check(appointment, previous=None, now=at, also=[(t, t + length) for t in times[1:]])
    series = Series(
        organization_id=child.organization_id,
        child=child,
        rule=_stored(rule, times[-1]),
        starts_at=times[0],
        duration_minutes=template.duration_minutes,
        created_by=by,
    )
    series.save(at=at)
    encounters = []
    for start in times:
        encounter = Encounter(
            **{f.attname: getattr(template, f.attname) for f in Encounter._meta.concrete_fields},
        )
        encounter.pk = None
        encounter.id = Encounter._meta.pk.get_default()
        encounter.starts_at = encounter.recurrence_id = start
        encounter.series = series
        encounter.created_at = encounter.updated_at = at or timezone.now()
        actions._name_video_room(encounter)
        encounters.append(encounter)
    bulk_create_with_history(encounters, Encounter, default_date=at)
    participations = [
        Appointment(
            organization_id=child.organization_id,
            encounter=encounter,
            child=child,
            status=appointment.status,
            note_for_family=appointment.note_for_family,
            created_by=by,
            created_at=encounter.created_at,
            updated_at=encounter.created_at,
        )
        for encounter in encounters
    ]
    bulk_create_with_history(participations, Appointment, default_date=at)
    return participations


@transaction.atomic
def change_series(
    appointment: Appointment,
    *,
    expected_version: int,
    scope: str,
    by: Membership | None = None,
    **changes: Any,
) -> Appointment:
    """Change this session and the following ones of its series (``following``), or every
    coming one (``all``): the same change to each that is still booked, a new time as the
    same shift of each. The series ends before the first one changed and a new series
    takes the changed ones, so past sessions keep what happened."""
    if scope == "this" or appointment.encounter.series_id is None:
        return actions.update_appointment(
            appointment, expected_version=expected_version, by=by, **changes
        )
    if changes.get("status") not in (
        None,
        AppointmentStatus.SCHEDULED,
        AppointmentStatus.CANCELLED,
    ):
        raise ValidationError({"status": [_("Record attended or missed one session at a time.")]})
    current = actions._locked(appointment)
    if current.version != expected_version:
        raise actions.Conflict(current.version)
    series_id = current.encounter.series_id
    assert series_id is not None  # checked above, on the appointment as the member saw it
    series = Series.objects.select_for_update().get(
        pk=series_id, organization_id=current.organization_id
    )
    # The sessions still booked from this one (following) or from now (all).
    targets = _booked_from(series, current, scope)
    if not targets:
        raise ValidationError(
            {"scope": [_("No coming session of this series is booked: change this one only.")]}
        )
    zone = actions.clinic_zone(current.child.organization)
    shift = _shift(current, changes.get("starts_at"), zone)
    session = {k: v for k, v in changes.items() if k in actions.SESSION_FIELDS}
    session.pop("starts_at", None)
    own = {p.encounter_id for p in targets}
    moved = [(p, _moved(p.encounter.starts_at, shift, zone)) for p in targets]
    first, first_start = moved[0]
    before = actions.snapshot(first)
    was = {p.pk: p.status for p in targets}  # before the change, for cancellations
    actions._apply(first, {**changes, "starts_at": first_start})
    length = timedelta(minutes=first.encounter.duration_minutes)
    also = [(start, start + length) for _p, start in moved[1:]]
    actions._check(first, previous=before, also=also, moving=own)
    pivot = first.encounter.recurrence_id
    assert pivot is not None
    new_series = _split(series, pivot, shift, zone, first.encounter.duration_minutes)
    changed = {}
    for participation, start in moved:
        encounter = participation.encounter
        actions._apply(participation, {**session, "starts_at": start})
        for name in ("status", "note_for_family", "cancel_reason"):
            if name in changes:
                setattr(participation, name, getattr(first, name))
        actions.record_cancellation(participation, was[participation.pk], by=by)
        actions._name_video_room(encounter)
        participation.version += 1
        participation.save()
        changed[encounter.pk] = encounter
    _carry_over(series, new_series, pivot, shift, zone, changed)
    result = (
        Appointment.objects.with_encounter()
        .filter(organization_id=current.organization_id)
        .get(pk=current.pk)
    )
    result.child = current.child
    return result


def _carry_over(
    series: Series,
    new_series: Series,
    pivot: datetime,
    shift: timedelta,
    zone: ZoneInfo,
    changed: dict[Any, Encounter],
) -> None:
    """Every session of the series from ``pivot`` on — changed or not (cancelled, attended,
    another child's place) — goes to the new series with the start the new rule gives it
    (its old one shifted), so the rule and its exceptions still describe them."""
    rest = Encounter.objects.select_for_update().filter(
        organization_id=series.organization_id, series=series, recurrence_id__gte=pivot
    )
    for found in rest:
        encounter = changed.get(found.pk, found)
        assert encounter.recurrence_id is not None
        encounter.series = new_series
        encounter.recurrence_id = _moved(encounter.recurrence_id, shift, zone)
        encounter.version += 1
        encounter.save()


def _booked_from(series: Series, current: Appointment, scope: str) -> list[Appointment]:
    """The series' sessions still booked for the child from this one (``following``) or
    from now (``all``), soonest first, locked."""
    since = current.encounter.recurrence_id if scope == "following" else timezone.now()
    rows = (
        Appointment.objects.select_for_update(of=("self",))
        .filter(
            organization_id=current.organization_id,
            child_id=current.child_id,
            encounter__series=series,
            encounter__recurrence_id__gte=since,
            status=AppointmentStatus.SCHEDULED,
        )
        .select_related("encounter")
        .order_by("encounter__recurrence_id")
    )
    found = list(rows)
    for row in found:
        row.child = current.child
    return found


def _shift(current: Appointment, new_start: datetime | None, zone: ZoneInfo) -> timedelta:
    if new_start is None:
        return timedelta(0)
    new_local = actions.in_clinic_time(new_start, current.child.organization).astimezone(zone)
    old_local = current.encounter.starts_at.astimezone(zone)
    return new_local.replace(tzinfo=None) - old_local.replace(tzinfo=None)


def _moved(start: datetime, shift: timedelta, zone: ZoneInfo) -> datetime:
    """``start`` moved by ``shift`` on the clinic's wall clock (10:00 → 11:00 each week)."""
    local = start.astimezone(zone).replace(tzinfo=None) + shift
    return timezone.make_aware(local, zone)


def _split(
    series: Series, pivot: datetime, shift: timedelta, zone: ZoneInfo, duration: int
) -> Series:
    """End ``series`` before ``pivot`` and start a new one there, shifted (or, when the
    pivot is the series' first session, keep the series and shift its start)."""
    parts = _parts(series.rule)
    if pivot <= series.starts_at:
        series.starts_at = _moved(series.starts_at, shift, zone)
        series.duration_minutes = duration
        series.version += 1
        series.save()
        return series
    remaining = Encounter.objects.filter(
        organization_id=series.organization_id, series=series, recurrence_id__gte=pivot
    ).count()
    kept = {k: v for k, v in parts.items() if k not in ("COUNT", "UNTIL")}
    rest = {**kept, "COUNT": str(remaining)} if "COUNT" in parts else parts
    series.rule = _join({**kept, "UNTIL": _utc(pivot - timedelta(seconds=1))})
    series.version += 1
    series.save()
    following = Series(
        organization_id=series.organization_id,
        child_id=series.child_id,
        rule=_join(rest),
        starts_at=_moved(pivot, shift, zone),
        duration_minutes=duration,
        created_by=series.created_by,
    )
    following.save()
    return following


def _join(parts: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}"
