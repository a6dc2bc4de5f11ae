"""The page side of an export, shared by every view that offers a PDF.

One URL does it all, so the links to a PDF stay what they were:

- ``GET report.pdf?…`` stores an export (or joins the one just asked for) and answers
  with a page that says it is being made;
- that page polls ``report.pdf?…&export=<id>`` (htmx, every second; a link without
  JavaScript) until it is ready, then opens it in its own place (the poll's answer
  triggers ``tandem:open-file``; ``exports/open.js`` calls ``location.replace``, so the
  browser's Back returns to the page that asked, not to one that asks again);
- ``GET report.pdf?…&export=<id>`` of a ready export is the file, logged as an export of
  the child's record. Another member's export id, or another document's, is 404.
"""

import json
import uuid
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tandem.accounts.models import Role
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
        try:
            export = actions.request_export(request.membership, child, kind, params)
        except actions.TooManyWaiting:
            context = {
                "child": child,
                "title": title,
                "busy": True,
                "again_url": _url(request),
                "back_url": _back(request, child),
            }
            return render(request, "exports/waiting.html", context, status=429)
        return _waiting(request, child, export, title)
    export = _own_export(request, child, kind, params, asked)
    if export.status == Export.Status.READY and not request.htmx:
        log_access(request, [child], action=AccessLog.Action.EXPORT)
        content = (
            exports_of(request.membership).filter(pk=export.pk).values_list("content", flat=True)
        )
        response = HttpResponse(bytes(content[0] or b""), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{export.filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    response = _waiting(request, child, export, title)
    if export.status == Export.Status.READY:  # the page's poll: open the file in its place
        response["HX-Trigger"] = json.dumps({"tandem:open-file": {"url": _url(request, export)}})
    return response


def _own_export(
    request: MemberRequest, child: Child, kind: str, params: dict[str, Any], asked: str
) -> Export:
    """The member's own export of this document, for this child and parameters, and not
    expired; anything else (another member's, a made-up or malformed id) is 404."""
    try:
        export_id = uuid.UUID(asked)
    except ValueError:
        raise not_found() from None
    export = (
        exports_of(request.membership)
        .defer("content")  # read only when the file is sent
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


def _back(request: MemberRequest, child: Child) -> str:
    """The child's page this member opens: a teacher's is the shared record, not the
    clinic's child record (which is not there for them)."""
    if request.membership.role == Role.COLLABORATOR:
        return reverse("collaborators:child", args=[child.pk])
    return child.get_absolute_url()


def _waiting(request: MemberRequest, child: Child, export: Export, title: str) -> HttpResponse:
    context = {
        "child": child,
        "export": export,
        "title": title,
        "ready": export.status == Export.Status.READY,
        "failed": export.status == Export.Status.FAILED or actions.is_given_up(export),
        "poll_url": _url(request, export),
        "again_url": _url(request),
        "back_url": _back(request, child),
    }
    template = "exports/_status.html" if request.htmx else "exports/waiting.html"
    return render(request, template, context)
