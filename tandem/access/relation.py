"""How a membership relates to a child, computed for every visible child in one query.

``visible_children(membership)`` is the one scope of children: the clinic's admins,
front desk and billing see every child of their organization; a therapist, the children
whose care team they are on (in any seat), and those they hold an active emergency access
to (``tandem.emergency``: read only, for a few hours); a guardian, their own children; a
collaborator, the children a guardian's active consent shares (any part) with them; nobody,
a child of another organization. Each child comes annotated with the member's relation to
it, so a rule check after it costs no query:

- ``can_edit``: admin, or a lead/treating seat on the care team (a clinical editor);
- ``rel_seat``: the therapist's care-team seat (lead, treating, consulting) or None;
- ``rel_emergency``: a therapist sees the child through an emergency access, not a seat;
- ``rel_guardian`` / ``rel_legal``: a guardian of the child / with legal authority;
- ``rel_<scope>``: a collaborator's active consent shares that part of the record.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, CharField, Exists, OuterRef, Q, Subquery, Value

from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember, Child, ChildQuerySet, GuardianLink, TeamRole
from tandem.consent.models import Scope, consent_covers
from tandem.core import clock
from tandem.core.access import not_found
from tandem.emergency.models import opened_in_emergency

# Roles that see every child of their organization without a seat or a link.
ORG_WIDE_ROLES = frozenset({Role.ADMIN, Role.FRONT_DESK, Role.BILLING})
EDITING_SEATS = (TeamRole.LEAD, TeamRole.TREATING)
SCOPES = tuple(str(s) for s in Scope)
_RELATION = "_tandem_relation"


@dataclass(frozen=True)
class Relation:
    """What one member is to one child (see the module docstring)."""

    role: str
    visible: bool
    seat: str | None = None
    guardian: bool = False
    legal: bool = False
    scopes: frozenset[str] = frozenset()
    # A therapist off the care team, reading through an emergency access (read only).
    emergency: bool = False

    @property
    def admin(self) -> bool:
        return self.visible and self.role == Role.ADMIN

    @property
    def editor(self) -> bool:
        """A clinical editor: an admin, or a lead/treating therapist on the care team."""
        return self.admin or (self.visible and self.seat in EDITING_SEATS)

    @property
    def on_team(self) -> bool:
        """An admin, or a therapist on the care team in any seat or with an emergency
        access: they read what the team reads; they edit only from an editing seat."""
        return self.admin or (self.visible and (self.seat is not None or self.emergency))


NOT_RELATED = Relation(role="", visible=False)


def _false() -> Value:
    return Value(False, output_field=BooleanField())


def visible_children(membership: Membership) -> ChildQuerySet:
    """The children this member may see, each annotated with their relation to them.

    Built once per membership object (a request loads its own) and cloned after: a page
    scopes several queries by it, and building the annotated query (the Exists and
    Subquery expressions) cost about as much as running it. The clone is unevaluated, so
    each use reads the database as it is then; the key holds what shapes the query.
    """
    # A collaborator's consents end on a date: their query holds today's.
    today = clock.today() if membership.role == Role.COLLABORATOR else None
    key = (membership.pk, membership.role, membership.organization_id, today)
    built = membership.__dict__.get("_visible_children")
    if built is None or built[0] != key:
        built = (key, _visible_children(membership))
        membership.__dict__["_visible_children"] = built
    return built[1].all()


def _visible_children(membership: Membership) -> ChildQuerySet:
    org = membership.organization_id
    children = Child.objects.filter(organization_id=org)
    no_seat = Value(None, output_field=CharField())
    flags: dict[str, Any] = {
        "rel_guardian": _false(),
        "rel_legal": _false(),
        "rel_emergency": _false(),
    }
    flags |= {f"rel_{scope}": _false() for scope in SCOPES}
    if membership.role in ORG_WIDE_ROLES:
        editor = Value(membership.role == Role.ADMIN, output_field=BooleanField())
        return children.annotate(can_edit=editor, rel_seat=no_seat, **flags)
    if membership.role == Role.THERAPIST:
        seats = CareTeamMember.objects.filter(
            organization_id=org, child=OuterRef("pk"), therapist=membership
        )
        # The grants' subquery reads the clock when it runs: a grant ends at its hour even
        # for this query built before (the key needs no time).
        emergency = Q(pk__in=opened_in_emergency(membership))
        return children.filter(Q(Exists(seats)) | emergency).annotate(
            can_edit=Exists(seats.filter(role__in=EDITING_SEATS)),
            rel_seat=Subquery(seats.order_by("role").values("role")[:1]),
            **(flags | {"rel_emergency": ~Exists(seats)}),
        )
    if membership.role == Role.GUARDIAN:
        links = GuardianLink.objects.filter(
            organization_id=org, child=OuterRef("pk"), guardian=membership
        )
        flags |= {
            "rel_guardian": Value(True, output_field=BooleanField()),
            "rel_legal": Exists(links.filter(has_legal_authority=True)),
        }
        return children.filter(Exists(links)).annotate(can_edit=_false(), rel_seat=no_seat, **flags)
    if membership.role == Role.COLLABORATOR:
        flags |= {f"rel_{scope}": consent_covers(membership, scope) for scope in SCOPES}
        return children.filter(consent_covers(membership, *SCOPES)).annotate(
            can_edit=_false(), rel_seat=no_seat, **flags
        )
    return children.none().annotate(can_edit=_false(), rel_seat=no_seat, **flags)


def get_visible_child(membership: Membership, child_id: uuid.UUID | str) -> Child:
    """A child this member may see and that is not archived, else 404."""
    try:
        return visible_children(membership).get(pk=child_id, archived_at__isnull=True)
    except (Child.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def _from_annotations(membership: Membership, child: Child) -> Relation:
    values = child.__dict__
    return Relation(
        role=membership.role,
        visible=True,
        seat=values.get("rel_seat"),
        emergency=bool(values.get("rel_emergency")),
        guardian=bool(values.get("rel_guardian")),
        legal=bool(values.get("rel_legal")),
        scopes=frozenset(s for s in SCOPES if values.get(f"rel_{s}")),
    )


def relation_of(membership: Membership, child: Child | None) -> Relation:
    """The member's relation to the child: from the annotations of a child loaded through
    ``visible_children`` (no query), else one query, remembered on the instance."""
    if child is None:
        return Relation(role=membership.role, visible=False)
    cached = child.__dict__.get(_RELATION)
    if cached is not None and cached[0] == membership.pk:
        return cached[1]
    if child.organization_id != membership.organization_id:
        relation = NOT_RELATED
    elif "rel_seat" in child.__dict__:
        relation = _from_annotations(membership, child)
    else:
        found = visible_children(membership).filter(pk=child.pk).first()
        relation = NOT_RELATED if found is None else _from_annotations(membership, found)
        if found is not None:
            # As if loaded through visible_children: the annotation, on this instance.
            child.__dict__["can_edit"] = found.can_edit
    child.__dict__[_RELATION] = (membership.pk, relation)
    return relation
