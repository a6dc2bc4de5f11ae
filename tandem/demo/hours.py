"""The demo therapists' working weeks (Monday to Friday, 08:00–18:00; the BCBA's
Friday is school visits until 13:00) and a training day of the PT's three weeks on."""

import datetime

from tandem.accounts.models import Membership
from tandem.appointments import availability
from tandem.core import clock

WEEK = {day: "08:00-18:00" for day in range(5)}
SHORT_FRIDAY = WEEK | {4: "08:00-13:00"}


def build_hours(members: dict[str, Membership], today: datetime.date) -> None:
    for key, member in members.items():
        if member.role != "therapist":
            continue
        availability.set_week(member, SHORT_FRIDAY if key == "bcba" else WEEK)
    if "pt" in members:
        day = today + datetime.timedelta(weeks=3)
        day -= datetime.timedelta(days=max(0, day.weekday() - 4))  # a weekday
        zone = clock.zone_for(members["pt"].organization)
        availability.add_time_off(
            members["pt"],
            datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=zone),
            datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=zone),
            "Training day",
        )
