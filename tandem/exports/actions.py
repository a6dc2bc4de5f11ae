"""Asking for an export: one stored request, enqueued when the transaction commits."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
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
# A second ask for the same document within this window while the first is still being
# made (a double click, a reload) joins the first instead of making it twice.
SAME_ASK = datetime.timedelta(minutes=2)
# Documents one member may have waiting at once: the worker's queue is the clinic's.
MAX_WAITING = 3
WAITING = (Export.Status.PENDING, Export.Status.PRINTING)


class TooManyWaiting(Exception):
    """The member already has MAX_WAITING documents being made."""


def request_export(
    membership: Membership, child: Child, kind: str, params: dict[str, Any]
) -> Export:
    """The member's export of this document: the one they asked for moments ago if it is
    still being made, else a new one (a made one may show an older record), enqueued on
    commit; past MAX_WAITING documents being made, ``TooManyWaiting``. (Expired ones are
    deleted by the worker, ``prune``, and never handed over.)"""
    from .tasks import make_export

    now = clock.now()
    mine = exports_of(membership)
    with transaction.atomic():
        recent = mine.filter(created_at__gte=now - SAME_ASK, status__in=WAITING)
        for export in (
            recent.filter(child=child, kind=kind).defer("content").order_by("-created_at")
        ):
            if export.params == params:
                return export
        waiting = mine.filter(status__in=WAITING, created_at__gte=now - GIVE_UP_AFTER)
        if waiting.count() >= MAX_WAITING:
            raise TooManyWaiting
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
    """Still "being made" long after any render finishes (the worker died, or the queue is
    that long: the worker gives it up too); ask again."""
    waiting = export.status in WAITING
    return waiting and export.created_at < clock.now() - GIVE_UP_AFTER


def prune() -> int:
    """Delete every export older than KEEP (one with its own ``expires_at``, a family's
    full record: past it), of any clinic; return how many."""
    now = clock.now()
    deleted, _ = Export.objects.filter(
        Q(expires_at__isnull=True, created_at__lt=now - KEEP) | Q(expires_at__lt=now)
    ).delete()
    return deleted
