"""The discharge summary when a plan closes (issue 14, item 4): goals reached, attendance,
the final T-score and recommendations, as a page and a PDF."""

import html

import pytest
from django.urls import reverse

from tandem.exports.tests.helpers import download_pdf
from tandem.plans.models import PlanStatus

from .demo_child import NPI, demo_child
from .pdf_pages import pages, printed_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_plan(world):  # type: ignore[no-untyped-def]
    plan, _goals = demo_child(world)
    plan.status = PlanStatus.CLOSED
    plan.save()
    return plan


def test_a_closed_plan_has_a_discharge_summary(world, client_as, closed_plan) -> None:
    url = reverse("progress:discharge", args=[world.child.id, closed_plan.id])
    body = html.unescape(client_as(world.therapist).get(url).content.decode())
    assert "Discharge summary: Maya Okafor" in body
    assert "24 of 27 sessions attended (89 %)" in body
    assert "2 cancellations (0 late)" in body
    assert "Goals reached" in body and "Final GAS T-score" in body
    assert "Recommendations" in body
    assert f"NPI: {NPI}" in body and "OTR/L" in body


def test_the_family_reads_it_in_their_words(world, client_as, closed_plan) -> None:
    url = reverse("progress:discharge", args=[world.child.id, closed_plan.id])
    body = html.unescape(client_as(world.guardian).get(url).content.decode())
    assert "Maya buttons her own coat." in body
    assert "Maya will button a coat independently" not in body


def test_the_discharge_pdf(world, client_as, closed_plan, monkeypatch) -> None:
    printed = printed_html(monkeypatch)
    url = reverse("progress:discharge_pdf", args=[world.child.id, closed_plan.id])
    response = download_pdf(client_as(world.therapist), url)
    assert response.status_code == 200
    assert "discharge-summary-ot-" in response["Content-Disposition"]
    laid_out = pages(printed[0])
    assert len(laid_out) <= 2
    assert "sessions attended" in laid_out[0].text


def test_an_open_plan_gets_a_summary_so_far(world, client_as) -> None:
    plan, _goals = demo_child(world)
    url = reverse("progress:discharge", args=[world.child.id, plan.id])
    body = client_as(world.therapist).get(url).content.decode()
    assert "Plan summary so far" in body and "Discharge summary:" not in body


def test_the_reports_page_links_a_closed_plans_summary(world, client_as, closed_plan) -> None:
    body = client_as(world.guardian).get(reverse("progress:reports", args=[world.child.id]))
    url = reverse("progress:discharge_pdf", args=[world.child.id, closed_plan.id])
    assert url in body.content.decode()


def test_another_childs_plan_is_not_found(world, client_as, closed_plan) -> None:
    url = reverse("progress:discharge", args=[world.sibling.id, closed_plan.id])
    assert client_as(world.therapist).get(url).status_code == 404


def test_the_closed_plans_page_links_to_its_discharge_summary(
    world, client_as, closed_plan
) -> None:
    summary = reverse("progress:discharge", args=[world.child.id, closed_plan.id])
    plan_page = reverse("plans:detail", args=[world.child.id, closed_plan.id])
    for member in (world.therapist, world.guardian):
        assert summary in client_as(member).get(plan_page).content.decode()
