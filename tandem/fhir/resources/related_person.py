"""RelatedPerson: a guardian's link to a child (``tandem.children`` GuardianLink)."""

from typing import Any

from tandem.accounts.models import Membership
from tandem.children.access import guardian_links_in
from tandem.children.models import GuardianLink, Relationship

from ..base import COMMON, Context, Spec, concept, meta, ref
from ..search import Param

ROLE_CODES = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
RELATIONSHIP: dict[str, str] = {
    Relationship.MOTHER: "MTH",
    Relationship.FATHER: "FTH",
    Relationship.PARENT: "PRN",
    Relationship.GRANDPARENT: "GRPRN",
    Relationship.FOSTER: "FSTPRN",
    Relationship.GUARDIAN: "GUARD",
}


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return guardian_links_in(membership).filter(child_id__in=child_ids or [])


def render(link: GuardianLink, ctx: Context) -> dict[str, Any]:
    user = link.guardian.user
    label = str(link.get_relationship_display())
    code = RELATIONSHIP.get(link.relationship)
    relationship = concept(ROLE_CODES, code, label) if code else {"text": label}
    telecom = [{"system": "email", "value": user.email}] if user.email else []
    if link.guardian.phone:
        telecom.append({"system": "phone", "value": link.guardian.phone})
    resource: dict[str, Any] = {
        "resourceType": "RelatedPerson",
        "id": str(link.pk),
        "meta": meta(link),
        "active": link.guardian.is_active,
        "patient": ref("Patient", link.child_id),
        "relationship": [relationship],
        "name": [{"text": link.guardian.display_name}],
    }
    if user.first_name or user.last_name:
        resource["name"][0] |= {"family": user.last_name, "given": [user.first_name]}
    if telecom:
        resource["telecom"] = telecom
    return resource


SPEC = Spec(
    type="RelatedPerson",
    actions=("children.team",),
    rows=rows,
    render=render,
    params=COMMON | {"patient": Param("reference", "child_id")},
    order=("child_id", "id"),
)
