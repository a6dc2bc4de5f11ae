"""Delete the demo clinics (``demo_clinic --reset``), leaving other organizations alone."""

from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model, ProtectedError

from tandem.accounts.models import Membership, Organization, User
from tandem.appointments.models import (
    Appointment,
    Encounter,
    Room,
    Series,
    TimeOff,
    WorkingHours,
)
from tandem.audit.versions import versioned_models
from tandem.billing.models import (
    Adjustment,
    Authorization,
    Charge,
    Claim,
    ClaimBatch,
    FeeScheduleEntry,
    Payer,
    Payment,
    Policy,
    ProviderNumber,
    Remittance,
    SlidingTier,
)
from tandem.children.models import Child
from tandem.demo.data.people import CLINICS
from tandem.groups.models import Enrolment, GroupProgram, GroupSession
from tandem.intake.models import Offer, Referral
from tandem.notes.models import Addendum, SessionNote
from tandem.notes.triggers import allow_purge
from tandem.resources.models import Resource, Workshop


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
            # Billing first: payments and adjustments protect charges, charges their
            # notes, claims and authorizations; policies protect payers.
            billing: tuple[type[Model], ...] = (
                Payment,
                Adjustment,
                Charge,
                Claim,
                ClaimBatch,
                Remittance,
                Authorization,
                Policy,
                Payer,
                FeeScheduleEntry,
                SlidingTier,
                ProviderNumber,
            )
            # A correction's charge protects the charge it replaced: the newer ones first.
            Charge.objects.filter(organization_id__in=ids, replaces__isnull=False).delete()
            for record in billing:
                record._default_manager.filter(organization_id__in=ids).delete()
            # Bottom-up: addenda protect notes; notes protect children and their authors.
            Addendum.objects.filter(organization_id__in=ids).delete()
            SessionNote.objects.filter(organization_id__in=ids).delete()
            # Offers protect their sessions, referrals the children they became.
            Offer.objects.filter(organization_id__in=ids).delete()
            Referral.objects.filter(organization_id__in=ids).delete()
            # Groups hold their sessions and the children's places.
            GroupSession.objects.filter(organization_id__in=ids).delete()
            Enrolment.objects.filter(organization_id__in=ids).delete()
            GroupProgram.objects.filter(organization_id__in=ids).delete()
            # Appointments protect their sessions, sessions their series, therapists, rooms.
            Appointment.objects.filter(organization_id__in=ids).delete()
            Encounter.objects.filter(organization_id__in=ids).delete()
            Series.objects.filter(organization_id__in=ids).delete()
            Room.objects.filter(organization_id__in=ids).delete()
            WorkingHours.objects.filter(organization_id__in=ids).delete()
            TimeOff.objects.filter(organization_id__in=ids).delete()
            for child in Child.objects.filter(organization_id__in=ids):
                child.delete()
            # The library and events are the clinic's, not a child's.
            Workshop.objects.filter(organization_id__in=ids).delete()
            Resource.objects.filter(organization_id__in=ids).delete()
            # Clinical records keep versions; the demo's history goes with the demo.
            for model in versioned_models():
                model.history.filter(organization_id__in=ids).delete()
            members = Membership.objects.filter(organization_id__in=ids)
            members.filter(supervisor__isnull=False).delete()  # assistants before supervisors
            members.delete()
            User.objects.filter(email__in=all_emails()).delete()
            Organization.objects.filter(id__in=ids).delete()
            # The library's files go with their records, once that is committed.
            transaction.on_commit(lambda: _delete_files(handouts))
    except (ProtectedError, IntegrityError, DatabaseError, TypeError) as exc:
        raise CommandError(
            "The demo clinics now hold records Tandem never deletes (the access log of who "
            "opened a child's record, …), so they cannot be reset. Start from an empty database "
            f"instead (for the default SQLite one: delete var/tandem.sqlite3*). ({exc})"
        ) from exc


def all_emails() -> list[str]:
    """Return the email of every demo account, in both clinics."""
    emails = []
    for clinic in CLINICS:
        emails += [person.email for person in clinic.people]
        emails += [carer.email for family in clinic.families for carer in family.carers]
    return emails


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
