"""Implausible growth values never pass silently: refused with the reason, or stored flagged.

WHO's flag limits (WHO Child Growth Standards 2006; WHO Anthro manual, the igrowup
macros' "flagged" cut-offs): weight-for-age z below -6 or above 5, length/height-for-age
beyond ±6, BMI- and head circumference-for-age beyond ±5.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tandem.assessments import growth
from tandem.assessments.models import GrowthMeasurement
from tandem.core.testing.factories import clinic_today

pytestmark = pytest.mark.django_db

API = "/api/v1/children/{}/growth"


def measured_on() -> datetime.date:
    """Two days ago: in the past whatever the hour and the clinic's time zone."""
    return clinic_today() - datetime.timedelta(days=2)


@pytest.fixture
def baby(world):
    """Maya, six months old on the day she is measured."""
    world.child.date_of_birth = measured_on() - datetime.timedelta(days=183)
    world.child.gestational_age_weeks = None
    world.child.sex = "F"
    world.child.save()
    return world.child


def form(today, **changes):
    data = {"measured_on": today.isoformat(), "weight_kg": "95", "length_position": ""}
    data.update(changes)
    return data


def test_a_95_kg_six_month_old_is_refused_on_the_page_with_the_reason(world, client_as, baby):
    url = reverse("assessments:growth_new", args=[baby.id])
    response = client_as(world.therapist).post(url, form(measured_on()))

    assert response.status_code == 200
    body = response.content.decode()
    assert "beyond WHO&#x27;s plausible range" in body
    assert "I confirm these values are real" in body
    assert not GrowthMeasurement.objects.filter(child=baby).exists()


def test_a_confirmed_implausible_value_is_stored_and_shown_flagged(world, client_as, baby):
    client = client_as(world.therapist)
    url = reverse("assessments:growth_new", args=[baby.id])
    response = client.post(url, form(measured_on(), confirmed_implausible="on"))

    assert response.status_code == 302
    stored = GrowthMeasurement.objects.get(child=baby)
    assert stored.confirmed_implausible
    assert stored.results["weight"]["implausible"] is True
    assert stored.results["weight"]["z"] > 5
    page = client.get(reverse("assessments:index", args=[baby.id])).content.decode()
    assert 'data-implausible="weight"' in page  # the table
    assert "plausible range, confirmed by the clinician</title>" in page  # the chart's tooltip


def test_a_plausible_weight_is_saved_without_a_flag(world, client_as, baby):
    url = reverse("assessments:growth_new", args=[baby.id])
    response = client_as(world.therapist).post(url, form(measured_on(), weight_kg="7.3"))

    assert response.status_code == 302
    stored = GrowthMeasurement.objects.get(child=baby)
    assert stored.results["weight"]["implausible"] is False
    assert -2 < stored.results["weight"]["z"] < 2


def test_the_api_refuses_an_implausible_value_with_a_422(world, client_as, baby):
    payload = {"measured_on": measured_on().isoformat(), "weight_kg": "95"}
    response = client_as(world.therapist).post(
        API.format(baby.id), payload, content_type="application/json"
    )

    assert response.status_code == 422
    assert "plausible range" in response.json()["detail"]["weight_kg"][0]
    assert not GrowthMeasurement.objects.filter(child=baby).exists()


def test_the_api_stores_a_confirmed_value_with_its_flag(world, client_as, baby):
    payload = {
        "measured_on": measured_on().isoformat(),
        "weight_kg": "95",
        "confirmed_implausible": True,
    }
    response = client_as(world.therapist).post(
        API.format(baby.id), payload, content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["confirmed_implausible"] is True
    assert body["results"]["weight"]["implausible"] is True


def test_changing_a_confirmed_value_needs_a_new_confirmation(world, client_as, baby):
    client = client_as(world.therapist)
    created = client.post(
        API.format(baby.id),
        {
            "measured_on": measured_on().isoformat(),
            "weight_kg": "95",
            "confirmed_implausible": True,
        },
        content_type="application/json",
    ).json()

    response = client.patch(
        f"{API.format(baby.id)}/{created['id']}",
        {"version": created["version"], "weight_kg": "90"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert GrowthMeasurement.objects.get(child=baby).weight_kg == Decimal("95")


def test_the_position_is_recorded_and_a_standing_infant_gains_0_7_cm(world, client_as, baby):
    client = client_as(world.therapist)
    today = measured_on().isoformat()
    lying = client.post(
        API.format(baby.id),
        {"measured_on": today, "height_cm": "66.0", "length_position": "lying"},
        content_type="application/json",
    ).json()
    standing = client.post(
        API.format(baby.id),
        {"measured_on": today, "height_cm": "66.0", "length_position": "standing"},
        content_type="application/json",
    ).json()

    assert lying["length_position"] == "lying" and standing["length_position"] == "standing"
    expected = growth.measure("F", baby.date_of_birth, measured_on(), "height", 66.7)
    assert standing["results"]["height"]["z"] == round(expected.z, 2)
    assert standing["results"]["height"]["z"] > lying["results"]["height"]["z"]
    page = client.get(reverse("assessments:index", args=[baby.id])).content.decode()
    assert "(standing (height))" in page


@pytest.mark.parametrize(
    ("name", "z", "flagged"),
    [
        ("weight", -6.01, True),
        ("weight", -5.99, False),
        ("weight", 5.01, True),
        ("weight", 4.99, False),
        ("height", 6.01, True),
        ("height", 5.99, False),
        ("height", -6.01, True),
        ("ofc", 5.01, True),
        ("ofc", -5.01, True),
        ("bmi", 5.01, True),
        ("bmi", -4.99, False),
    ],
)
def test_who_flag_limits(name: str, z: float, flagged: bool) -> None:
    """WHO Anthro's flag cut-offs (WHO Child Growth Standards 2006)."""
    assert growth.is_implausible(name, z) is flagged


def test_a_lying_child_over_two_loses_0_7_cm() -> None:
    assert growth.adjusted_height(90.0, 3.0, growth.LYING) == pytest.approx(89.3)
    assert growth.adjusted_height(90.0, 3.0, growth.STANDING) == 90.0
    assert growth.adjusted_height(70.0, 1.0, growth.LYING) == 70.0
    assert growth.adjusted_height(70.0, 1.0, "") == 70.0


def test_the_flag_shows_on_the_evaluation_page_and_in_its_pdf(world, client_as, baby, settings):
    import weasyprint
    from django.template.loader import render_to_string

    from tandem.assessments import reading_growth
    from tandem.assessments.tests.helpers import make_evaluation

    evaluation = make_evaluation(world.child, world.therapist, evaluated_on=measured_on())
    client = client_as(world.therapist)
    client.post(
        reverse("assessments:growth_new", args=[baby.id]) + f"?evaluation={evaluation.id}",
        form(measured_on(), confirmed_implausible="on", evaluation=str(evaluation.id)),
    )
    measurement = GrowthMeasurement.objects.get(child=baby, evaluation=evaluation)

    page = client.get(reverse("assessments:evaluation", args=[baby.id, evaluation.id]))
    assert 'data-implausible="weight"' in page.content.decode()

    html = render_to_string(
        "assessments/summary_pdf.html",
        {
            "child": baby,
            "evaluation": evaluation,
            "family": False,
            "age": (0, 6),
            "measurements": [reading_growth.describe_growth(measurement, baby)],
        },
    )
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    text = " ".join(box.text for page in document.pages for box in _text_boxes(page._page_box))
    assert "plausible range" in text


def _text_boxes(box: Any) -> Iterator[Any]:
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)
