"""Build the demo clinics: their people, children and months of record.

Every child comes with a clinical record (``demo.clinical``, ``demo.sessions``): an
evaluation, an active plan with GAS-scaled goals signed by a guardian, and weekly signed
session notes; then the family's life between sessions (``demo.family``) and the clinic's
library (``demo.library``). The people and their stories are in ``demo.data``.
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation

from tandem.accounts.models import CLINIC_ROLES, Membership, Organization, Role, User
from tandem.children.actions import add_to_care_team, create_child, link_guardian
from tandem.children.models import Child, TeamRole
from tandem.core import clock
from tandem.demo.billing import build_billing
from tandem.demo.clinical import Catalogue, catalogue, evaluate, rerate_copm, write_plan, written
from tandem.demo.data.people import CLINICS, PASSWORD, TOTP_SECRET
from tandem.demo.family import build_family_life
from tandem.demo.groups import build_group
from tandem.demo.hours import build_hours
from tandem.demo.library import build_library
from tandem.demo.offers import build_offered_times
from tandem.demo.school import write_school_plan
from tandem.demo.sessions import session_days, write_sessions
from tandem.demo.shapes import Carer, Clinic, Kid
from tandem.demo.waitlist import build_waitlist
from tandem.homeprogram.models import HomeActivity
from tandem.notifications.models import EmailState, Kind, Notification


def demo_exists() -> bool:
    """Tell whether the demo has been built (its first admin has a membership)."""
    first_admin = CLINICS[0].people[0].email
    return Membership.objects.filter(
        user__email=first_admin, organization__name=CLINICS[0].name
    ).exists()


@transaction.atomic
def build_demo_clinics() -> None:
    """Create both clinics, their people and children, in one transaction."""
    # One Argon2 hash for every account: hashing 40 times would take seconds.
    password_hash = make_password(PASSWORD)
    # The clinics' records are written in English (a score's interpretation, a plan's
    # words), whatever language the process happens to be speaking when it builds them.
    with translation.override("en"):
        for clinic in CLINICS:
            # Each clinic's own date: at 19:30 in Chicago it is already tomorrow in UTC.
            build_clinic(clinic, password_hash, clock.today_for(clinic.timezone))


def build_clinic(clinic: Clinic, password_hash: str, today: date) -> Organization:
    organization = Organization.objects.create(name=clinic.name, timezone=clinic.timezone)
    members: dict[str, Membership] = {}
    for person in clinic.people:  # supervisors come before the assistants they supervise
        user = new_user(person.email, person.first_name, person.last_name, password_hash)
        members[person.key] = Membership.objects.create(
            organization=organization,
            user=user,
            role=person.role,
            discipline=person.discipline,
            licence=person.licence,
            supervisor=members[person.supervisor] if person.supervisor else None,
            title=person.title,
            phone=person.phone,
        )
        if person.role in CLINIC_ROLES:  # everyone who works at the clinic signs in with MFA
            TOTP.activate(user, TOTP_SECRET)
    admin = members["admin"]
    book = catalogue(organization)
    children: dict[str, Child] = {}
    activities: dict[str, dict[str, HomeActivity]] = {}
    for family in clinic.families:
        guardians = []
        for carer in family.carers:
            user = new_user(
                carer.email, carer.first_name, carer.last_name, password_hash, carer.language
            )
            guardians.append(
                (
                    carer,
                    Membership.objects.create(
                        organization=organization, user=user, role=Role.GUARDIAN, phone=carer.phone
                    ),
                )
            )
        for kid in family.kids:
            at = written(referred_at(book.tz, kid, today))
            child = create_child(admin, at=at, **child_fields(kid, today))
            for carer, guardian in guardians:
                link_guardian(
                    child,
                    guardian,
                    at=at,
                    relationship=carer.relationship,
                    has_legal_authority=carer.legal_authority,
                    is_primary_contact=carer.primary,
                    household=carer.household,
                    contact_method=carer.contact,
                    contact_notes=carer.contact_notes,
                )
            for key, team_role in kid.team:
                add_to_care_team(child, members[key], team_role, at=at)
            children[kid.first_name] = child
            if kid.care:
                activities[kid.first_name] = build_care(book, child, kid, members, guardians, today)
    build_library(book, organization, members, children, activities, today)
    if "frontdesk" in members and "ot" in members:
        build_waitlist(organization, members, children, today)
        build_hours(members, today)
        build_group(members, children, today)
        build_offered_times(members, children, today)
        build_billing(organization, members, children, today)
    settle_notifications(organization, today)
    return organization


def build_care(
    book: Catalogue,
    child: Child,
    kid: Kid,
    members: dict[str, Membership],
    guardians: list[tuple[Carer, Membership]],
    today: date,
) -> dict[str, HomeActivity]:
    """Write a child's evaluation, plan and weekly session notes with the lead therapist,
    then the family's life between sessions; return the home activities by title."""
    care = kid.care
    assert care is not None
    lead = members[next(key for key, role in kid.team if role == TeamRole.LEAD)]
    days = session_days(care, today)
    start = days[0] - timedelta(days=3)  # the plan starts on the week of the first session
    evaluate(book, child, kid, lead, guardians, start - timedelta(days=7), days[-1])
    plan, goals = write_plan(book, child, kid, lead, guardians, start)
    write_school_plan(child, kid, lead, list(goals.values()), today)
    assistant = next((members[k] for k, _r in kid.team if members[k].is_assistant), None)
    write_sessions(book, child, care, plan, goals, days, lead, assistant)
    rerate_copm(book, care, plan, days[-1])
    return build_family_life(book, child, kid, goals, guardians, members, lead, days, today)


def new_user(
    email: str, first_name: str, last_name: str, password_hash: str, language: str = "en"
) -> User:
    return User.objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        password=password_hash,
    )


def child_fields(kid: Kid, today: date) -> dict[str, Any]:
    """Return the profile fields of a child, dates counted back from today."""
    fields: dict[str, Any] = {
        "first_name": kid.first_name,
        "last_name": kid.last_name,
        "preferred_name": kid.preferred_name,
        "date_of_birth": months_before(today, kid.age_months),
        "sex": kid.sex,
        "gestational_age_weeks": kid.gestational_age_weeks,
        "preferred_languages": kid.languages,
        "strengths": kid.strengths,
        "interests": kid.interests,
        "challenges": kid.challenges,
        "sensory_notes": kid.sensory_notes,
        "family_context": kid.family_context,
        "school": kid.school,
        "diagnoses": list(kid.diagnoses),
    }
    if kid.plan:
        written = today - timedelta(days=kid.plan_days_ago)
        fields["ifsp_date" if kid.plan == "ifsp" else "iep_date"] = written
        # An IFSP is reviewed every six months, an IEP every year.
        fields["iep_review_date"] = written + timedelta(days=182 if kid.plan == "ifsp" else 365)
    return fields


def months_before(today: date, months: int) -> date:
    """Return the date ``months`` whole months before today (day capped at the 28th)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, 28))


def referred_at(tz: ZoneInfo, kid: Kid, today: date) -> datetime:
    """When the child's record was opened: five weeks before the first session."""
    weeks = kid.care.weeks + 5 if kid.care else 0
    return datetime.combine(today - timedelta(weeks=weeks), time(10), tzinfo=tz)


def settle_notifications(organization: Organization, today: date) -> None:
    """The demo's past notifications were emailed at the time, and what is more than a
    week old has been read (but for families' unread messages); no email waits now."""
    notifications = Notification.objects.filter(organization=organization)
    notifications.filter(email_state=EmailState.PENDING).update(
        email_state=EmailState.SENT, emailed_at=F("created_at")
    )
    old = notifications.filter(read_at__isnull=True, created_at__date__lt=today - timedelta(days=7))
    # Families opened the evaluation reports of months ago; unread messages stay unread.
    old.filter(
        Q(recipient__role__in=[Role.ADMIN, Role.THERAPIST]) | ~Q(kind=Kind.NEW_MESSAGE)
    ).update(read_at=F("created_at") + timedelta(hours=3))
