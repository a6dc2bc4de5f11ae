"""Changes to the library, to what is shared with families, and to workshop places.

Each runs in one transaction; edits of resources and workshops are based on a version
(a stale one raises Conflict). Every change to a workshop's places locks the workshop
row first, so two families cannot both take the last place, and a freed place goes to
the next family on the waitlist in the same transaction (no one can slip in between).
"""

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.access import Conflict
from tandem.core.uploads import clean_upload
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind
from tandem.plans.models import Domain

from .access import live_registrations, places_taken, waitlist_of
from .models import (
    PlaceStatus,
    Resource,
    ResourceAssignment,
    ResourceKind,
    ResourceTag,
    Workshop,
    WorkshopRegistration,
)
from .uploads import check_resource_file

RESOURCE_FIELDS = (
    "title",
    "kind",
    "summary",
    "body",
    "url",
    "min_age_months",
    "max_age_months",
    "language",
)
WORKSHOP_FIELDS = (
    "title",
    "description",
    "starts_at",
    "duration_minutes",
    "location",
    "online_url",
    "capacity",
    "language",
)


def _set(obj: Any, allowed: tuple[str, ...], changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(obj, name, "" if value is None and name in ("summary", "body", "url") else value)


def _check_resource(resource: Resource, has_file: bool) -> None:
    problems: dict[str, str] = {}
    try:
        resource.full_clean(
            exclude=["organization", "created_by", "file"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        problems.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if resource.kind == ResourceKind.HANDOUT and not has_file:
        problems.setdefault("file", _("Choose the file to share (a PDF, PNG or JPEG)."))
    if resource.kind == ResourceKind.TEXT and not resource.body.strip():
        problems.setdefault("body", _("Write the text families will read."))
    if resource.kind == ResourceKind.VIDEO and not resource.url:
        problems.setdefault("url", _("Paste the link to the video."))
    low, high = resource.min_age_months, resource.max_age_months
    if low is not None and high is not None and low > high:
        problems.setdefault("max_age_months", _("The upper age must not be below the lower age."))
    if problems:
        raise ValidationError(problems)


def _check_domains(domains: Iterable[str]) -> list[str]:
    chosen = sorted(set(domains))
    unknown = [d for d in chosen if d not in Domain.values]
    if unknown:
        raise ValidationError({"domains": _("Choose domains from the list.")})
    return chosen


def _attach(resource: Resource, upload: UploadedFile) -> None:
    try:
        resource.file_type = check_resource_file(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    resource.file_name = (upload.name or "")[:200]
    resource.file.save("upload", clean_upload(upload, resource.file_type), save=False)


def _tag(resource: Resource, domains: list[str], at: datetime.datetime | None = None) -> None:
    existing = {
        t.domain: t
        for t in ResourceTag.objects.filter(
            organization_id=resource.organization_id, resource=resource
        )
    }
    for domain, tag in existing.items():
        if domain not in domains:
            tag.delete()
    for domain in domains:
        if domain not in existing:
            ResourceTag(
                organization_id=resource.organization_id, resource=resource, domain=domain
            ).save(at=at)


@transaction.atomic
def create_resource(
    by: Membership,
    *,
    domains: Iterable[str] = (),
    upload: UploadedFile | None = None,
    at: datetime.datetime | None = None,
    **fields: Any,
) -> Resource:
    """Add a handout, a written page or a video link to the library."""
    chosen = _check_domains(domains)
    resource = Resource(organization_id=by.organization_id, created_by=by)
    _set(resource, RESOURCE_FIELDS, fields)
    _check_resource(resource, has_file=upload is not None)
    if upload is not None and resource.kind == ResourceKind.HANDOUT:
        _attach(resource, upload)
    resource.save(at=at)
    _tag(resource, chosen, at)
    return resource


@transaction.atomic
def update_resource(
    resource: Resource,
    *,
    expected_version: int,
    domains: Iterable[str] | None = None,
    upload: UploadedFile | None = None,
    **changes: Any,
) -> Resource:
    """Change a resource based on ``expected_version``, or raise Conflict."""
    current = Resource.objects.select_for_update().get(
        pk=resource.pk, organization_id=resource.organization_id
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    chosen = _check_domains(domains) if domains is not None else None
    _set(current, RESOURCE_FIELDS, changes)
    _check_resource(current, has_file=upload is not None or bool(current.file))
    if upload is not None and current.kind == ResourceKind.HANDOUT:
        _attach(current, upload)
    current.version = expected_version + 1
    current.save()
    if chosen is not None:
        _tag(current, chosen)
    return current


@transaction.atomic
def archive_resource(resource: Resource, *, expected_version: int) -> Resource:
    """Take a resource out of the library and out of every family's list."""
    current = Resource.objects.select_for_update().get(
        pk=resource.pk, organization_id=resource.organization_id
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    current.archived_at = timezone.now()
    current.version = expected_version + 1
    current.save()
    return current


@transaction.atomic
def share_resource(
    by: Membership,
    child: Child,
    resource: Resource,
    *,
    home_activity: Any = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> ResourceAssignment:
    """Share a resource with a child's family (again: update the activity and the note)."""
    if home_activity is not None and home_activity.child_id != child.id:
        raise ValidationError({"home_activity": _("Choose one of this child's home activities.")})
    share = ResourceAssignment.objects.filter(
        organization_id=child.organization_id, child=child, resource=resource
    ).first() or ResourceAssignment(
        organization_id=child.organization_id, child=child, resource=resource, assigned_by=by
    )
    share.home_activity = home_activity
    share.note = (note or "").strip()
    share.full_clean(
        exclude=["organization", "child", "resource", "home_activity", "assigned_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    share.save(at=at)
    return share


@transaction.atomic
def unshare(share: ResourceAssignment) -> None:
    share.delete()


def _check_workshop(workshop: Workshop) -> None:
    try:
        workshop.full_clean(
            exclude=["organization", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if not workshop.location.strip() and not workshop.online_url:
        raise ValidationError({"location": _("Say where it takes place, or give the online link.")})


@transaction.atomic
def create_workshop(
    by: Membership, *, at: datetime.datetime | None = None, **fields: Any
) -> Workshop:
    """Announce a workshop or event for families."""
    workshop = Workshop(organization_id=by.organization_id, created_by=by)
    _set(workshop, WORKSHOP_FIELDS, fields)
    _in_clinic_time(workshop)
    if workshop.starts_at and workshop.starts_at < (at or timezone.now()):
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    _check_workshop(workshop)
    workshop.save(at=at)
    return workshop


def _in_clinic_time(workshop: Workshop) -> None:
    """A start sent without its offset (the API accepts one) is the clinic's local time,
    as the form's is; comparing it with an aware time would fail."""
    if isinstance(workshop.starts_at, datetime.datetime) and timezone.is_naive(workshop.starts_at):
        zone = ZoneInfo(workshop.organization.timezone)
        workshop.starts_at = timezone.make_aware(workshop.starts_at, zone)


def _locked(workshop: Workshop) -> Workshop:
    """The workshop's row, locked until the transaction ends: its places change one at a time."""
    return Workshop.objects.select_for_update().get(
        pk=workshop.pk, organization_id=workshop.organization_id
    )


def _give_free_places(workshop: Workshop) -> list[WorkshopRegistration]:
    """Give free places to the waitlist in turn and tell each family (``workshop`` locked)."""
    if workshop.cancelled_at is not None or workshop.starts_at <= timezone.now():
        return []
    free = workshop.capacity - places_taken(workshop).count()
    if free <= 0:
        return []
    promoted = list(
        waitlist_of(workshop)
        .select_for_update(of=("self",))
        .select_related("guardian__user", "guardian__organization")[:free]
    )
    now = timezone.now()
    for place in promoted:
        place.status = PlaceStatus.REGISTERED
        place.promoted_at = now
        place.save(update_fields=["status", "promoted_at", "updated_at"])
    notify(
        [place.guardian for place in promoted],
        Kind.WORKSHOP_PLACE,
        detail=workshop.title,
        url=reverse("resources:workshops"),
        now=now,
    )
    return promoted


@transaction.atomic
def update_workshop(workshop: Workshop, *, expected_version: int, **changes: Any) -> Workshop:
    """Change a workshop based on ``expected_version``.

    Fewer places than are taken is refused (no family loses its place); more places go
    to the waitlist in turn.
    """
    current = _locked(workshop)
    if current.version != expected_version:
        raise Conflict(current.version)
    _set(current, WORKSHOP_FIELDS, changes)
    _in_clinic_time(current)
    _check_workshop(current)
    taken = places_taken(current).count()
    if current.capacity < taken:
        raise ValidationError(
            {"capacity": _("%(count)s families already have a place.") % {"count": taken}}
        )
    current.version = expected_version + 1
    current.save()
    _give_free_places(current)
    return current


@transaction.atomic
def cancel_workshop(workshop: Workshop, *, expected_version: int) -> Workshop:
    """Call off a workshop; it stays listed as cancelled so families see it."""
    current = _locked(workshop)
    if current.version != expected_version:
        raise Conflict(current.version)
    current.cancelled_at = timezone.now()
    current.version = expected_version + 1
    current.save()
    return current


@transaction.atomic
def register(
    guardian: Membership, workshop: Workshop, *, at: datetime.datetime | None = None
) -> WorkshopRegistration:
    """Take a place at a workshop, or join its waitlist when it is full (see ``status``).

    Asking twice keeps the one place or the one turn on the waitlist.
    """
    current = _locked(workshop)
    if current.cancelled_at is not None:
        raise ValidationError(_("This event was cancelled."))
    if current.starts_at <= (at or timezone.now()):
        raise ValidationError(_("This event has already started."))
    existing = live_registrations(current).filter(guardian=guardian).first()
    if existing is not None:
        return existing
    # Families already waiting keep their turn, even if a place is somehow free.
    full = places_taken(current).count() >= current.capacity or waitlist_of(current).exists()
    place = WorkshopRegistration(
        organization_id=current.organization_id,
        workshop=current,
        guardian=guardian,
        status=PlaceStatus.WAITLISTED if full else PlaceStatus.REGISTERED,
    )
    place.save(at=at)
    return place


@transaction.atomic
def cancel_registration(guardian: Membership, workshop: Workshop) -> WorkshopRegistration:
    """Give up one's place, or leave the waitlist.

    A freed place goes at once to the next family on the waitlist, who is told.
    """
    current = _locked(workshop)
    place = live_registrations(current).filter(guardian=guardian).first()
    if place is None:
        raise ValidationError(_("You do not have a place at this event."))
    place.cancelled_at = timezone.now()
    place.save(update_fields=["cancelled_at", "updated_at"])
    if place.status == PlaceStatus.REGISTERED:
        _give_free_places(current)
    return place
