"""Works without a connection (issue 13, item 4): the session-note editor and the family's
practice log keep what is entered offline on the device (IndexedDB), say so, and send it
when the connection is back: every entry reaches the database exactly once. A retried
entry is counted once; an entry for a note signed meanwhile is refused, with the server's
message, and stays on the device in view."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, Route, expect

from tandem.browser_tests.conftest import PHONE, give_authenticator, sign_in
from tandem.conftest import World
from tandem.core.models import IdempotencyKey
from tandem.homeprogram import actions as homeprogram
from tandem.homeprogram.models import PracticeLog
from tandem.homeprogram.tests.helpers import goal_of, make_activity
from tandem.notes import actions
from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("TANDEM_SHOT_DIR", "test-results/screenshots"))
KEPT = "Saved on this device, not sent yet:"
SYNCED = "Synced: everything saved on this device was sent."
COUNT_KEPT = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("tandem-offline", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const read = open.result.transaction("entries").objectStore("entries").getAll();
    read.onsuccess = () => resolve(read.result.map((e) => e.state));
  };
})"""


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"offline-{name}.png"), full_page=False)


def open_editor(page: Page, world: World, note: SessionNote) -> str:
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    edit = reverse("notes:edit", args=[world.child.id, note.id])
    page.goto(edit)
    expect(page.locator("#offline-queue")).to_be_hidden()  # nothing kept: nothing shown
    return edit


def settled(page: Page) -> None:
    """No request still being answered (the editor saves once more after a sync): the
    test's own reads of the database come after the server's."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_load_state("networkidle")


def go_offline(page: Page) -> None:
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")


def test_a_session_recorded_offline_reaches_the_database_once(page: Page, world: World) -> None:
    note = make_note(world.child, world.therapist, data={}, objective="")
    entry = GoalData.objects.get(note=note)
    open_editor(page, world, note)
    prompt = page.get_by_label("Prompt level for the next trial")
    correct = page.get_by_role("button", name="+ Correct")
    incorrect = page.get_by_role("button", name="− Incorrect")
    tally = page.locator(f"#tally-{entry.goal_id}")
    queue = page.locator("#offline-queue")

    prompt.select_option("model")
    correct.click()  # online: saved as usual
    expect(tally).to_contain_text("1 of 1 correct")

    go_offline(page)  # mid-session, the connection goes
    prompt.select_option("verbal")
    correct.click()
    incorrect.click()
    page.locator("textarea[name=objective]").fill("Buttoned her coat with verbal prompts.")
    kept = queue.locator(".offline-pending li")
    expect(kept.filter(has_text="Buttoned her coat")).to_have_count(1)  # the autosave too
    prompt.select_option("gestural")
    correct.click()
    expect(queue).to_contain_text("You are offline")
    expect(kept.filter(has_text="+ Correct · Verbal")).to_have_count(1)
    expect(kept.filter(has_text="− Incorrect · Verbal")).to_have_count(1)
    expect(kept.filter(has_text="+ Correct · Gestural")).to_have_count(1)
    states = page.evaluate(COUNT_KEPT)
    assert len(states) >= 4 and set(states) == {"queued"}
    expect(queue).to_contain_text(f"{KEPT} {len(states)}")
    entry.refresh_from_db()
    assert len(entry.trials) == 1  # nothing reached the server

    page.context.set_offline(False)  # back: sent in order, each once
    expect(queue).to_contain_text(SYNCED, timeout=20_000)
    expect(tally).to_contain_text("3 of 4 correct")
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    settled(page)
    entry.refresh_from_db()
    assert entry.trials == [
        {"correct": True, "prompt": "model"},
        {"correct": True, "prompt": "verbal"},
        {"correct": False, "prompt": "verbal"},
        {"correct": True, "prompt": "gestural"},
    ]
    note.refresh_from_db()
    assert note.objective == "Buttoned her coat with verbal prompts."
    assert page.evaluate(COUNT_KEPT) == []
    # The editor goes on from the version the server gave: the next tap counts.
    correct.click()
    expect(tally).to_contain_text("4 of 5 correct")
    settled(page)
    entry.refresh_from_db()
    assert len(entry.trials) == 5


def test_an_entry_sent_again_after_a_lost_answer_counts_once(page: Page, world: World) -> None:
    note = make_note(world.child, world.therapist, data={}, objective="")
    entry = GoalData.objects.get(note=note)
    edit = open_editor(page, world, note)
    go_offline(page)
    page.get_by_label("Prompt level for the next trial").select_option("verbal")
    page.get_by_role("button", name="+ Correct").click()
    queue = page.locator("#offline-queue")
    expect(queue.locator(".offline-pending li", has_text="+ Correct · Verbal")).to_have_count(1)
    kept = len(page.evaluate(COUNT_KEPT))

    lost: list[int] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch().status)  # the server records the kept tap…
            route.abort("connectionreset")  # …but the answer never comes back
        else:
            route.continue_()

    page.route(re.compile(re.escape(edit) + "$"), lose_the_first_answer)
    page.context.set_offline(False)
    page.wait_for_function("() => navigator.onLine")
    for _tick in range(100):  # the first try reaches the server; its answer is lost
        if lost:
            break
        page.wait_for_timeout(100)
    assert lost == [200]
    expect(queue).not_to_contain_text("Sending")
    expect(queue).to_contain_text(f"{KEPT} {kept}")  # still kept: no answer came
    settled(page)
    entry.refresh_from_db()
    assert entry.trials == [{"correct": True, "prompt": "verbal"}]  # the server has it
    assert page.evaluate(COUNT_KEPT) == ["queued"] * kept

    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # the next try
    expect(queue).to_contain_text(SYNCED, timeout=20_000)
    expect(page.locator(f"#tally-{entry.goal_id}")).to_contain_text("1 of 1 correct")
    settled(page)
    entry.refresh_from_db()
    assert entry.trials == [{"correct": True, "prompt": "verbal"}]  # once, not twice
    assert IdempotencyKey.objects.filter(scope="notes.edit").exists()


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_an_entry_for_a_note_signed_meanwhile_is_refused_and_kept_in_view(
    page: Page, world: World
) -> None:
    note = make_note(world.child, world.therapist)
    entry = GoalData.objects.get(note=note)
    trials = list(entry.trials)
    open_editor(page, world, note)
    page.locator(f"#goal-{entry.goal_id} details").evaluate_all(
        "folds => folds.forEach((fold) => { fold.open = true; })"
    )
    go_offline(page)
    page.get_by_role("button", name="+ Correct").click()
    queue = page.locator("#offline-queue")
    expect(queue).to_contain_text(f"{KEPT} 1")

    note.refresh_from_db()  # meanwhile, the note is signed (on another device)
    actions.sign_note(note, world.therapist, expected_version=note.version)

    page.context.set_offline(False)
    refusal = queue.locator(".offline-refusal")
    expect(refusal).to_contain_text("This note is signed and locked. Add an addendum instead.")
    expect(refusal).to_contain_text("the server refused this entry")
    expect(refusal).to_contain_text("+ Correct")  # what was entered, still in view
    expect(queue.get_by_role("alert")).to_be_visible()
    refusal.scroll_into_view_if_needed()
    shot(page, "refused-375")
    settled(page)
    assert page.evaluate(COUNT_KEPT) == ["refused"]  # kept on the device
    entry.refresh_from_db()
    assert entry.trials == trials  # the signed note is as it was signed
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375

    queue.get_by_role("button", name="Dismiss").click()  # the person lets it go
    expect(refusal).to_have_count(0)
    assert page.evaluate(COUNT_KEPT) == []


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_a_practice_logged_offline_is_sent_once_when_back(page: Page, world: World) -> None:
    make_activity(world.child, world.therapist, goals=[goal_of(world.child, world.therapist)])
    sign_in(page, world.guardian)
    expect(page).to_have_url(re.compile(re.escape(reverse("homeprogram:family_home")) + "$"))
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    card = page.locator("article.practice-card", has_text="Pinch the pegs")
    queue = page.locator("#offline-queue")

    go_offline(page)
    card.get_by_role("button", name=re.compile("^Done")).click()
    expect(queue).to_contain_text(f"{KEPT} 1")
    expect(queue).to_contain_text("Pinch the pegs")
    shot(page, "family-kept-375")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert PracticeLog.objects.count() == 0

    page.reload()  # offline: the service worker's offline page, with what is kept
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection")
    expect(queue).to_contain_text(f"{KEPT} 1")
    expect(queue).not_to_contain_text("Pinch the pegs")  # the cached page is no one's
    shot(page, "offline-page-375")

    page.context.set_offline(False)
    page.goto(reverse("homeprogram:family_home"))  # back: sent once the page opens
    expect(queue).to_contain_text(SYNCED, timeout=20_000)
    expect(card).to_contain_text("Logged today:")
    expect(card).to_contain_text("1 of 3 this week")
    shot(page, "family-synced-375")
    settled(page)
    logged = PracticeLog.objects.get()
    assert (logged.outcome, logged.logged_by) == ("done", world.guardian)
    page.reload()
    expect(page.locator("article.practice-card", has_text="Pinch the pegs")).to_contain_text(
        "1 of 3 this week"
    )
    assert PracticeLog.objects.count() == 1


def test_a_tap_the_editor_gave_up_on_is_kept_and_counted_once(page: Page, world: World) -> None:
    """A connection that looks up but carries nothing: the editor sends a tap again
    (RETRIES times), then hands it to the device's queue with its key; nothing is lost."""
    note = make_note(world.child, world.therapist, data={}, objective="")
    entry = GoalData.objects.get(note=note)
    edit = open_editor(page, world, note)
    carries: list[bool] = [False]
    aborted: list[str] = []

    def dead_line(route: Route) -> None:
        if route.request.method == "POST" and not carries[0]:
            aborted.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(re.escape(edit) + "$"), dead_line)
    queue = page.locator("#offline-queue")
    page.get_by_role("button", name="+ Correct").click()  # tried 4 times, then kept
    expect(queue).to_contain_text(f"{KEPT} 1", timeout=20_000)
    assert len(aborted) >= 4
    page.get_by_role("button", name="− Incorrect").click()  # waits behind it
    expect(queue).to_contain_text(f"{KEPT} 2")
    assert page.evaluate("() => navigator.onLine")
    entry.refresh_from_db()
    assert entry.trials == []

    carries[0] = True  # the connection carries again
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(queue).to_contain_text(SYNCED, timeout=20_000)
    settled(page)
    entry.refresh_from_db()
    assert [t["correct"] for t in entry.trials] == [True, False]  # each tap once
    assert page.evaluate(COUNT_KEPT) == []


def test_trials_typed_offline_leave_their_field_once_sent(page: Page, world: World) -> None:
    note = make_note(world.child, world.therapist, data={}, objective="")
    entry = GoalData.objects.get(note=note)
    open_editor(page, world, note)
    field = page.get_by_label("Type trials")
    go_offline(page)
    field.fill("8/10 V")
    field.press("Enter")
    queue = page.locator("#offline-queue")
    expect(queue).to_contain_text(f"{KEPT} 1")
    expect(field).to_have_value("8/10 V")  # still in view while kept

    page.context.set_offline(False)
    expect(queue).to_contain_text(SYNCED, timeout=20_000)
    expect(field).to_have_value("")  # sent: Add again cannot count it twice
    page.locator('[data-trial="typed"]').click()
    settled(page)
    entry.refresh_from_db()
    assert len(entry.trials) == 10 and sum(t["correct"] for t in entry.trials) == 8


def test_a_practice_the_server_refuses_on_replay_stays_in_view(page: Page, world: World) -> None:
    goal = goal_of(world.child, world.therapist)
    cups = make_activity(world.child, world.therapist, goals=[goal], title="Stack the cups")
    pegs = make_activity(world.child, world.therapist, goals=[goal])
    sign_in(page, world.guardian)
    queue = page.locator("#offline-queue")
    go_offline(page)
    page.locator("article.practice-card", has_text="Pinch the pegs").get_by_role(
        "button", name=re.compile("^Done")
    ).click()
    expect(queue).to_contain_text(f"{KEPT} 1")
    for activity in (cups, pegs):  # meanwhile, the therapist ends both activities
        activity.refresh_from_db()
        homeprogram.set_activity_status(
            activity, expected_version=activity.version, status="archived"
        )

    page.context.set_offline(False)
    refusal = queue.locator(".offline-refusal")
    expect(refusal).to_contain_text("This activity is no longer part of the program.")
    expect(refusal).to_contain_text("Pinch the pegs")
    settled(page)
    assert page.evaluate(COUNT_KEPT) == ["refused"]  # not taken for saved
    assert not PracticeLog.objects.exists()

    cups_card = page.locator("article.practice-card", has_text="Stack the cups")
    cups_card.get_by_role("button", name=re.compile("^Done")).click()  # online, as before
    expect(cups_card).to_contain_text("This activity is no longer part of the program.")
    assert not PracticeLog.objects.exists()


def test_signing_out_deletes_what_the_device_kept_after_a_warning(page: Page, world: World) -> None:
    make_activity(world.child, world.therapist, goals=[goal_of(world.child, world.therapist)])
    sign_in(page, world.guardian)
    go_offline(page)
    page.locator("article.practice-card", has_text="Pinch the pegs").get_by_role(
        "button", name=re.compile("^Done")
    ).click()
    expect(page.locator("#offline-queue")).to_contain_text(f"{KEPT} 1")
    page.route(re.compile(r"/log/$"), lambda route: route.abort())
    page.context.set_offline(False)  # back, but what was kept cannot be sent yet
    page.wait_for_function("() => navigator.onLine")
    assert page.evaluate(COUNT_KEPT) == ["queued"]

    more = page.locator("summary[data-tab=more]")  # a family's tab bar: under More
    if more.count():
        more.click()
    page.get_by_role("button", name="Sign out").click()  # the shared tablet
    expect(page).to_have_url(re.compile(re.escape(reverse("account_logout")) + "$"))
    warning = page.locator("[data-signout-warning]")
    expect(warning).to_contain_text("Entries on this device not sent yet: 1.")
    expect(warning).to_contain_text("Signing out deletes them from this device.")
    page.get_by_role("main").get_by_role("button", name="Sign Out").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("account_logout")) + "$"))
    assert page.evaluate(COUNT_KEPT) == []  # nothing of the guardian's stays
    assert not PracticeLog.objects.exists()

    sign_in(page, world.guardian)  # nothing kept: signing out asks nothing more
    if more.count():
        more.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert reverse("account_logout") not in page.url
