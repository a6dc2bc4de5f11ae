"""Group: the groups of children Bulk Data exports by (``Group/[id]/$export``), read and
searched — a therapeutic group (``tandem.groups`` GroupProgram, ``Group/<program id>``)
or a therapist's caseload (``Group/caseload-<membership id>``).

Which groups a member may name, and their children, is ``tandem.fhir.groups``' answer
(the readers bulkdata uses too): no rule is copied here. A group's members are only the
children the member sees (``visible_children``), as on the group's own page. Families and
collaborators name no group (guardians find none; collaborators' scopes do not cover
the type: 404).

Search pages over the caseloads first (by name: a clinic has few therapists), then the
therapeutic groups (by name, in the database).
"""

import contextvars
import unicodedata
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict

from tandem.accounts.models import Membership
from tandem.groups.models import GroupKind, GroupProgram

from ..auth import Caller, scopes_for
from ..base import COMMON, Context, Page, Spec, identifier, instant, meta, ref
from ..groups import (
    CASELOAD,
    NAMERS,
    caseload_members,
    caseload_owners,
    named_programs,
    program_members,
)
from ..outcome import bad_request
from ..search import Param, filters

KINDS = "urn:tandem:group-kind"
# R4's group-type codes: a search by one but ``person`` finds nothing (not 400).
GROUP_TYPES = ("person", "animal", "practitioner", "device", "medication", "substance")
# The member whose caseloads a page lists (set by ``rows``, read by the page and fetch).
_READER: contextvars.ContextVar[Membership | None] = contextvars.ContextVar(
    "fhir_group_reader", default=None
)


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    # The scopes are a ceiling for the caseloads too (``rows_for`` empties these rows only).
    in_scope = Caller(membership, scopes_for(membership)).may_read("Group")
    _READER.set(membership if in_scope else None)
    return named_programs(membership)


def _fold(text: str) -> str:
    """Compared as FHIR string parameters are: without case or accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _caseload_name(therapist: Membership) -> str:
    return f"Caseload of {therapist.display_name}"


def _name(value: str) -> Q:
    return Q(name__istartswith=value)


def _type(value: str) -> Q:
    """Every group is a group of persons (the children): ``type=person`` is all of them."""
    if value not in GROUP_TYPES:
        raise bad_request(
            f"'{value}' is not a value of type (use one of: {', '.join(GROUP_TYPES)})."
        )
    return Q(pk__isnull=value != "person")  # not Q(): "animal,person" would be none


def _caseloads(params: QueryDict) -> list[Membership]:
    """The caseloads the reader may name that the search asks for (by id, name, type and
    the therapist's last update: a caseload's ``meta.lastUpdated``)."""
    membership = _READER.get()
    if membership is None:
        return []
    for value in params.getlist("type"):
        if "person" not in (one.split("|")[-1] for one in value.split(",")):
            return []
    updated = QueryDict(mutable=True)
    updated.setlist("_lastUpdated", params.getlist("_lastUpdated"))
    owners = caseload_owners(membership).filter(filters(updated, COMMON))
    found = list(owners.select_related("user"))
    for value in params.getlist("_id"):
        wanted = {
            one.removeprefix(CASELOAD) for one in value.split(",") if one.startswith(CASELOAD)
        }
        found = [t for t in found if str(t.pk) in wanted]
    for value in params.getlist("name"):
        starts = [_fold(one) for one in value.split(",")]
        found = [t for t in found if any(_fold(_caseload_name(t)).startswith(s) for s in starts)]
    return sorted(found, key=lambda t: (_fold(_caseload_name(t)), str(t.pk)))


def _with_members(items: list[Any]) -> list[Any]:
    """Each group with the children the reader sees in it (two queries at most)."""
    membership = _READER.get()
    therapists = [i.pk for i in items if isinstance(i, Membership)]
    programs = [i.pk for i in items if isinstance(i, GroupProgram)]
    seen: dict[Any, list[Any]] = {}
    if membership is not None and therapists:
        seen |= caseload_members(membership, therapists)
    if membership is not None and programs:
        seen |= program_members(membership, programs)
    for item in items:
        item.fhir_members = seen.get(item.pk, [])
    return items


def page(
    rows: QuerySet[Any], order: tuple[str, ...], offset: int, count: int, params: QueryDict
) -> Page:
    caseloads = _caseloads(params)
    total = len(caseloads) + rows.count()
    items: list[Any] = caseloads[offset : offset + count]
    if len(items) < count:
        start = max(0, offset - len(caseloads))
        items += list(rows.order_by(*order)[start : start + count - len(items)])
    return Page(total, _with_members(items))


def fetch(rows: QuerySet[Any], resource_id: str) -> Any:
    membership = _READER.get()
    try:
        key = uuid.UUID(resource_id.removeprefix(CASELOAD))
    except ValueError:
        return None
    if resource_id.startswith(CASELOAD):
        owners = caseload_owners(membership) if membership is not None else None
        found = None if owners is None else owners.select_related("user").filter(pk=key).first()
    else:
        found = rows.filter(pk=key).first()
    return None if found is None else _with_members([found])[0]


def _members(item: Any) -> dict[str, Any]:
    children = getattr(item, "fhir_members", [])
    found: dict[str, Any] = {"quantity": len(children)}
    if children:
        found["member"] = [{"entity": ref("Patient", pk), "inactive": False} for pk in children]
    return found


def _render_caseload(therapist: Membership) -> dict[str, Any]:
    group_id = f"{CASELOAD}{therapist.pk}"
    return {
        "resourceType": "Group",
        "id": group_id,
        "meta": {"lastUpdated": instant(therapist.updated_at)},
        "identifier": identifier(group_id),
        "active": therapist.is_active,
        "type": "person",
        "actual": True,
        "code": {"text": "Caseload"},
        "name": _caseload_name(therapist),
        "managingEntity": ref("Practitioner", therapist.pk, therapist.display_name),
    } | _members(therapist)


def _render_program(program: GroupProgram) -> dict[str, Any]:
    kind = str(GroupKind(program.kind).label) if program.kind in GroupKind.values else program.kind
    return {
        "resourceType": "Group",
        "id": str(program.pk),
        "meta": meta(program),
        "identifier": identifier(program.pk),
        "active": program.closed_at is None,
        "type": "person",
        "actual": True,
        "code": {"text": "Therapeutic group"},
        "name": program.name,
        "managingEntity": ref("Practitioner", program.leader_id, program.leader.display_name),
        "characteristic": [
            {
                "code": {"text": "Kind of group"},
                "valueCodeableConcept": {
                    "coding": [{"system": KINDS, "code": program.kind, "display": kind}],
                    "text": kind,
                },
                "exclude": False,
            }
        ],
    } | _members(program)


def render(item: Any, ctx: Context) -> dict[str, Any]:
    if isinstance(item, Membership):
        return _render_caseload(item)
    return _render_program(item)


SPEC = Spec(
    type="Group",
    actions=None,
    rows=rows,
    render=render,
    params={
        "_id": Param("id", "pk"),  # a caseload's id is no program's: the page finds it
        "name": Param("token", "name", custom=_name, declared="string"),
        "type": Param("token", "pk", custom=_type),
        "_lastUpdated": COMMON["_lastUpdated"],  # a caseload's: its therapist's
    },
    order=("name", "id"),
    child_attr=None,
    page=page,
    fetch=fetch,
    roles=NAMERS,
)
