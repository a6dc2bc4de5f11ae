"""The progress report over a chosen period: family and clinical registers, HTML and PDF."""

import datetime
import time
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.conftest import World
from tandem.plans.models import Goal

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

from tandem.exports.tests.helpers import download_pdf

from .helpers import START, make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-01-01", "end": "2024-06-30"}


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(
        world.therapist,
        world.child,
        weekly([20, 30, 40, 50, 60], goal, levels=[-2, -1, -1, 0, 0]),
    )
    return goal


def _get(client: Client, child: Child, view: str = "progress:report", **params: str) -> "Response":
    if view.endswith("_pdf"):  # made by the worker: the waiting page, then the file
        return download_pdf(client, reverse(view, args=[child.id]), PERIOD | params)
    return client.get(reverse(view, args=[child.id]), PERIOD | params)


def test_staff_get_the_clinical_register_by_default(world, client_as, goal) -> None:
    body = _get(client_as(world.therapist), world.child).content.decode()
    assert "Progress report: Maya Okafor" in body
    assert "Slope / week" in body
    assert "Recommendations" in body
    assert "GAS T-score over time" in body


def test_staff_may_ask_for_the_family_register(world, client_as, goal) -> None:
    body = _get(client_as(world.therapist), world.child, register="family").content.decode()
    assert "What went well" in body
    assert "Slope / week" not in body


def test_guardian_asking_for_clinical_gets_the_family_register(world, client_as, goal) -> None:
    response = _get(client_as(world.guardian), world.child, register="clinical")
    body = response.content.decode()
    assert response.status_code == 200
    assert "What went well" in body
    assert "What is next" in body
    assert "Slope / week" not in body and "Recommendations" not in body


def test_the_period_limits_the_data(world, client_as, goal) -> None:
    body = _get(
        client_as(world.therapist), world.child, start="2024-01-20", end="2024-01-31"
    ).content.decode()
    assert "<td>22 Jan 2024</td><td>40</td>" in body
    assert "<td>8 Jan 2024</td>" not in body and "<td>5 Feb 2024</td>" not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2024-06-30", "end": "2024-01-01"}, "on or before the end date"),
        ({"start": "2024-01-01", "end": "2999-01-01"}, "cannot be in the future"),
        ({"start": "2010-01-01", "end": "2024-01-01"}, "five years or less"),
        ({"start": "not-a-date"}, "Enter a valid date"),
        # No start before the year 1 to default to (it was a 500: OverflowError).
        ({"start": "", "end": "0001-01-01"}, "Choose a start date."),
    ],
)
def test_a_bad_period_gets_a_clear_message(world, client_as, goal, params, message) -> None:
    for view in ("progress:report", "progress:report_pdf"):
        response = _get(client_as(world.therapist), world.child, view=view, **params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_an_empty_period_defaults_to_the_last_six_months(world, client_as, goal) -> None:
    response = client_as(world.therapist).get(reverse("progress:report", args=[world.child.id]))
    assert response.status_code == 200
    assert response.context["end"] - response.context["start"] == datetime.timedelta(days=182)


def test_the_pdf_is_the_same_report_with_its_charts(world, client_as, goal) -> None:
    started = time.perf_counter()
    response = _get(client_as(world.therapist), world.child, view="progress:report_pdf")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="progress-report-2024-01-01-2024-06-30.pdf"' in response["Content-Disposition"]
    print(f"\nPDF (1 goal, 5 sessions, clinical): {len(response.content)} bytes in {elapsed:.2f} s")
    assert len(response.content) < 500_000
    log = AccessLog.objects.get(child=world.child, route="progress:report_pdf")
    assert log.action == AccessLog.Action.EXPORT


def test_the_pdf_is_printed_from_the_report_template_with_the_svg_charts(
    world, client_as, goal
) -> None:
    names: list[str] = []

    def rendered(sender: Any, template: Any, **kwargs: Any) -> None:
        names.append(template.name)

    template_rendered.connect(rendered)  # by the worker, not in the page's response
    try:
        response = _get(client_as(world.guardian), world.child, view="progress:report_pdf")
    finally:
        template_rendered.disconnect(rendered)
    assert response.content.startswith(b"%PDF")
    assert "progress/report_pdf.html" in names and "progress/_report_body.html" in names
    assert names.count("progress/_chart.html") == 2  # the T-score and the goal


def test_guardian_gets_a_family_pdf(world, client_as, goal) -> None:
    response = _get(
        client_as(world.guardian), world.child, view="progress:report_pdf", register="clinical"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_outsiders_get_404_for_the_report_and_the_pdf(world, client_as, goal) -> None:
    for persona in (world.other_guardian, world.foreign_admin, world.unassigned_therapist):
        for view in ("progress:report", "progress:report_pdf"):
            assert _get(client_as(persona), world.child, view=view).status_code == 404


def test_the_report_page_links_the_pdf_with_the_same_period(world, client_as, goal) -> None:
    body = _get(client_as(world.therapist), world.child, register="clinical").content.decode()
    assert "report.pdf?start=2024-01-01&amp;end=2024-06-30&amp;register=clinical" in body


def test_report_starts_at_the_first_session_in_the_period(world, client_as, goal) -> None:
    body = _get(
        client_as(world.therapist), world.child, start=str(START + datetime.timedelta(days=8))
    )
    assert b"<td>8 Jan 2024</td>" not in body.content


def test_the_clinical_pdf_prints_sessions_by_month_not_each_session(
    world, client_as, monkeypatch
) -> None:
    """A PDF stays a few pages whatever the years of data (issue 16): per goal, the
    latest twelve months as sessions, average and range; each session is on the page."""
    import weasyprint

    printed: list[str] = []

    class Printer:
        def __init__(self, string: str, base_url: str) -> None:
            printed.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7"

    monkeypatch.setattr(weasyprint, "HTML", Printer)
    goal = make_goal(make_plan(world.child, world.therapist))
    # Two years of weekly sessions, from 8 Jan 2024: values 0, 1, 2, …
    record_sessions(world.therapist, world.child, weekly(list(range(104)), goal))
    period = {"start": "2024-01-01", "end": "2025-12-31", "register": "clinical"}
    url = reverse("progress:report_pdf", args=[world.child.id])
    assert download_pdf(client_as(world.therapist), url, period).status_code == 200
    html = printed[0]
    assert "Sessions by month" in html
    summary = html[html.index("Sessions by month</h4>") :]
    rows = summary[: summary.index("</table>")].count("<tr><td>")
    assert rows == 12  # the latest twelve months of 24
    # Newest first. December 2025 holds the sessions of 1, 8, 15, 22 and 29 December
    # (values 99-103); January 2025, the oldest shown, those of 6-27 January (52-55).
    assert "<tr><td>December 2025</td><td>5</td><td>101</td><td>99 – 103</td></tr>" in html
    assert summary.index("December 2025") < summary.index("<td>January 2025</td><td>4</td>")
    assert "December 2024" not in summary[: summary.index("</table>")]
    assert "104 sessions in all; the latest months are shown." in html
    assert "Show the latest sessions as a table" not in html
