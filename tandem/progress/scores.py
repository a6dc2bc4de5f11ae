"""Standardized test scores for the clinical report, when the assessments app has them.

The assessments app is built separately; until it defines ``StandardizedScore`` (with
``organization``, ``child`` and a date) the clinical report simply has no such table.
"""

import datetime

from django.apps import apps
from django.db import models

from tandem.accounts.models import Membership
from tandem.children.models import Child


def standardized_scores(
    membership: Membership, child: Child, start: datetime.date | None, end: datetime.date | None
) -> list:
    """Return the child's standardized scores in the period, or [] if there are none to read."""
    if not apps.is_installed("tandem.assessments"):
        return []
    try:
        model = apps.get_model("assessments", "StandardizedScore")
    except LookupError:
        return []
    if not membership.is_staff_member:
        return []
    scores = model.objects.filter(organization_id=membership.organization_id, child=child)
    date_field = next(
        (n for n in ("date", "administered_on", "assessed_on") if _has_field(model, n)), None
    )
    if date_field and start and end:
        scores = scores.filter(**{f"{date_field}__range": (start, end)})
    return list(scores[:200])


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())
