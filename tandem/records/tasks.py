"""The worker's side: build a family's full record as the guardian who asked, then tell them."""

import logging

from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from tandem.access import allows
from tandem.access.relation import get_visible_child
from tandem.core import clock
from tandem.exports.actions import prune
from tandem.exports.models import Export
from tandem.exports.tasks import request_as
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind

from .actions import GIVE_UP_RECORD, KEEP_RECORD, KIND
from .build import build_record
from .rules import FAMILY_RECORD

logger = logging.getLogger(__name__)


@task()
def make_record(export_id: str) -> str:
    """Build the ZIP, once; return what happened ("ready", "failed", "gone").

    Safe to run again: a run first claims the export (pending → printing, one conditional
    update), so a second run finds nothing to do. The guardian's access is asked again
    here, as it is now: one whose legal authority or access ended meanwhile gets nothing.
    """
    prune()  # expired records and old PDFs, anyone's
    now = clock.now()
    claimed = Export.objects.filter(pk=export_id, kind=KIND, status=Export.Status.PENDING).update(
        status=Export.Status.PRINTING, updated_at=now
    )
    if not claimed:
        return "gone"
    export = Export.objects.select_related(
        "requested_by__user", "requested_by__organization", "child"
    ).get(pk=export_id)
    if export.created_at < now - GIVE_UP_RECORD:
        return _fail(export, "waited too long")
    membership = export.requested_by
    try:
        with (
            translation.override(export.language),
            timezone.override(membership.organization.timezone),
        ):
            if not (membership.is_active and membership.user.is_active):
                raise Http404
            child = get_visible_child(membership, export.child_id)
            if not allows(membership, FAMILY_RECORD, child=child):
                raise Http404
            content, filename = build_record(request_as(membership, export.language), child)
    except Http404:
        return _fail(export, "no longer allowed")
    except Exception:
        logger.exception("family record %s could not be made", export.pk)
        return _fail(export, "error")
    done = clock.now()
    stored = Export.objects.filter(pk=export.pk, status=Export.Status.PRINTING).update(
        status=Export.Status.READY,
        content=content,
        size=len(content),
        filename=filename[:200],
        finished_at=done,
        updated_at=done,
        expires_at=done + KEEP_RECORD,  # a week from when it can be downloaded
    )
    if not stored:
        return "gone"
    with translation.override(export.language):
        notify(
            [membership],
            Kind.RECORD_READY,
            child=child,
            url=reverse("records:record", args=[child.pk]),
            now=done,
        )
    return "ready"


def _fail(export: Export, why: str) -> str:
    logger.info("family record %s not made: %s", export.pk, why)
    Export.objects.filter(pk=export.pk, status=Export.Status.PRINTING).update(
        status=Export.Status.FAILED, finished_at=clock.now(), updated_at=clock.now()
    )
    return "failed"
