"""Build the demo clinics: Riverside Pediatric Therapy and Lakeside Kids Therapy.

    manage.py demo_clinic           # builds them once; does nothing if they exist
    manage.py demo_clinic --reset   # deletes the two demo clinics and builds them again

Every account signs in with the demo password; staff also need the authenticator
code from ``manage.py demo_totp EMAIL`` (or an app given the demo TOTP secret).

Every child comes with months of clinical record (``_demo_clinical``): an evaluation,
an active plan with GAS-scaled goals signed by a guardian, and weekly signed session
notes. Worth a look: Emma's handwriting goal has reached a plateau and Ethan's calming-
strategy goal is regressing (both flagged for review); Anaya's latest note, by the OT
assistant, awaits Priya Raman's co-signature; Jayden's latest note is still a draft;
Zoe's plan gained a goal after her IEP meeting and awaits her mother's signature;
Mateo has a note with an addendum; Anaya's family rated activities with the COPM.

``--reset`` works on SQLite (its triggers let this command purge the demo). On
PostgreSQL a trigger keeps signed notes from ever being deleted, so there the reset is
refused: start from an empty database instead.
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from tandem.accounts.models import Membership, Organization, Role, User
from tandem.audit.versions import versioned_models
from tandem.children.actions import add_to_care_team, create_child, link_guardian
from tandem.children.models import Child, TeamRole
from tandem.core import clock
from tandem.homeprogram.models import HomeActivity
from tandem.notes.models import Addendum, SessionNote
from tandem.notes.triggers import allow_purge
from tandem.resources.models import Resource, Workshop

from ._demo_clinical import Catalogue, catalogue, evaluate, recorded_at, rerate_copm, write_plan
from ._demo_data import CLINICS, PASSWORD, TOTP_SECRET, Carer, Clinic, Kid, all_emails
from ._demo_family import build_family_life, build_library, settle_notifications
from ._demo_sessions import session_days, write_sessions


class Command(BaseCommand):
    help = "Build the demo clinics (once); --reset deletes and rebuilds them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo clinics and build them again."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have a published password).",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if not (settings.DEBUG or getattr(settings, "TESTING", False)) and not options.get(
            "allow_production"
        ):
            raise CommandError(
                "The demo accounts share a published password and authenticator secret. "
                "Run with DEBUG=1 (or pass --allow-production if you really mean it)."
            )
        if reset:
            delete_demo_clinics()
            self.stdout.write("Deleted the demo clinics.")
        elif demo_exists():
            self.stdout.write("The demo clinics already exist (use --reset to rebuild them).")
            return
        build_demo_clinics()
        self.stdout.write(self.style.SUCCESS("Built the demo clinics."))
        self.stdout.write(logins_table())


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
        if person.role in (Role.ADMIN, Role.THERAPIST):
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
            with recorded_at(referred_at(book.tz, kid, today)):
                child = create_child(admin, **child_fields(kid, today))
                for carer, guardian in guardians:
                    link_guardian(
                        child,
                        guardian,
                        relationship=carer.relationship,
                        has_legal_authority=carer.legal_authority,
                        is_primary_contact=carer.primary,
                        household=carer.household,
                        contact_method=carer.contact,
                        contact_notes=carer.contact_notes,
                    )
                for key, team_role in kid.team:
                    add_to_care_team(child, members[key], team_role)
            children[kid.first_name] = child
            if kid.care:
                activities[kid.first_name] = build_care(book, child, kid, members, guardians, today)
    build_library(book, organization, members, children, activities, today)
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


def delete_demo_clinics() -> None:
    """Delete the demo clinics and their accounts; other organizations are untouched.

    Signed session notes are never deleted on PostgreSQL (a trigger refuses it), so there
    a demo with signed notes is not reset: the command stops before deleting anything and
    says how to start afresh. On SQLite, the triggers that guard signed notes and history
    let this command (and only code in the app's own process) purge the demo's own
    fabricated records (``allow_purge``, see docs/security.md).
    """
    ids = list(
        Organization.objects.filter(
            name__in=[clinic.name for clinic in CLINICS],
            membership__user__email__in=[clinic.people[0].email for clinic in CLINICS],
        )
        .distinct()
        .values_list("id", flat=True)
    )
    signed = SessionNote.objects.filter(organization_id__in=ids, signed_at__isnull=False)
    if connection.vendor == "postgresql" and signed.exists():
        raise CommandError(
            "The demo clinics hold signed session notes, which PostgreSQL refuses to delete, "
            "so the demo cannot be reset in place. Start from an empty database instead "
            "(e.g. dropdb tandem && createdb tandem, then manage.py migrate and "
            "manage.py demo_clinic)."
        )
    handouts = [
        name
        for name in Resource.objects.filter(organization_id__in=ids).values_list("file", flat=True)
        if name
    ]
    try:
        with transaction.atomic(), allow_purge(connection):
            # Bottom-up: addenda protect notes; notes protect children and their authors.
            Addendum.objects.filter(organization_id__in=ids).delete()
            SessionNote.objects.filter(organization_id__in=ids).delete()
            for child in Child.objects.filter(organization_id__in=ids):
                child.delete()
            # The library and events are the clinic's, not a child's.
            Workshop.objects.filter(organization_id__in=ids).delete()
            Resource.objects.filter(organization_id__in=ids).delete()
            # Clinical records keep versions; the demo's history goes with the demo.
            for model in versioned_models():
                model.history.filter(organization_id__in=ids).delete()  # type: ignore[attr-defined]
            members = Membership.objects.filter(organization_id__in=ids)
            members.filter(supervisor__isnull=False).delete()  # assistants before supervisors
            members.delete()
            User.objects.filter(email__in=all_emails()).delete()
            Organization.objects.filter(id__in=ids).delete()
            # The library's files go with their records, once that is committed.
            transaction.on_commit(lambda: [default_storage.delete(name) for name in handouts])
    except (ProtectedError, IntegrityError, DatabaseError, TypeError) as exc:
        raise CommandError(
            "The demo clinics now hold records Tandem never deletes (the access log of who "
            "opened a child's record, …), so they cannot be reset. Start from an empty database "
            f"instead (for the default SQLite one: delete var/tandem.sqlite3*). ({exc})"
        ) from exc


def referred_at(tz: ZoneInfo, kid: Kid, today: date) -> datetime:
    """When the child's record was opened: five weeks before the first session."""
    weeks = kid.care.weeks + 5 if kid.care else 0
    return datetime.combine(today - timedelta(weeks=weeks), time(10), tzinfo=tz)


def logins_table() -> str:
    """Return the demo sign-ins, one line per account."""
    lines = [
        "",
        f"Every account's password: {PASSWORD}",
        "Staff also need an authenticator code: manage.py demo_totp EMAIL",
        f"(or add the secret {TOTP_SECRET} to an authenticator app).",
        "",
    ]
    for clinic in CLINICS:
        lines.append(clinic.name)
        for person in clinic.people:
            name = f"{person.first_name} {person.last_name}"
            lines.append(f"  {person.email:<38} {name:<18} {person.describe()}")
        for family in clinic.families:
            children = " and ".join(kid.preferred_name or kid.first_name for kid in family.kids)
            for carer in family.carers:
                name = f"{carer.first_name} {carer.last_name}"
                notes = ["uses Tandem in Spanish"] if carer.language == "es" else []
                notes += [carer.household] if carer.household else []
                what = f"guardian of {children}" + (f" ({'; '.join(notes)})" if notes else "")
                lines.append(f"  {carer.email:<38} {name:<18} {what}")
        lines.append("")
    return "\n".join(lines)
