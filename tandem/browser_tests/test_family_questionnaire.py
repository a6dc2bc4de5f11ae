"""A guardian is told the team asks for the PSC-17 and fills it on a phone before an
evaluation: one section per screen, saves and leaves, comes back, sends; the therapist
reads the answers, the scores and the language the family answered in.

Every screen passes axe-core (no serious or critical WCAG 2.1 A/AA violation), fits a
375 px window and has 44 px touch targets.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.assessments.family import ask_family
from tandem.assessments.models import QuestionnaireResponse
from tandem.assessments.tests.helpers import make_evaluation
from tandem.assessments.tests.test_psc17 import FORM
from tandem.browser_tests.accessibility import BLOCKING, axe_violations, describe
from tandem.browser_tests.conftest import (
    DESKTOP,
    PHONE,
    NewPage,
    give_authenticator,
    screenshot_dir,
    sign_in,
)
from tandem.browser_tests.test_accessibility import SMALL_TARGETS
from tandem.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]

LINKS = [link for link, _t, _c in FORM]


def check(tab: Page, name: str, folder: Path) -> list[str]:
    tab.screenshot(path=folder / f"questionnaire-{name}-375.png", full_page=True)
    problems = []
    if blocking := [v for v in axe_violations(tab) if v["impact"] in BLOCKING]:
        problems.append(f"{name}: axe\n{describe(blocking)}")
    if tab.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        problems.append(f"{name}: wider than 375 px")
    problems.extend(f"{name}: small target {t}" for t in tab.evaluate(SMALL_TARGETS))
    return problems


def answer(page: Page, links: list[str], label: str) -> None:
    for link in links:
        page.locator(f"#q-{link}").get_by_text(label, exact=True).click()


def test_guardian_saves_resumes_and_sends_the_psc17_the_therapist_reads_it(
    page: Page, new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    evaluation = make_evaluation(world.child, world.therapist, status="draft")
    ask_family(evaluation, world.therapist, "psc17")
    folder = screenshot_dir(request.config)
    problems: list[str] = []

    sign_in(page, world.guardian)
    # The family is told: the notice opens the questionnaire.
    page.goto(reverse("notifications:index"))
    page.get_by_role("button", name=re.compile("A questionnaire about Maya")).click()
    expect(page.get_by_text("Part 1 of 3")).to_be_visible()
    page.goto(reverse("assessments:family_list", args=[world.child.id]))
    problems += check(page, "list", folder)
    page.get_by_role("link", name=re.compile("^Start")).click()
    expect(page.get_by_text("Part 1 of 3")).to_be_visible()
    answer(page, LINKS[:6], "Often")
    problems += check(page, "step-1", folder)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Part 2 of 3")).to_be_visible()
    answer(page, LINKS[6:12], "Sometimes")
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved")
    saved = QuestionnaireResponse.objects.get(questionnaire="psc17")
    assert saved.status == "in-progress" and len(saved.answers) == 12

    page.goto(reverse("homeprogram:family_home"))  # leave …
    page.goto(reverse("assessments:family_list", args=[world.child.id]))  # … and come back
    page.get_by_role("link", name=re.compile("^Continue")).click()
    expect(page.locator("#q-sad").get_by_label("Often")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#q-rules").get_by_label("Sometimes")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Part 3 of 3")).to_be_visible()
    page.get_by_role("button", name="Send to the team").click()  # one screen unanswered
    expect(page.get_by_role("alert")).to_contain_text("Some answers need attention")
    problems += check(page, "step-3-errors", folder)
    answer(page, LINKS[12:], "Never")
    page.get_by_role("button", name="Send to the team").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers were sent to the team")
    problems += check(page, "sent", folder)
    saved.refresh_from_db()
    assert saved.status == "completed"

    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    therapist.goto(evaluation.get_absolute_url())
    section = therapist.locator("h4", has_text="Pediatric Symptom Checklist")
    expect(section).to_contain_text("Filled in by the family")
    expect(therapist.get_by_text("The family answered in English.")).to_be_visible()
    # I = sad 2 + hopeless 2 + down-on-self 1 + less-fun 1 + worries 0 = 6;
    # A = fidgety 2 + daydreams 2 + concentrating 1 = 5; E = 2 + 2 + 1 + 1 + 1 = 7; total 18.
    for expected in ("6 / 10", "5 / 10", "7 / 14", "18 / 34"):
        expect(therapist.locator("table", has_text="Internalizing")).to_contain_text(expected)
    assert not problems, "\n".join(problems)
