"""The child's timeline: signed notes, observations, appointments, plan versions and
signatures, hand-offs and reports, newest first, a page at a time."""

import uuid
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, permits
from tandem.audit.actions import log_access

from .sources import Cursor, page_of_events
from .sources import kinds_for as kinds_of
from .words import KIND_LABELS

PAGE_SIZE = 50


@require_GET
@permits("timeline.view")
def timeline(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """One story of the child's care; ``?kind=`` narrows it, ``?before=`` pages it."""
    membership = request.membership
    child = child_for(request, child_id, "timeline.view")
    log_access(request, [child])
    offered = kinds_of(membership, child)
    asked = [k for k in request.GET.getlist("kind") if k in offered]
    kinds = asked or offered
    cursor = Cursor.decode(request.GET.get("before", ""))
    events, older = page_of_events(membership, child, kinds=kinds, cursor=cursor, size=PAGE_SIZE)
    filters = [("kind", k) for k in asked]
    context = {
        "child": child,
        "tab": "timeline",
        "events": events,
        "kinds": [(k, KIND_LABELS[k], k in asked) for k in offered],
        "filtered": bool(asked),
        "older_url": "?" + urlencode([("before", older.encode()), *filters]) if older else "",
        "newest_url": "?" + urlencode(filters) if cursor else "",
        "family": membership.is_guardian,
    }
    return render(request, "timeline/index.html", context)
