"""Breaking the glass, ending it, and reviewing it. Each change keeps a version, which the
child's audit trail shows; every search is kept too.

The entry points (``tandem.breakglass``'s pages and API) check who may call these
(``emergency.open``, ``emergency.review``); the actions keep the grant's own rules: a
reason someone can judge, a search that names exactly one child, one review.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import CareTeamMember, Child
from tandem.core import clock

from .access import active_access, children_named, failed_searches_since
from .models import (
    MAX_REASON,
    MIN_REASON,
    EmergencyAccess,
    EmergencySearch,
    Outcome,
    SearchOutcome,
    access_hours,
)
from .signals import access_opened

# Searches that find nobody, per member and hour, before the page stops searching.
SEARCH_LIMIT = 5
SEARCH_WINDOW = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Opening:
    """What a break-glass request did: the grant (new or still running), the child when
    the member is on the team already (no grant needed), or nothing found."""

    outcome: str
    access: EmergencyAccess | None = None
    child: Child | None = None


def check_reason(reason: str) -> str:
    """The reason as kept (trimmed), or the refusal: one someone can judge later has
    words in it, not a row of dots or spaces."""
    reason = reason.strip()
    if len(reason) < MIN_REASON or sum(ch.isalnum() for ch in reason) < MIN_REASON // 2:
        raise ValidationError(
            {
                "reason": _(
                    "Say why you need this record now, in at least %(n)d characters: the "
                    "clinic's admins read it."
                )
                % {"n": MIN_REASON}
            }
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)d characters.") % {"n": MAX_REASON}}
        )
    return reason


@transaction.atomic
def open_access(
    by: Membership,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    reason: str,
    at: datetime.datetime | None = None,
) -> Opening:
    """Find the child by exact name and date of birth in ``by``'s clinic and open their
    record to ``by`` for ``access_hours()`` hours.

    The search is kept whatever it finds. Nothing is opened when no child, or more than
    one, matches; when ``by`` is on the child's care team already (they see the record);
    or after ``SEARCH_LIMIT`` searches that found nobody within the hour. A grant ``by``
    still holds for the child is kept, not doubled.
    """
    reason = check_reason(reason)
    now = at or clock.now()
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())

    def kept(outcome: str, child: Child | None = None) -> None:
        EmergencySearch(
            organization_id=by.organization_id,
            member=by,
            first_name=first_name[:100],
            last_name=last_name[:100],
            date_of_birth=date_of_birth,
            outcome=outcome,
            child=child,
        ).save(at=now)

    if failed_searches_since(by, now - SEARCH_WINDOW) >= SEARCH_LIMIT:
        kept(SearchOutcome.TOO_MANY)
        return Opening(SearchOutcome.TOO_MANY)
    found = children_named(by, first_name, last_name, date_of_birth) if first_name else []
    if len(found) != 1:
        kept(SearchOutcome.NO_MATCH)
        return Opening(SearchOutcome.NO_MATCH)
    child = found[0]
    kept(SearchOutcome.FOUND, child)
    seated = CareTeamMember.objects.filter(
        organization_id=child.organization_id, child=child, therapist=by
    )
    if seated.exists():
        return Opening(SearchOutcome.FOUND, child=child)
    running = active_access(by, child)
    if running is not None:
        return Opening(SearchOutcome.FOUND, access=running, child=child)
    access = EmergencyAccess(
        organization_id=child.organization_id,
        child=child,
        member=by,
        reason=reason,
        started_at=now,
        expires_at=now + datetime.timedelta(hours=access_hours()),
    )
    access.save(at=now)
    access_opened.send(sender=EmergencyAccess, access=access, at=at)
    return Opening(SearchOutcome.FOUND, access=access, child=child)


@transaction.atomic
def end_access(
    by: Membership, access: EmergencyAccess, at: datetime.datetime | None = None
) -> EmergencyAccess:
    """End a grant now: the holder's next request no longer shows the child. Ending one
    already ended or past its hour changes nothing (a double tap is harmless)."""
    current = EmergencyAccess.objects.select_for_update().get(
        pk=access.pk, organization_id=access.organization_id
    )
    now = at or clock.now()
    if current.is_active(now):
        current.ended_at = now
        current.ended_by = by
        current.save(at=at)
    return current


@transaction.atomic
def review_access(
    by: Membership,
    access: EmergencyAccess,
    *,
    outcome: str,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> EmergencyAccess:
    """Record an admin's review of a grant, once. Found not appropriate, a grant still
    running ends now. A grant already reviewed is refused, naming who reviewed it; so is a
    review by the grant's own holder (a therapist made admin since)."""
    current = (
        EmergencyAccess.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=access.pk, organization_id=access.organization_id)
    )
    if current.reviewed_at is not None:
        reviewer = current.reviewed_by.display_name if current.reviewed_by else ""
        raise ValidationError(
            _("%(name)s already reviewed this emergency access on %(day)s.")
            % {
                "name": reviewer,
                "day": date_format(clock.local_now(at=current.reviewed_at), "STAMP_FORMAT"),
            }
        )
    if current.member_id == by.pk or current.member.user_id == by.user_id:
        raise ValidationError(
            _("You held this emergency access: another admin of the clinic reviews it.")
        )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose whether the access was appropriate.")})
    now = at or clock.now()
    current.reviewed_at = now
    current.reviewed_by = by
    current.outcome = outcome
    current.review_comment = comment.strip()[:2000]
    if outcome == Outcome.NOT_APPROPRIATE and current.is_active(now):
        current.ended_at = now
        current.ended_by = by
    current.save(at=at)
    return current
