"""The page side of an export, shared by every view that offers a PDF.

One URL does it all, so the links to a PDF stay what they were:

- ``GET report.pdf?…`` stores an export (or joins the one just asked for) and answers
  with a page that says it is being made;
- that page polls ``report.pdf?…&export=<id>`` (htmx, every second; a link without
  JavaScript) until it is ready, then opens it (``HX-Redirect``);
- ``GET report.pdf?…&export=<id>`` of a ready export is the file, logged as an export of
  the child's record. Another member's export id, or another document's, is 404.
"""

import uuid
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from tandem.accounts.request import MemberRequest
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import not_found

from . import actions
from .access import exports_of
from .models import Export


def pdf_export(
    request: MemberRequest, child: Child, kind: str, params: dict[str, Any], *, title: str
) -> HttpResponse:
    """Answer a request for a PDF the worker makes (see the module's docstring). The view
    has already checked the member may have it (``child_for``) and validated ``params``."""
    asked = request.GET.get("export")
    if asked is None:
        export = actions.request_export(request.membership, child, kind, params)
        return _waiting(request, child, export, params, title, status=200)
    export = _own_export(request, child, kind, params, asked)
    if export.status == Export.Status.READY and not request.htmx:
        log_access(request, [child], action=AccessLog.Action.EXPORT)
        response = HttpResponse(bytes(export.content or b""), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{export.filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    if export.status == Export.Status.READY:  # the page's poll: open the file
        response = HttpResponse()
        response["HX-Redirect"] = _url(request, export)
        return response
    return _waiting(request, child, export, params, title, status=200)


def _own_export(
    request: MemberRequest, child: Child, kind: str, params: dict[str, Any], asked: str
) -> Export:
    try:
        export_id = uuid.UUID(asked)
    except ValueError:
        raise not_found() from None
    export = (
        exports_of(request.membership)
        .filter(pk=export_id, child=child, kind=kind)
        .exclude(created_at__lt=clock.now() - actions.KEEP)
        .first()
    )
    if export is None or export.params != params:
        raise not_found()
    return export


def _url(request: MemberRequest, export: Export | None = None) -> str:
    """This same address (the page's own query string), naming the export or not."""
    query = request.GET.copy()
    query.pop("export", None)
    if export is not None:
        query["export"] = str(export.pk)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _waiting(
    request: MemberRequest,
    child: Child,
    export: Export,
    params: dict[str, Any],
    title: str,
    *,
    status: int,
) -> HttpResponse:
    context = {
        "child": child,
        "export": export,
        "title": title,
        "failed": export.status == Export.Status.FAILED or actions.is_given_up(export),
        "poll_url": _url(request, export),
        "again_url": _url(request),
    }
    template = "exports/_status.html" if request.htmx else "exports/waiting.html"
    return render(request, template, context, status=status)
