"""A guardian's consent that one outside professional may see parts of one child's record.

A collaborator (a teacher, a pediatrician …) sees a child only through an active grant:
not revoked, and not past its last day. Each part of the record is shared separately
(the scope): the goals and progress summary, posting observations, signed session notes.
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization, Role
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.models import NoBulkWriteQuerySet, TandemModel


class Scope(models.TextChoices):
    """The parts of a child's record a guardian can share, each on its own."""

    SUMMARY = "summary", _("Goals and progress summary")
    OBSERVATIONS = "observations", _("Post observations")
    NOTES = "notes", _("Read session notes")


# Which boolean field of a grant allows each scope.
SCOPE_FIELDS = {
    Scope.SUMMARY: "can_see_summary",
    Scope.OBSERVATIONS: "can_post_observations",
    Scope.NOTES: "can_read_notes",
}
# The longest a guardian may share in one grant; they can grant again when it ends.
MAX_DURATION = datetime.timedelta(days=366)


class ConsentGrantQuerySet(NoBulkWriteQuerySet):
    """Named scopes for grants: ``visible_to(membership)`` is who sees which."""

    def visible_to(self, membership: Membership) -> "ConsentGrantQuerySet":
        """Every grant the member may see across the clinic: an admin, all of them; a
        guardian, those given for their children; a collaborator, those they hold while
        they last; anyone else, none. Narrow with ``for_child``."""
        # The kernel reads this module (consent_covers), so it is imported when used.
        from tandem.access import visible_children

        org = membership.organization_id
        if membership.role in (Role.ADMIN, Role.GUARDIAN):
            children = visible_children(membership).values("pk")
            return self.filter(organization_id=org, child__in=children)
        if membership.role == Role.COLLABORATOR:
            return self.held_by(membership).active()
        return self.none()

    def for_child(self, child: Child) -> "ConsentGrantQuerySet":
        return self.filter(organization_id=child.organization_id, child=child)

    def active(self, today: datetime.date | None = None) -> "ConsentGrantQuerySet":
        """Grants not revoked and not past their last day (the clinic's today)."""
        return self.filter(revoked_at__isnull=True, expires_on__gte=today or clock.today())

    def allowing(self, scope: str) -> "ConsentGrantQuerySet":
        return self.filter(**{SCOPE_FIELDS[Scope(scope)]: True})

    def held_by(self, membership: Membership) -> "ConsentGrantQuerySet":
        return self.filter(organization_id=membership.organization_id, collaborator=membership)


class ConsentGrant(TandemModel):
    """A guardian's consent: this collaborator may see these parts of this child's record."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consent_grants")
    collaborator = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="consent_grants"
    )
    granted_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    role_title = models.CharField(
        _("who they are to the child"),
        max_length=100,
        help_text=_("For example: class teacher, pediatrician, swimming coach."),
    )
    can_see_summary = models.BooleanField(_("goals and progress summary"), default=True)
    can_post_observations = models.BooleanField(
        _("post what they see (observations)"), default=False
    )
    can_read_notes = models.BooleanField(_("read session notes"), default=False)
    expires_on = models.DateField(_("share until"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Every grant and revocation is kept as a version: the audit trail shows them.
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ConsentGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A grant that shares nothing would be a consent to nothing.
            models.CheckConstraint(
                condition=Q(can_see_summary=True)
                | Q(can_post_observations=True)
                | Q(can_read_notes=True),
                name="consent_shares_something",
            ),
        ]
        indexes = [
            # Every collaborator request: "does this person hold an active grant for this child?"
            models.Index(fields=["organization", "collaborator", "child"]),
            # The guardian's sharing page lists a child's grants.
            models.Index(fields=["organization", "child", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.collaborator_id} may see {self.child_id} until {self.expires_on}"

    @property
    def scopes(self) -> list[str]:
        return [scope for scope, name in SCOPE_FIELDS.items() if getattr(self, name)]

    def allows(self, scope: str) -> bool:
        return bool(getattr(self, SCOPE_FIELDS[Scope(scope)]))

    def is_active(self, today: datetime.date | None = None) -> bool:
        return self.revoked_at is None and self.expires_on >= (today or clock.today())

    @property
    def is_expired(self) -> bool:
        return self.revoked_at is None and self.expires_on < clock.today()


def consent_covers(membership: Membership, *scopes: str, child: str = "pk") -> Exists:
    """True for rows whose child (the field ``child`` names) the collaborator holds an
    active grant for that allows any of ``scopes``. A subquery: it costs no extra query."""
    allows = Q()
    for scope in scopes:
        allows |= Q(**{SCOPE_FIELDS[Scope(scope)]: True})
    grants = ConsentGrant.objects.held_by(membership).active().filter(allows)
    return Exists(grants.filter(child=OuterRef(child)))
