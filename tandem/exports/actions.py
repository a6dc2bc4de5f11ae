"""Asking for an export: one stored request, enqueued when the transaction commits."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import translation

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock

from .access import exports_of
from .models import Export

# How long a made document is kept for its requester (then it is deleted: clinical
# data does not linger in a download table), and after how long a document still being
# made is given up (a worker that died mid-render).
KEEP = datetime.timedelta(hours=1)
GIVE_UP_AFTER = datetime.timedelta(minutes=5)
# A second ask for the same document within this window, while the first is still being
# made (a double click, a reload), joins the first instead of making it twice.
SAME_ASK = datetime.timedelta(minutes=2)


def request_export(
    membership: Membership, child: Child, kind: str, params: dict[str, Any]
) -> Export:
    """The member's export of this document: the one being made if they just asked for
    it, else a new one, enqueued on commit. Their expired exports are deleted."""
    from .tasks import make_export

    now = clock.now()
    mine = exports_of(membership)
    with transaction.atomic():
        mine.filter(created_at__lt=now - KEEP).delete()
        asked = mine.filter(
            child=child, kind=kind, status=Export.Status.PENDING, created_at__gte=now - SAME_ASK
        ).order_by("-created_at")
        for export in asked:
            if export.params == params:
                return export
        export = Export.objects.create(
            organization_id=membership.organization_id,
            child=child,
            requested_by=membership,
            kind=kind,
            params=params,
            language=translation.get_language() or "en",
        )
        transaction.on_commit(lambda: make_export.enqueue(str(export.pk)))
    return export


def is_given_up(export: Export) -> bool:
    """Still "being made" long after any render finishes: the worker died; ask again."""
    pending = export.status == Export.Status.PENDING
    return pending and export.created_at < clock.now() - GIVE_UP_AFTER


def prune(before: datetime.datetime | None = None) -> int:
    """Delete every export made before ``before`` (default: older than KEEP), any clinic."""
    cutoff = before or clock.now() - KEEP
    deleted, _ = Export.objects.filter(created_at__lt=cutoff).delete()
    return deleted
