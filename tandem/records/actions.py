"""A family's full record (their right of access): asking for it, and finding it again.

A guardian with legal authority for the child (``records.family_record``) asks from the
family home; the worker (``tasks.make_record``) builds a ZIP of everything they may read
about the child (``build.py``); the guardian is told when it is ready and downloads it
for ``KEEP_RECORD``; then it is deleted. The ZIP is an ``Export`` (tandem.exports) of
kind ``KIND``: it belongs to the guardian who asked and nobody else (``exports_of``).

Asking twice does not make two: a retry with the same idempotency key replays the first
answer (the page's ``@idempotent``), and while one is being made, asking again (a second
tab, another key) returns that one.
"""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock
from tandem.exports.access import exports_of
from tandem.exports.models import Export

KIND = "family.record"
KEEP_RECORD = datetime.timedelta(days=7)
# A whole record takes longer than one PDF: a record still "being made" past this was
# lost by the worker (it gives it up too); the guardian is told to ask again.
GIVE_UP_RECORD = datetime.timedelta(minutes=30)
WAITING = (Export.Status.PENDING, Export.Status.PRINTING)
LANGUAGES = ("en", "es")


def records_of(membership: Membership, child: Child) -> QuerySet[Export]:
    """The member's own full-record exports of this child (without their content)."""
    return exports_of(membership).filter(child=child, kind=KIND).defer("content")


def current_record(membership: Membership, child: Child) -> Export | None:
    """The latest record this member asked for that is not expired (being made, ready or
    failed), or None."""
    now = clock.now()
    return (
        records_of(membership, child)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-created_at")
        .first()
    )


def is_given_up(export: Export) -> bool:
    return export.status in WAITING and export.created_at < clock.now() - GIVE_UP_RECORD


def is_expired(export: Export) -> bool:
    return export.expires_at is not None and export.expires_at <= clock.now()


def language_of(membership: Membership) -> str:
    """The family's language (what their pages speak): English or Spanish."""
    language = membership.user.language or "en"
    return language if language in LANGUAGES else "en"


def request_record(membership: Membership, child: Child) -> Export:
    """The record being made for this member and child, else a new one, enqueued when the
    transaction commits. (The caller checked ``records.family_record``.)"""
    from .tasks import make_record

    now = clock.now()
    with transaction.atomic():
        # One ask at a time per member: a second tab asking at the same moment waits here
        # and then finds the first one.
        mine = Membership.objects.filter(
            pk=membership.pk, organization_id=membership.organization_id
        )
        list(mine.select_for_update().values("pk"))
        waiting = (
            records_of(membership, child)
            .filter(status__in=WAITING, created_at__gte=now - GIVE_UP_RECORD)
            .order_by("-created_at")
            .first()
        )
        if waiting is not None:
            return waiting
        export = Export.objects.create(
            organization_id=membership.organization_id,
            child=child,
            requested_by=membership,
            kind=KIND,
            params={},
            language=language_of(membership),
            expires_at=now + KEEP_RECORD,
        )
        transaction.on_commit(lambda: make_record.enqueue(str(export.pk)))
    return export


def discard(export: Export) -> None:
    """Delete an expired record now (its file with it)."""
    Export.objects.filter(pk=export.pk, kind=KIND).delete()
