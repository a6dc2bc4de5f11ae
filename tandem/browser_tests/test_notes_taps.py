"""Trials recorded exactly as tapped: a slow network queues the taps, and each one is
still stored with the prompt level and the result chosen when it was tapped. Leaving
the editor while anything is unsaved asks first."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Dialog, Page, Route, expect

from tandem.browser_tests.conftest import give_authenticator, sign_in
from tandem.conftest import World
from tandem.notes.models import GoalData
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.browser

LATENCY_MS = 400  # each request waits this long each way: taps queue behind each other
TAPS = [
    ("verbal", "correct"),
    ("independent", "correct"),
    ("model", "incorrect"),
    ("verbal", "correct"),
    ("full_physical", "incorrect"),
    ("gestural", "correct"),
    ("partial_physical", "correct"),
    ("verbal", "incorrect"),
]


def slow_network(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": 50_000,
            "uploadThroughput": 20_000,
        },
    )


def test_fast_taps_on_a_slow_network_keep_each_prompt_level(page: Page, world: World) -> None:
    note = make_note(world.child, world.therapist, data={}, objective="")
    entry = GoalData.objects.get(note=note)
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    page.goto(reverse("notes:edit", args=[world.child.id, note.id]))
    prompt = page.get_by_label("Prompt level for the next trial")
    buttons = {
        "correct": page.get_by_role("button", name="+ Correct"),
        "incorrect": page.get_by_role("button", name="− Incorrect"),
    }
    dialogs: list[str] = []

    def stay(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    slow_network(page)

    for level, result in TAPS:  # no waiting: the therapist taps as the child answers
        prompt.select_option(level)
        buttons[result].click()

    # Still sending: leaving now asks first, and staying keeps the page.
    with page.expect_event("dialog", timeout=5_000):
        page.evaluate("() => { window.location.href = '/'; }")
    assert dialogs == ["beforeunload"]

    tally = page.locator(f"#tally-{entry.goal_id}")
    correct = sum(1 for _level, result in TAPS if result == "correct")
    expect(tally).to_contain_text(f"{correct} of {len(TAPS)} correct", timeout=30_000)
    expect(page.locator("#save-status")).to_contain_text("Draft saved at", timeout=30_000)

    entry.refresh_from_db()
    assert entry.trials == [
        {"correct": result == "correct", "prompt": level} for level, result in TAPS
    ]

    # Everything saved: leaving asks nothing. (The last prompt change's autosave waits
    # CHOICE_PAUSE_MS, 0.4 s, in editor.js: let it fire and its answer come back first.)
    page.wait_for_timeout(1_000)
    page.wait_for_load_state("networkidle")
    page.goto(reverse("notes:index", args=[world.child.id]))
    assert dialogs == ["beforeunload"]


def test_a_tap_whose_answer_was_lost_is_sent_again_and_counted_once(
    page: Page, world: World
) -> None:
    note = make_note(world.child, world.therapist, data={}, objective="")
    entry = GoalData.objects.get(note=note)
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    edit = reverse("notes:edit", args=[world.child.id, note.id])
    page.goto(edit)
    lost: list[int] = []

    def lose_the_first_answer(route: Route) -> None:
        posted = route.request.post_data or ""
        if route.request.method == "POST" and "trial=" in posted and not lost:
            lost.append(route.fetch().status)  # the server records the tap…
            route.abort("connectionreset")  # …but the phone never hears back
        else:
            route.continue_()

    page.route(re.compile(re.escape(edit) + "$"), lose_the_first_answer)
    page.get_by_label("Prompt level for the next trial").select_option("model")
    page.get_by_role("button", name="+ Correct").click()
    tally = page.locator(f"#tally-{entry.goal_id}")
    expect(tally).to_contain_text("1 of 1 correct")
    assert lost == [200]
    entry.refresh_from_db()
    assert entry.trials == [{"correct": True, "prompt": "model"}]

    # The editor goes on from the saved version: the next tap counts.
    page.get_by_role("button", name="− Incorrect").click()
    expect(tally).to_contain_text("1 of 2 correct")
    entry.refresh_from_db()
    assert entry.trials == [
        {"correct": True, "prompt": "model"},
        {"correct": False, "prompt": "model"},
    ]
