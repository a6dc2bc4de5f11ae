"""Every page a family, a collaborator or a child sees, on a phone (375 px) and on a laptop
(1280 px): axe-core finds no serious or critical WCAG 2.1 A/AA violation, nothing scrolls
sideways, and every control outside running text is at least 44 px tall. Each page is
captured in ``test-results/screenshots/a11y-<page>-<width>.png`` for people to look at."""

import datetime
import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from tandem.assessments.tests.helpers import make_evaluation
from tandem.childmode.tests.helpers import goals_with_levels
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.messaging.actions import post_message, send_handoff
from tandem.messaging.tests.helpers import make_schedule, make_thread, sbar
from tandem.plans import actions
from tandem.plans.tests.helpers import first_goal, make_plan
from tandem.progress.tests.helpers import record_sessions
from tandem.resources.tests.helpers import make_workshop

from .accessibility import BLOCKING, axe_violations, describe
from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, screenshot_dir, sign_in

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

# One page to check: its name, the tab it opens in, and its address or the steps that
# lead to it (filling a form, say).
Step = tuple[str, Page, str | Callable[[Page], None]]


def family_pages(world: World) -> dict[str, str]:
    """An active plan with a child-chosen goal, eight weeks of signed sessions and a final
    evaluation for Maya: enough for every family page to show what it is for."""
    maya, therapist = world.child, world.therapist
    today = clinic_today()
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
        "family-home": reverse("homeprogram:family_home"),
        "child": maya.get_absolute_url(),
        "plans": reverse("plans:index", args=[child_id]),
        "plan": reverse("plans:detail", args=[child_id, plan.id]),
        "progress": reverse("progress:index", args=[child_id]),
        "family-report": reverse("progress:report", args=[child_id]),
        "evaluation": reverse("assessments:evaluation", args=[child_id, evaluation.id]),
        "preferences": reverse("accounts:preferences"),
        "not-found": "/children/no-such-page/",
    }


def assert_pages_pass(
    steps: list[Step], viewport: ViewportSize, request: pytest.FixtureRequest
) -> None:
    """Open each page in turn; fail listing every axe violation, overflow and small target."""
    folder = screenshot_dir(request.config)
    width = viewport["width"]
    violations: list[str] = []
    overflowing: list[str] = []
    small: list[str] = []
    for name, page, address in steps:
        if callable(address):
            address(page)
        else:
            response = page.goto(address)
            assert response is not None
            expected = 404 if name == "not-found" else 200
            assert response.status == expected, (name, response.status)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        page.screenshot(path=folder / f"a11y-{name}-{width}.png", full_page=True)
        if blocking := [v for v in axe_violations(page) if v["impact"] in BLOCKING]:
            violations.append(f"{name} ({page.url}):\n{describe(blocking)}")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(name)
        small.extend(f"{name}: {target}" for target in page.evaluate(SMALL_TARGETS))

    assert not violations, f"axe-core at {width} px found serious or critical violations:\n" + (
        "\n".join(violations)
    )
    assert not overflowing, f"Wider than a {width} px window: {', '.join(overflowing)}"
    assert not small, "Touch targets under 44 px:\n" + "\n".join(small)


def test_family_pages_pass_axe_fit_the_window_and_have_44px_targets(
    new_page: NewPage, viewport: ViewportSize, world: World, request: pytest.FixtureRequest
) -> None:
    guardian = new_page(viewport)
    sign_in(guardian, world.guardian)
    steps: list[Step] = [(name, guardian, address) for name, address in family_pages(world).items()]
    steps.append(("sign-in", new_page(viewport), reverse("account_login")))
    assert_pages_pass(steps, viewport, request)


def conversation_and_sharing(world: World) -> None:
    """A conversation with a picture and a new message for the family, a check-in due, a
    hand-off, a workshop, goals for child mode, and a signed session of Noah's (his family
    shares everything with his teacher)."""
    maya, therapist = world.child, world.therapist
    make_thread(maya, world.guardian, therapist)
    post_message(therapist, maya, "Lovely! Try the big buttons on her coat next.")
    handoff: dict[str, Any] = sbar()
    send_handoff(therapist, maya, world.assistant, **handoff)
    make_schedule(maya, therapist)
    make_workshop(therapist, title="Parent evening: play")
    goals_with_levels(maya, therapist, {"I want to ride my bike": 1})
    noah_goal = first_goal(make_plan(world.other_child, world.unassigned_therapist, goals=1))
    record_sessions(
        world.unassigned_therapist,
        world.other_child,
        [(clinic_today() - datetime.timedelta(days=3), {noah_goal: (50.0, 0)})],
    )


def answer_checkin_saying_it_is_hard(page: Page, child_id: uuid.UUID) -> None:
    """Send the check-in from its form: the thanks page then offers support."""
    page.goto(reverse("messaging:checkin", args=[child_id]))
    page.get_by_label("Finding it hard").check()
    page.get_by_role("button", name="Send to the team").click()
    expect(page.get_by_role("heading", name="You do not have to carry this alone")).to_be_visible()


def send_empty(page: Page, address: str, button: str) -> None:
    """Send a form without filling it in: the page shows what is missing."""
    page.goto(address)
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("alert").first).to_be_visible()


def share_without_details(page: Page, child_id: uuid.UUID) -> None:
    """Send the sharing form empty: ``consent:grant`` shows the form again with its errors."""
    send_empty(page, reverse("consent:index", args=[child_id]), "Share")
    expect(page).to_have_url(re.compile(re.escape(reverse("consent:grant", args=[child_id]))))


def remind_on_no_day(page: Page) -> None:
    """Turn practice reminders on with no day chosen: the settings say what is missing."""
    page.goto(reverse("notifications:preferences"))
    page.get_by_label("Remind me to practise").check()
    for day in page.locator("ul.days input[type=checkbox]").all():
        day.uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Choose at least one day")


def start_child_mode(page: Page, child_id: uuid.UUID) -> None:
    page.goto(reverse("childmode:start", args=[child_id]))
    page.get_by_role("button", name=re.compile("^Start child mode")).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("childmode:home")) + "$"))


def leave_child_mode_with_a_wrong_password(page: Page) -> None:
    page.goto(reverse("childmode:exit"))
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Leave child mode").click()
    expect(page.get_by_role("alert").first).to_contain_text("not the password")


def test_messages_sharing_collaborator_and_child_mode_pages_pass_axe_and_fit_the_window(
    new_page: NewPage, viewport: ViewportSize, world: World, request: pytest.FixtureRequest
) -> None:
    conversation_and_sharing(world)
    maya, noah = world.child.id, world.other_child.id
    guardian = new_page(viewport)
    sign_in(guardian, world.guardian)
    therapist = new_page(viewport)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    teacher = new_page(viewport)
    sign_in(teacher, world.consented_collaborator)  # everything of Noah's
    handed_over = new_page(viewport)
    sign_in(handed_over, world.guardian)
    messages, checkin = (reverse(f"messaging:{n}", args=[maya]) for n in ("index", "checkin"))
    observe = reverse("collaborators:observe", args=[noah])
    steps: list[Step] = [
        ("messages-family", guardian, messages),
        ("messages-family-errors", guardian, partial(send_empty, address=messages, button="Send")),
        ("check-in", guardian, checkin),
        (
            "check-in-errors",
            guardian,
            partial(send_empty, address=checkin, button="Send to the team"),
        ),
        ("check-in-thanks", guardian, partial(answer_checkin_saying_it_is_hard, child_id=maya)),
        ("notifications", guardian, reverse("notifications:index")),
        ("notification-settings", guardian, reverse("notifications:preferences")),
        ("notification-settings-errors", guardian, remind_on_no_day),
        ("sharing", guardian, reverse("consent:index", args=[maya])),
        ("sharing-errors", guardian, partial(share_without_details, child_id=maya)),
        ("workshops", guardian, reverse("resources:workshops")),
        ("child-mode-start", guardian, reverse("childmode:start", args=[maya])),
        ("messages-team", therapist, messages),
        ("notifications-team", therapist, reverse("notifications:index")),
        ("shared-summary", teacher, reverse("collaborators:child", args=[noah])),
        ("shared-notes", teacher, reverse("collaborators:notes", args=[noah])),
        ("shared-observe", teacher, observe),
        ("shared-observe-errors", teacher, partial(send_empty, address=observe, button="Send")),
        ("child-mode", handed_over, partial(start_child_mode, child_id=maya)),
        ("child-mode-leave", handed_over, reverse("childmode:exit")),
        ("child-mode-leave-errors", handed_over, leave_child_mode_with_a_wrong_password),
    ]
    assert_pages_pass(steps, viewport, request)
