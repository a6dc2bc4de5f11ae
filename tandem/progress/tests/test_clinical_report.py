"""The clinical report for payers and physicians (issue 14, item 4): diagnoses, attendance,
frequency and duration, standardized scores, goals from baseline to target, medical
necessity, recommendations and the therapist's name, credentials, NPI and date; in the
page and in the PDF, without the staff's chips, and without near-empty pages."""

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.exports.tests.helpers import download_pdf

from .demo_child import NPI, demo_child
from .pdf_pages import pages, printed_html

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-01-01", "end": "2024-07-31", "register": "clinical"}

# What a payer's reviewer looks for, as the report words it for the demo-like child.
EVERY_ITEM = [
    "Diagnoses (ICD-10-CM)",
    "F82 Specific developmental disorder of motor function",
    "R27.8 Other lack of coordination",
    "24 of 27 sessions attended (89 %)",
    "2 cancellations (0 late)",
    "1 missed without notice",
    "Frequency (sessions a week)",
    "Session length",
    "45 minutes",
    "Standardized scores",
    "BOT-2",
    "Fine Manual Control",
    "Below average",
    "Baseline",
    "2 of 10 buttons with hand-over-hand help",
    "Current",
    "Target",
    "80 % of trials over 3 sessions",
    "Medical necessity",
    "Maya is treated for F82",
    "Recommendations",
    "OTR/L",
    f"NPI: {NPI}",
    "Report date:",
]


def _page(world: World, client_as, **params: str) -> str:  # type: ignore[no-untyped-def]
    url = reverse("progress:report", args=[world.child.id])
    response = client_as(world.therapist).get(url, PERIOD | params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_clinical_page_has_every_item(world, client_as) -> None:
    demo_child(world)
    body = _page(world, client_as)
    for item in [*EVERY_ITEM, world.therapist.display_name]:
        assert item in body, item
    # Percentile and descriptor of each score, in the scores table.
    assert "<td>Fine Manual Control</td><td>36</td><td>8</td><td>Below average</td>" in body


def test_the_clinical_pdf_has_every_item_and_no_staff_chips(world, client_as, monkeypatch) -> None:
    demo_child(world)
    printed = printed_html(monkeypatch)
    url = reverse("progress:report_pdf", args=[world.child.id])
    assert download_pdf(client_as(world.therapist), url, PERIOD).status_code == 200
    text = " ".join(page.text for page in pages(printed[0]))
    for item in [*EVERY_ITEM, world.therapist.display_name]:
        assert " ".join(item.split()) in text, item
    # The chips the team sees on its screens are not printed for a payer.
    assert "Review this goal" not in text
    assert "not on course for the target date" not in text
    assert "Mastery criterion met" not in text


def test_the_family_register_leaves_the_clinical_facts_out(world, client_as) -> None:
    demo_child(world)
    body = _page(world, client_as, register="family")
    assert "Diagnoses (ICD-10-CM)" not in body and NPI not in body


def test_a_child_without_records_gets_plain_dashes_not_an_error(world, client_as) -> None:
    from .helpers import make_goal, make_plan

    make_goal(make_plan(world.child, world.therapist))
    body = _page(world, client_as)
    assert "None recorded" in body
    assert "No sessions due in this period" in body
    assert "No standardized test in a final evaluation" in body


# The page's own reads (tests/test_performance.py) and the clinical facts: diagnoses,
# appointments, scores, the plans' authors and their numbers; never one per goal.
PAGE_BUDGET = 17


def test_the_clinical_page_reads_a_fixed_number_of_queries(
    world, client_as, django_assert_max_num_queries
) -> None:
    from .helpers import make_goal

    plan, _goals = demo_child(world)
    client = client_as(world.therapist)
    url = reverse("progress:report", args=[world.child.id])
    client.get(reverse("children:detail", args=[world.child.id]))  # the session, set up
    with django_assert_max_num_queries(PAGE_BUDGET) as three:
        assert client.get(url, PERIOD).status_code == 200
    for n in range(3):
        make_goal(plan, statement=f"Another goal {n}", position=3 + n)
    with django_assert_max_num_queries(PAGE_BUDGET) as six:
        assert client.get(url, PERIOD).status_code == 200
    assert len(six) == len(three)
