"""Organization: the caller's own clinic (``tandem.accounts``), never another."""

from typing import Any

from tandem.accounts.access import own_organization
from tandem.accounts.models import Membership, Organization, Role

from ..base import COMMON, Context, Spec, identifier, meta


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return own_organization(membership)


def render(org: Organization, ctx: Context) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": str(org.pk),
        "meta": meta(org),
        "identifier": identifier(org.pk),
        "active": True,
        "type": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/organization-type",
                        "code": "prov",
                        "display": "Healthcare Provider",
                    }
                ]
            }
        ],
        "name": org.name,
    }


SPEC = Spec(
    type="Organization",
    actions=None,
    rows=rows,
    render=render,
    params=dict(COMMON),
    child_attr=None,
    roles=frozenset(Role.values),
)
