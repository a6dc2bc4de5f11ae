"""The clinic's rooms, its video service and its late-cancellation window (its admins)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership

from .models import Room


def add_room(by: Membership, name: str) -> Room:
    """Add a room sessions can be booked into; names are unique in the clinic."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the room a name.")]})
    if len(name) > 80:
        raise ValidationError({"name": [_("Keep the name to 80 characters or fewer.")]})
    taken = _("The clinic already has a room called %s.") % name
    if Room.objects.filter(organization_id=by.organization_id, name__iexact=name).exists():
        raise ValidationError({"name": [taken]})
    try:
        with transaction.atomic():
            return Room.objects.create(organization_id=by.organization_id, name=name)
    except IntegrityError as exc:  # added by someone else at the same moment
        raise ValidationError({"name": [taken]}) from exc


def set_room_in_use(room: Room, in_use: bool) -> Room:
    """Take a room out of use (it is no longer offered; its past sessions keep it) or back."""
    room.is_active = in_use
    room.save(update_fields=["is_active", "updated_at"])
    return room


def set_video_service(by: Membership, template: str) -> None:
    """The clinic's video service: an https address with ``{room}`` where each session's
    room name goes (e.g. ``https://meet.example.org/{room}``), or "" for none."""
    template = template.strip()
    if template:
        problem = _video_template_problem(template)
        if problem:
            raise ValidationError({"video_url_template": [problem]})
    organization = by.organization
    organization.video_url_template = template
    organization.save(update_fields=["video_url_template", "updated_at"])


def _video_template_problem(template: str) -> str | None:
    from django.core.validators import URLValidator

    if template.count("{room}") != 1:
        return _("Put {room} once in the address, where each session's room name goes.")
    try:
        URLValidator(schemes=["https"])(template.replace("{room}", "room-name"))
    except ValidationError:
        return _(
            "Enter an address starting with https://, such as https://meet.example.org/{room}."
        )
    return None


def set_late_cancel_hours(by: Membership, hours: Any) -> None:
    """How many hours before a session a cancellation counts as late (0 to 168)."""
    try:
        value = int(str(hours).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= 168:
        raise ValidationError({"late_cancel_hours": [_("Enter a number of hours from 0 to 168.")]})
    organization = by.organization
    organization.late_cancel_hours = value
    organization.save(update_fields=["late_cancel_hours", "updated_at"])
