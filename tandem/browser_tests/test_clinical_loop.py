"""The clinical loop in a browser (issue 3, "Done means"): a therapist evaluates a child,
writes a plan from the goal bank, the guardian signs it from their own login, the
therapist documents three sessions, signs them, sees the chart and downloads both
progress reports as PDFs."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.assessments.models import GrowthMeasurement, MilestoneCheck, QuestionnaireResponse
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.plans.models import Goal, PlanSignature

from .accessibility import assert_accessible
from .conftest import PHONE, NewPage, give_authenticator, sign_in
from .test_pdf_export import wait_for_the_pdf

pytestmark = pytest.mark.browser

TODAY = clinic_today()


def iso(days_ago: int) -> str:
    return (TODAY - datetime.timedelta(days=days_ago)).isoformat()


def saying(page: Page, text: str) -> None:
    """The page's status message (Django messages) says ``text``."""
    expect(page.locator(".messages[role=status]")).to_contain_text(text)


def evaluate(page: Page, child: Child) -> None:
    """Start an evaluation and fill its four parts: questionnaire, score, milestones, growth."""
    page.goto(child.get_absolute_url())
    page.get_by_role("link", name="Assessments").click()
    page.get_by_role("link", name="Start an evaluation").first.click()
    page.get_by_label("Reason for referral").fill(
        "Trouble with buttons and pencil grasp at school."
    )
    page.get_by_label("Summary").fill("Fine-motor skills below age expectations.")
    page.get_by_role("button", name="Save evaluation").click()
    saying(page, "The evaluation was started.")
    evaluation_url = page.url

    # The parent interview: required questions only.
    page.get_by_role("link", name="Parent interview").click()
    for question, answer in [
        ("Who is filling in this questionnaire?", "Parent"),
        ("Was your child born early, on time or late?", "On time (37 to 41 weeks)"),
        ("Were there any health problems during the pregnancy?", "No"),
        ("Did your child need special or intensive care", "No"),
        ("Has your child stopped doing something", "No"),
    ]:
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_label("What worries you most").fill("Getting dressed takes a long time.")
    page.get_by_label("What are the two or three things").fill("Dress herself for school.")
    page.get_by_label("What does your child love?").fill("Trains and water play.")
    page.get_by_role("button", name="Save answers").click()
    saying(page, "The answers were saved.")

    # A standardized score: choosing the instrument brings its subtests (htmx).
    page.get_by_role("link", name="Standardized scores").click()
    page.get_by_label("Instrument").select_option(
        label="Peabody Developmental Motor Scales, Third Edition (PDMS-3)"
    )
    subtest = page.get_by_role("combobox", name="Subtest or composite")
    expect(subtest).to_be_visible()  # the text box became a list of the instrument's subtests
    subtest.select_option("Fine Motor Index")
    page.get_by_label("Standard score").fill("82")
    page.get_by_label("Percentile rank").fill("12")
    page.get_by_role("button", name="Add score").click()
    saying(page, "The score was added.")
    expect(page.get_by_role("table")).to_contain_text("Fine Motor Index")

    # Milestones for her age: two met, one not yet.
    page.goto(evaluation_url)
    page.get_by_role("link", name="Milestones").click()
    items = page.locator("fieldset.milestone")
    for index, answer in enumerate(["Yes", "Yes", "Not yet"]):
        items.nth(index).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save milestones").click()
    saying(page, "The milestones were saved.")
    expect(page.get_by_role("region", name="Not yet met, by domain")).to_be_visible()

    # A growth measurement, with its centiles on the Assessments tab.
    page.goto(evaluation_url)
    page.get_by_role("link", name="Record growth").click()
    page.get_by_label("Height or length (cm)").fill("108.5")
    page.get_by_label("Weight (kg)").fill("18.2")
    page.get_by_role("button", name="Save measurements").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("assessments:index", args=[child.id]))))
    expect(page.locator(".messages[role=status]")).to_contain_text("centile")


def write_plan(page: Page, child: Child) -> None:
    """A plan started three weeks ago with one goal from the goal bank, made active."""
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("link", name="Start a plan").first.click()
    page.get_by_label("Start date").fill(iso(21))
    page.get_by_label("Review date").fill((TODAY + datetime.timedelta(days=150)).isoformat())
    page.get_by_label("Family priorities").fill("Getting dressed for school on her own")
    page.get_by_role("button", name="Start plan").click()
    saying(page, "The plan was started.")

    page.get_by_role("link", name="Start from the goal bank").click()
    words = page.get_by_label("Words in the goal")
    words.fill("buttons")  # htmx filters as one types
    results = page.locator("#bank-results")
    expect(results.locator("article")).to_have_count(1)
    # Leaving the box filters once more (its change event): let that finish before moving
    # on, as two requests at once can find the in-memory SQLite test database locked.
    with page.expect_response(lambda response: "/goals/bank/" in response.url):
        words.press("Tab")
    expect(results).to_contain_text("fasten all 5 half-inch buttons")
    results.get_by_role("link", name=re.compile("^Use this goal")).click()

    expect(page.get_by_role("status").filter(has_text="Started from the goal bank")).to_be_visible()
    expect(page.get_by_label("Goal (SMART)")).to_have_value(re.compile("Maya will fasten"))
    # The bank words the mastery criterion; the number the chart draws is the therapist's.
    page.get_by_label("Mastery value").fill("80")
    page.get_by_label("Chosen by the child").check()
    page.get_by_label("In the child's own words").fill("I want to do my coat by myself")
    page.get_by_role("button", name="Add goal").click()
    saying(page, "The goal was added.")
    page.get_by_role("button", name="Make this the active plan").click()
    saying(page, "This is now the active plan.")


def guardian_signs(page: Page, world: World) -> None:
    """From their own login, on a phone, the guardian reads the plan and signs it."""
    guardian = world.guardian
    sign_in(page, guardian)
    page.goto(world.child.get_absolute_url())
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("link", name=re.compile("^Review and sign")).click()
    expect(page.get_by_text("I want to do my coat by myself")).to_be_visible()
    assert_accessible(page, name="the plan a guardian signs")
    page.get_by_label("Type your full name").fill(guardian.user.get_full_name())
    page.get_by_role("button", name=re.compile(r"^Sign version \d+")).click()
    saying(page, "Thank you. You signed the plan.")


def document_session(
    page: Page, child: Child, *, days_ago: int, correct: int, incorrect: int, gas: int
) -> None:
    """One session note: details and SOAP, trial counters, the GAS level, then signed."""
    page.goto(reverse("notes:new", args=[child.id]))
    page.get_by_label(re.compile(r"^Date\b")).fill(iso(days_ago))
    page.get_by_label(re.compile(r"^Start\b")).fill("09:00")
    page.get_by_label(re.compile(r"^End\b")).fill("09:45")
    expect(page.get_by_role("checkbox", name=re.compile("fasten all 5"))).to_be_checked()
    page.get_by_label("O — objective").fill(
        "Buttoning practice on a dressing board, then her coat."
    )
    page.get_by_label("A — assessment").fill("Steady gains with verbal prompts fading.")
    page.get_by_role("button", name="Start the note").click()
    saying(page, "The note was started.")

    goal = page.locator("article.entry").filter(has_text="fasten all 5")
    tally = goal.locator("[id^=tally-]")
    for number in range(1, correct + incorrect + 1):
        sign = "+ Correct" if number <= correct else "− Incorrect"
        goal.get_by_role("button", name=sign).click()
        expect(tally).to_contain_text(f"of {number} correct")  # saved before the next press
    expect(tally).to_contain_text(f"{correct} of {correct + incorrect} correct")
    goal.get_by_label("GAS level reached").select_option(str(gas))
    expect(page.locator("#save-status")).to_contain_text("Draft saved")
    page.get_by_role("button", name="Sign the note").click()
    saying(page, "You signed the note. It is now locked.")


def download_pdf(page: Page, register: str) -> bytes:
    """Choose the report's register, click "Download as PDF" and get the PDF the waiting
    page opens once the worker made it; then back to the report."""
    page.get_by_label("Written for").select_option(register)
    page.get_by_role("button", name="Update").click()
    expect(page).to_have_url(re.compile(f"register={register}"))
    report = page.url
    body = wait_for_the_pdf(page, "Download as PDF")
    assert len(body) > 0 and body.startswith(b"%PDF")
    page.goto(report)
    return body


def test_therapist_evaluates_plans_documents_three_sessions_and_downloads_reports(
    new_page: NewPage, world: World
) -> None:
    therapist, maya = world.therapist, world.child
    clinic = maya.organization
    page = new_page()
    sign_in(page, therapist, secret=give_authenticator(therapist))

    evaluate(page, maya)
    assert QuestionnaireResponse.objects.filter(organization=clinic, child=maya).count() == 1
    assert MilestoneCheck.objects.filter(organization=clinic, child=maya).count() == 1
    assert GrowthMeasurement.objects.filter(organization=clinic, child=maya).count() == 1

    write_plan(page, maya)
    goal = Goal.objects.get(organization=clinic, child=maya)
    assert goal.bank_entry_id is not None and goal.child_chosen

    guardian_signs(new_page(PHONE), world)
    signature = PlanSignature.objects.get(organization=clinic, plan=goal.plan)
    assert signature.guardian_id == world.guardian.pk

    for days_ago, correct, incorrect, gas in [(14, 2, 3, -1), (7, 3, 2, 0), (1, 4, 1, 1)]:
        document_session(
            page, maya, days_ago=days_ago, correct=correct, incorrect=incorrect, gas=gas
        )
    notes = SessionNote.objects.filter(organization=clinic, child=maya)
    assert sorted(n.status for n in notes) == [NoteStatus.SIGNED] * 3
    data = GoalData.objects.filter(organization=clinic, goal=goal).order_by("created_at")
    assert [d.gas_level for d in data] == [-1, 0, 1]
    assert [len(d.trials) for d in data] == [5, 5, 5]

    # The chart: the goal's three sessions, also readable as a table.
    page.get_by_role("link", name="Progress", exact=True).click()
    chart = page.get_by_role("img", name=re.compile(r"^Results by session"))
    expect(chart).to_have_accessible_name(re.compile("3 sessions with data"))
    expect(chart.locator("circle")).to_have_count(3)
    sessions = page.locator("details").filter(has_text="Show the latest sessions as a table")
    sessions.get_by_text("Show the latest sessions as a table").click()
    table = sessions.get_by_role("table")
    expect(table).to_be_visible()
    for percent in ("40", "60", "80"):  # 2, 3 and 4 of 5 trials correct
        expect(table).to_contain_text(percent)

    page.get_by_role("button", name="Open the report").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("progress:report", args=[maya.id]))))
    family, clinical = download_pdf(page, "family"), download_pdf(page, "clinical")
    assert family != clinical
