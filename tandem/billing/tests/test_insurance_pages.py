"""The insurance pages, through the test client: payers, a child's policies and
authorizations, and the authorizations' use as the child's team reads it."""

import re

import pytest
from django.urls import reverse

from tandem.billing.models import Authorization, Payer, Policy
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

from .helpers_insurance import (
    days,
    insured,
    make_authorization,
    make_payer,
    make_policy,
    today_of,
)

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]
PAYERS = reverse("billing:payers")


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def payer_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Sunrise Medicaid",
        "payer_id": "SUN01",
        "unit_method": "cms",
        "daily_unit_limit": "16",
        "is_active": "on",
    } | changes


# --- Payers -------------------------------------------------------------------------------


def test_admins_and_billing_manage_payers(world: World, client_as: ClientAs) -> None:
    for member in (world.admin, world.billing):
        assert client_as(member).get(PAYERS).status_code == 200
    for member in (world.front_desk, world.therapist, world.guardian):
        assert client_as(member).get(PAYERS).status_code == 404


def test_a_payer_is_added_on_the_page(world: World, client_as: ClientAs) -> None:
    client = client_as(world.billing)
    response = client.post(PAYERS, payer_form())
    assert response.status_code == 302
    payer = Payer.objects.get()
    assert (payer.name, payer.daily_unit_limit, payer.organization) == (
        "Sunrise Medicaid",
        16,
        world.org,
    )
    page = client.get(PAYERS)
    assert "Sunrise Medicaid" in text(page) and "16 units a day" in text(page)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"daily_unit_limit": "97"}, "The daily limit is a number of units from 1 to 96"),
        ({"name": "blue meadow health"}, "There is already a payer named blue meadow health."),
        ({"payer_id": ""}, "Give the payer ID for electronic claims"),
    ],
)
def test_payer_errors_are_shown_on_the_form(
    world: World, client_as: ClientAs, changes: dict, message: str
) -> None:
    make_payer(world.admin)
    response = client_as(world.admin).post(PAYERS, payer_form(**changes))
    assert response.status_code == 200
    assert message in text(response)
    assert Payer.objects.count() == 1


def test_a_payer_is_changed_and_a_stale_form_is_a_conflict(
    world: World, client_as: ClientAs
) -> None:
    payer = make_payer(world.admin)
    url = reverse("billing:payer", args=[payer.id])
    client = client_as(world.billing)
    page = client.get(url)
    assert page.status_code == 200 and 'value="BMH01"' in page.content.decode()
    response = client.post(url, payer_form(name="Blue Meadow", version="1"))
    assert response.status_code == 302
    stale = client.post(url, payer_form(name="Something else", version="1"))
    assert stale.status_code == 409
    assert "Someone else changed this payer" in text(stale)
    assert Payer.objects.get().name == "Blue Meadow"
    other = make_payer(world.foreign_admin)
    assert client.get(reverse("billing:payer", args=[other.id])).status_code == 404


# --- Policies -----------------------------------------------------------------------------


def policy_form(payer: Payer, **changes: str) -> dict[str, str]:
    return {
        "payer": str(payer.pk),
        "member_id": "XJH123456",
        "group_number": "G-1",
        "relationship": "19",
        "subscriber_first_name": "Ada",
        "subscriber_last_name": "Okafor",
        "subscriber_birth_date": "1990-04-02",
        "priority": "1",
        "starts_on": "2025-01-01",
        "ends_on": "",
    } | changes


def test_the_office_adds_a_policy(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin)
    url = reverse("billing:policy_new", args=[world.child.id])
    for member in (world.admin, world.billing, world.front_desk):
        page = client_as(member).get(url)
        assert page.status_code == 200 and "Blue Meadow Health" in text(page)
    for member in (world.therapist, world.guardian, world.foreign_admin):
        assert client_as(member).get(url).status_code == 404
    response = client_as(world.front_desk).post(url, policy_form(payer))
    # The front desk does not see the billing page: back to the child's insurance.
    assert response["Location"] == reverse("billing:authorizations", args=[world.child.id])
    policy = Policy.objects.get()
    assert (policy.member_id, policy.child, str(policy.subscriber_birth_date)) == (
        "XJH123456",
        world.child,
        "1990-04-02",
    )


def test_policy_errors_are_shown_and_nothing_is_saved(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin)
    foreign = make_payer(world.foreign_admin)
    make_policy(world.admin, world.child, payer)
    client = client_as(world.billing)
    url = reverse("billing:policy_new", args=[world.child.id])
    overlap = client.post(url, policy_form(payer))
    assert overlap.status_code == 200
    assert "Maya Okafor already has a primary policy for these dates" in text(overlap)
    backwards = client.post(url, policy_form(payer, priority="2", ends_on="2024-12-31"))
    assert "The coverage cannot end before it starts." in text(backwards)
    unknown = client.post(url, policy_form(foreign, priority="2"))
    assert "Choose one of the clinic&#x27;s payers." in unknown.content.decode()
    assert Policy.objects.count() == 1


def test_a_policy_is_changed_then_ended(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin)
    policy = make_policy(world.admin, world.child, payer)
    url = reverse("billing:policy", args=[world.child.id, policy.id])
    client = client_as(world.billing)
    page = client.get(url)
    assert page.status_code == 200 and 'value="XJH123456"' in page.content.decode()
    changed = client.post(url, policy_form(payer, member_id="NEW-9", version="1"))
    assert changed["Location"] == reverse("billing:child", args=[world.child.id])
    stale = client.post(url, policy_form(payer, member_id="OLD", version="1"))
    assert stale.status_code == 409 and "Someone else changed this policy" in text(stale)
    today = today_of(world.child)
    bad = client.post(url, {"action": "end", "version": "2", "ends_on": ""})
    assert "Give the last day the policy covers." in text(bad)
    ended = client.post(url, {"action": "end", "version": "2", "ends_on": today.isoformat()})
    assert ended.status_code == 302
    policy.refresh_from_db()
    assert (policy.member_id, policy.ends_on, policy.version) == ("NEW-9", today, 3)


ADDRESS = {"address": "5 Elm Road", "city": "Portland", "state": "OR", "postal_code": "97201"}


def test_the_policyholders_address_is_saved_and_shown(world: World, client_as: ClientAs) -> None:
    payer = make_payer(world.admin)
    url = reverse("billing:policy_new", args=[world.child.id])
    client = client_as(world.billing)
    assert "<legend>Policyholder's address</legend>" in client.get(url).content.decode()
    typed = ADDRESS | {"state": "or", "postal_code": "97201-1234"}
    assert client.post(url, policy_form(payer, **typed)).status_code == 302
    policy = Policy.objects.get()
    assert (policy.address, policy.city, policy.state, policy.postal_code) == (
        "5 Elm Road",
        "Portland",
        "OR",
        "972011234",
    )
    form = client.get(reverse("billing:policy", args=[world.child.id, policy.id])).content
    for value in ("5 Elm Road", "Portland", "OR", "97201-1234"):
        assert f'value="{value}"' in form.decode()
    listed = text(client.get(reverse("billing:child", args=[world.child.id])))
    assert "5 Elm Road, Portland, OR 97201-1234" in listed
    assert "No address yet" not in listed


def test_a_policy_without_an_address_says_claims_need_it(world: World, client_as: ClientAs) -> None:
    make_policy(world.admin, world.child, make_payer(world.admin))
    page = client_as(world.billing).get(reverse("billing:child", args=[world.child.id]))
    assert "No address yet: claims need it" in text(page)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"state": "Oregon"}, {"state": "Write the state&#x27;s two-letter code, such as OR."}),
        ({"postal_code": "972"}, {"postal_code": "A ZIP code has 5 or 9 digits."}),
        (
            {"address": "", "state": ""},
            {
                "address": "Give the street address too: a claim needs the whole address.",
                "state": "Give the state too: a claim needs the whole address.",
            },
        ),
    ],
)
def test_a_bad_address_is_shown_by_field_and_nothing_is_saved(
    world: World, client_as: ClientAs, changes: dict[str, str], errors: dict[str, str]
) -> None:
    payer = make_payer(world.admin)
    client = client_as(world.front_desk)
    new = client.post(
        reverse("billing:policy_new", args=[world.child.id]),
        policy_form(payer, **ADDRESS | changes),
    )
    assert new.status_code == 200
    assert not Policy.objects.exists()
    policy = make_policy(world.admin, world.child, payer, **ADDRESS)
    changed = client.post(
        reverse("billing:policy", args=[world.child.id, policy.id]),
        policy_form(payer, **ADDRESS | changes, version="1"),
    )
    assert changed.status_code == 200
    for response in (new, changed):
        body = response.content.decode()
        for field, message in errors.items():
            error = re.search(rf'id="id_{field}_error">(.*?)</div>', body, re.S)
            assert error is not None and message in error.group(1)
    policy.refresh_from_db()
    assert (policy.state, policy.postal_code, policy.version) == ("OR", "97201", 1)


# --- Authorizations -----------------------------------------------------------------------


def authorization_form(policy: Policy, **changes: object) -> dict[str, object]:
    today = today_of(policy.child)
    return {
        "policy": str(policy.pk),
        "number": "A-77",
        "codes": ["97530", "97110"],
        "counts": "units",
        "allowed": "40",
        "starts_on": (today - days(10)).isoformat(),
        "ends_on": (today + days(80)).isoformat(),
    } | changes


def test_an_authorization_needs_a_policy_first(world: World, client_as: ClientAs) -> None:
    page = client_as(world.front_desk).get(
        reverse("billing:authorization_new", args=[world.child.id])
    )
    assert page.status_code == 200
    assert "An authorization belongs to a policy: add the child" in page.content.decode()


def test_the_office_adds_an_authorization(world: World, client_as: ClientAs) -> None:
    policy = make_policy(world.admin, world.child, make_payer(world.admin))
    url = reverse("billing:authorization_new", args=[world.child.id])
    client = client_as(world.billing)
    assert client.get(url + f"?policy={policy.id}").status_code == 200
    unknown = client.post(url, authorization_form(policy, codes=["97530", "99999"]))
    assert unknown.status_code == 200 and "99999 is not a service code Tandem knows." in text(
        unknown
    )
    outside = client.post(url, authorization_form(policy, starts_on="2000-01-01"))
    assert "An authorization falls within its policy" in text(outside)
    assert not Authorization.objects.exists()
    made = client.post(url, authorization_form(policy))
    assert made.status_code == 302
    authorization = Authorization.objects.get()
    assert (authorization.codes, authorization.counts, authorization.allowed) == (
        ["97110", "97530"],
        "units",
        40,
    )


def test_an_authorization_is_changed(world: World, client_as: ClientAs) -> None:
    authorization = insured(world)
    url = reverse("billing:authorization", args=[world.child.id, authorization.id])
    client = client_as(world.front_desk)
    page = client.get(url)
    assert page.status_code == 200 and "0 of 10 visits used" in text(page)
    form = authorization_form(authorization.policy, allowed="20", version="1")
    del form["policy"]
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 409
    authorization.refresh_from_db()
    assert (authorization.allowed, authorization.number, authorization.version) == (20, "A-77", 2)


def test_the_team_reads_the_use_but_not_the_policies(world: World, client_as: ClientAs) -> None:
    authorization = insured(world, allowed=10)
    url = reverse("billing:authorizations", args=[world.child.id])
    for member in (world.therapist, world.consulting_therapist, world.assistant):
        page = client_as(member).get(url)
        assert page.status_code == 200
        assert "AUTH-1" in text(page) and "0 of 10 visits used" in text(page)
        assert "XJH123456" not in text(page)  # the member ID is the office's
        assert reverse("billing:authorization", args=[world.child.id, authorization.id]) not in (
            page.content.decode()
        )
    office = client_as(world.front_desk).get(url)
    assert "XJH123456" in text(office) and "Add an authorization" in text(office)
    for member in (world.guardian, world.unassigned_therapist, world.foreign_admin):
        assert client_as(member).get(url).status_code == 404


def test_the_billing_page_shows_policies_and_authorizations(
    world: World, client_as: ClientAs
) -> None:
    insured(world)
    page = client_as(world.billing).get(reverse("billing:child", args=[world.child.id]))
    assert page.status_code == 200
    body = text(page)
    assert "Insurance policies" in body and "XJH123456" in body and "AUTH-1" in body


def test_the_use_page_is_a_fixed_number_of_queries(
    world: World, client_as: ClientAs, django_assert_max_num_queries
) -> None:
    authorization = insured(world)
    client = client_as(world.front_desk)
    url = reverse("billing:authorizations", args=[world.child.id])
    client.get(url)
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    for n in range(5):
        make_authorization(world.admin, world.child, authorization.policy, number=f"B-{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "B-4" in text(client.get(url))
