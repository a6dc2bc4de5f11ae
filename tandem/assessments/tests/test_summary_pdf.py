"""The evaluation summary as a PDF: valid, names the child, and how big it is."""

import time

import pytest
from django.urls import reverse

from tandem.assessments.tests.helpers import make_evaluation
from tandem.exports.tests.helpers import download_pdf

pytestmark = pytest.mark.django_db


def test_pdf_is_a_pdf_naming_the_child(world, client_as):
    evaluation = make_evaluation(world.child, world.therapist)
    url = reverse("assessments:evaluation_pdf", args=[world.child.id, evaluation.id])
    started = time.perf_counter()
    response = download_pdf(client_as(world.therapist), url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert 2_000 < len(pdf) < 500_000
    print(f"\nevaluation PDF: {len(pdf)} bytes in {elapsed:.2f} s")


def test_pdf_text_contains_the_child_name(world, client_as, settings):
    import weasyprint
    from django.template.loader import render_to_string

    evaluation = make_evaluation(world.child, world.therapist)
    client_as(world.therapist)  # the page itself is checked above; here: the document's text
    html = render_to_string(
        "assessments/summary_pdf.html",
        {"child": world.child, "evaluation": evaluation, "family": False, "age": (5, 0)},
    )
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    text = " ".join(box.text for page in document.pages for box in _text_boxes(page._page_box))
    assert "Maya Okafor" in text


def _text_boxes(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def test_guardian_gets_the_plain_pdf_of_a_final_evaluation_only(world, client_as):
    draft = make_evaluation(world.child, world.therapist, status="draft")
    final = make_evaluation(world.child, world.therapist)
    client = client_as(world.guardian)
    ok = download_pdf(
        client, reverse("assessments:evaluation_pdf", args=[world.child.id, final.id])
    )
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF")
    hidden = client.get(reverse("assessments:evaluation_pdf", args=[world.child.id, draft.id]))
    assert hidden.status_code == 404
