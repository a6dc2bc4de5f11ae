"""Quiet hours and the clinic's clock: when a notification may disturb someone."""

import datetime
from zoneinfo import ZoneInfo


def local_time(now: datetime.datetime, timezone_name: str) -> datetime.datetime:
    """``now`` on the clinic's clock."""
    return now.astimezone(ZoneInfo(timezone_name))


def quiet_until(
    start: datetime.time, end: datetime.time, local_now: datetime.datetime
) -> datetime.datetime | None:
    """The end of the quiet period ``local_now`` falls in, or None when it is not quiet.

    Quiet hours may wrap midnight (21:00–07:30) or not (13:00–15:00); equal start and
    end mean no quiet hours at all.
    """
    if start == end:
        return None
    tz = local_now.tzinfo
    today = local_now.date()
    clock = local_now.time().replace(tzinfo=None)
    if start < end:
        if start <= clock < end:
            return datetime.datetime.combine(today, end, tzinfo=tz)
        return None
    if clock >= start:
        return datetime.datetime.combine(today + datetime.timedelta(days=1), end, tzinfo=tz)
    if clock < end:
        return datetime.datetime.combine(today, end, tzinfo=tz)
    return None
