"""A family's full record: the page to ask for it and follow it, and the download.

- ``GET  children/<child>/record/``: what is there (nothing yet, being made, ready for
  7 days (``actions.KEEP_RECORD``), could not be made) and the button to ask; while one
  is being made the page polls (htmx, every 2 s; the box only) and shows it instead of
  offering to start another;
- ``POST`` the same address asks (one per idempotency key; joins one being made);
- ``GET  children/<child>/record/<id>/download/``: the ZIP, logged as an export of the
  child's record; past its 7 days, a page saying the link expired (410), and the file is
  deleted.

Only a guardian with legal authority for the child (``records.family_record``): for
anyone else the pages are not there (404; a guardian without legal authority who posts
is refused, 403).
"""

import uuid

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, permits
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.core.access import not_found
from tandem.core.idempotency import idempotent
from tandem.exports.access import exports_of
from tandem.exports.models import Export

from . import actions
from .rules import FAMILY_RECORD


def _page(request: MemberRequest, child: Child, status: int = 200) -> HttpResponse:
    export = actions.current_record(request.membership, child)
    failed = export is not None and (
        export.status == Export.Status.FAILED or actions.is_given_up(export)
    )
    context = {
        "child": child,
        "export": export,
        "ready": export is not None and export.status == Export.Status.READY,
        "failed": failed,
        "waiting": export is not None and export.status in actions.WAITING and not failed,
    }
    template = "records/_status.html" if request.htmx else "records/record.html"
    return render(request, template, context, status=status)


@permits(FAMILY_RECORD)
@idempotent("records.family_record")
def record(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The page of the child's full record; a POST asks for it."""
    child = child_for(request, child_id, FAMILY_RECORD)
    if request.method == "POST":
        actions.request_record(request.membership, child)
        log_access(request, [child], action=AccessLog.Action.EXPORT)  # the ask
        return redirect("records:record", child_id=child.pk)
    if not request.htmx:
        log_access(request, [child])
    return _page(request, child)


@require_GET
@permits(FAMILY_RECORD)
def download(
    request: MemberRequest, child_id: uuid.UUID, family_record_id: uuid.UUID
) -> HttpResponse:
    """The ZIP, while its link lasts."""
    child = child_for(request, child_id, FAMILY_RECORD)
    export = actions.records_of(request.membership, child).filter(pk=family_record_id).first()
    if export is None:
        raise not_found()
    if actions.is_expired(export):
        actions.discard(export)
        return render(request, "records/expired.html", {"child": child}, status=410)
    if export.status != Export.Status.READY:
        return redirect("records:record", child_id=child.pk)
    log_access(request, [child], action=AccessLog.Action.EXPORT)
    content = exports_of(request.membership).filter(pk=export.pk).values_list("content", flat=True)
    response = HttpResponse(bytes(content[0] or b""), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
