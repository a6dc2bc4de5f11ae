"""Each clinic's own goal bank: copied from the shipped bank once, then edited by its staff."""

import json

import pytest
from django.urls import reverse

from tandem.plans import goal_bank
from tandem.plans.models import Goal, GoalBankEntry
from tandem.plans.tests.helpers import make_plan

SHIPPED = [
    {
        "discipline": "ot",
        "domain": "fine_motor",
        "statement": "{child} will cut along a 6-inch line staying within 1/4 inch.",
        "baseline_example": "{child} snips paper.",
        "measurement_type": "percent_trials",
        "mastery_criterion": "80 % of trials",
        "mastery_value": 80,
        "mastery_sessions": 3,
        "lower_is_better": False,
        "gas_levels": {
            "-2": "Snips",
            "-1": "Cuts 2 inches",
            "0": "Cuts 6 inches",
            "1": "Cuts a curve",
            "2": "Cuts a circle",
        },
        "strategies": ["Loop scissors", "Thick lines"],
        "age_range_months": [36, 84],
    },
    {
        "discipline": "slp",
        "domain": "communication",
        "statement": "{child} will ask for help using a two-word phrase.",
        "baseline_example": "{child} pulls an adult's hand towards what she wants.",
        "measurement_type": "frequency",
        "mastery_criterion": "5 times per session",
        "mastery_value": 5,
        "mastery_sessions": 2,
        "gas_levels": {"-2": "0", "-1": "1", "0": "3", "1": "4", "2": "5"},
        "strategies": "Model the phrase",
        "age_range_months": {"min": 24, "max": 72},
    },
]


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    path = tmp_path / "goal_bank.json"
    path.write_text(json.dumps(SHIPPED))
    monkeypatch.setattr(goal_bank, "GOAL_BANK_JSON", path)
    return path


def test_the_bank_is_copied_once_per_organization(world, shipped):
    assert goal_bank.ensure_goal_bank(world.org) == 2
    assert goal_bank.ensure_goal_bank(world.org) == 0
    assert GoalBankEntry.objects.filter(organization=world.org).count() == 2
    assert goal_bank.ensure_goal_bank(world.foreign_org) == 2
    entry = GoalBankEntry.objects.get(organization=world.org, discipline="slp")
    assert (entry.min_age_months, entry.max_age_months) == (24, 72)
    assert entry.strategies == ["Model the phrase"]


def test_switched_off_entries_are_not_copied_again(world, shipped):
    goal_bank.ensure_goal_bank(world.org)
    for entry in GoalBankEntry.objects.filter(organization=world.org):
        goal_bank.save_bank_entry(entry, is_active=False)
    assert goal_bank.ensure_goal_bank(world.org) == 0


def test_the_shipped_bank_is_well_formed():
    if not goal_bank.GOAL_BANK_JSON.exists():
        pytest.skip("data/goal_bank.json ships separately")
    goals = goal_bank.shipped_goal_bank()
    assert len(goals) >= 60
    for item in goals:
        entry = goal_bank._bank_entry(None, item)
        assert goal_bank.bank_entry_problems(entry) == {}, item["statement"]
        assert "{child}" in item["statement"]
        assert item["measurement_type"] == "gas_only" or item["mastery_value"] is not None


def test_therapist_browses_the_bank_with_filters(world, client_as, shipped):
    client = client_as(world.therapist)
    body = client.get(reverse("plans:goal_bank")).content.decode()
    assert "cut along a 6-inch line" in body and "two-word phrase" in body
    partial = client.get(
        reverse("plans:goal_bank"), {"domain": "communication"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "two-word phrase" in partial and "6-inch" not in partial


def test_guardians_have_no_goal_bank(world, client_as, shipped):
    for member in (world.guardian, world.collaborator):
        assert client_as(member).get(reverse("plans:goal_bank")).status_code == 404


def entry_data(**changes):
    data = {
        "discipline": "pt",
        "domain": "gross_motor",
        "statement": "{child} will hop on one foot 5 times.",
        "baseline_example": "",
        "measurement_type": "frequency",
        "mastery_value": "5",
        "mastery_sessions": "3",
        "mastery_criterion": "5 hops, 3 sessions",
        "min_age_months": 36,
        "max_age_months": 96,
        "is_active": "on",
        "level_minus_2": "No hops",
        "level_minus_1": "1 hop",
        "level_0": "3 hops",
        "level_plus_1": "5 hops",
        "level_plus_2": "10 hops",
        "strategy_lines": "Hopscotch\n\nMirror practice",
    }
    data.update(changes)
    return data


def test_therapist_adds_an_entry(world, client_as):
    response = client_as(world.therapist).post(reverse("plans:goal_bank_entry"), entry_data())
    assert response.status_code == 302
    entry = GoalBankEntry.objects.get(organization=world.org, discipline="pt")
    assert entry.gas_levels["0"] == "3 hops"
    assert entry.strategies == ["Hopscotch", "Mirror practice"]


def test_an_entry_with_two_identical_levels_is_refused(world, client_as):
    response = client_as(world.admin).post(
        reverse("plans:goal_bank_entry"), entry_data(level_plus_2="5 HOPS")
    )
    assert response.status_code == 200
    assert "Each GAS level must describe a different outcome." in response.content.decode()
    assert not GoalBankEntry.objects.filter(discipline="pt").exists()


def test_admin_switches_an_entry_off(world, client_as, shipped):
    goal_bank.ensure_goal_bank(world.org)
    entry = GoalBankEntry.objects.get(organization=world.org, discipline="ot")
    url = reverse("plans:goal_bank_entry") + f"?id={entry.id}"
    client = client_as(world.admin)
    assert "cut along a 6-inch line" in client.get(url).content.decode()
    data = entry_data(discipline="ot", domain="fine_motor", statement=entry.statement)
    del data["is_active"]
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert not entry.is_active
    assert entry.gas_levels["2"] == "10 hops"


def test_another_clinics_entry_is_404(world, client_as, shipped):
    goal_bank.ensure_goal_bank(world.foreign_org)
    entry = GoalBankEntry.objects.filter(organization=world.foreign_org).first()
    url = reverse("plans:goal_bank_entry") + f"?id={entry.id}"
    client = client_as(world.admin)
    assert client.get(url).status_code == 404
    assert client.post(url, entry_data()).status_code == 404
    assert client.get(reverse("plans:goal_bank_entry") + "?id=not-a-uuid").status_code == 404


def test_an_entry_without_a_mastery_value_is_refused(world, client_as):
    response = client_as(world.admin).post(
        reverse("plans:goal_bank_entry"), entry_data(mastery_value="")
    )
    assert response.status_code == 200
    assert "Give the value that counts as mastery" in response.content.decode()
    assert not GoalBankEntry.objects.filter(discipline="pt").exists()


def as_posted(form):
    """What a browser posts for a form as the page shows it (its initial values)."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def test_a_goal_from_the_bank_saves_on_the_first_try(world, client_as, shipped):
    plan = make_plan(world.child, world.therapist, goals=0)
    goal_bank.ensure_goal_bank(world.org)
    entry = GoalBankEntry.objects.get(organization=world.org, discipline="slp")
    client = client_as(world.therapist)
    url = reverse("plans:goal_new", args=[world.child.id, plan.id])
    page = client.get(url, {"bank": entry.id})
    assert page.status_code == 200
    response = client.post(url, as_posted(page.context["form"]))
    assert response.status_code == 302, response.context["form"].errors
    goal = Goal.objects.get(organization=world.org, plan=plan)
    assert (goal.measurement_type, goal.mastery_value, goal.mastery_sessions) == (
        "frequency",
        5,
        2,
    )
    assert goal.statement == "Maya will ask for help using a two-word phrase."
    assert goal.bank_entry == entry


def test_the_bank_shows_the_childs_name_and_the_goals_already_in_the_plan(
    world, client_as, shipped
):
    plan = make_plan(world.child, world.therapist, goals=0)
    goal_bank.ensure_goal_bank(world.org)
    entry = GoalBankEntry.objects.get(organization=world.org, discipline="slp")
    client = client_as(world.therapist)
    pick = reverse("plans:goal_bank_pick", args=[world.child.id, plan.id])
    body = client.get(pick, {"q": ""}).content.decode()
    assert "Maya will ask for help" in body and "{child}" not in body
    assert "Already in this plan" not in body
    url = reverse("plans:goal_new", args=[world.child.id, plan.id])
    page = client.get(url, {"bank": entry.id})
    assert client.post(url, as_posted(page.context["form"])).status_code == 302
    body = client.get(pick, {"q": ""}).content.decode()
    assert body.count("Already in this plan") == 1
    assert "Use it again" in body
