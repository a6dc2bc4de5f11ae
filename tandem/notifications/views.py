"""Pages of the notifications app: the list, opening one, and the settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, permits

from . import actions
from .access import get_notification, notifications_of, preference_of
from .forms import PreferenceForm
from .reading import describe

PAGE_SIZE = 30


@require_GET
@permits("notifications.view")
def index(request: MemberRequest) -> HttpResponse:
    """The member's notifications, newest first, unread ones marked."""
    membership = request.membership
    notifications = (
        notifications_of(membership).select_related("child").order_by("-created_at", "-id")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.words = describe(notification)
    return render(request, "notifications/index.html", {"page": page})


@require_POST
@permits("notifications.read")
def open_notification(request: MemberRequest) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    membership = request.membership
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
@permits("notifications.read")
def read_all(request: MemberRequest) -> HttpResponse:
    """Mark every notification read."""
    actions.mark_all_read(request.membership)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:index")


@permits("notifications.preferences")
def preferences(request: MemberRequest) -> HttpResponse:
    """Choose what to hear about, by email or only in the app, and the quiet hours."""
    membership = request.membership
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
