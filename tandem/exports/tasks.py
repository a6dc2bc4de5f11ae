"""The worker's side: render an export as the member who asked for it."""

import logging

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django_tasks import task

from tandem.access import allows
from tandem.access.relation import get_visible_child
from tandem.accounts.models import Membership
from tandem.accounts.request import MemberRequest
from tandem.core import clock
from tandem.core.dbrouters import reading_from_replica

from . import registry
from .actions import GIVE_UP_AFTER, prune
from .models import Export

logger = logging.getLogger(__name__)


@task()
def make_export(export_id: str) -> str:
    """Make the PDF, once; return what happened ("ready", "failed", "gone").

    Safe to run again: a run first claims the export (pending → printing, one
    conditional update), so a second run, or a retry after a crash, finds nothing to do.
    An export that waited past ``GIVE_UP_AFTER`` (the page already told the member to
    ask again) is not printed. The member's access is asked again here, as it is now: a
    guardian whose access ended after asking gets nothing.
    """
    prune()  # documents past their hour, anyone's: an indexed delete, usually of nothing
    now = clock.now()
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.PENDING).update(
        status=Export.Status.PRINTING, updated_at=now
    )
    if not claimed:
        return "gone"
    export = Export.objects.select_related(
        "requested_by__user", "requested_by__organization", "child"
    ).get(pk=export_id)
    if export.created_at < now - GIVE_UP_AFTER:
        return _fail(export, "waited too long")
    membership = export.requested_by
    try:
        with (
            translation.override(export.language),
            timezone.override(membership.organization.timezone),
        ):
            kind = registry.kind(export.kind)
            if not (membership.is_active and membership.user.is_active):
                raise Http404
            child = get_visible_child(membership, export.child_id)
            if not allows(membership, kind.action, child=child):
                raise Http404
            request = request_as(membership, export.language)
            # The document's reads may use a replica (docs/scaling.md); the access
            # checks above read the primary, as of now.
            with reading_from_replica():
                html, filename = kind.render(request, child, export.params)
            pdf = _print(html)
    except Http404:
        return _fail(export, "no longer allowed")
    except Exception:
        logger.exception("export %s (%s) could not be made", export.pk, export.kind)
        return _fail(export, "error")
    stored = Export.objects.filter(pk=export.pk, status=Export.Status.PRINTING).update(
        status=Export.Status.READY,
        content=pdf,
        size=len(pdf),
        filename=filename[:200],
        finished_at=clock.now(),
        updated_at=clock.now(),
    )
    return "ready" if stored else "gone"


def print_pdf(html: str) -> bytes:
    """The PDF of this HTML (WeasyPrint, on the worker): for other documents the worker
    makes (a family's full record, tandem.records)."""
    return _print(html)


def _print(html: str) -> bytes:
    from weasyprint import HTML  # heavy: imported by the worker when it first prints

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def _fail(export: Export, why: str) -> str:
    logger.info("export %s not made: %s", export.pk, why)
    Export.objects.filter(pk=export.pk, status=Export.Status.PRINTING).update(
        status=Export.Status.FAILED, finished_at=clock.now(), updated_at=clock.now()
    )
    return "failed"


def request_as(membership: Membership, language: str) -> MemberRequest:
    """A request acting as the member, for the templates and readers that take one (the
    worker has no web request: nothing here is sent anywhere)."""
    request = HttpRequest()
    request.method = "GET"
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    request.user = membership.user
    request.membership = membership  # type: ignore[attr-defined]
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    return request  # type: ignore[return-value]


_request_as = request_as  # the name the XSS tests (tandem/security_tests) import
