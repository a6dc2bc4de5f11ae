"""The clinical PDF of a demo child: a few well-filled pages with every item a payer needs.

The reported problem (issue 14, item 4): for three goals the PDF ran to many pages, one
nearly blank (each goal was kept whole on a page of its own), and had no diagnoses,
attendance, credentials or signature. WeasyPrint lays the printed HTML out here and each
page is measured: every page but the last must be filled beyond MIN_FILL.
"""

import pytest
from django.urls import reverse

from tandem.children.models import Child
from tandem.demo.tests.test_demo_clinic import demo, lead_of  # noqa: F401 (the fixture)
from tandem.exports.tests.helpers import download_pdf

from .pdf_pages import pages, printed_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

MIN_FILL = 0.5  # the layout before the fix left a page 32 % full
MAX_PAGES = 6  # three goals: the summary, a chart per goal and its months, the signature


def test_the_clinical_pdf_of_a_demo_child_is_complete_and_without_near_empty_pages(
    client_as, monkeypatch
) -> None:
    emma = Child.objects.select_related("organization").get(first_name="Emma")
    therapist = lead_of(emma)
    printed = printed_html(monkeypatch)
    url = reverse("progress:report_pdf", args=[emma.id])
    assert download_pdf(client_as(therapist), url, {"register": "clinical"}).status_code == 200
    laid_out = pages(printed[0])

    assert len(laid_out) <= MAX_PAGES
    fills = [round(page.fill, 2) for page in laid_out]
    assert all(fill >= MIN_FILL for fill in fills[:-1]), fills
    text = " ".join(page.text for page in laid_out)
    codes = list(emma.diagnoses.values_list("code", flat=True))
    assert codes and all(code in text for code in codes)
    for item in (
        "Diagnoses (ICD-10-CM)",
        "sessions attended",
        "cancellation",
        "Frequency (sessions a week)",
        "Session length",
        "Standardized scores",
        "Percentile",
        "Below average",
        "Baseline",
        "Medical necessity",
        "Recommendations",
        therapist.display_name,
        "OTR/L",
        "NPI:",
        "Report date:",
    ):
        assert item in text, item
    assert "Review this goal" not in text  # the staff's chip, on screen only
