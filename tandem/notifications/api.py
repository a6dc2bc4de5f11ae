"""The notifications part of the API: the caller's own notifications and settings.

Paths are relative to /api/v1/. Nothing here is under a child: every member, whatever
their role, reads and changes only their own notifications and preferences.
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.access.api import permits_api
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS, MAX_OFFSET, InputSchema, LocalTime

from . import actions
from .access import notifications_of, preference_of, unread_count
from .models import Notification, Preference
from .reading import describe

router = Router(tags=["notifications"])
MAX_LIMIT = 100


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    text: str
    child_id: uuid.UUID | None
    url: str
    created_at: datetime.datetime
    read: bool


class NotificationListOut(Schema):
    unread: int
    notifications: list[NotificationOut]


class ListFilters(Schema):
    unread_only: bool = False
    limit: int = Field(30, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ReadIn(InputSchema):
    ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LIMIT)
    all: bool = Field(False, description="Mark every notification read")


class ReadOut(Schema):
    unread: int


class PreferencesOut(Schema):
    practice_reminders: bool
    practice_days: list[int] = Field(description="Weekday numbers, Monday is 0")
    practice_time: LocalTime
    new_messages: bool
    new_reports: bool
    checkin_reminders: bool
    by_email: bool
    quiet_start: LocalTime
    quiet_end: LocalTime


class PreferencesIn(InputSchema):
    practice_reminders: bool | None = None
    practice_days: list[int] | None = Field(None, max_length=7)
    practice_time: LocalTime | None = None
    new_messages: bool | None = None
    new_reports: bool | None = None
    checkin_reminders: bool | None = None
    by_email: bool | None = None
    quiet_start: LocalTime | None = None
    quiet_end: LocalTime | None = None


def notification_out(notification: Notification) -> dict[str, Any]:
    words = describe(notification)
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": words.title,
        "text": words.text,
        "child_id": notification.child_id,
        "url": notification.url,
        "created_at": notification.created_at,
        "read": notification.read_at is not None,
    }


def preferences_out(preference: Preference) -> dict[str, Any]:
    return {
        "practice_reminders": preference.practice_reminders,
        "practice_days": sorted(preference.day_numbers),
        "practice_time": preference.practice_time,
        "new_messages": preference.new_messages,
        "new_reports": preference.new_reports,
        "checkin_reminders": preference.checkin_reminders,
        "by_email": preference.by_email,
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
    }


@router.get(
    "/notifications",
    response={200: NotificationListOut, **ERRORS},
    auth=signed_in(permits_api("notifications.view")),
)
def list_notifications(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    """The caller's notifications, newest first, with how many are unread."""
    membership = acting_member(request)
    notifications = notifications_of(membership).select_related("child")
    if filters.unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = notifications.order_by("-created_at", "-id")[
        filters.offset : filters.offset + filters.limit
    ]
    return {
        "unread": unread_count(membership),
        "notifications": [notification_out(n) for n in page],
    }


@router.post(
    "/notifications/read",
    response={200: ReadOut, **ERRORS},
    auth=signed_in(permits_api("notifications.read")),
)
def mark_read(request: HttpRequest, payload: ReadIn) -> dict[str, Any]:
    """Mark some of the caller's notifications read (``ids``), or all of them (``all``)."""
    membership = acting_member(request)
    if payload.all:
        actions.mark_all_read(membership)
    elif payload.ids:
        actions.mark_read(membership, notifications_of(membership).filter(pk__in=payload.ids))
    return {"unread": unread_count(membership)}


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERRORS},
    auth=signed_in(permits_api("notifications.preferences")),
)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    """What the caller hears about, by email or only in the app, and their quiet hours."""
    return preferences_out(preference_of(acting_member(request)))


@router.put(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERRORS},
    auth=signed_in(permits_api("notifications.preferences")),
)
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    """Change some of the caller's preferences; fields left out (or null) stay as they are."""
    changes = payload.model_dump(exclude_none=True)
    if "practice_days" in changes:
        days = sorted({d for d in changes["practice_days"] if 0 <= d <= 6})
        if len(days) != len(set(changes["practice_days"])):
            raise ValidationError({"practice_days": ["Use weekday numbers 0 (Monday) to 6."]})
        changes["practice_days"] = ",".join(str(d) for d in days)
    preference = actions.save_preferences(acting_member(request), **changes)
    return preferences_out(preference)
