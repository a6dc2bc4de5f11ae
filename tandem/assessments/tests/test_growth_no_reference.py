"""A value at an age no reference covers is kept, without a centile, and says why.

Head circumference has a reference to three years (CDC 2000 stops at 36 months), every
measure to twenty, and none before term. Such a value is real: it is stored with no
z-score or centile and the page and API say plainly why. Only values no child can have
(zero or less, beyond the fields' bounds) and values beyond WHO's plausible range
(unless confirmed, see test_growth_plausibility.py) are refused.
"""

import datetime
import re
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from tandem.assessments import growth
from tandem.assessments.models import GrowthMeasurement
from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today

pytestmark = pytest.mark.django_db

API = "/api/v1/children/{}/growth"
NOTE = "No reference for head circumference after 3 years"


def measured_on() -> datetime.date:
    """Two days ago: in the past whatever the hour and the clinic's time zone."""
    return clinic_today() - datetime.timedelta(days=2)


@pytest.fixture
def four_year_old(world):
    """Leo, four years old on the day he is measured."""
    world.child.date_of_birth = measured_on() - datetime.timedelta(days=4 * 365 + 30)
    world.child.gestational_age_weeks = None
    world.child.sex = "M"
    world.child.save()
    return world.child


def post(client: Client, child: Child, **payload: Any) -> HttpResponseBase:
    payload.setdefault("measured_on", measured_on().isoformat())
    return client.post(API.format(child.id), payload, content_type="application/json")


def test_the_api_saves_head_circumference_at_four_years_without_a_centile(
    world, client_as, four_year_old
):
    response = post(
        client_as(world.therapist),
        four_year_old,
        head_circumference_cm="51.0",
        height_cm="103.0",
        weight_kg="16.5",
    )

    assert response.status_code == 201, response.content
    results = response.json()["results"]
    assert results["ofc"]["z"] is None and results["ofc"]["centile"] is None
    assert results["ofc"]["no_reference"] == "after_last_age"
    assert results["ofc"]["note"] == NOTE
    assert results["height"]["z"] is not None and results["height"]["note"] == ""
    assert results["weight"]["reference"] == growth.CDC_2000
    assert results["bmi"]["centile"] is not None
    stored = GrowthMeasurement.objects.get(child=four_year_old)
    assert stored.head_circumference_cm == 51


def test_the_page_saves_it_and_says_why_there_is_no_centile(world, client_as, four_year_old):
    client = client_as(world.therapist)
    response = client.post(
        reverse("assessments:growth_new", args=[four_year_old.id]),
        {"measured_on": measured_on().isoformat(), "head_circumference_cm": "51.0"},
        follow=True,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "The measurements were saved" in body
    assert f"51.0 cm ({NOTE})" in body  # the confirmation message
    assert 'data-no-centile="ofc"' in body  # the table on the tab
    assert 'id="chart-ofc-cap"' not in body  # no chart: no centile to draw it against
    assert GrowthMeasurement.objects.filter(child=four_year_old).count() == 1


def test_the_reason_is_said_in_the_readers_language(world, client_as, four_year_old):
    world.therapist.user.language = "es"
    world.therapist.user.save(update_fields=["language"])
    client = client_as(world.therapist)
    created = post(client, four_year_old, head_circumference_cm="51.0")
    spanish = "No hay referencia de perímetro cefálico después de los 3 años"

    assert created.status_code == 201
    assert created.json()["results"]["ofc"]["note"] == spanish
    page = client.get(reverse("assessments:index", args=[four_year_old.id]))
    assert spanish in page.content.decode()
    saved = client.post(
        reverse("assessments:growth_new", args=[four_year_old.id]),
        {
            "measured_on": measured_on().isoformat(),
            "head_circumference_cm": "51.5",
            "weight_kg": "16.5",
        },
        follow=True,
    ).content.decode()
    assert f"51,5 cm ({spanish})" in saved
    assert re.search(r"16,5 kg \(percentil \d+,\d · z -?\d+,\d+\)", saved)  # numbers for people


def test_an_existing_measurement_without_a_reference_can_be_edited(world, client_as, four_year_old):
    client = client_as(world.therapist)
    created = post(client, four_year_old, head_circumference_cm="51.0").json()

    response = client.patch(
        f"{API.format(four_year_old.id)}/{created['id']}",
        {"version": created["version"], "head_circumference_cm": "51.5", "weight_kg": "16.5"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["head_circumference_cm"] == "51.5"
    assert body["results"]["ofc"]["note"] == NOTE
    assert body["results"]["weight"]["z"] is not None
    assert GrowthMeasurement.objects.get(child=four_year_old).version == 2


def test_an_implausible_value_is_still_refused_beside_one_without_reference(
    world, client_as, four_year_old
):
    """No reference for one value never lets an implausible other one through."""
    client = client_as(world.therapist)
    response = post(client, four_year_old, head_circumference_cm="51.0", weight_kg="95")

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "plausible range" in detail["weight_kg"][0]
    assert "head_circumference_cm" not in detail
    assert not GrowthMeasurement.objects.filter(child=four_year_old).exists()

    confirmed = post(
        client,
        four_year_old,
        head_circumference_cm="51.0",
        weight_kg="95",
        confirmed_implausible=True,
    )
    assert confirmed.status_code == 201
    results = confirmed.json()["results"]
    assert results["weight"]["implausible"] is True
    assert results["ofc"]["note"] == NOTE


def test_a_95_kg_six_month_old_is_still_refused_unless_confirmed(world, client_as):
    world.child.date_of_birth = measured_on() - datetime.timedelta(days=183)
    world.child.gestational_age_weeks = None
    world.child.save()
    client = client_as(world.therapist)

    refused = post(client, world.child, weight_kg="95")
    assert refused.status_code == 422
    assert not GrowthMeasurement.objects.filter(child=world.child).exists()
    assert post(client, world.child, weight_kg="95", confirmed_implausible=True).status_code == 201


def test_a_young_adult_is_measured_without_centiles_and_the_tab_still_draws(world, client_as):
    """After twenty no measure has a reference; the value is kept and the tab shows it."""
    world.child.date_of_birth = measured_on() - datetime.timedelta(days=21 * 365 + 100)
    world.child.save()
    client = client_as(world.therapist)

    response = post(client, world.child, height_cm="172.0", weight_kg="64.0")

    assert response.status_code == 201, response.content
    results = response.json()["results"]
    assert results["weight"]["note"] == "No reference for weight after 20 years"
    assert results["height"]["no_reference"] == "after_last_age"
    assert results["bmi"]["z"] is None
    page = client.get(reverse("assessments:index", args=[world.child.id]))
    assert page.status_code == 200
    assert "No reference for weight after 20 years" in page.content.decode()


def test_a_preterm_baby_before_term_is_measured_without_centiles(world, client_as):
    world.child.date_of_birth = measured_on() - datetime.timedelta(days=30)
    world.child.gestational_age_weeks = 28
    world.child.save()

    response = post(client_as(world.therapist), world.child, weight_kg="1.8")

    assert response.status_code == 201, response.content
    weight = response.json()["results"]["weight"]
    assert weight["z"] is None and weight["no_reference"] == "before_term"
    assert weight["note"] == "No reference for weight before term (40 weeks corrected age)"


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_value_no_child_can_have_is_refused(world, client_as, four_year_old, value):
    response = post(client_as(world.therapist), four_year_old, head_circumference_cm=value)

    assert response.status_code == 422
    assert not GrowthMeasurement.objects.filter(child=four_year_old).exists()


def test_an_absurd_head_circumference_is_refused_on_the_page(world, client_as, four_year_old):
    """No reference at four years, but no head measures 5 m either: the field's bounds say so."""
    response = client_as(world.therapist).post(
        reverse("assessments:growth_new", args=[four_year_old.id]),
        {"measured_on": measured_on().isoformat(), "head_circumference_cm": "500"},
    )

    assert response.status_code == 200
    assert "head_circumference_cm" in response.context["form"].errors
    assert not GrowthMeasurement.objects.filter(child=four_year_old).exists()


def test_no_reference_is_told_apart_from_an_impossible_value() -> None:
    born = datetime.date(2020, 1, 1)
    with pytest.raises(growth.NoReference) as no_reference:
        growth.measure("M", born, datetime.date(2024, 2, 1), "ofc", 51)
    assert no_reference.value.reason == growth.NoReference.AFTER_LAST_AGE

    with pytest.raises(ValueError, match="positive number") as impossible:
        growth.measure("M", born, datetime.date(2024, 2, 1), "ofc", 0)
    assert not isinstance(impossible.value, growth.NoReference)


def test_the_head_chart_draws_the_values_to_three_years_only(world, client_as):
    """A value after three years has no centile curve to sit on; earlier ones are drawn."""
    from tandem.core.testing.svg import charts_in

    world.child.date_of_birth = measured_on() - datetime.timedelta(days=4 * 365 + 30)
    world.child.gestational_age_weeks = None
    world.child.save()
    client = client_as(world.therapist)
    at_two_and_a_half = world.child.date_of_birth + datetime.timedelta(days=913)
    assert (
        post(
            client, world.child, head_circumference_cm="49.0", measured_on=str(at_two_and_a_half)
        ).status_code
        == 201
    )
    assert post(client, world.child, head_circumference_cm="51.0").status_code == 201

    page = client.get(reverse("assessments:index", args=[world.child.id])).content.decode()

    head = [
        c for c in charts_in(page) if c.element.get("aria-labelledby", "").startswith("chart-ofc-")
    ]
    assert len(head) == 1 and len(head[0].dots) == 1
    assert page.count('data-no-centile="ofc"') == 1


def test_a_reason_stored_before_it_was_a_code_is_still_shown() -> None:
    from tandem.assessments import reading_growth

    old = {"z": None, "centile": None, "reference": "", "error": "There is no reference."}
    assert reading_growth.no_centile_note("ofc", old) == "No centile: There is no reference."
    assert (
        reading_growth.no_centile_note("ofc", {"z": 1.0, "centile": 84.1, "reference": "x"}) == ""
    )
