"""Practitioner and PractitionerRole: the clinic's clinical staff (``tandem.accounts``
members the caller may list: ``members_visible_to``), with their NPI where billing stores
one (``tandem.billing.access.provider_numbers``) and their discipline as the role's
specialty."""

from typing import Any

from tandem.accounts.access import members_visible_to
from tandem.accounts.models import STAFF_ROLES, Membership, Role
from tandem.billing.access import provider_numbers

from ..base import COMMON, Context, Spec, identifier, meta, ref
from ..search import Param

DISCIPLINES = "urn:tandem:discipline"
NPI = "http://hl7.org/fhir/sid/us-npi"
ROLE_CODES = "http://terminology.hl7.org/CodeSystem/practitioner-role"
# Who reads the clinic's staff: the members_visible_to reader lists them to these.
READERS = frozenset({Role.ADMIN, Role.THERAPIST, Role.FRONT_DESK})


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return members_visible_to(membership).filter(role__in=STAFF_ROLES)


def _discipline(member: Membership) -> dict[str, Any]:
    label = str(member.get_discipline_display())
    coding = {"system": DISCIPLINES, "code": member.discipline, "display": label}
    return {"coding": [coding], "text": label}


def render(member: Membership, ctx: Context) -> dict[str, Any]:
    user = member.user
    name: dict[str, Any] = {"text": member.display_name}
    if user.first_name or user.last_name:
        name |= {"family": user.last_name, "given": [user.first_name]}
    identifiers = identifier(member.pk)
    number = ctx.once("npis", lambda: provider_numbers(ctx.membership)).get(member.pk)
    if number is not None and number.npi:
        identifiers.append({"system": NPI, "value": number.npi})
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(member.pk),
        "meta": meta(member),
        "identifier": identifiers,
        "active": member.is_active,
        "name": [name],
    }
    if member.discipline:
        resource["qualification"] = [{"code": _discipline(member)}]
    return resource


def render_role(member: Membership, ctx: Context) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": str(member.pk),
        "meta": meta(member),
        "active": member.is_active,
        "practitioner": ref("Practitioner", member.pk, member.display_name),
        "organization": ref("Organization", member.organization_id),
        "code": [{"text": str(member.get_role_display())}],
    }
    if member.discipline:
        resource["specialty"] = [_discipline(member)]
    return resource


PARAMS = COMMON | {"active": Param("token", "is_active", codes={"true": True, "false": False})}
SPEC = Spec(
    type="Practitioner",
    actions=None,
    rows=rows,
    render=render,
    params=PARAMS,
    child_attr=None,
    roles=READERS,
)
ROLE_SPEC = Spec(
    type="PractitionerRole",
    actions=None,
    rows=rows,
    render=render_role,
    params=PARAMS
    | {
        "practitioner": Param("reference", "pk", target="Practitioner"),
        "specialty": Param("token", "discipline"),
    },
    child_attr=None,
    roles=READERS,
)
