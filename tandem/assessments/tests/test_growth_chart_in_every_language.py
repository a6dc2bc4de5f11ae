"""Growth charts draw in every language: plain numbers for the browser (a decimal comma
in a coordinate or a polyline drops the point), localized labels for people."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override

from tandem.assessments.models import GrowthMeasurement
from tandem.children.models import Child
from tandem.core.testing.svg import SVG, charts_in

from .helpers import make_growth

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
HEIGHTS = [Decimal("104.5"), Decimal("106.0"), Decimal("108.5")]


def _measured(child: Child) -> list[GrowthMeasurement]:
    return [
        make_growth(child, days_ago=days, height_cm=height, weight_kg=Decimal("17.25"))
        for days, height in zip((240, 120, 0), HEIGHTS, strict=True)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_growth_chart_draws_in_every_language(world, client_as, language) -> None:
    measurements = _measured(world.child)
    world.therapist.user.language = language
    world.therapist.user.save(update_fields=["language"])
    page = client_as(world.therapist).get(reverse("assessments:index", args=[world.child.id]))
    assert page.status_code == 200
    charts = charts_in(page.content.decode())
    assert len(charts) == 3  # height, weight, BMI
    for chart in charts:
        assert len(chart.dots) == len(measurements)
        centiles, child_line = chart.all("polyline")[:5], chart.all("polyline")[5:]
        assert len(centiles) == 5 and len(child_line) == 1
        assert len(str(child_line[0].get("points")).split()) == len(measurements)
        xs = [float(str(dot.get("cx"))) for dot in chart.dots]
        assert xs == sorted(xs) and len(set(xs)) == len(xs)  # oldest to newest, left to right
    height = charts[0]
    title = {"en": "Height / length (cm)", "es": "Estatura / longitud (cm)"}[language]
    heading = height.element.find(SVG + "title")
    assert heading is not None
    assert "".join(heading.itertext()) == title
    with override(language):
        latest = date_format(measurements[-1].measured_on, "MEDIUM_DATE_FORMAT")
    assert f"{latest}: {'108,5' if language == 'es' else '108.5'}" in height.titles()
