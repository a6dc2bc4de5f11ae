"""The family's pages on a phone (375 px) and on a laptop (1280 px): axe-core finds no
serious or critical WCAG 2.1 A/AA violation, nothing scrolls sideways, and every control
outside running text is at least 44 px tall. Each page is captured in
``test-results/screenshots/a11y-<page>-<width>.png`` for people to look at."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.assessments.tests.helpers import make_evaluation
from tandem.plans import actions
from tandem.plans.tests.helpers import first_goal, make_plan
from tandem.progress.tests.helpers import record_sessions

from .accessibility import BLOCKING, axe_violations, describe
from .conftest import DESKTOP, PHONE, NewPage, screenshot_dir, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"]),
]

# Visible controls shorter than 44 px, leaving out links inside running text (display
# inline), checkboxes and radios (their label is the target) and the skip link until focused.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, select, textarea, summary, '
    + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
  .filter(e => e.offsetParent !== null && !e.classList.contains('skip-link'))
  .filter(e => getComputedStyle(e).display !== 'inline')
  .filter(e => e.getBoundingClientRect().height < 43.5)
  .map(e => `${e.tagName.toLowerCase()} "${(e.innerText || e.name || '').trim().slice(0, 40)}"`
            + ` ${Math.round(e.getBoundingClientRect().height)} px`)"""


def family_pages(world) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """An active plan with a child-chosen goal, eight weeks of signed sessions and a final
    evaluation for Maya: enough for every family page to show what it is for."""
    maya, therapist = world.child, world.therapist
    today = datetime.date.today()
    plan = make_plan(maya, therapist, goals=2, start_date=today - datetime.timedelta(weeks=10))
    goal = first_goal(plan)
    goal = actions.update_goal(
        goal,
        expected_version=goal.version,
        child_chosen=True,
        child_words="I want to do my own coat",
    )
    weeks = range(8)
    record_sessions(
        therapist,
        maya,
        [
            (today - datetime.timedelta(weeks=8 - week), {goal: (20.0 + 8 * week, week // 2 - 2)})
            for week in weeks
        ],
    )
    evaluation = make_evaluation(maya, therapist)
    child_id = maya.id
    return {
        "family-home": reverse("children:family_home"),
        "child": maya.get_absolute_url(),
        "plans": reverse("plans:index", args=[child_id]),
        "plan": reverse("plans:detail", args=[child_id, plan.id]),
        "progress": reverse("progress:index", args=[child_id]),
        "family-report": reverse("progress:report", args=[child_id]),
        "evaluation": reverse("assessments:evaluation", args=[child_id, evaluation.id]),
        "preferences": reverse("accounts:preferences"),
        "not-found": "/children/no-such-page/",
    }


def test_family_pages_pass_axe_fit_the_window_and_have_44px_targets(
    new_page: NewPage, viewport: dict[str, int], world, request
):
    folder = screenshot_dir(request.config)
    width = viewport["width"]
    guardian = new_page(viewport)
    sign_in(guardian, world.guardian)
    pages: list[tuple[str, Page, str]] = [
        (name, guardian, address) for name, address in family_pages(world).items()
    ]
    pages.append(("sign-in", new_page(viewport), reverse("account_login")))

    violations, overflowing, small = [], [], []
    for name, page, address in pages:
        response = page.goto(address)
        assert response is not None
        assert response.status == (404 if name == "not-found" else 200), (name, response.status)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        page.screenshot(path=folder / f"a11y-{name}-{width}.png", full_page=True)
        if blocking := [v for v in axe_violations(page) if v["impact"] in BLOCKING]:
            violations.append(f"{name} ({address}):\n{describe(blocking)}")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(name)
        small.extend(f"{name}: {target}" for target in page.evaluate(SMALL_TARGETS))

    assert not violations, f"axe-core at {width} px found serious or critical violations:\n" + (
        "\n".join(violations)
    )
    assert not overflowing, f"Wider than a {width} px window: {', '.join(overflowing)}"
    assert not small, "Touch targets under 44 px:\n" + "\n".join(small)
