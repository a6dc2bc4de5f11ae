"""Writes of the messaging app: messages and receipts, hand-offs, check-ins.

Each runs in one transaction and raises the notifications it implies; their emails
are queued when the transaction commits.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember, Child, TeamRole
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.uploads import clean_upload
from tandem.notifications.actions import guardians_of, mark_read_about, notify
from tandem.notifications.models import Kind

from .models import (
    CheckIn,
    CheckInSchedule,
    Handoff,
    Message,
    MessageAttachment,
    MessageReceipt,
)
from .uploads import check_attachment, display_name

SCHEDULE_FIELDS = ("every", "unit", "next_due_on", "is_active")


def _check_lengths(record: models.Model, names: tuple[str, ...]) -> None:
    """Text fields' max_length is not checked by full_clean; check it here."""
    errors = {}
    for name in names:
        limit = getattr(record._meta.get_field(name), "max_length", None)
        value = getattr(record, name)
        if limit and len(value) > limit:
            errors[name] = [_("Keep this under %(limit)s characters.") % {"limit": limit}]
    if errors:
        raise ValidationError(errors)


def care_team_of(child: Child, roles: tuple[str, ...] | None = None) -> list[Membership]:
    """The child's care-team members (optionally of some seat roles), active ones."""
    seats = CareTeamMember.objects.filter(
        organization_id=child.organization_id, child=child, therapist__is_active=True
    ).select_related("therapist__user", "therapist__organization")
    if roles:
        seats = seats.filter(role__in=roles)
    return [seat.therapist for seat in seats]


@transaction.atomic
def post_message(
    author: Membership,
    child: Child,
    body: str,
    attachment: UploadedFile | None = None,
    *,
    at: datetime.datetime | None = None,
) -> Message:
    """Add a message (and perhaps one file) to the child's conversation; tell the others."""
    body = (body or "").strip()
    if not body and attachment is None:
        raise ValidationError({"body": [_("Write a message or attach a file.")]})
    message = Message(
        organization_id=child.organization_id,
        child=child,
        author=author,
        from_family=author.role == Role.GUARDIAN,
        body=body,
    )
    _check_lengths(message, ("body",))
    message.full_clean(exclude=["organization", "child", "author"], validate_unique=False)
    if attachment is not None:
        try:
            content_type, suffix = check_attachment(attachment)
            # Pictures are stored encoded again, without their metadata (GPS).
            contents = clean_upload(attachment, suffix.lstrip("."))
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    message.save(at=at)
    if attachment is not None:
        name = display_name(attachment.name or "attachment")
        stored = MessageAttachment(
            organization_id=child.organization_id,
            child=child,
            message=message,
            filename=name,
            content_type=content_type,
            size=contents.size or 0,
        )
        stored.file.save(f"file{suffix}", contents, save=False)
        stored.save(at=at)
    # The family hears of the team's messages; the team (and any other guardian) hears
    # of the family's. Colleagues are not told of each other's messages to the family.
    others = guardians_of(child)
    if message.from_family:
        others += care_team_of(child)
    others = [m for m in others if m.pk != author.pk]
    notify(
        others,
        Kind.NEW_MESSAGE,
        child=child,
        actor_name=author.display_name,
        url=reverse("messaging:index", args=[child.pk]),
        coalesce=True,
        now=at,
    )
    return message


def mark_thread_read(reader: Membership, child: Child, at: datetime.datetime | None = None) -> set:
    """Record that the reader has seen every message about the child; return the new ones.

    Two queries whatever the length of the thread, plus one for the notifications.
    """
    now = at or timezone.now()
    seen = MessageReceipt.objects.filter(
        organization_id=child.organization_id, message=OuterRef("pk"), reader=reader
    )
    unseen = set(
        Message.objects.filter(organization_id=child.organization_id, child=child)
        .exclude(author=reader)
        .exclude(Exists(seen))
        .values_list("pk", flat=True)
    )
    if unseen:
        MessageReceipt.objects.bulk_create(
            [
                MessageReceipt(
                    organization_id=child.organization_id,
                    child=child,
                    message_id=pk,
                    reader=reader,
                    seen_at=now,
                    created_at=now,
                    updated_at=now,
                )
                for pk in unseen
            ],
            ignore_conflicts=True,  # the same person in two tabs
        )
        mark_read_about(child, [Kind.NEW_MESSAGE], recipients=[reader], now=now)
    return unseen


@transaction.atomic
def send_handoff(
    author: Membership,
    child: Child,
    recipient: Membership,
    *,
    at: datetime.datetime | None = None,
    **sbar: str,
) -> Handoff:
    """Hand a child over to a colleague on the care team, in SBAR form."""
    on_team = CareTeamMember.objects.filter(
        organization_id=child.organization_id, child=child, therapist=recipient
    ).exists()
    if not on_team or recipient.pk == author.pk or not recipient.is_active:
        raise ValidationError({"recipient": [_("Choose a colleague on this child's team.")]})
    handoff = Handoff(
        organization_id=child.organization_id, child=child, author=author, recipient=recipient
    )
    for name in ("situation", "background", "assessment", "recommendation"):
        setattr(handoff, name, (sbar.get(name) or "").strip())
    _check_lengths(handoff, ("situation", "background", "assessment", "recommendation"))
    handoff.full_clean(
        exclude=["organization", "child", "author", "recipient"], validate_unique=False
    )
    handoff.save(at=at)
    notify(
        [recipient],
        Kind.HANDOFF,
        child=child,
        actor_name=author.display_name,
        url=reverse("messaging:index", args=[child.pk]) + "#timeline",
        now=at,
    )
    return handoff


@transaction.atomic
def set_checkin_schedule(
    by: Membership,
    child: Child,
    *,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
    **fields: object,
) -> CheckInSchedule:
    """Set (or change) the family check-in schedule; a stale edit raises Conflict."""
    current = (
        CheckInSchedule.objects.select_for_update()
        .filter(organization_id=child.organization_id, child=child)
        .first()
    )
    if current is None:
        current = CheckInSchedule(organization_id=child.organization_id, child=child, created_by=by)
    elif expected_version is not None and current.version != expected_version:
        raise Conflict(current.version)
    else:
        current.version += 1
    for name, value in fields.items():
        if name not in SCHEDULE_FIELDS:
            raise ValueError(f"{name} is not a field of the check-in schedule")
        setattr(current, name, value)
    if "next_due_on" in fields:
        current.reminded_for = None  # a new date gets its own reminder
    current.full_clean(
        exclude=["organization", "child", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    current.save(at=at)
    return current


@transaction.atomic
def answer_checkin(
    guardian: Membership,
    child: Child,
    *,
    at_home: str = "",
    hard: str = "",
    would_help: str = "",
    wellbeing: int | None = None,
    today: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> CheckIn:
    """Record the family's answers; move the schedule on; tell (and if needed flag) the team."""
    today = today or clock.today()
    answers = {"at_home": at_home.strip(), "hard": hard.strip(), "would_help": would_help.strip()}
    if not any(answers.values()) and wellbeing is None:
        raise ValidationError(_("Answer at least one question."))
    schedule = (
        CheckInSchedule.objects.select_for_update()
        .filter(organization_id=child.organization_id, child=child)
        .first()
    )
    checkin = CheckIn(
        organization_id=child.organization_id, child=child, guardian=guardian, **answers
    )
    checkin.wellbeing = wellbeing
    if schedule is not None and schedule.is_due(today):
        checkin.due_on = schedule.next_due_on
        while schedule.next_due_on <= today:
            schedule.next_due_on = schedule.following(schedule.next_due_on)
        schedule.version += 1
        schedule.save(at=at)
    _check_lengths(checkin, ("at_home", "hard", "would_help"))
    checkin.full_clean(exclude=["organization", "child", "guardian"], validate_unique=False)
    checkin.save(at=at)
    mark_read_about(child, [Kind.CHECKIN_DUE], now=at)
    team = care_team_of(child, (TeamRole.LEAD, TeamRole.TREATING))
    if schedule is not None and schedule.created_by.is_active:
        team.append(schedule.created_by)
    url = reverse("messaging:index", args=[child.pk]) + "#timeline"
    name = guardian.display_name
    notify(team, Kind.CHECKIN_ANSWERED, child=child, actor_name=name, url=url, now=at)
    if checkin.needs_support:
        notify(team, Kind.CHECKIN_FLAG, child=child, actor_name=name, url=url, now=at)
    return checkin
