"""Each behavior-analytic data type from entry to chart, in a real browser: the editor's
widget (per-step prompt levels, the observation, duration and latency timers, the
interval timer with its visual cue) fills the note, signing it, and the goal's chart on
the progress page shows the session's value."""

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.browser_tests.accessibility import assert_accessible
from tandem.browser_tests.conftest import give_authenticator, sign_in
from tandem.conftest import World
from tandem.notes.models import GoalData
from tandem.notes.tests.helpers import make_note
from tandem.plans import actions as plan_actions
from tandem.plans.models import Goal
from tandem.plans.tests.helpers import goal_fields, make_plan

pytestmark = pytest.mark.browser

STEPS = ["Take the toothbrush", "Put paste on", "Brush top teeth", "Brush bottom teeth"]


def open_editor(page: Page, world: World, kind: str, **fields: object) -> tuple[Goal, GoalData]:
    plan = make_plan(world.child, world.therapist, goals=0)
    goal = plan_actions.add_goal(
        plan,
        **goal_fields(measurement_type=kind, mastery_value=50, statement=f"A {kind}.", **fields),
    )
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    page.goto(reverse("notes:edit", args=[world.child.id, note.id]))
    return goal, GoalData.objects.get(note=note)


def saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_contain_text("Draft saved at", timeout=15_000)


def stored(page: Page, entry: GoalData, check: Callable[[GoalData], bool]) -> GoalData:
    """The entry as saved once ``check`` holds (autosaves land a moment after the input)."""
    for _attempt in range(60):
        found = GoalData.objects.get(organization_id=entry.organization_id, pk=entry.pk)
        if check(found):
            return found
        page.wait_for_timeout(250)
    raise AssertionError(f"never saved as expected: {found.__dict__}")


def sign_and_see_the_chart(page: Page, world: World, goal: Goal, shown: str) -> None:
    """Sign the note, then find the session's value in the goal's chart and its table."""
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_role("status").first).to_contain_text("You signed the note.")
    page.goto(reverse("progress:index", args=[world.child.id]))
    card = page.locator(f"#goal-{goal.id}")
    expect(card.locator("svg:visible").first).to_be_visible()
    card.get_by_text("Show the latest sessions as a table").click()
    expect(card.locator("tbody tr").first).to_contain_text(shown)


def test_task_analysis_steps(page: Page, world: World) -> None:
    goal, entry = open_editor(
        page, world, "task_analysis", task_steps="\n".join(STEPS), chaining="forward"
    )
    expect(page.get_by_text("Forward chaining")).to_be_visible()
    assert_accessible(page, name="the editor with task steps")
    page.get_by_role("button", name="Mark every step independent").click()
    saved(page)
    page.get_by_label("2. Put paste on").select_option("verbal")
    page.get_by_label("4. Brush bottom teeth").select_option("")  # not taught today
    entry = stored(page, entry, lambda e: e.step_prompts[-1] == "")
    assert entry.step_prompts == ["independent", "verbal", "independent", ""]
    assert (entry.steps_done, entry.steps_total, entry.value) == (2, 3, 66.7)  # 2 of 3 scored
    sign_and_see_the_chart(page, world, goal, "66.7")


def test_rate_with_the_observation_timer(page: Page, world: World) -> None:
    goal, entry = open_editor(page, world, "rate")
    page.get_by_role("button", name="Start observing").click()
    for _tap in range(3):
        page.get_by_role("button", name="+1 occurrence").click()
    page.wait_for_timeout(1_200)
    page.get_by_role("button", name="Stop").click()
    minutes = page.get_by_label("Minutes observed")
    expect(minutes).to_have_value(re.compile(r"^0\.0[2-9]$"))  # about 1.2 s, in minutes
    expect(page.get_by_label("Count")).to_have_value("3")
    saved(page)
    minutes.fill("2")  # the real observation: 3 in 2 minutes
    page.get_by_label("Comment").click()
    entry = stored(page, entry, lambda e: e.observation_minutes == 2.0)
    assert (entry.count, entry.observation_minutes, entry.value) == (3, 2.0, 1.5)
    sign_and_see_the_chart(page, world, goal, "1.5")


@pytest.mark.parametrize(
    ("kind", "start", "stop"),
    [
        ("duration", "Start", "Stop"),
        ("latency", "Cue given", "Response"),
    ],
)
def test_duration_and_latency_timers(
    page: Page, world: World, kind: str, start: str, stop: str
) -> None:
    goal, entry = open_editor(page, world, kind, lower_is_better=kind == "latency")
    page.get_by_role("button", name=start, exact=True).click()
    page.wait_for_timeout(2_200)
    page.get_by_role("button", name=stop, exact=True).click()
    field = page.get_by_label(re.compile(r"^(Duration|Latency) \(minutes:seconds\)"))
    expect(field).to_have_value(re.compile(r"^0:0[2-4]$"))
    entry = stored(page, entry, lambda e: e.duration_seconds is not None)
    assert entry.duration_seconds in (2, 3, 4) and entry.value == entry.duration_seconds
    sign_and_see_the_chart(page, world, goal, str(entry.duration_seconds))


# What the editor tells the observer to do in each kind of interval recording.
INTERVAL_HELP = {
    "partial_interval": "if the behavior happens at any time during the interval",
    "whole_interval": "if the behavior lasts the whole interval",
    "momentary_sampling": "only if the behavior is happening at that moment",
}


@pytest.mark.parametrize("kind", list(INTERVAL_HELP))
def test_interval_recording_with_the_visual_cue(page: Page, world: World, kind: str) -> None:
    goal, entry = open_editor(page, world, kind)
    expect(page.locator(".interval-timer .help")).to_contain_text(INTERVAL_HELP[kind])
    page.get_by_label("Interval length (seconds)").fill("2")
    page.get_by_role("button", name="Start intervals").click()
    seen = page.get_by_role("button", name="Seen")
    seen.click()
    expect(seen).to_have_attribute("aria-pressed", "true")
    cue = page.locator("[data-interval-cue]")
    expect(cue).to_contain_text("Interval 1 recorded: seen", timeout=5_000)
    expect(cue).to_have_class(re.compile("interval-flash"))  # the visual cue
    expect(seen).to_have_attribute("aria-pressed", "false")  # the next interval starts clear
    expect(cue).to_contain_text("Interval 2 recorded: not seen", timeout=5_000)
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(cue).to_contain_text("Stopped after 2 intervals.")
    expect(page.get_by_label("Intervals (1 = scored, 0 = not)")).to_have_value("10")
    assert_accessible(page, name="the editor with the interval timer")
    entry = stored(page, entry, lambda e: len(e.intervals) == 2)
    assert (entry.interval_seconds, entry.intervals, entry.value) == (2, [True, False], 50.0)
    sign_and_see_the_chart(page, world, goal, "50")


def test_a_second_observer_gives_the_ioa_and_no_second_reading(page: Page, world: World) -> None:
    goal, entry = open_editor(page, world, "frequency")
    page.get_by_label("Count").fill("9")
    page.get_by_text("Second observer (inter-observer agreement)").click()
    page.get_by_label("Second observer", exact=True).fill("Sam Ortiz")
    page.get_by_label("What the second observer recorded").fill("10")
    page.get_by_label("Comment").click()
    entry = stored(page, entry, lambda e: e.second_observer.get("count") == 10)
    assert entry.second_observer == {"observer": "Sam Ortiz", "count": 10}
    assert entry.value == 9.0  # the first observer's count: IOA is never a reading
    sign_and_see_the_chart(page, world, goal, "9")
    card = page.locator(f"#goal-{goal.id}")
    expect(card.locator("tbody tr")).to_have_count(1)  # one session, not two
    page.goto(reverse("notes:detail", args=[world.child.id, entry.note_id]))
    expect(page.get_by_text("IOA with Sam Ortiz: 90 %")).to_be_visible()  # 9 / 10
