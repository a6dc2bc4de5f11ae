"""Which resources, shares and workshops a member sees (scopes only; who may do what is
in ``rules.py``).

- the library: every current resource of the clinic (``Resource.objects.visible_to``
  gives it to clinical staff);
- families: "for you" — resources shared with their children, plus those that fit a
  child's age and the domains of the child's active plan, in the family's language;
- workshops with their places and waitlists; a guardian's own places, or the roster.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock
from tandem.plans.models import Goal, GoalStatus, PlanStatus

from .models import (
    PlaceStatus,
    Resource,
    ResourceAssignment,
    ResourceTag,
    Workshop,
    WorkshopRegistration,
)


def _get(queryset: QuerySet[Any], pk: uuid.UUID | str | None) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc


# --- Resources ---------------------------------------------------------------------


def tags_in(membership: Membership) -> QuerySet[ResourceTag]:
    return ResourceTag.objects.filter(organization_id=membership.organization_id)


def _with_tags(membership: Membership, resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.select_related("created_by__user").prefetch_related(
        Prefetch("tags", queryset=tags_in(membership))
    )


def library_for(membership: Membership) -> QuerySet[Resource]:
    """Every current resource of the organization, for clinical staff (none for others)."""
    return _with_tags(membership, Resource.objects.visible_to(membership))


def get_library_resource(membership: Membership, resource_id: uuid.UUID | str | None) -> Resource:
    """A current resource of the library (404 for anything else)."""
    return _get(library_for(membership), resource_id)


def months_old(child: Child, today: Any = None) -> int:
    years, months = child.age_on(today or clock.today())
    return years * 12 + months


def plan_domains(membership: Membership, children: list[Child]) -> dict[Any, set[str]]:
    """The domains of each child's active goals on active plans (one query)."""
    org = membership.organization_id
    rows = (
        Goal.objects.filter(
            organization_id=org,
            child_id__in=[c.id for c in children],
            plan__organization_id=org,
            plan__status=PlanStatus.ACTIVE,
            status=GoalStatus.ACTIVE,
        )
        .order_by()
        .values_list("child_id", "domain")
        .distinct()
    )
    domains: dict[Any, set[str]] = {c.id: set() for c in children}
    for child_id, domain in rows:
        domains[child_id].add(domain)
    return domains


def assignments_for(membership: Membership, children: list[Child]) -> QuerySet[ResourceAssignment]:
    """What was shared with these children's families (of the children the member sees)."""
    org = membership.organization_id
    return (
        ResourceAssignment.objects.visible_to(membership)
        .filter(child_id__in=[c.id for c in children])
        .filter(Q(home_activity__isnull=True) | Q(home_activity__organization_id=org))
        .select_related("home_activity", "assigned_by__user")
    )


def assignments_of(membership: Membership, child: Child) -> QuerySet[ResourceAssignment]:
    return assignments_for(membership, [child])


def get_assignment(
    membership: Membership, child: Child, assignment_id: uuid.UUID | str | None
) -> ResourceAssignment:
    return _get(assignments_of(membership, child), assignment_id)


def _fits(child: Child, months: int, domains: set[str]) -> Q:
    """Resources for a child of this age about one of these domains."""
    about = Exists(
        ResourceTag.objects.filter(
            organization_id=child.organization_id, resource=OuterRef("pk"), domain__in=domains
        )
    )
    return (
        (Q(min_age_months__isnull=True) | Q(min_age_months__lte=months))
        & (Q(max_age_months__isnull=True) | Q(max_age_months__gte=months))
        & Q(about)
    )


def for_families(
    membership: Membership, children: list[Child], language: str | None
) -> tuple[list[Resource], list[ResourceAssignment]]:
    """Resources shared with these children, and those that fit a child's age and plan.

    Each resource gets ``for_children`` (names of the children it is for), ``shares``
    (the assignments that shared it) and ``shared``. Suggestions are in ``language``
    (any language when None); what the team shared is shown whatever its language.
    Five queries, whatever the numbers.
    """
    if not children:
        return [], []
    shares = list(assignments_for(membership, children))
    domains = plan_domains(membership, children)
    fits = Q(pk__in=[s.resource_id for s in shares])
    today = clock.today()
    ages = {c.id: months_old(c, today) for c in children}
    for child in children:
        if domains[child.id]:
            fit = _fits(child, ages[child.id], domains[child.id])
            fits |= fit if language is None else Q(language=language) & fit
    org_resources = Resource.objects.filter(organization_id=membership.organization_id)
    resources = list(_with_tags(membership, org_resources.current().filter(fits)))
    names = {c.id: c.preferred_name or c.first_name for c in children}
    for resource in resources:
        tags = {t.domain for t in resource.tags.all()}
        mine = [s for s in shares if s.resource_id == resource.id]
        shared_with = {s.child_id for s in mine}
        suggested_for = {
            c.id
            for c in children
            if language in (None, resource.language)
            and resource.fits_age(ages[c.id])
            and tags & domains[c.id]
        }
        resource.shares = mine
        resource.shared = bool(mine)
        resource.for_children = [
            names[c.id] for c in children if c.id in shared_with | suggested_for
        ]
    resources.sort(key=lambda r: (not r.shared, r.title.casefold()))
    return resources, shares


def get_family_resource(
    membership: Membership, children: list[Child], language: str, resource_id: Any
) -> Resource:
    """A resource this guardian may open: shared with or suggested for one of their children."""
    try:
        wanted = uuid.UUID(str(resource_id))
    except ValueError as exc:
        raise not_found() from exc
    resources, _shares = for_families(membership, children, language)
    for resource in resources:
        if resource.id == wanted:
            return resource
    raise not_found()


# --- Workshops ---------------------------------------------------------------------


def waitlist_turn() -> Subquery:
    """A waitlisted row's number on its workshop's waitlist (1 is next), in the database.

    The waitlist is served by time of joining, ties broken by id (as ``waitlist_of``).
    """
    ahead = (
        WorkshopRegistration.objects.filter(
            organization_id=OuterRef("organization_id"),
            workshop=OuterRef("workshop"),
            status=PlaceStatus.WAITLISTED,
            cancelled_at__isnull=True,
        )
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("workshop")
        .annotate(turn=Count("pk"))
        .values("turn")
    )
    return Subquery(ahead)


def workshops_for(membership: Membership) -> QuerySet[Workshop]:
    """The organization's workshops with ``places_taken`` and ``waiting`` (how many are on
    the waitlist), and for the member ``registered`` (has a place) and ``waitlist_turn``
    (their number on the waitlist, or None)."""
    org = membership.organization_id
    mine = WorkshopRegistration.objects.filter(
        organization_id=org,
        workshop=OuterRef("pk"),
        guardian=membership,
        cancelled_at__isnull=True,
    )
    live = Q(registrations__cancelled_at__isnull=True, registrations__organization_id=org)
    return Workshop.objects.visible_to(membership).annotate(
        places_taken=Count(
            "registrations", filter=live & Q(registrations__status=PlaceStatus.REGISTERED)
        ),
        waiting=Count(
            "registrations", filter=live & Q(registrations__status=PlaceStatus.WAITLISTED)
        ),
        registered=Exists(mine.filter(status=PlaceStatus.REGISTERED)),
        waitlist_turn=Subquery(
            mine.filter(status=PlaceStatus.WAITLISTED)
            .annotate(turn=waitlist_turn())
            .values("turn")[:1]
        ),
    )


def upcoming_workshops(membership: Membership) -> QuerySet[Workshop]:
    """Workshops that have not ended (an event stays listed on its day)."""
    since = timezone.now() - timedelta(hours=12)
    return workshops_for(membership).filter(starts_at__gte=since)


def get_workshop(membership: Membership, workshop_id: Any) -> Workshop:
    return _get(workshops_for(membership), workshop_id)


def roster_of(membership: Membership, workshop: Workshop) -> QuerySet[WorkshopRegistration]:
    """Who has a place and who waits, in turn (every one for clinical staff)."""
    return (
        WorkshopRegistration.objects.visible_to(membership)
        .filter(workshop=workshop, cancelled_at__isnull=True)
        .select_related("guardian__user")
        .order_by("created_at", "pk")
    )


def registrations_of_member(membership: Membership) -> QuerySet[WorkshopRegistration]:
    """A guardian's own places and waitlist turns; for staff, every one in the organization.

    Each row has ``turn``: its number on the waitlist (None for a place).
    """
    org = membership.organization_id
    return (
        WorkshopRegistration.objects.visible_to(membership)
        .filter(cancelled_at__isnull=True, workshop__organization_id=org)
        .select_related("workshop", "guardian__user")
        .annotate(turn=Case(When(status=PlaceStatus.WAITLISTED, then=waitlist_turn())))
    )


def live_registrations(workshop: Workshop) -> QuerySet[WorkshopRegistration]:
    """Places and waitlist turns held at a workshop (used inside the registration lock)."""
    return WorkshopRegistration.objects.filter(
        organization_id=workshop.organization_id, workshop=workshop, cancelled_at__isnull=True
    )


def places_taken(workshop: Workshop) -> QuerySet[WorkshopRegistration]:
    """The places taken at a workshop: what counts against its capacity."""
    return live_registrations(workshop).filter(status=PlaceStatus.REGISTERED)


def waitlist_of(workshop: Workshop) -> QuerySet[WorkshopRegistration]:
    """The families waiting for a place, next first (by time of joining)."""
    return (
        live_registrations(workshop)
        .filter(status=PlaceStatus.WAITLISTED)
        .order_by("created_at", "pk")
    )


def turn_of(place: WorkshopRegistration) -> int | None:
    """A waitlisted row's number on the waitlist (one query); None for a place."""
    if not place.is_waitlisted:
        return None
    return (
        WorkshopRegistration.objects.filter(pk=place.pk, organization_id=place.organization_id)
        .annotate(turn=waitlist_turn())
        .values_list("turn", flat=True)
        .first()
    )
