"""Organizations (the tenants), the people in them and how they sign in."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TandemModel


class Organization(TandemModel):
    """A clinic or practice. No data ever crosses organizations."""

    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="America/New_York")
    locale = models.CharField(max_length=10, default="en", choices=settings.LANGUAGES)
    # Video sessions: the clinic's video service with ``{room}`` where each session's
    # unguessable room name goes, e.g. "https://meet.example.org/{room}" (self-hosted Jitsi).
    video_url_template = models.CharField(max_length=200, blank=True, db_default="")
    # A cancellation this many hours or less before the start is a late one.
    late_cancel_hours = models.PositiveSmallIntegerField(db_default=24, default=24)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    """Create users who sign in with their email address."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    # People sign in with their email: AbstractUser's username field is removed.
    username = None  # type: ignore[assignment]  # the stubs type it as a CharField
    email = models.EmailField(_("email"), unique=True)
    # Which language the interface speaks to this person; guardians pick it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Email sign-in: not Django's UserManager, whose create_user() takes a username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # not Django's
    # The new password set_password() keeps until save (AbstractBaseUser; not in the stubs).
    _password: str | None

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # set_password() leaves the new password here until saved; any way a password
        # changes (allauth, reset, admin, manage.py) ends the person's API tokens.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.revoke_all_of(self)


class Role(models.TextChoices):
    ADMIN = "admin", _("Clinic admin")
    THERAPIST = "therapist", _("Therapist")
    GUARDIAN = "guardian", _("Parent or caregiver")
    COLLABORATOR = "collaborator", _("Collaborator")
    FRONT_DESK = "front_desk", _("Front desk")
    BILLING = "billing", _("Billing")


# The clinical staff: they write the record and may hold API tokens.
STAFF_ROLES = frozenset({Role.ADMIN, Role.THERAPIST})
# Everyone who works for the clinic (the office too): authenticator app, staff session limits.
CLINIC_ROLES = STAFF_ROLES | {Role.FRONT_DESK, Role.BILLING}


class Discipline(models.TextChoices):
    OT = "ot", _("Occupational therapy")
    PT = "pt", _("Physical therapy")
    SLP = "slp", _("Speech-language pathology")
    BEHAVIORAL = "behavioral", _("Behavioral (BCBA)")
    PLAY = "play", _("Play therapy")
    PSYCHOLOGY = "psychology", _("Psychology")
    OTHER = "other", _("Other")


class Licence(models.TextChoices):
    LICENSED = "licensed", _("Licensed")
    ASSISTANT = "assistant", _("Assistant")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True)

    def in_organization(self, organization: Organization) -> "MembershipQuerySet":
        return self.filter(organization=organization)


class Membership(TandemModel):
    """A person's role in one organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices)
    discipline = models.CharField(max_length=20, choices=Discipline.choices, blank=True)
    licence = models.CharField(max_length=20, choices=Licence.choices, blank=True)
    supervisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervisees",
        help_text=_("The licensed therapist who co-signs an assistant's notes."),
    )
    # For collaborators: what they are to the child (teacher, pediatrician …).
    title = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    # While someone who already had an account has not accepted an invitation, the
    # inviting clinic knows them only by the name it typed (never their own).
    invited_name = models.CharField(max_length=201, blank=True)
    # When a notification to this member was last created or read: the navigation's
    # unread badge is kept in the session while this has not changed.
    inbox_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            # One role per person per organization keeps "what may I see" unambiguous.
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org"),
        ]
        indexes = [
            # The access layer lists members of one organization by role.
            models.Index(fields=["organization", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()}, {self.organization})"

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def works_at_clinic(self) -> bool:
        """Staff and the office (front desk, billing): MFA and staff session limits."""
        return self.role in CLINIC_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_guardian(self) -> bool:
        return self.role == Role.GUARDIAN

    @property
    def is_assistant(self) -> bool:
        return self.role == Role.THERAPIST and self.licence == Licence.ASSISTANT

    @property
    def display_name(self) -> str:
        """The name the clinic sees: what it typed while the person has not accepted its
        invitation (never their own), their own name afterwards. Every page that shows a
        member to their clinic uses this."""
        return self.invited_name or str(self.user)

    @property
    def is_waiting(self) -> bool:
        """Not accepted yet and not active: only the person can start it (by accepting an
        invitation), never an admin's tick, even after the invitation was withdrawn."""
        return bool(self.invited_name) and not self.is_active


def hash_secret(raw: str) -> str:
    """Hash an invitation or API token so that only its digest is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def invitation_expiry() -> Any:
    return timezone.now() + timedelta(days=14)


class Invitation(TandemModel):
    """An email invitation to join an organization with a role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    email = models.EmailField()
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When the worker emailed the link. The raw token exists only in that email: the
    # worker makes it when sending and stores its hash, so the task queue (and every
    # backup of it) holds the invitation's id, never a secret. A task run again for an
    # invitation already sent does nothing.
    sent_at = models.DateTimeField(null=True, blank=True)
    # A worker sending the email claims it first (a short committed lease), so the mail
    # exchange holds no database lock; another run skips it while the lease is young.
    sending_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization} ({self.role})"

    @property
    def full_name(self) -> str:
        """The name the inviting clinic typed (all it sees until the person accepts)."""
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, hash_secret(raw)

    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


def token_expiry() -> Any:
    return timezone.now() + timedelta(days=settings.TANDEM_API_TOKEN_DAYS)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and change")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def revoke_all_of(self, user: "User") -> int:
        """Revoke every live token of a person (their password or MFA changed)."""
        return self.filter(membership__user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), updated_at=timezone.now()
        )


class ApiToken(TandemModel):
    """A personal API token for staff. Only its hash is stored.

    It expires, reads only or reads and changes (its scope), and dies when revoked, when
    its owner's password changes or when their authenticator app is removed.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text=_("First characters, to recognise it."))
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=20, choices=TokenScope.choices, default=TokenScope.READ)
    # SMART v1 scopes of the FHIR API, space-separated (blank: all the role allows;
    # ``tandem.fhir.auth.effective``).
    fhir_scopes = models.CharField(max_length=500, blank=True, default="")
    expires_at = models.DateTimeField(default=token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        raw = "tdm_" + secrets.token_urlsafe(32)
        return raw, hash_secret(raw)
