"""What the school plans of several children raise today, for the pages that list many
children at once (the family's home): one query for all of them."""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Sequence

from tandem.accounts.models import Membership
from tandem.children.models import Child

from .models import SchoolPlan
from .reminders import Reminder, reminders_for


def reminders_by_child(
    membership: Membership, children: Sequence[Child], today: datetime.date
) -> dict[uuid.UUID, list[Reminder]]:
    """Each child's reminders from their school plans in force that the member may read."""
    by_id = {c.pk: c for c in children}
    plans: dict[uuid.UUID, list[SchoolPlan]] = defaultdict(list)
    in_force = SchoolPlan.objects.visible_to(membership).filter(
        child_id__in=list(by_id), ended_on__isnull=True
    )
    for plan in in_force:
        plans[plan.child_id].append(plan)
    return {
        child_id: found
        for child_id, child_plans in plans.items()
        if (found := reminders_for(by_id[child_id], child_plans, today))
    }
