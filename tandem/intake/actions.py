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
from tandem.accounts.models import Discipline, Membership, Organization, Role
from tandem.appointments import actions as appointments
from tandem.appointments.availability import why_not_free
from tandem.children import actions as children
from tandem.children.models import TeamRole
from tandem.core import once
from tandem.core.access import Conflict

from .models import (
    AVAILABILITY,
    OPEN_STATUSES,
    Concern,
    Offer,
    OfferStatus,
    Referral,
    ReferralStatus,
)


class OfferFailed(ValidationError):
    """The offered time cannot be booked any more (taken meanwhile, or passed)."""

    def __str__(self) -> str:
        return " ".join(self.messages)


DUPLICATE_WINDOW = datetime.timedelta(minutes=30)


def _email(referral: Referral, kind: str) -> None:
    from .tasks import send_referral_email

    referral_id, org_id, key = str(referral.pk), str(referral.organization_id), once.new_key()
    transaction.on_commit(lambda: send_referral_email.enqueue(org_id, referral_id, kind, key))


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
    """A family's (or a referrer's) referral from the public form. The same child sent
    again from the same address within half an hour (a double click, a retry) is the
    first referral, not a second one, and no second email goes out."""
    _check_choices(fields)
    same = Referral.objects.filter(
        organization_id=organization.pk,
        contact_email__iexact=fields.get("contact_email", ""),
        child_first_name__iexact=fields.get("child_first_name", ""),
        date_of_birth=fields.get("date_of_birth") or datetime.date.min,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if same is not None:
        return same
    referral = Referral(organization=organization, **fields)
    referral.full_clean(validate_unique=False, validate_constraints=False)
    referral.save()
    _email(referral, "received")
    return referral


def _check_choices(fields: dict[str, Any]) -> None:
    """The lists hold known values only (the form offers them; another caller may not)."""
    known = {
        "concerns": set(Concern.values),
        "disciplines": {d.value for d in Discipline},
        "availability": set(AVAILABILITY),
    }
    errors = {
        name: [_("Choose from the list.")]
        for name, allowed in known.items()
        if not isinstance(fields.get(name, []), list) or set(fields.get(name, [])) - allowed
    }
    if errors:
        raise ValidationError(errors)


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
    referral: Referral, by: Membership, *, expected_version: int, urgency: str, note: str = ""
) -> Referral:
    current = _current(referral, expected_version)
    _refuse_unless(current, ReferralStatus.WAITLISTED, ReferralStatus.OFFERED)
    current = _save(
        current, urgency=urgency, triaged_by=by, triage_note=note.strip() or current.triage_note
    )
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
    if len(reply) > 3000:
        raise ValidationError({"reply": [_("Keep your answer under 3,000 characters.")]})
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
    if reason := why_not_free(therapist, starts_at, duration_minutes):
        raise ValidationError({"starts_at": [reason]})
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


def _the_offer(current: Referral, offer_id: str | None) -> Offer:
    """The open offer the family answers: the one their page showed (``offer_id``), not
    another made since."""
    offer = open_offer(current)
    if offer is None or (offer_id is not None and str(offer.pk) != str(offer_id)):
        raise ValidationError(_("This offer is no longer open. Read the page again."))
    return offer


def open_offer(referral: Referral) -> Offer | None:
    return (
        Offer.objects.filter(
            organization_id=referral.organization_id, referral=referral, status=OfferStatus.OPEN
        )
        .select_related("therapist__user")
        .first()
    )


@transaction.atomic
def decline_offer(referral: Referral, *, offer_id: str | None = None) -> Referral:
    """The time does not suit the family: they keep their place on the list."""
    current = _current(referral, None)
    _refuse_unless(current, ReferralStatus.OFFERED)
    offer = _the_offer(current, offer_id)
    offer.status, offer.responded_at = OfferStatus.DECLINED, timezone.now()
    offer.save()
    return _save(current, status=ReferralStatus.WAITLISTED)


@transaction.atomic
def accept_offer(referral: Referral, *, offer_id: str | None = None) -> Offer:
    """The family takes the time: the child's record, their guardian (invited by email to
    set up their account), the therapist on the care team as lead and the evaluation
    session are created together — or, if the time was taken meanwhile, nothing is."""
    current = _current(referral, None)
    _refuse_unless(current, ReferralStatus.OFFERED)
    offer = _the_offer(current, offer_id)
    if offer.starts_at <= timezone.now():
        raise OfferFailed(_("This time has passed. The clinic will offer you another one."))
    by = offer.made_by
    taken = Membership.objects.filter(
        organization_id=current.organization_id,
        user__email__iexact=current.contact_email,
    ).exclude(role=Role.GUARDIAN)
    if taken.exists():
        # A member of the clinic's staff: never made a child's guardian by a form.
        raise ValidationError(
            _("The clinic will contact you to finish this booking. You keep your place.")
        )
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
    try:
        children.link_guardian(
            child,
            guardian,
            relationship=current.relationship,
            has_legal_authority=True,
            is_primary_contact=True,
        )
        children.add_to_care_team(child, offer.therapist, TeamRole.LEAD)
    except ValueError as exc:  # the therapist left, or the address is not a family's
        raise OfferFailed(_("The clinic will offer you another time.")) from exc
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
        raise OfferFailed(
            _("This time is no longer free. The clinic will offer you another one.")
        ) from exc
    offer.status, offer.responded_at = OfferStatus.ACCEPTED, timezone.now()
    offer.encounter, offer.child = appointment.encounter, child
    offer.save()
    _save(current, status=ReferralStatus.ACCEPTED, child=child, closed_at=timezone.now())
    _email(current, "accepted")
    return offer


@transaction.atomic
def void_offer(referral: Referral) -> Referral:
    """An offer that could not be booked: withdrawn, and the family back on the list
    (the clinic sees them there, with the offer in the history)."""
    current = _current(referral, None)
    if current.status != ReferralStatus.OFFERED:
        return current
    _withdraw_open_offers(current)
    return _save(current, status=ReferralStatus.WAITLISTED)


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
