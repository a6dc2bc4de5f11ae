"""What the reminder dispatcher (``notifications.dispatch``) asks the home program."""

import datetime
from typing import Any

from .models import ActivityStatus, HomeActivity


def children_practising(now: datetime.datetime) -> list[Any]:
    """Ids of children with an active home activity that has started in any clinic's today."""
    started_by = now.date() + datetime.timedelta(days=1)  # any clinic's today
    return list(
        HomeActivity.objects.filter(status=ActivityStatus.ACTIVE, starts_on__lte=started_by)
        .values_list("child_id", flat=True)
        .distinct()
    )
