"""The Messages tab: the family conversation, and for staff the hand-offs and check-ins."""

import datetime
import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from tandem.access import MemberRequest, allows, child_for, not_found, permits
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors
from tandem.core.idempotency import idempotent
from tandem.core.uploads import download_name

from . import actions
from .access import get_attachment, handoff_recipients, latest_own_checkin, schedule_of
from .forms import CheckInForm, HandoffForm, MessageForm, ScheduleForm
from .reading import staff_timeline, thread_page


class HtmxRequest(MemberRequest):
    """A member's request with django-htmx's details (a type, never instantiated)."""

    htmx: HtmxDetails


def _before(request: HttpRequest) -> datetime.datetime | None:
    """The ``before`` moment of a request for earlier messages (ignored if malformed)."""
    try:
        value = parse_datetime(request.GET.get("before", ""))
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _conversation(
    request: MemberRequest, child: Child, form: MessageForm | None = None
) -> dict[str, Any]:
    """The thread (marking it read unless an earlier page is asked for) and the composer."""
    membership = request.membership
    before = _before(request)
    page = thread_page(membership, child, before=before)
    new_ids = set() if before else actions.mark_thread_read(membership, child)
    return {
        "child": child,
        "tab": "messages",
        "page": page,
        "new_ids": new_ids,
        "earlier": before is not None,
        "form": form or MessageForm(),
        "post_url": reverse("messaging:post", args=[child.pk]),
        # The team's side: read receipts here, hand-offs and check-ins beside.
        "shows_timeline": allows(membership, "messaging.timeline", child=child),
    }


def _team_side(request: MemberRequest, child: Child, context: dict[str, Any]) -> None:
    """The check-in schedule, and for the team the timeline and what they may change."""
    membership = request.membership
    context["schedule"] = schedule_of(membership, child)
    if context["shows_timeline"]:
        context["timeline"] = staff_timeline(membership, child)
        context["can_schedule"] = allows(membership, "messaging.schedule_checkins", child=child)


@require_GET
@permits("messaging.view")
def index(request: HtmxRequest, child_id: uuid.UUID) -> HttpResponse:
    """The conversation with the family; the team also sees hand-offs and check-ins."""
    child = child_for(request, child_id, "messaging.view")
    log_access(request, [child])
    context = _conversation(request, child)
    if request.htmx and context["earlier"]:
        return render(request, "messaging/index.html#conversation", context)
    _team_side(request, child, context)
    schedule = context["schedule"]
    context["checkin_due"] = bool(schedule and schedule.is_due(clock.today()))
    return render(request, "messaging/index.html", context)


def _post(request: HtmxRequest, child_id: uuid.UUID) -> HttpResponse:
    membership = request.membership
    child = child_for(request, child_id, "messaging.post")
    log_access(request, [child])
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.post_message(
                membership, child, form.cleaned_data["body"], form.cleaned_data["attachment"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            if request.htmx:
                return render(
                    request, "messaging/index.html#conversation", _conversation(request, child)
                )
            return redirect(reverse("messaging:index", args=[child.pk]) + "#composer")
    context = _conversation(request, child, form)
    if request.htmx:
        return render(request, "messaging/index.html#conversation", context)
    _team_side(request, child, context)
    return render(request, "messaging/index.html", context)


@require_POST
@permits("messaging.post")
@idempotent("messaging.message")
def post(request: HtmxRequest, child_id: uuid.UUID) -> HttpResponse:
    """The family writes to the care team, or someone on the team to the family
    (``messaging.post``: the child's guardians, the care team, the clinic's admins)."""
    return _post(request, child_id)


@require_GET
@permits("messaging.view")
def attachment(
    request: MemberRequest, child_id: uuid.UUID, message_file_id: uuid.UUID
) -> HttpResponse:
    """Serve a message's file through the access layer (never from the web root)."""
    child = child_for(request, child_id, "messaging.view")
    stored = get_attachment(request.membership, child, message_file_id)
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise not_found() from exc
    log_access(request, [child])
    response = FileResponse(
        handle,
        content_type=stored.content_type,
        as_attachment=not stored.is_image,
        filename=download_name(stored.filename, stored.content_type, fallback="attachment"),
    )
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # The kernel's view type says HttpResponse; a file streams (FileResponse).
    return cast(HttpResponse, response)


@permits("messaging.handoff")
def handoff_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Write an SBAR hand-off to a colleague on the child's team (the team only)."""
    membership = request.membership
    child = child_for(request, child_id, "messaging.handoff")
    log_access(request, [child])
    form = HandoffForm(
        request.POST if request.method == "POST" else None,
        recipients=handoff_recipients(membership, child),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_handoff(membership, child, form.cleaned_data["recipient"], **form.sbar())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The hand-off was sent."))
            return redirect(reverse("messaging:index", args=[child.pk]) + "#timeline")
    context = {"child": child, "tab": "messages", "form": form}
    return render(request, "messaging/handoff_form.html", context)


@permits("messaging.schedule_checkins", gate="messaging.view")
def checkin_schedule(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Set how often the family is asked to check in (admins, lead/treating therapists)."""
    membership = request.membership
    child = child_for(request, child_id, "messaging.schedule_checkins")
    log_access(request, [child])
    schedule = schedule_of(membership, child)
    initial: dict[str, Any] = {"version": schedule.version} if schedule else {}
    if schedule is None:
        initial["next_due_on"] = clock.today() + datetime.timedelta(days=7)
    form = ScheduleForm(
        request.POST if request.method == "POST" else None, instance=schedule, initial=initial
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_checkin_schedule(
                membership,
                child,
                expected_version=(form.cleaned_data.get("version") or 0) if schedule else None,
                **form.changes(),
            )
        except Conflict:
            conflict = True
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The check-in schedule was saved."))
            return redirect(reverse("messaging:index", args=[child.pk]) + "#checkins")
    context = {"child": child, "tab": "messages", "form": form, "conflict": conflict}
    return render(request, "messaging/schedule_form.html", context, status=409 if conflict else 200)


@permits("messaging.checkin")
def checkin(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The family's check-in: a few short questions, each optional."""
    membership = request.membership
    child = child_for(request, child_id, "messaging.checkin")
    log_access(request, [child])
    schedule = schedule_of(membership, child)
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_checkin(membership, child, **form.answers())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return redirect("messaging:checkin_thanks", child_id=child.pk)
    context = {
        "child": child,
        "tab": "messages",
        "form": form,
        "due": bool(schedule and schedule.is_due(clock.today())),
    }
    return render(request, "messaging/checkin_form.html", context)


@require_GET
@permits("messaging.checkin")
def checkin_thanks(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Thank the family; offer support when the caregiver said they are struggling."""
    membership = request.membership
    child = child_for(request, child_id, "messaging.checkin")
    log_access(request, [child])
    latest = latest_own_checkin(membership, child)
    context = {
        "child": child,
        "tab": "messages",
        "needs_support": bool(latest and latest.needs_support),
    }
    return render(request, "messaging/checkin_thanks.html", context)
