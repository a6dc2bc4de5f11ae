"""Payers, policies and authorizations: each bad input gives its message and changes
nothing (``tandem/billing/insurance.py``)."""

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tandem.billing import insurance
from tandem.billing.models import Authorization, PatientRelationship, Payer, Policy, Priority
from tandem.conftest import World
from tandem.core.access import Conflict

from .helpers_insurance import (
    days,
    make_authorization,
    make_payer,
    make_policy,
    signed_session,
    today_of,
)

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def refused(do, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The messages of the field the action refused."""
    with pytest.raises(ValidationError) as caught:
        do()
    return caught.value.message_dict[field]


# --- Payers -------------------------------------------------------------------------------


def test_a_payer_is_added(world: World) -> None:
    payer = make_payer(world.admin, daily_unit_limit=16, unit_method="per_code")
    assert (payer.name, payer.payer_id, payer.daily_unit_limit) == (
        "Blue Meadow Health",
        "BMH01",
        16,
    )
    assert payer.organization_id == world.org.pk and payer.is_active and payer.version == 1


def test_two_payers_cannot_share_a_name(world: World) -> None:
    make_payer(world.admin)
    messages = refused(lambda: make_payer(world.admin, name="blue meadow HEALTH "), "name")
    assert messages == ["There is already a payer named blue meadow HEALTH."]
    assert Payer.objects.filter(organization=world.org).count() == 1


def test_another_clinic_may_use_the_same_name(world: World) -> None:
    make_payer(world.admin)
    make_payer(world.foreign_admin)
    assert Payer.objects.count() == 2


@pytest.mark.parametrize("limit", [0, 97, -3])
def test_the_daily_limit_is_1_to_96(world: World, limit: int) -> None:
    messages = refused(lambda: make_payer(world.admin, daily_unit_limit=limit), "daily_unit_limit")
    assert messages == [
        "The daily limit is a number of units from 1 to 96; leave it empty for no limit."
    ]
    assert not Payer.objects.exists()


@pytest.mark.parametrize("limit", [1, 96, None])
def test_limits_at_the_edges_are_taken(world: World, limit: int | None) -> None:
    assert make_payer(world.admin, daily_unit_limit=limit).daily_unit_limit == limit


@pytest.mark.parametrize(
    ("payer_id", "message"),
    [
        ("", "Give the payer ID for electronic claims (the payer or your clearinghouse has it)."),
        ("60 054", "A payer ID is 2 to 20 letters and digits."),
        ("X", "A payer ID is 2 to 20 letters and digits."),
    ],
)
def test_a_payer_needs_its_payer_id(world: World, payer_id: str, message: str) -> None:
    assert refused(lambda: make_payer(world.admin, payer_id=payer_id), "payer_id") == [message]


def test_a_payer_is_changed_from_the_version_read(world: World) -> None:
    payer = make_payer(world.admin)
    changed = insurance.change_payer(
        world.billing, payer, expected_version=1, daily_unit_limit=8, is_active=False
    )
    assert (changed.daily_unit_limit, changed.is_active, changed.version) == (8, False, 2)
    with pytest.raises(Conflict) as caught:
        insurance.change_payer(world.billing, payer, expected_version=1, name="Other")
    assert caught.value.current_version == 2
    assert Payer.objects.get().name == "Blue Meadow Health"


def test_a_change_to_a_name_in_use_is_refused(world: World) -> None:
    make_payer(world.admin)
    other = make_payer(world.admin, name="Sunrise Medicaid", payer_id="SUN01")
    messages = refused(
        lambda: insurance.change_payer(
            world.admin, other, expected_version=1, name="Blue Meadow Health"
        ),
        "name",
    )
    assert messages == ["There is already a payer named Blue Meadow Health."]
    other.refresh_from_db()
    assert (other.name, other.version) == ("Sunrise Medicaid", 1)


# --- Policies -----------------------------------------------------------------------------


@pytest.fixture
def payer(world: World) -> Payer:
    return make_payer(world.admin)


def test_a_policy_is_added(world: World, payer: Payer) -> None:
    policy = make_policy(world.front_desk, world.child, payer, group_number=" G-77 ")
    assert policy.child == world.child and policy.payer == payer
    assert (policy.group_number, policy.priority, policy.ends_on) == (
        "G-77",
        Priority.PRIMARY,
        None,
    )


def test_a_policy_cannot_end_before_it_starts(world: World, payer: Payer) -> None:
    today = today_of(world.child)
    messages = refused(
        lambda: make_policy(
            world.admin, world.child, payer, starts_on=today, ends_on=today - days(1)
        ),
        "ends_on",
    )
    assert messages == ["The coverage cannot end before it starts."]
    assert not Policy.objects.exists()


def test_a_second_primary_policy_for_the_same_days_is_refused(world: World, payer: Payer) -> None:
    today = today_of(world.child)
    make_policy(
        world.admin, world.child, payer, starts_on=today - days(30), ends_on=today + days(30)
    )
    other = make_payer(world.admin, name="Sunrise Medicaid", payer_id="SUN01")
    messages = refused(
        lambda: make_policy(world.admin, world.child, other, starts_on=today + days(30)), "priority"
    )
    assert len(messages) == 1
    assert messages[0].startswith("Maya Okafor already has a primary policy for these dates")
    assert "Blue Meadow Health" in messages[0]
    assert messages[0].endswith("end it first, or choose another order.")
    assert Policy.objects.count() == 1


def test_a_secondary_policy_or_one_after_the_first_ends_is_taken(
    world: World, payer: Payer
) -> None:
    today = today_of(world.child)
    make_policy(world.admin, world.child, payer, starts_on=today - days(30), ends_on=today)
    make_policy(world.admin, world.child, payer, starts_on=today + days(1))
    make_policy(world.admin, world.child, payer, priority=Priority.SECONDARY)
    # Another child's primary policy is theirs.
    make_policy(world.admin, world.sibling, payer)
    assert Policy.objects.count() == 4


def test_a_payer_of_another_clinic_or_none_is_unknown(world: World) -> None:
    foreign = make_payer(world.foreign_admin)
    for unknown in (foreign, foreign.pk, uuid.uuid4(), "not-an-id", None):
        messages = refused(lambda: make_policy(world.admin, world.child, unknown), "payer")  # noqa: B023
        assert messages == ["Choose one of the clinic's payers."]
    assert not Policy.objects.exists()


def test_a_payer_no_longer_in_use_is_refused_on_a_new_policy(world: World, payer: Payer) -> None:
    insurance.change_payer(world.admin, payer, expected_version=1, is_active=False)
    messages = refused(lambda: make_policy(world.admin, world.child, payer.pk), "payer")
    assert messages == ["Blue Meadow Health is no longer in use: choose another payer."]
    assert not Policy.objects.exists()


def test_a_policy_of_a_payer_no_longer_in_use_can_still_be_changed(
    world: World, payer: Payer
) -> None:
    policy = make_policy(world.admin, world.child, payer)
    insurance.change_payer(world.admin, payer, expected_version=1, is_active=False)
    policy.child = world.child
    changed = insurance.change_policy(world.admin, policy, expected_version=1, member_id="NEW1")
    assert changed.member_id == "NEW1"


def test_missing_card_details_are_named(world: World, payer: Payer) -> None:
    with pytest.raises(ValidationError) as caught:
        make_policy(world.admin, world.child, payer, member_id=" ", subscriber_first_name="")
    errors = caught.value.message_dict
    assert errors["member_id"] == ["Give the member ID from the insurance card."]
    assert errors["subscriber_first_name"] == [
        "Give the policyholder's first and last name, as on the card."
    ]


def test_a_child_who_is_the_policyholder_lends_their_name(world: World, payer: Payer) -> None:
    policy = make_policy(
        world.admin,
        world.child,
        payer,
        relationship=PatientRelationship.SELF,
        subscriber_first_name="",
        subscriber_last_name="",
    )
    assert (policy.subscriber_first_name, policy.subscriber_last_name) == ("Maya", "Okafor")
    assert policy.subscriber_birth_date == world.child.date_of_birth


def test_a_policyholder_born_in_the_future_is_refused(world: World, payer: Payer) -> None:
    later = today_of(world.child) + days(1)
    messages = refused(
        lambda: make_policy(world.admin, world.child, payer, subscriber_birth_date=later),
        "subscriber_birth_date",
    )
    assert messages == ["The policyholder's date of birth cannot be in the future."]


def test_a_policy_is_ended_and_a_stale_change_is_a_conflict(world: World, payer: Payer) -> None:
    policy = make_policy(world.admin, world.child, payer)
    policy.child = world.child
    today = today_of(world.child)
    ended = insurance.end_policy(world.front_desk, policy, expected_version=1, ends_on=today)
    assert (ended.ends_on, ended.version) == (today, 2)
    with pytest.raises(Conflict):
        insurance.change_policy(world.admin, policy, expected_version=1, member_id="X")
    assert refused(
        lambda: insurance.end_policy(world.admin, policy, expected_version=2, ends_on=None),
        "ends_on",
    ) == ["Give the last day the policy covers."]
    assert Policy.objects.get().member_id == "XJH123456"


def test_a_policy_keeps_its_authorizations_within_its_dates(world: World, payer: Payer) -> None:
    policy = make_policy(world.admin, world.child, payer)
    authorization = make_authorization(world.admin, world.child, policy)
    policy.child = world.child
    early = authorization.ends_on - days(1)
    messages = refused(
        lambda: insurance.end_policy(world.admin, policy, expected_version=1, ends_on=early),
        "ends_on",
    )
    assert messages[0].startswith("Authorization AUTH-1 runs from ")
    assert messages[0].endswith("change its dates first, so that it stays within the policy's.")
    assert Policy.objects.get().ends_on is None


def test_the_payer_of_a_policy_already_billed_stays(world: World, payer: Payer) -> None:
    policy = make_policy(world.admin, world.child, payer)
    signed_session(world.child, world.therapist)
    other = make_payer(world.admin, name="Sunrise Medicaid", payer_id="SUN01")
    policy.child = world.child
    messages = refused(
        lambda: insurance.change_policy(world.admin, policy, expected_version=1, payer=other),
        "payer",
    )
    assert messages == [
        "Sessions were already billed to this policy: end it and add a new policy for the "
        "new payer."
    ]
    assert Policy.objects.get().payer == payer


# --- The policyholder's address ----------------------------------------------------------

ADDRESS: dict[str, Any] = {
    "address": "5 Elm Road",
    "city": "Portland",
    "state": "OR",
    "postal_code": "97201",
}


def test_an_address_is_kept_as_a_claim_writes_it(world: World, payer: Payer) -> None:
    typed = {"address": " 5 Elm Road ", "state": " or", "postal_code": "97201-1234 "}
    policy = make_policy(world.front_desk, world.child, payer, **ADDRESS | typed)
    policy.refresh_from_db()
    assert (policy.address, policy.city, policy.state, policy.postal_code) == (
        "5 Elm Road",
        "Portland",
        "OR",
        "972011234",
    )


def test_a_policy_may_wait_for_its_address(world: World, payer: Payer) -> None:
    policy = make_policy(world.front_desk, world.child, payer)
    assert (policy.address, policy.city, policy.state, policy.postal_code) == ("", "", "", "")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"state": "Oregon"}, "state", "Write the state's two-letter code, such as OR."),
        ({"state": "ZZ"}, "state", "Write the state's two-letter code, such as OR."),
        ({"postal_code": "9720"}, "postal_code", "A ZIP code has 5 or 9 digits."),
        ({"postal_code": "97201-12"}, "postal_code", "A ZIP code has 5 or 9 digits."),
        ({"postal_code": "9720A"}, "postal_code", "A ZIP code has 5 or 9 digits."),
        ({"address": "x" * 56}, "address", "At most 55 characters."),
        ({"city": "x" * 31}, "city", "At most 30 characters."),
    ],
)
def test_a_bad_address_is_refused(
    world: World, payer: Payer, changes: dict[str, str], field: str, message: str
) -> None:
    fields = ADDRESS | changes
    assert refused(lambda: make_policy(world.admin, world.child, payer, **fields), field) == [
        message
    ]
    assert not Policy.objects.exists()


def test_a_partial_address_names_each_missing_part(world: World, payer: Payer) -> None:
    with pytest.raises(ValidationError) as caught:
        make_policy(world.admin, world.child, payer, city="Portland")
    assert caught.value.message_dict == {
        "address": ["Give the street address too: a claim needs the whole address."],
        "state": ["Give the state too: a claim needs the whole address."],
        "postal_code": ["Give the ZIP code too: a claim needs the whole address."],
    }
    assert not Policy.objects.exists()


def test_an_address_change_is_a_new_version(world: World, payer: Payer) -> None:
    policy = make_policy(world.admin, world.child, payer)
    changed = insurance.change_policy(
        world.front_desk, policy, expected_version=1, **ADDRESS | {"postal_code": "972011234"}
    )
    assert (changed.state, changed.postal_code, changed.version) == ("OR", "972011234", 2)
    before, after = changed.history.order_by("history_date")
    assert (before.address, after.address, after.postal_code) == ("", "5 Elm Road", "972011234")
    messages = refused(
        lambda: insurance.change_policy(world.admin, policy, expected_version=2, state=""),
        "state",
    )
    assert messages == ["Give the state too: a claim needs the whole address."]
    blank: dict[str, Any] = dict.fromkeys(ADDRESS, "")
    cleared = insurance.change_policy(world.admin, policy, expected_version=2, **blank)
    assert (cleared.address, cleared.state, cleared.version) == ("", "", 3)


# --- Authorizations ---------------------------------------------------------------------


@pytest.fixture
def policy(world: World, payer: Payer) -> Policy:
    return make_policy(world.admin, world.child, payer)


def test_an_authorization_is_added(world: World, policy: Policy) -> None:
    made = make_authorization(world.billing, world.child, policy, codes=["97530", "92507", "97530"])
    assert made.codes == ["92507", "97530"]  # once each, in the catalogue's order
    assert (made.counts, made.allowed, made.policy, made.child) == (
        "visits",
        10,
        policy,
        world.child,
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"codes": ["97530", "99999"]}, "codes", "99999 is not a service code Tandem knows."),
        ({"codes": []}, "codes", "Choose at least one service code it covers."),
        ({"allowed": 0}, "allowed", "Allowed is a whole number from 1 to 10,000."),
        ({"allowed": 10001}, "allowed", "Allowed is a whole number from 1 to 10,000."),
        ({"allowed": None}, "allowed", "Give how many visits or units the payer allowed."),
        ({"number": "  "}, "number", "Give the authorization number the payer gave."),
        ({"counts": "hours"}, "counts", "Choose whether it counts visits or units."),
        ({"starts_on": None}, "starts_on", "Give the first day it covers."),
    ],
)
def test_bad_authorizations_are_refused(
    world: World, policy: Policy, fields: dict, field: str, message: str
) -> None:
    messages = refused(
        lambda: make_authorization(world.admin, world.child, policy, **fields), field
    )
    assert messages == [message]
    assert not Authorization.objects.exists()


def test_an_authorization_cannot_end_before_it_starts(world: World, policy: Policy) -> None:
    today = today_of(world.child)
    messages = refused(
        lambda: make_authorization(
            world.admin, world.child, policy, starts_on=today, ends_on=today - days(1)
        ),
        "ends_on",
    )
    assert messages == ["The authorization cannot end before it starts."]


def test_an_authorization_falls_within_its_policys_dates(world: World, policy: Policy) -> None:
    before = policy.starts_on - days(1)
    messages = refused(
        lambda: make_authorization(world.admin, world.child, policy, starts_on=before),
        "starts_on",
    )
    assert messages[0].startswith("An authorization falls within its policy's dates (from ")
    policy.child = world.child
    insurance.end_policy(world.admin, policy, expected_version=1, ends_on=today_of(world.child))
    policy.refresh_from_db()
    messages = refused(lambda: make_authorization(world.admin, world.child, policy), "ends_on")
    assert messages[0].startswith("An authorization falls within its policy's dates (from ")
    assert not Authorization.objects.exists()


def test_a_policy_of_another_child_is_unknown(world: World, payer: Payer) -> None:
    theirs = make_policy(world.admin, world.sibling, payer)
    for unknown in (theirs, theirs.pk, uuid.uuid4(), "nonsense"):
        messages = refused(
            lambda: make_authorization(world.admin, world.child, unknown),  # noqa: B023
            "policy",
        )
        assert messages == ["Choose one of this child's policies."]
    assert not Authorization.objects.exists()


def test_a_number_is_used_once_on_a_policy(world: World, policy: Policy) -> None:
    make_authorization(world.admin, world.child, policy)
    messages = refused(lambda: make_authorization(world.admin, world.child, policy), "number")
    assert messages == ["This policy already has authorization AUTH-1."]


def test_an_authorization_is_changed_from_the_version_read(world: World, policy: Policy) -> None:
    authorization = make_authorization(world.admin, world.child, policy)
    authorization.child = world.child
    changed = insurance.change_authorization(
        world.front_desk, authorization, expected_version=1, allowed=24, codes=["97110"]
    )
    assert (changed.allowed, changed.codes, changed.version) == (24, ["97110"], 2)
    with pytest.raises(Conflict):
        insurance.change_authorization(world.admin, authorization, expected_version=1, allowed=1)
    messages = refused(
        lambda: insurance.change_authorization(
            world.admin, authorization, expected_version=2, codes=["00000"]
        ),
        "codes",
    )
    assert messages == ["00000 is not a service code Tandem knows."]
    assert Authorization.objects.get().allowed == 24
