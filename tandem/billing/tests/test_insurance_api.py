"""The insurance API: the same rules and actions as the pages, its answers and bodies."""

import uuid

import pytest

from tandem.billing.models import Authorization, Payer, Policy
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

from .helpers_insurance import days, insured, make_payer, make_policy, signed_session, today_of

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]
JSON = "application/json"
PAYERS = "/api/v1/billing/payers"


def policies_url(child) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/children/{child.id}/policies"


def authorizations_url(child) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/children/{child.id}/authorizations"


# --- Payers -------------------------------------------------------------------------------


def test_payers_are_added_once_per_key_and_read_by_the_office(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.billing)
    body = {"name": "Sunrise Medicaid", "payer_id": "sun01", "daily_unit_limit": 16}
    headers = {"Idempotency-Key": "add-sunrise-1"}
    first = client.post(PAYERS, body, JSON, headers=headers)
    again = client.post(PAYERS, body, JSON, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json() | {"id": None} == {
        "id": None,
        "name": "Sunrise Medicaid",
        "payer_id": "SUN01",
        "unit_method": "cms",
        "filing_indicator": "CI",
        "daily_unit_limit": 16,
        "is_active": True,
        "version": 1,
    }
    assert Payer.objects.count() == 1
    listed = client_as(world.front_desk).get(PAYERS)
    assert [p["name"] for p in listed.json()] == ["Sunrise Medicaid"]
    assert client_as(world.front_desk).post(PAYERS, body, JSON).status_code == 404
    assert client_as(world.therapist).get(PAYERS).status_code == 404
    assert client_as(world.foreign_admin).get(PAYERS).json() == []


def test_a_bad_payer_is_a_422_naming_the_field(world: World, client_as: ClientAs) -> None:
    make_payer(world.admin)
    client = client_as(world.admin)
    duplicate = client.post(PAYERS, {"name": "Blue Meadow Health", "payer_id": "X1"}, JSON)
    assert duplicate.status_code == 422
    assert duplicate.json() == {
        "detail": {"name": ["There is already a payer named Blue Meadow Health."]}
    }
    limit = client.post(PAYERS, {"name": "B", "payer_id": "B1", "daily_unit_limit": 97}, JSON)
    assert limit.status_code == 422 and list(limit.json()["detail"]) == ["daily_unit_limit"]
    assert client.post(PAYERS, {"name": "B"}, JSON).status_code == 422  # no payer_id
    assert Payer.objects.count() == 1


def test_a_payer_is_patched_from_its_version(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin, daily_unit_limit=8)
    url = f"{PAYERS}/{payer.id}"
    client = client_as(world.billing)
    done = client.patch(url, {"version": 1, "daily_unit_limit": None, "is_active": False}, JSON)
    assert done.status_code == 200
    assert (done.json()["daily_unit_limit"], done.json()["is_active"]) == (None, False)
    assert done.json()["name"] == "Blue Meadow Health"  # not sent: unchanged
    stale = client.patch(url, {"version": 1, "name": "Other"}, JSON)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    foreign = make_payer(world.foreign_admin)
    assert client.patch(f"{PAYERS}/{foreign.id}", {"version": 1}, JSON).status_code == 404
    assert client.patch(f"{PAYERS}/{uuid.uuid4()}", {}, JSON).status_code == 404


# --- Policies -----------------------------------------------------------------------------


def policy_body(payer: Payer, **changes: object) -> dict[str, object]:
    return {
        "payer": str(payer.pk),
        "member_id": "XJH123456",
        "subscriber_first_name": "Ada",
        "subscriber_last_name": "Okafor",
        "starts_on": "2025-01-01",
    } | changes


def test_the_front_desk_records_a_policy(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin)
    client = client_as(world.front_desk)
    made = client.post(policies_url(world.child), policy_body(payer), JSON)
    assert made.status_code == 201
    assert made.json() | {"id": None} == {
        "id": None,
        "child_id": str(world.child.id),
        "payer": str(payer.id),
        "payer_name": "Blue Meadow Health",
        "member_id": "XJH123456",
        "group_number": "",
        "subscriber_first_name": "Ada",
        "subscriber_last_name": "Okafor",
        "subscriber_birth_date": None,
        "address": "",
        "city": "",
        "state": "",
        "postal_code": "",
        "relationship": "19",
        "priority": 1,
        "starts_on": "2025-01-01",
        "ends_on": None,
        "version": 1,
    }
    listed = client.get(policies_url(world.child)).json()
    assert [p["member_id"] for p in listed] == ["XJH123456"]
    # The team reads authorizations, not the card; families see neither.
    assert client_as(world.therapist).get(policies_url(world.child)).status_code == 404
    assert client_as(world.guardian).get(policies_url(world.child)).status_code == 404
    assert client_as(world.admin).get(policies_url(world.foreign_child)).status_code == 404


def test_a_bad_policy_is_a_422_and_nothing_is_saved(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin)
    make_policy(world.admin, world.child, payer)
    client = client_as(world.billing)
    overlap = client.post(policies_url(world.child), policy_body(payer), JSON)
    assert overlap.status_code == 422 and list(overlap.json()["detail"]) == ["priority"]
    foreign = make_payer(world.foreign_admin)
    unknown = client.post(policies_url(world.child), policy_body(foreign, priority=2), JSON)
    assert unknown.json() == {"detail": {"payer": ["Choose one of the clinic's payers."]}}
    backwards = client.post(
        policies_url(world.child), policy_body(payer, priority=2, ends_on="2024-01-01"), JSON
    )
    assert backwards.json() == {
        "detail": {"ends_on": ["The coverage cannot end before it starts."]}
    }
    strange = client.post(policies_url(world.child), policy_body(payer, colour="red"), JSON)
    assert strange.status_code == 422
    assert Policy.objects.count() == 1


def test_a_policy_is_patched_and_ended(world: World, client_as: ClientAs) -> None:
    policy = make_policy(world.admin, world.child, make_payer(world.admin))
    url = f"{policies_url(world.child)}/{policy.id}"
    client = client_as(world.front_desk)
    today = today_of(world.child).isoformat()
    done = client.patch(url, {"version": 1, "ends_on": today, "group_number": "G2"}, JSON)
    assert done.status_code == 200
    assert (done.json()["ends_on"], done.json()["group_number"], done.json()["version"]) == (
        today,
        "G2",
        2,
    )
    stale = client.patch(url, {"version": 1, "ends_on": None}, JSON)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    # Another child's policy is not there, whatever the body.
    assert client.patch(f"{policies_url(world.sibling)}/{policy.id}", {}, JSON).status_code == 404
    assert client_as(world.therapist).patch(url, {"version": 2}, JSON).status_code == 404


def test_the_policyholders_address_round_trips(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin)
    client = client_as(world.billing)
    address = {"address": "5 Elm Road", "city": "Portland", "state": "or", "postal_code": "97201"}
    made = client.post(policies_url(world.child), policy_body(payer, **address), JSON)
    assert made.status_code == 201
    stored = {name: made.json()[name] for name in address}
    assert stored == address | {"state": "OR"}
    url = f"{policies_url(world.child)}/{made.json()['id']}"
    moved = client.patch(url, {"version": 1, "postal_code": "97201-1234", "city": "Salem"}, JSON)
    assert moved.status_code == 200
    assert (moved.json()["city"], moved.json()["postal_code"], moved.json()["version"]) == (
        "Salem",
        "972011234",
        2,
    )
    assert moved.json()["address"] == "5 Elm Road"  # not sent: unchanged
    [listed] = client.get(policies_url(world.child)).json()
    assert listed == moved.json()


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"state": "ZZ"}, {"state": ["Write the state's two-letter code, such as OR."]}),
        ({"postal_code": "9720"}, {"postal_code": ["A ZIP code has 5 or 9 digits."]}),
        (
            {"city": "", "postal_code": ""},
            {
                "city": ["Give the city too: a claim needs the whole address."],
                "postal_code": ["Give the ZIP code too: a claim needs the whole address."],
            },
        ),
    ],
)
def test_a_bad_address_is_a_422_and_nothing_changes(
    world: World, client_as: ClientAs, changes: dict[str, str], detail: dict[str, list[str]]
) -> None:
    payer = make_payer(world.admin)
    address = {"address": "5 Elm Road", "city": "Portland", "state": "OR", "postal_code": "97201"}
    client = client_as(world.billing)
    refused = client.post(policies_url(world.child), policy_body(payer, **address | changes), JSON)
    assert refused.status_code == 422 and refused.json() == {"detail": detail}
    assert not Policy.objects.exists()
    made = client.post(policies_url(world.child), policy_body(payer, **address), JSON)
    url = f"{policies_url(world.child)}/{made.json()['id']}"
    patched = client.patch(url, {"version": 1} | changes, JSON)
    assert patched.status_code == 422 and patched.json() == {"detail": detail}
    policy = Policy.objects.get()
    assert (policy.city, policy.postal_code, policy.version) == ("Portland", "97201", 1)


# --- Authorizations -----------------------------------------------------------------------


def test_authorizations_are_read_with_their_use(world: World, client_as: ClientAs) -> None:
    today = today_of(world.child)
    authorization = insured(world, allowed=10, ends_on=today + days(30))
    for _ in range(8):
        signed_session(world.child, world.therapist)
    listed = client_as(world.consulting_therapist).get(authorizations_url(world.child))
    assert listed.status_code == 200
    [row] = listed.json()
    assert row | {"id": None, "policy_id": None} == {
        "id": None,
        "child_id": str(world.child.id),
        "policy_id": None,
        "payer_name": "Blue Meadow Health",
        "number": "AUTH-1",
        "codes": ["92507", "97530"],
        "counts": "visits",
        "allowed": 10,
        "starts_on": authorization.starts_on.isoformat(),
        "ends_on": (today + days(30)).isoformat(),
        "version": 1,
        "used": 8,
        "left": 2,
        "percent_used": 80,
        "days_left": 30,
        "warnings": ["nearly_used", "ending_soon"],
    }
    assert client_as(world.guardian).get(authorizations_url(world.child)).status_code == 404


def test_the_office_writes_authorizations_and_the_team_may_not(
    world: World, client_as: ClientAs
) -> None:
    policy = make_policy(world.admin, world.child, make_payer(world.admin))
    today = today_of(world.child)
    body = {
        "policy_id": str(policy.id),
        "number": "A-9",
        "codes": ["97530"],
        "counts": "units",
        "allowed": 48,
        "starts_on": today.isoformat(),
        "ends_on": (today + days(90)).isoformat(),
    }
    url = authorizations_url(world.child)
    assert client_as(world.therapist).post(url, body, JSON).status_code == 403
    unknown = client_as(world.front_desk).post(url, body | {"codes": ["97530", "1234X"]}, JSON)
    assert unknown.json() == {"detail": {"codes": ["1234X is not a service code Tandem knows."]}}
    made = client_as(world.front_desk).post(url, body, JSON)
    assert made.status_code == 201
    assert (made.json()["used"], made.json()["warnings"]) == (0, [])
    item = f"{url}/{made.json()['id']}"
    assert client_as(world.therapist).patch(item, {"version": 1}, JSON).status_code == 403
    changed = client_as(world.billing).patch(item, {"version": 1, "allowed": 60}, JSON)
    assert changed.status_code == 200 and changed.json()["allowed"] == 60
    stale = client_as(world.billing).patch(item, {"version": 1, "allowed": 1}, JSON)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    other = client_as(world.billing).patch(
        f"{authorizations_url(world.sibling)}/{made.json()['id']}", {"version": 2}, JSON
    )
    assert other.status_code == 404
    assert Authorization.objects.get().allowed == 60
