"""The clinic's resource library for families, what is shared with whom, and workshops."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from tandem.access.relation import visible_children
from tandem.accounts.models import Membership, Organization, Role
from tandem.children.models import Child
from tandem.core.models import TandemModel
from tandem.plans.models import Domain

MAX_AGE_MONTHS = 216
# Who uses the library and workshops at all: the clinic's clinical staff and families.
CLINICAL_ROLES = frozenset({Role.ADMIN, Role.THERAPIST})
FAMILY_AND_CLINICAL_ROLES = CLINICAL_ROLES | {Role.GUARDIAN}
WEB_LINK = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address (http or https).")
)


class ResourceKind(models.TextChoices):
    HANDOUT = "handout", _("Handout or picture (file)")
    TEXT = "text", _("Written text")
    VIDEO = "video", _("Video (link)")


def resource_file_path(resource: "Resource", filename: str) -> str:
    """A random name under the private folder: the uploaded file name never reaches the disk."""
    extension = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}.get(resource.file_type, "bin")
    return f"private/resources/{resource.organization_id}/{uuid.uuid4().hex}.{extension}"


class ResourceQuerySet(models.QuerySet["Resource"]):
    def current(self) -> "ResourceQuerySet":
        return self.filter(archived_at__isnull=True)

    def visible_to(self, membership: Membership) -> "ResourceQuerySet":
        """The current resources the member may open across the clinic: for clinical
        staff, the whole library; for a guardian, those shared with one of their children
        (what else fits a child is suggested by ``access.for_families``); else none."""
        org = self.filter(organization_id=membership.organization_id).current()
        if membership.role in CLINICAL_ROLES:
            return org
        if membership.role == Role.GUARDIAN:
            shared = ResourceAssignment.objects.visible_to(membership)
            return org.filter(Exists(shared.filter(resource=OuterRef("pk"))))
        return org.none()


class Resource(TandemModel):
    """A handout, a written page or a video link the team offers families."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    summary = models.CharField(
        _("in one sentence"),
        max_length=300,
        blank=True,
        help_text=_("What it is and who it helps."),
    )
    body = models.TextField(_("text"), max_length=20000, blank=True)
    url = models.CharField(_("video link"), max_length=500, blank=True, validators=[WEB_LINK])
    # Stored under MEDIA_ROOT/private (never served by the web server); read through the
    # file view, which goes through the access layer.
    file = models.FileField(_("file"), upload_to=resource_file_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=10, blank=True)  # "png", "jpeg" or "pdf", sniffed
    min_age_months = models.PositiveSmallIntegerField(
        _("from age (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("to age (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    archived_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ResourceQuerySet.as_manager()

    # Set for a family's list by ``access.for_families`` (not stored): the assignments that
    # shared it, whether any did, and the names of the children it is for.
    shares: list["ResourceAssignment"]
    shared: bool
    for_children: list[str]

    class Meta:
        ordering = ["title", "created_at"]
        indexes = [
            # The library and "for you": an organization's current resources.
            models.Index(fields=["organization", "archived_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age_months__isnull=True)
                | Q(max_age_months__isnull=True)
                | Q(min_age_months__lte=models.F("max_age_months")),
                name="resource_age_range_in_order",
                violation_error_message=_("The upper age must not be below the lower age."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.file_type in ("png", "jpeg")

    def fits_age(self, months: int) -> bool:
        low = self.min_age_months if self.min_age_months is not None else 0
        high = self.max_age_months if self.max_age_months is not None else MAX_AGE_MONTHS
        return low <= months <= high


class ResourceTag(TandemModel):
    """One domain a resource is about (fine motor, communication …)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")
    domain = models.CharField(max_length=30, choices=Domain.choices)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "domain"], name="one_tag_per_domain"),
        ]
        indexes = [
            # "For you": resources about the domains of a child's plan.
            models.Index(fields=["organization", "domain"]),
        ]

    def __str__(self) -> str:
        return self.get_domain_display()


class ResourceAssignmentQuerySet(models.QuerySet["ResourceAssignment"]):
    def visible_to(self, membership: Membership) -> "ResourceAssignmentQuerySet":
        """What was shared with the families of the children the member sees (clinical
        staff and guardians; nobody else). Narrow with ``for_child``."""
        if membership.role not in FAMILY_AND_CLINICAL_ROLES:
            return self.none()
        children = visible_children(membership).values("pk")
        return self.filter(organization_id=membership.organization_id, child__in=children)

    def for_child(self, child: Child) -> "ResourceAssignmentQuerySet":
        return self.filter(organization_id=child.organization_id, child=child)


class ResourceAssignment(TandemModel):
    """A resource shared with one child's family, optionally for one home activity."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="assignments")
    home_activity = models.ForeignKey(
        "homeprogram.HomeActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("for the home activity"),
    )
    note = models.CharField(
        _("a note for the family"), max_length=300, blank=True, help_text=_("Why it may help.")
    )
    assigned_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    objects = ResourceAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Shared once per child; attaching it to an activity changes that one row.
            models.UniqueConstraint(fields=["child", "resource"], name="one_share_per_child"),
        ]
        indexes = [
            # A family's shared resources.
            models.Index(fields=["organization", "child"]),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} for {self.child_id}"


class WorkshopQuerySet(models.QuerySet["Workshop"]):
    def visible_to(self, membership: Membership) -> "WorkshopQuerySet":
        """The clinic's workshops, for its clinical staff and families (nobody else)."""
        if membership.role not in FAMILY_AND_CLINICAL_ROLES:
            return self.none()
        return self.filter(organization_id=membership.organization_id)


class Workshop(TandemModel):
    """An event for families (e.g. a parent education evening) with a number of places."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("how long (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.CharField(
        _("online link"), max_length=500, blank=True, validators=[WEB_LINK]
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = WorkshopQuerySet.as_manager()

    # Set by the workshops page (not stored), from ``access.workshops_for``'s annotations.
    places_left: int

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            # Upcoming events of an organization.
            models.Index(fields=["organization", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class PlaceStatus(models.TextChoices):
    REGISTERED = "registered", _("Has a place")
    WAITLISTED = "waitlisted", _("On the waitlist")


class WorkshopRegistrationQuerySet(models.QuerySet["WorkshopRegistration"]):
    def visible_to(self, membership: Membership) -> "WorkshopRegistrationQuerySet":
        """A guardian's own places and waitlist turns; for clinical staff, every one of
        the clinic; for anyone else, none."""
        org = self.filter(organization_id=membership.organization_id)
        if membership.role == Role.GUARDIAN:
            return org.filter(guardian=membership)
        if membership.role in CLINICAL_ROLES:
            return org
        return org.none()


class WorkshopRegistration(TandemModel):
    """A guardian's place at a workshop, or their turn on its waitlist when it is full.

    The waitlist is served in the order families joined it (``created_at``). Giving up
    a place or leaving the waitlist sets ``cancelled_at``; the row stays.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    guardian = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.REGISTERED
    )
    # When a freed place went to this guardian from the waitlist (None: a place at once).
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = WorkshopRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One place (or one turn on the waitlist) per guardian per workshop at a time.
            models.UniqueConstraint(
                fields=["workshop", "guardian"],
                condition=Q(cancelled_at__isnull=True),
                name="one_place_per_guardian",
            ),
        ]
        indexes = [
            # Places taken at a workshop (capacity) and a guardian's registrations.
            models.Index(fields=["organization", "workshop", "cancelled_at"]),
            # The waitlist in turn: a workshop's waiting rows by time of joining.
            models.Index(
                fields=["workshop", "status", "cancelled_at", "created_at"],
                name="workshop_waitlist_turn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} at {self.workshop_id} ({self.status})"

    @property
    def is_waitlisted(self) -> bool:
        return self.status == PlaceStatus.WAITLISTED
