"""What happens to a referral: submitted, triaged, offered a time, accepted.

Each action is one transaction that checks the referral's state and version (a stale
version is a ``Conflict``), saves a new version, and queues the family's email on commit.
They do not ask who the caller is: the entry point did (``rules.py``).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.actions import invite_person
from tandem.accounts.models import Membership, Organization, Role
from tandem.appointments import actions as appointments
from tandem.children import actions as children
from tandem.children.models import TeamRole
from tandem.core.access import Conflict

from .models import OPEN_STATUSES, Offer, OfferStatus, Referral, ReferralStatus


def _email(referral: Referral, kind: str) -> None:
    from .tasks import send_referral_email

    referral_id, org_id = str(referral.pk), str(referral.organization_id)
    transaction.on_commit(lambda: send_referral_email.enqueue(org_id, referral_id, kind))


def _current(referral: Referral, expected_version: int | None) -> Referral:
    """The referral's row, locked; a stale ``expected_version`` is a Conflict."""
    current = Referral.objects.select_for_update().get(
        organization_id=referral.organization_id, pk=referral.pk
    )
    if expected_version is not None and current.version != expected_version:
        raise Conflict(current.version)
    return current


def _save(referral: Referral, **changes: Any) -> Referral:
    for name, value in changes.items():
        setattr(referral, name, value)
    referral.version += 1
    referral.save()
    return referral


@transaction.atomic
def submit_referral(organization: Organization, **fields: Any) -> Referral:
    """A family's (or a referrer's) referral from the public form."""
    referral = Referral(organization=organization, **fields)
    referral.full_clean(validate_unique=False, validate_constraints=False)
    referral.save()
    _email(referral, "received")
    return referral


def _refuse_unless(referral: Referral, *statuses: str) -> None:
    if referral.status not in statuses:
        raise ValidationError(
            _("This referral is %(status)s: that cannot be done now.")
            % {"status": referral.get_status_display().lower()}
        )


@transaction.atomic
def put_on_waitlist(
    referral: Referral, by: Membership, *, expected_version: int, urgency: str, note: str = ""
) -> Referral:
    current = _current(referral, expected_version)
    _refuse_unless(current, ReferralStatus.NEW, ReferralStatus.INFO_REQUESTED)
    current = _save(
        current,
        status=ReferralStatus.WAITLISTED,
        urgency=urgency,
        triage_note=note or current.triage_note,
        triaged_by=by,
        waitlisted_at=timezone.now(),
    )
    current.full_clean(validate_unique=False, validate_constraints=False)
    _email(current, "waitlisted")
    return current


@transaction.atomic
def set_urgency(
    referral: Referral, by: Membership, *, expected_version: int, urgency: str
) -> Referral:
    current = _current(referral, expected_version)
    _refuse_unless(current, ReferralStatus.WAITLISTED, ReferralStatus.OFFERED)
    current = _save(current, urgency=urgency, triaged_by=by)
    current.full_clean(validate_unique=False, validate_constraints=False)
    return current


@transaction.atomic
def decline(referral: Referral, by: Membership, *, expected_version: int, reason: str) -> Referral:
    current = _current(referral, expected_version)
    _refuse_unless(current, *OPEN_STATUSES)
    if not reason.strip():
        raise ValidationError({"reason": [_("Tell the family why, in plain words.")]})
    _withdraw_open_offers(current)
    current = _save(
        current,
        status=ReferralStatus.DECLINED,
        decline_reason=reason.strip(),
        triaged_by=by,
        closed_at=timezone.now(),
    )
    _email(current, "declined")
    return current


@transaction.atomic
def ask_for_information(
    referral: Referral, by: Membership, *, expected_version: int, question: str
) -> Referral:
    current = _current(referral, expected_version)
    _refuse_unless(current, ReferralStatus.NEW, ReferralStatus.INFO_REQUESTED)
    if not question.strip():
        raise ValidationError({"question": [_("Write what the clinic needs to know.")]})
    current = _save(
        current,
        status=ReferralStatus.INFO_REQUESTED,
        info_request=question.strip(),
        triaged_by=by,
    )
    _email(current, "info_requested")
    return current


@transaction.atomic
def answer(referral: Referral, *, reply: str) -> Referral:
    """The family answers the clinic's question from their status page."""
    current = _current(referral, None)
    _refuse_unless(current, ReferralStatus.INFO_REQUESTED)
    if not reply.strip():
        raise ValidationError({"reply": [_("Write your answer.")]})
    return _save(current, status=ReferralStatus.NEW, family_reply=reply.strip())


def _withdraw_open_offers(referral: Referral) -> None:
    for offer in Offer.objects.filter(
        organization_id=referral.organization_id, referral=referral, status=OfferStatus.OPEN
    ):
        offer.status = OfferStatus.WITHDRAWN
        offer.save()


@transaction.atomic
def make_offer(
    referral: Referral,
    by: Membership,
    *,
    expected_version: int,
    starts_at: datetime.datetime,
    therapist: Membership,
    duration_minutes: int = 60,
) -> Offer:
    """Offer a family on the waitlist a first appointment (an evaluation)."""
    current = _current(referral, expected_version)
    _refuse_unless(current, ReferralStatus.WAITLISTED)
    if therapist.organization_id != current.organization_id or therapist.role != Role.THERAPIST:
        raise ValidationError({"therapist": [_("Choose one of the clinic's therapists.")]})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": [_("Offer a time that has not passed.")]})
    discipline = therapist.discipline or "other"
    if current.disciplines and discipline not in current.disciplines:
        raise ValidationError({"therapist": [_("The family asked for another kind of therapy.")]})
    offer = Offer.objects.create(
        organization_id=current.organization_id,
        referral=current,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        therapist=therapist,
        discipline=discipline,
        made_by=by,
    )
    _save(current, status=ReferralStatus.OFFERED)
    _email(current, "offered")
    return offer


@transaction.atomic
def withdraw_offer(referral: Referral, *, expected_version: int) -> Referral:
    """Take back an offer the family has not answered: they go back on the list."""
    current = _current(referral, expected_version)
    _refuse_unless(current, ReferralStatus.OFFERED)
    _withdraw_open_offers(current)
    return _save(current, status=ReferralStatus.WAITLISTED)


def open_offer(referral: Referral) -> Offer | None:
    return (
        Offer.objects.filter(
            organization_id=referral.organization_id, referral=referral, status=OfferStatus.OPEN
        )
        .select_related("therapist__user")
        .first()
    )


@transaction.atomic
def decline_offer(referral: Referral) -> Referral:
    """The time does not suit the family: they keep their place on the list."""
    current = _current(referral, None)
    _refuse_unless(current, ReferralStatus.OFFERED)
    offer = open_offer(current)
    if offer is not None:
        offer.status, offer.responded_at = OfferStatus.DECLINED, timezone.now()
        offer.save()
    return _save(current, status=ReferralStatus.WAITLISTED)


@transaction.atomic
def accept_offer(referral: Referral) -> Offer:
    """The family takes the time: the child's record, their guardian (invited by email to
    set up their account), the therapist on the care team as lead and the evaluation
    session are created together — or, if the time was taken meanwhile, nothing is."""
    current = _current(referral, None)
    _refuse_unless(current, ReferralStatus.OFFERED)
    offer = open_offer(current)
    if offer is None:
        raise ValidationError(_("This offer is no longer open."))
    by = offer.made_by
    child = children.create_child(
        by,
        first_name=current.child_first_name,
        last_name=current.child_last_name,
        date_of_birth=current.date_of_birth,
        sex=current.sex,
        preferred_languages="Español" if current.language == "es" else "English",
    )
    first, _sep, last = current.contact_name.strip().partition(" ")
    guardian, _invitation = invite_person(
        by,
        email=current.contact_email,
        role=Role.GUARDIAN,
        first_name=first,
        last_name=last,
        language=current.language,
    )
    children.link_guardian(
        child,
        guardian,
        relationship=current.relationship,
        has_legal_authority=True,
        is_primary_contact=True,
    )
    children.add_to_care_team(child, offer.therapist, TeamRole.LEAD)
    try:
        appointment = appointments.book(
            by,
            child,
            starts_at=offer.starts_at,
            duration_minutes=offer.duration_minutes,
            therapist=offer.therapist,
            discipline=offer.discipline,
            service_type="evaluation",
            location="clinic",
        )
    except ValidationError as exc:
        raise ValidationError(
            _("This time is no longer free. The clinic will offer you another one.")
        ) from exc
    offer.status, offer.responded_at = OfferStatus.ACCEPTED, timezone.now()
    offer.encounter, offer.child = appointment.encounter, child
    offer.save()
    _save(current, status=ReferralStatus.ACCEPTED, child=child, closed_at=timezone.now())
    _email(current, "accepted")
    return offer


def accepted_offer(referral: Referral) -> Offer | None:
    return (
        Offer.objects.filter(
            organization_id=referral.organization_id,
            referral=referral,
            status=OfferStatus.ACCEPTED,
        )
        .select_related("therapist__user")
        .first()
    )
