"""What the authorization matrices need to know about the billing insurance routes
(PRODUCT.md, roles; ``billing/rules.py``):

- the clinic's payers: admins and billing (``billing.manage``); the front desk reads the
  list in the API, to choose a payer for a policy; nobody else finds them (404);
- a child's policies and authorizations, written: admins, billing and the front desk
  (``billing.insurance``); therapists and families find no such page (404);
- a child's authorizations and their use, read: also the child's team (``staff``).
"""

import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tandem.conftest import World

_INSURE = {"front_desk": "write", "billing": "write"}
_MANAGE = {"billing": "write"}
_OFFICE = {"front_desk", "billing"}
_ADMINS_AND_BILLING = {"admin", "billing"}

WRITE_RULES: dict[str, str] = {
    "billing:policy_new": "none",
    "billing:policy": "none",
    "billing:authorization_new": "none",
    "billing:authorization": "none",
}
READ_RULES: dict[str, str] = {
    "billing:policy_new": "none",
    "billing:policy": "none",
    "billing:authorization_new": "none",
    "billing:authorization": "none",
}
OFFICE_RULES: dict[str, dict[str, str]] = {
    "billing:payers": _MANAGE,
    "billing:payer": _MANAGE,
    "billing:policy_new": _INSURE,
    "billing:policy": _INSURE,
    "billing:authorization_new": _INSURE,
    "billing:authorization": _INSURE,
    "billing:authorizations": {"front_desk": "read", "billing": "read"},
}


def _first(model: Any, **where: Any) -> Any:
    found = model.objects.filter(**where).order_by("created_at").first()
    assert found is not None, f"no {model.__name__} for {where}: call matrix_insurance.populate"
    return found.id


def _policy(child: Any) -> Any:
    from tandem.billing.models import Policy

    return _first(Policy, organization_id=child.organization_id, child=child)


def _authorization(child: Any) -> Any:
    from tandem.billing.models import Authorization

    return _first(Authorization, organization_id=child.organization_id, child=child)


def _payer_of(organization: Any) -> Any:
    from tandem.billing.models import Payer

    return _first(Payer, organization_id=organization.pk)


def _payers(world: "World") -> tuple[Any, Any]:
    return _payer_of(world.org), _payer_of(world.foreign_org)


FILLERS: dict[str, Any] = {"policy_id": _policy, "authorization_id": _authorization}
ORG_FILLERS: dict[str, Any] = {"payer_id": _payers}
API_ORG_FILLERS: dict[str, Any] = {"payer_id": _payer_of}

_PAYERS = "/billing/payers"
_POLICIES = "/children/{child_id}/policies"
_POLICY = _POLICIES + "/{policy_id}"
_AUTHORIZATIONS = "/children/{child_id}/authorizations"
_AUTHORIZATION = _AUTHORIZATIONS + "/{authorization_id}"

API_COLLECTION_RULES: dict[tuple[str, str], set[str]] = {
    ("GET", _PAYERS): _ADMINS_AND_BILLING | {"front_desk"},
    ("POST", _PAYERS): _ADMINS_AND_BILLING,
    ("PATCH", _PAYERS + "/{payer_id}"): _ADMINS_AND_BILLING,
}
API_READ_RULES: dict[tuple[str, str], str] = {
    ("GET", _POLICIES): "none",
    ("GET", _POLICY): "none",
    ("GET", _AUTHORIZATIONS): "staff",
    ("GET", _AUTHORIZATION): "staff",
}
API_WRITE_RULES: dict[tuple[str, str], str] = {
    ("POST", _POLICIES): "none",
    ("PATCH", _POLICY): "none",
    ("POST", _AUTHORIZATIONS): "none",
    ("PATCH", _AUTHORIZATION): "none",
}
OFFICE_API_RULES: dict[tuple[str, str], set[str]] = {
    (method, path): _OFFICE for path in (_POLICIES, _AUTHORIZATIONS) for method in ("GET", "POST")
} | {("PATCH", _POLICY): _OFFICE, ("PATCH", _AUTHORIZATION): _OFFICE}


def populate(world: "World") -> None:
    """A payer in each clinic; for each child, a policy and an authorization of it (made
    through the actions, as the pages make them)."""
    from tandem.billing import insurance
    from tandem.core import clock

    payers = {
        org.pk: insurance.add_payer(admin, name="Blue Meadow Health", payer_id="BMH01")
        for org, admin in ((world.org, world.admin), (world.foreign_org, world.foreign_admin))
    }
    for child in (world.child, world.sibling, world.other_child, world.foreign_child):
        admin = world.admin if child.organization_id == world.org.pk else world.foreign_admin
        today = clock.today_for(child.organization)
        policy = insurance.add_policy(
            admin,
            child,
            payer=payers[child.organization_id],
            member_id=f"M{child.first_name.upper()}",
            subscriber_first_name="Ada",
            subscriber_last_name=child.last_name,
            starts_on=today - datetime.timedelta(days=60),
        )
        insurance.add_authorization(
            admin,
            child,
            policy=policy,
            number=f"A-{child.first_name.upper()}",
            codes=["97530", "92507"],
            allowed=12,
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=90),
        )
