"""Times offered to one demo family: Amara's family has three times for an extra
session with the speech therapist to choose from (the next free ones next week)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.models import Membership
from tandem.appointments import offers
from tandem.appointments.models import TimeOffer
from tandem.children.models import Child
from tandem.core import clock

HOURS = (9, 11, 14, 15, 16)


def build_offered_times(
    members: dict[str, Membership], children: dict[str, Child], today: datetime.date
) -> list[TimeOffer]:
    child, therapist = children.get("Amara"), members.get("slp")
    desk = members.get("frontdesk")
    if child is None or therapist is None or desk is None:
        return []
    zone = clock.zone_for(child.organization)
    monday = today + datetime.timedelta(days=7 - today.weekday())
    free = []
    for day in range(5):
        for hour in HOURS:
            start = datetime.datetime.combine(
                monday + datetime.timedelta(days=day), datetime.time(hour), tzinfo=zone
            )
            try:
                with transaction.atomic():
                    offers.offer_times(
                        desk, child, starts=[start], therapist=therapist, duration_minutes=45
                    )
                    transaction.set_rollback(True)  # only trying: is it free?
            except ValidationError:
                continue
            free.append(start)
            break  # one a day
        if len(free) == 3:
            break
    if not free:
        return []
    return offers.offer_times(desk, child, starts=free, therapist=therapist, duration_minutes=45)
