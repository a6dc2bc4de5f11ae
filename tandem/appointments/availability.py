"""When a therapist works: their working hours (a week of blocks, clinic time) and their
time off. A session outside the hours or during time off is refused with the reason
(``clashes.clash_with`` asks, for every session of a series at once: two queries).

A therapist with no working hours set is bookable at any time (a clinic that does not
use them loses nothing); time off always counts.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership

from .models import MAX_MINUTES, TimeOff, WorkingHours

Interval = tuple[datetime.datetime, datetime.datetime]


def _blocks(organization_id: Any, therapist_ids: Collection[Any]) -> dict[Any, dict[int, list]]:
    found: dict[Any, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for block in WorkingHours.objects.filter(
        organization_id=organization_id, therapist_id__in=list(therapist_ids)
    ):
        found[block.therapist_id][block.weekday].append((block.starts, block.ends))
    return found


def unavailable(
    organization_id: Any,
    therapists: Sequence[Membership],
    intervals: Sequence[Interval],
    zone: ZoneInfo,
) -> str | None:
    """Why one of these therapists cannot take one of these sessions, or None."""
    ids = [t.pk for t in therapists]
    if not ids or not intervals:
        return None
    hours = _blocks(organization_id, ids)
    earliest = min(start for start, _end in intervals)
    latest = max(end for _start, end in intervals)
    away = TimeOff.objects.filter(
        organization_id=organization_id,
        therapist_id__in=ids,
        starts_at__lt=latest,
        ends_at__gt=earliest,
    )
    for leave in away:
        for start, end in intervals:
            if leave.starts_at < end and leave.ends_at > start:
                who = next(t for t in therapists if t.pk == leave.therapist_id)
                return _(
                    "%(therapist)s is away from %(start)s to %(end)s. Choose another time "
                    "or another therapist."
                ) % {"therapist": who.display_name, **_span(leave, zone)}
    for therapist in therapists:
        week = hours.get(therapist.pk)
        if not week:
            continue
        for start, end in intervals:
            local_start = start.astimezone(zone)
            blocks = week.get(local_start.weekday(), [])
            # Minutes from the start of the session's day: a midnight end is 24:00.
            opens = local_start.hour * 60 + local_start.minute
            closes = opens + round((end - start).total_seconds() / 60)
            if not any(
                _minutes(b_start) <= opens and closes <= _minutes(b_end)
                for b_start, b_end in _merged(blocks)
            ):
                return _(
                    "%(therapist)s does not work at that time on %(day)s (%(hours)s). "
                    "Choose another time or another therapist."
                ) % {
                    "therapist": therapist.display_name,
                    "day": date_format(local_start.date(), "FULL_DATE_FORMAT"),
                    "hours": describe(blocks) or _("not working that day"),
                }
    return None


def _minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def _merged(
    blocks: Iterable[tuple[datetime.time, datetime.time]],
) -> list[tuple[datetime.time, datetime.time]]:
    """Blocks that touch are one (09:00-12:00 and 12:00-17:00 take an 11:30 session)."""
    merged: list[tuple[datetime.time, datetime.time]] = []
    for a, b in sorted(blocks):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def describe(blocks: Iterable[tuple[datetime.time, datetime.time]]) -> str:
    return ", ".join(f"{time_format(a, 'H:i')}–{time_format(b, 'H:i')}" for a, b in sorted(blocks))


def _span(leave: TimeOff, zone: ZoneInfo) -> dict[str, str]:
    start, end = leave.starts_at.astimezone(zone), leave.ends_at.astimezone(zone)
    return {
        "start": date_format(start, "SHORT_DATETIME_FORMAT"),
        "end": date_format(end, "SHORT_DATETIME_FORMAT"),
    }


# --- Setting them ------------------------------------------------------------------


@dataclass
class Week:
    """A therapist's working hours by weekday, as typed: {0: "09:00-12:00, 13:00-17:00"}."""

    days: dict[int, str]


def parse_blocks(text: str) -> list[tuple[datetime.time, datetime.time]]:
    """ "09:00-12:30, 13:30-17:00" → blocks; "" → none. A bad block raises with a message."""
    blocks = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        try:
            a, b = (x.strip() for x in part.replace("–", "-").split("-"))
            start, end = datetime.time.fromisoformat(a), datetime.time.fromisoformat(b)
        except ValueError as exc:
            raise ValidationError(
                _("Write hours as 09:00-12:30, with a comma between blocks (“%(part)s”).")
                % {"part": part}
            ) from exc
        if start >= end:
            raise ValidationError(_("A block ends after it starts (“%(part)s”).") % {"part": part})
        blocks.append((start, end))
    blocks.sort()
    for (_a, first_end), (second_start, _b) in pairwise(blocks):
        if second_start < first_end:
            raise ValidationError(_("Two blocks of one day overlap."))
    return blocks


@transaction.atomic
def set_week(therapist: Membership, days: dict[int, str]) -> None:
    """Replace the therapist's working hours with the blocks typed for each day; errors
    are collected by day and nothing is saved unless every day reads well."""
    parsed: dict[int, list] = {}
    errors: dict[str, list[str]] = {}
    for weekday in range(7):
        try:
            parsed[weekday] = parse_blocks(days.get(weekday, ""))
        except ValidationError as exc:
            errors[f"day{weekday}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    WorkingHours.objects.filter(
        organization_id=therapist.organization_id, therapist=therapist
    ).delete()
    for weekday, blocks in parsed.items():
        for start, end in blocks:
            WorkingHours.objects.create(
                organization_id=therapist.organization_id,
                therapist=therapist,
                weekday=weekday,
                starts=start,
                ends=end,
            )


def week_of(therapist: Membership) -> dict[int, str]:
    blocks = _blocks(therapist.organization_id, [therapist.pk]).get(therapist.pk, {})
    return {day: describe(blocks.get(day, [])).replace("–", "-") for day in range(7)}


@transaction.atomic
def add_time_off(
    therapist: Membership, starts_at: datetime.datetime, ends_at: datetime.datetime, reason: str
) -> TimeOff:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The end must be after the start.")]})
    return TimeOff.objects.create(
        organization_id=therapist.organization_id,
        therapist=therapist,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip()[:200],
    )


def why_not_free(therapist: Membership, starts_at: datetime.datetime, minutes: int) -> str | None:
    """Why a therapist could not take a session then (before anyone is booked into it:
    an offer to a family on the waitlist), or None: it must end by midnight, fall in
    their working hours and not in their time off, and not overlap a session of theirs."""
    from .access import therapist_bookings

    zone = ZoneInfo(therapist.organization.timezone)
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    local_start, local_end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if local_end.date() != local_start.date() and local_end.time() != datetime.time(0):
        return _("A session must end by midnight on the day it starts.")
    if reason := unavailable(therapist.organization_id, [therapist], [(starts_at, ends_at)], zone):
        return reason
    earliest = starts_at - datetime.timedelta(minutes=MAX_MINUTES)
    for other in therapist_bookings(therapist.organization_id, [therapist.pk], earliest, ends_at):
        if other.starts_at < ends_at and other.ends_at > starts_at:
            return _(
                "%(therapist)s already has a session then. Choose another time or another "
                "therapist."
            ) % {"therapist": therapist.display_name}
    return None
