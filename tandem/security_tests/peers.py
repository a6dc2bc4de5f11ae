"""Two peers of every role in one clinic, the other clinic's people, and what each may never
see: the world the security suite fuzzes in.

The authorization matrix's world (``core.testing.matrix``) gives one member of each role
and records for Maya (``child``), Noah (``other_child``, another family of the clinic) and
Zara (``foreign_child``, another clinic). Here each role gets a **peer** in the same clinic
whose own child is the other one: the lead therapist of Maya and the lead of Noah, Maya's
parent and Noah's, two assistants, two collaborators with different consents, two admins,
two at the front desk, two in billing. Each identity's own child, its peer's child and the
third child fill the path parameters, so every operation is tried on one's own records, on
the peer's and on another clinic's.

What an identity may see comes from the access kernel (``tandem.access.visible_children``),
the same scope the product uses: an answer that names any other child (id or name), any
record of theirs (the ids the matrix fills paths with) or a guardian of theirs is a
cross-identity read.
"""

import datetime
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client

from tandem.access import visible_children
from tandem.accounts.models import Licence, Membership, Organization
from tandem.api.tests.conftest import bearer, make_token
from tandem.children.models import Child, TeamRole
from tandem.consent.models import ConsentGrant
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.core.testing.matrix import FILLERS, build_matrix_world
from tandem.core.testing.matrix.rules import API_ORG_FILLERS, OBJECT_FILLERS, Touch

API_PREFIX = "/api/v1"

# Each role's two peers (attributes of the world), then the other clinic's people.
PEERS: dict[str, tuple[str, str]] = {
    "admin": ("admin", "admin_peer"),
    "therapist": ("therapist", "unassigned_therapist"),
    "assistant": ("assistant", "assistant_peer"),
    "guardian": ("guardian", "other_guardian"),
    "collaborator": ("collaborator_peer", "consented_collaborator"),
    "front_desk": ("front_desk", "front_desk_peer"),
    "billing": ("billing", "billing_peer"),
}
FOREIGN = ("foreign_admin", "foreign_therapist", "foreign_guardian")
# Operations that show clinic staff families beyond their own caseload, by design: who has
# a place at a clinic's workshop (the guardian's name, never a child).
FAMILIES_SHOWN_TO_STAFF = {("GET", "/workshop-registrations")}


@dataclass(frozen=True)
class Identity:
    """One caller: who they are, their own child and their peer's, and their credentials."""

    name: str
    membership: Membership
    own: Child
    peer: Child
    elsewhere: Child  # the third child: Zara for the clinic's people, Noah for the other's
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    hidden: frozenset[uuid.UUID] = frozenset()  # children they may not see
    secrets: tuple[str, ...] = ()  # ids and names of those children and their records
    families: tuple[str, ...] = ()  # ids and names of guardians of those children only

    def never_shown(self, method: str, path: str) -> tuple[str, ...]:
        """What an answer to this operation may never contain for them."""
        if (method, path) in FAMILIES_SHOWN_TO_STAFF and self.membership.is_staff_member:
            return self.secrets
        return self.secrets + self.families

    def __str__(self) -> str:
        return self.name


def build_peer_world() -> Any:
    """The matrix's world plus a peer for each role whose own child is Noah (or Maya)."""
    world = build_matrix_world()
    add_peers(world)
    return world


def add_peers(world: Any) -> None:
    """Give each role of the world's clinic a second member (see ``PEERS``), and note the
    records of the three children the matrix populates (``world.records``)."""
    # Some of the matrix's fillers make their record on first use: made once, here, so
    # every example names the same records.
    world.records = {
        child.pk: records_of(child)
        for child in (world.child, world.other_child, world.foreign_child)
    }
    org = world.org
    world.admin_peer = f.AdminFactory(organization=org)
    world.assistant_peer = f.TherapistFactory(
        organization=org,
        discipline="pt",
        licence=Licence.ASSISTANT,
        supervisor=world.unassigned_therapist,
    )
    f.CareTeamMemberFactory(
        child=world.other_child, therapist=world.assistant_peer, role=TeamRole.TREATING
    )
    # Maya's parent shares everything with a speech coach; Noah's shared everything with
    # the class teacher (``consented_collaborator``), who also has Maya's summary.
    world.collaborator_peer = f.CollaboratorFactory(organization=org, title="Speech coach")
    ConsentGrant.objects.create(
        organization=org,
        child=world.child,
        collaborator=world.collaborator_peer,
        granted_by=world.guardian,
        role_title="Speech coach",
        can_see_summary=True,
        can_post_observations=True,
        can_read_notes=True,
        expires_on=clock.today_for(org) + datetime.timedelta(days=90),
    )
    world.front_desk_peer = f.MembershipFactory(organization=org, role="front_desk")
    world.billing_peer = f.MembershipFactory(organization=org, role="billing")


def identities(world: Any) -> list[Identity]:
    """Every caller the suite fuzzes as, each with its own credentials."""
    maya, noah, zara = world.child, world.other_child, world.foreign_child
    callers = []
    for first, second in PEERS.values():
        # The first of each pair has Maya as their own child; the second has Noah.
        callers.append(_identity(world, first, maya, noah, zara))
        callers.append(_identity(world, second, noah, maya, zara))
    callers += [_identity(world, name, zara, maya, noah) for name in FOREIGN]
    return callers


def _identity(world: Any, name: str, own: Child, peer: Child, elsewhere: Child) -> Identity:
    membership: Membership = getattr(world, name)
    headers, cookies = credentials(membership)
    hidden = hidden_children(world, membership)
    return Identity(
        name=name,
        membership=membership,
        own=own,
        peer=peer,
        elsewhere=elsewhere,
        headers=headers,
        cookies=cookies,
        hidden=frozenset(c.pk for c in hidden),
        secrets=tuple(sorted(secrets_of(world, hidden))),
        families=tuple(sorted(families_of(world, hidden))),
    )


def credentials(membership: Membership) -> tuple[dict[str, str], dict[str, str]]:
    """Staff call with a personal API token of their own (read and change); everyone
    else with a signed-in session and its CSRF token (API tokens are for staff only)."""
    if membership.is_staff_member:
        return bearer(make_token(membership)), {}
    from tandem.conftest import sign_in

    client = sign_in(Client(), membership)
    csrf = secrets.token_hex(16)  # a CSRF secret is 32 characters; the cookie holds it
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    return {"X-CSRFToken": csrf}, cookies


def world_children(world: Any) -> list[Child]:
    return [world.child, world.sibling, world.other_child, world.foreign_child]


def hidden_children(world: Any, membership: Membership) -> list[Child]:
    """The world's children this member may not see, by the access kernel's own scope."""
    seen = set(visible_children(membership).values_list("pk", flat=True))
    return [c for c in world_children(world) if c.pk not in seen]


def secrets_of(world: Any, hidden: list[Child]) -> set[str]:
    """Each hidden child's id and name, and the ids of their records."""
    found: set[str] = set()
    for child in hidden:
        found |= {str(child.pk), child.display_name}
        found |= {str(record) for record in world.records.get(child.pk, {}).values()}
    return found


def families_of(world: Any, hidden: list[Child]) -> set[str]:
    """The ids and names of the guardians of hidden children who are not also guardians of
    a child the member sees."""
    found: set[str] = set()
    shown = set(world_children(world)) - set(hidden)
    for child in hidden:
        for link in child.guardian_links.all():
            if not link.guardian.guardian_links.filter(child__in=shown).exists():
                found |= {str(link.guardian.pk), link.guardian.display_name}
    found.discard("")
    return found


def records_of(child: Child) -> dict[str, uuid.UUID]:
    """The ids the matrix fills paths with, for a child it populates."""
    found = {}
    for name, filler in FILLERS.items():
        value = filler(child)
        if isinstance(value, uuid.UUID):
            found[name] = value
    return found


# --- Path parameters: one's own records, the peer's, a mix, and elsewhere ------------


@dataclass(frozen=True)
class Target:
    """Values for an operation's path parameters, and what they point at."""

    kind: str  # own, peer, mixed, elsewhere, own_org, other_org, touch, none
    path_parameters: dict[str, str]
    children: tuple[Child, ...] = ()  # the children the records belong to
    objects_of: Child | None = None  # whose records fill the parameters besides child_id
    other_org: bool = False

    def __repr__(self) -> str:
        return f"{self.kind}:{self.path_parameters}"


def _names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _filled(world: Any, path: str, child: Child, objects_of: Child) -> dict[str, str]:
    values = {"child_id": str(child.pk)}
    records = world.records[objects_of.pk]
    for name in _names(path):
        if name != "child_id":
            assert name in records, f"{path}: the matrix does not fill {{{name}}}"
            values[name] = str(records[name])
    return values


def targets(world: Any, identity: Identity, path: str) -> list[Target]:
    """The path parameters to try an operation with, as this identity (``path`` is
    relative to /api/v1)."""
    names = _names(path)
    if not names:
        return [Target("none", {})]
    if "child_id" in names:
        own, peer, elsewhere = identity.own, identity.peer, identity.elsewhere
        found = [
            Target("own", _filled(world, path, own, own), (own,), own),
            Target("peer", _filled(world, path, peer, peer), (peer,), peer),
            Target(
                "elsewhere", _filled(world, path, elsewhere, elsewhere), (elsewhere,), elsewhere
            ),
        ]
        if len(names) > 1:  # the peer's record under one's own child
            found.append(Target("mixed", _filled(world, path, own, peer), (own, peer), peer))
        return found
    touching = [name for name in names if name in OBJECT_FILLERS]
    if touching:
        touches: list[Touch] = OBJECT_FILLERS[touching[0]](world)
        return [Target("touch", {touching[0]: str(t.id)}, tuple(t.children)) for t in touches]
    own_org: Organization = identity.membership.organization
    other_org = world.foreign_org if own_org.pk == world.org.pk else world.org
    return [
        Target("own_org", _org_filled(path, own_org)),
        Target("other_org", _org_filled(path, other_org), other_org=True),
    ]


def _org_filled(path: str, organization: Organization) -> dict[str, str]:
    values = {}
    for name in _names(path):
        assert name in API_ORG_FILLERS, f"{path}: the matrix does not fill {{{name}}}"
        values[name] = str(API_ORG_FILLERS[name](organization))
    return values


# --- Ids in bodies and queries that name a child's records ----------------------------


# Fields naming a record that belongs to one child: a body or query that names another
# child's record than the path's (or one the caller may not see) must not succeed.
CHILD_RECORD_FIELDS = (
    "child_id",
    "goal_id",
    "plan_id",
    "evaluation_id",
    "appointment_id",
    "home_activity_id",
)
# The same record under another name, per operation (the practice log's activity is the
# home activity, not the plan's COPM activity the matrix calls ``activity_id``).
FIELD_ALIASES: dict[str, dict[str, str]] = {
    "/children/{child_id}/practice-logs": {"activity_id": "home_activity_id"},
}
LIST_FIELDS = {"goal_ids": "goal_id", "child_ids": "child_id"}


def record_field(path: str, name: str) -> str | None:
    """The kind of child record a body or query field names, or None."""
    name = FIELD_ALIASES.get(path, {}).get(name, name)
    if name in CHILD_RECORD_FIELDS:
        return name
    return None


def record_id(world: Any, child: Child, kind: str) -> str:
    return str(child.pk if kind == "child_id" else world.records[child.pk][kind])


def all_record_ids(world: Any) -> list[str]:
    """Ids of records of every family and both clinics (children, members, the matrix's
    records, library items, workshops, rooms), to put into any parameter."""
    from tandem.appointments.models import Room
    from tandem.resources.models import Resource, Workshop

    ids = {str(c.pk) for c in world_children(world)}
    ids |= {str(i.membership.pk) for i in world.identities}
    ids |= {str(v) for records in world.records.values() for v in records.values()}
    for model in (Resource, Workshop, Room):
        ids |= {str(pk) for pk in model.objects.values_list("pk", flat=True)}
    return sorted(ids)


def workshop_ids() -> list[str]:
    """Every workshop's id, in both clinics."""
    from tandem.resources.models import Workshop

    return [str(pk) for pk in Workshop.objects.values_list("pk", flat=True)]
