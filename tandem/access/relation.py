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

import datetime
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, CharField, Exists, OuterRef, Subquery, Value
from django.db.models.expressions import Combinable

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

# The built visible-children queries of this process, by what shapes them: the member's
# id, role and clinic, and a collaborator's today. LRU: an entry is 12-60 kB of Python
# objects (an admin's to a therapist's), so at most ~8 MB; the members active lately.
_Key = tuple[uuid.UUID, str, uuid.UUID, datetime.date | None]
_Built = tuple[ChildQuerySet, ChildQuerySet]  # (the scope, the scope annotated)
_BUILT: OrderedDict[_Key, _Built] = OrderedDict()
_BUILT_MAX = 128
_LOCK = threading.Lock()
_PLAIN = "_tandem_plain_scope"
_KEY = "_tandem_scope_key"

# Within one reading request (GET, HEAD: nothing in it changes who sees whom), the scope
# used as a subquery is compiled into the first scoped query; at the second, the ids are
# read (one small query) and that and every further scoped query of the request filter on
# them: compiling the scope's Exists and grants into each query cost more than that query
# (issue 16). A therapist's only: their scope (seats and grants) is the one that costs; a
# guardian's (their links) or a collaborator's (their grants) compiles as fast as the
# list would, and an org-wide role's is the clinic. By key, as above: _UNREAD after the
# first use, then the ids, or None where the therapist sees more children than _IDS_MAX
# (a literal list that long is no saving).
_UNREAD: list[uuid.UUID] = []
_READ_IDS: ContextVar[dict[_Key, list[uuid.UUID] | None] | None] = ContextVar(
    "tandem_visible_ids", default=None
)
_IDS_MAX = 500


@contextmanager
def ids_read_once() -> Iterator[None]:
    """Around a reading request (tandem.access.middleware): the visible children's ids
    are read at the second scoped query and used by it and the others. Outside it
    (writes, tasks, commands, tests calling the code directly) every query holds the
    subquery."""
    token = _READ_IDS.set({})
    try:
        yield
    finally:
        _READ_IDS.reset(token)


def _ids_read(key: _Key | None, plain: ChildQuerySet) -> list[uuid.UUID] | None:
    read = _READ_IDS.get()
    if read is None or key is None:
        return None
    if key not in read:  # the first scoped query of the request: the subquery
        read[key] = _UNREAD
        return None
    if read[key] is _UNREAD:
        ids = list(plain.values_list("pk", flat=True)[: _IDS_MAX + 1])
        read[key] = ids if len(ids) <= _IDS_MAX else None
    return read[key]


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


class _Scope(ChildQuerySet):
    """What ``visible_children`` hands out. Asked straight away for ``values("pk")`` (the
    scope as a subquery, as the apps' ``visible_to`` use it), it gives the same filter
    without the relation's annotations: they select nothing there and cost resolving
    and relabelling on every use. Anything else, or ``values`` after another call (a
    filter on an annotation, ``.active()``), is ChildQuerySet's own: the shortcut is on
    the handed-out object only (Django's clones do not copy it). In a reading request
    (``ids_read_once``) of a member who sees few children, it is, from the second such
    use on, the list of their ids, read once for the request."""

    def values(self, *fields: str | Combinable, **expressions: Any) -> Any:
        plain = self.__dict__.get(_PLAIN)
        if plain is not None and fields == ("pk",) and not expressions:
            ids = _ids_read(self.__dict__.get(_KEY), plain)
            return plain.values("pk") if ids is None else ids
        return super().values(*fields, **expressions)

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop(_PLAIN, None)  # a pickled scope is its rows; the shortcut is not kept
        state.pop(_KEY, None)
        return state


def visible_children(membership: Membership) -> ChildQuerySet:
    """The children this member may see, each annotated with their relation to them.

    Built once per key in a process and cloned after: building the annotated query (the
    Exists and Subquery expressions) cost about as much as running it, and a token's
    request loads a new membership each time. The clone is unevaluated, so each use reads
    the database as it is then (seats, links, consents, grants and the archive are rows
    the query reads when it runs; an emergency grant's hour is the clock's when it runs).
    The query is built from a stand-in holding only the key's fields, so nothing else of
    the membership can shape it: the key is all it depends on.
    """
    # A collaborator's consents end on a date: their query holds today's.
    today = clock.today() if membership.role == Role.COLLABORATOR else None
    key: _Key = (membership.pk, str(membership.role), membership.organization_id, today)
    with _LOCK:
        built = _BUILT.get(key)
        if built is not None:
            _BUILT.move_to_end(key)
    if built is None:
        stand_in = Membership(pk=key[0], role=key[1], organization_id=key[2])
        built = _visible_children(stand_in)
        if today is None or clock.today() == today:  # not built across a midnight
            with _LOCK:
                _BUILT[key] = built
                while len(_BUILT) > _BUILT_MAX:
                    _BUILT.popitem(last=False)
    plain, annotated = built
    scope = annotated.all()
    scope.__dict__[_PLAIN] = plain
    if membership.role == Role.THERAPIST:  # the costly scope to compile (seats, grants)
        scope.__dict__[_KEY] = key
    return scope


def forget_built() -> None:
    """Drop the kept queries (tests that count how often one is built)."""
    with _LOCK:
        _BUILT.clear()


def _visible_children(membership: Membership) -> _Built:
    """The scope (no annotations) and the same scope annotated with the relation."""
    org = membership.organization_id
    children: ChildQuerySet = _Scope(model=Child).filter(organization_id=org)
    no_seat = Value(None, output_field=CharField())
    flags: dict[str, Any] = {
        "rel_guardian": _false(),
        "rel_legal": _false(),
        "rel_emergency": _false(),
    }
    flags |= {f"rel_{scope}": _false() for scope in SCOPES}
    if membership.role in ORG_WIDE_ROLES:
        editor = Value(membership.role == Role.ADMIN, output_field=BooleanField())
        return children, children.annotate(can_edit=editor, rel_seat=no_seat, **flags)
    if membership.role == Role.THERAPIST:
        seats = CareTeamMember.objects.filter(
            organization_id=org, child=OuterRef("pk"), therapist=membership
        )
        # The grants' subquery reads the clock when it runs: a grant ends at its hour even
        # for this query built before (the key needs no time). One IN over the union of
        # the seats' and the grants' children, not "EXISTS(seat) OR IN (grants)": an OR of
        # two subqueries cannot become a join, so PostgreSQL ran the EXISTS for every child
        # of the clinic (19 ms to count a caseload of 86 among 20,000; 1.4 ms as a union).
        own = CareTeamMember.objects.filter(organization_id=org, therapist=membership)
        either = own.values("child_id").order_by().union(opened_in_emergency(membership).order_by())
        scope = children.filter(pk__in=either)
        return scope, scope.annotate(
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
        scope = children.filter(Exists(links))
        return scope, scope.annotate(can_edit=_false(), rel_seat=no_seat, **flags)
    if membership.role == Role.COLLABORATOR:
        flags |= {f"rel_{scope}": consent_covers(membership, scope) for scope in SCOPES}
        scope = children.filter(consent_covers(membership, *SCOPES))
        return scope, scope.annotate(can_edit=_false(), rel_seat=no_seat, **flags)
    scope = children.none()
    return scope, scope.annotate(can_edit=_false(), rel_seat=no_seat, **flags)


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
