"""A personal API token's own FHIR scopes (SMART v1): within its owner's role, never more.

The token page refuses scopes a token may not hold; the FHIR API and bulk export answer a
token's caller with its scopes intersected with the role's (``tandem.fhir.auth``).
"""

from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, Role
from tandem.bulkdata.tests.helpers import kick_off, status_path
from tandem.conftest import World, sign_in
from tandem.fhir.auth import ceiling, effective, scopes_of_role

from .data import records_of
from .helpers import get, ok, outcome

pytestmark = pytest.mark.django_db

TOKENS = "/accounts/tokens/"


def made(member: Any, scopes: str) -> Client:
    """A token made on the token page with these FHIR scopes, as a FHIR client."""
    page = sign_in(Client(), member).post(
        TOKENS, {"name": "EHR", "scope": "read", "days": 30, "fhir_scopes": scopes}
    )
    assert page.status_code == 200
    raw = page.context["new_token"]
    assert raw, page.context["form"].errors
    return Client(headers={"Authorization": f"Bearer {raw}"})


def old_token(member: Any) -> Client:
    """A token made before tokens had scopes of their own (blank)."""
    raw, digest = ApiToken.new_token()
    ApiToken.objects.create(membership=member, name="Old", prefix=raw[:12], token_hash=digest)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_token_reads_only_the_types_of_its_scopes(world: World) -> None:
    records_of(world.child)
    client = made(world.therapist, "user/Observation.read")
    assert ok(client, "Observation")["total"] >= 1
    assert "scopes" in outcome(get(client, "Patient"), 404)
    outcome(get(client, f"Patient/{world.child.pk}"), 404)
    everything = made(world.therapist, "user/*.read")
    assert ok(everything, "Patient")["total"] >= 1
    assert ok(everything, "Observation")["total"] >= 1


def test_a_blank_token_keeps_its_roles_scopes(world: World) -> None:
    records_of(world.child)
    for client in (old_token(world.therapist), made(world.therapist, "")):
        assert ok(client, "Patient")["total"] >= 1
        assert ok(client, "Observation")["total"] >= 1
    assert ApiToken.objects.get(name="EHR").fhir_scopes == ""


def test_the_page_shows_a_tokens_scopes(world: World) -> None:
    made(world.therapist, "user/Goal.read  user/Goal.read user/Observation.read")
    assert ApiToken.objects.get().fhir_scopes == "user/Goal.read user/Observation.read"
    body = sign_in(Client(), world.therapist).get(TOKENS).content.decode()
    assert "user/Goal.read user/Observation.read" in body


@pytest.mark.parametrize(
    ("scopes", "says"),
    [
        ("patient/*.read", "guardians"),
        ("user/Observation.write", "only reads"),
        ("user/Unicorn.read", "no type"),
        ("launch openid", "not a scope"),
        ("system/Patient.read", "only system scope"),
        ("system/*.read", "admin"),  # a therapist may not export the clinic
    ],
)
def test_bad_scopes_are_refused_and_nothing_is_made(world: World, scopes: str, says: str) -> None:
    page = sign_in(Client(), world.therapist).post(
        TOKENS, {"name": "EHR", "scope": "read", "days": 30, "fhir_scopes": scopes}
    )
    assert page.status_code == 200
    assert page.context["new_token"] is None
    [error] = page.context["form"].errors["fhir_scopes"]
    assert says in error
    assert not ApiToken.objects.exists()


def test_a_system_export_needs_system_scope_in_the_token(world: World) -> None:
    without = made(world.admin, "user/*.read")
    assert "system/*.read" in outcome(kick_off(without), 404)
    with_it = made(world.admin, "system/*.read")
    status_path(kick_off(with_it))  # 202: accepted
    status_path(kick_off(old_token(world.admin)))  # blank: the role's, system/*.read too


def test_a_narrow_token_exports_only_its_types(world: World) -> None:
    client = made(world.therapist, "user/Observation.read")
    assert "Patient" in outcome(kick_off(client, "Patient/$export"), 404)
    status_path(kick_off(client, "Patient/$export", {"_type": "Observation"}))


def test_scopes_are_intersected_with_the_role() -> None:
    staff = scopes_of_role(Role.THERAPIST)
    assert effective("", staff) == staff
    assert effective("user/Goal.read system/*.read", staff) == {"user/Goal.read"}
    narrow = frozenset({"user/Goal.read", "user/CarePlan.read"})
    assert effective("user/*.read", narrow) == narrow
    assert effective("user/Observation.read", narrow) == frozenset()


def test_sessions_keep_their_roles_scopes(world: World) -> None:
    assert ceiling(world.admin) == {"user/*.read", "system/*.read"}
    assert ceiling(world.therapist) == {"user/*.read"}
    status_path(kick_off(sign_in(Client(), world.admin)))
