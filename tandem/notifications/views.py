"""Pages of the notifications app: the list, opening one, and the settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.core.access import member_required

from . import actions
from .access import get_notification, notifications_of, preference_of
from .forms import PreferenceForm
from .reading import describe

PAGE_SIZE = 30


@require_GET
@member_required()
def index(request: HttpRequest) -> HttpResponse:
    """The member's notifications, newest first, unread ones marked."""
    membership = request.membership  # type: ignore[attr-defined]
    notifications = (
        notifications_of(membership).select_related("child").order_by("-created_at", "-id")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.words = describe(notification)  # type: ignore[attr-defined]
    return render(request, "notifications/index.html", {"page": page})


@require_POST
@member_required()
def open_notification(request: HttpRequest) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    membership = request.membership  # type: ignore[attr-defined]
    notification_id = request.POST.get("notification", "")
    if not notification_id:
        return redirect("notifications:index")
    notification = get_notification(membership, notification_id)
    actions.mark_read(membership, [notification])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:index")


@require_POST
@member_required()
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification read."""
    actions.mark_all_read(request.membership)  # type: ignore[attr-defined]
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:index")


@member_required()
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose what to hear about, by email or only in the app, and the quiet hours."""
    membership = request.membership  # type: ignore[attr-defined]
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        instance=preference_of(membership),
        family=membership.is_guardian,
    )
    if request.method == "POST" and form.is_valid():
        actions.save_preferences(membership, **form.changes())
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
