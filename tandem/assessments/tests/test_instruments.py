"""The shipped instrument catalogue: well-formed, and seeded once into each clinic."""

import json
import re
from pathlib import Path

import pytest

from tandem.accounts.models import Discipline
from tandem.assessments import actions, reading
from tandem.assessments.models import Instrument

EXPECTED = {
    "pdms-3",
    "bot-2",
    "sp2",
    "vineland-3",
    "pedi-cat",
    "gmfm-66",
    "celf-5",
    "pls-5",
    "beery-vmi",
    "ppvt-5",
    "sfa",
    "abas-3",
}


def test_the_catalogue_holds_the_common_instruments():
    codes = [item["code"] for item in reading.shipped_instruments()]
    assert len(codes) == len(set(codes))
    assert set(codes) >= EXPECTED


def test_each_instrument_is_well_formed():
    disciplines = set(Discipline.values)
    for item in reading.shipped_instruments():
        code = item["code"]
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code), code
        assert 0 < len(item["name"]) <= 200, code
        assert item["disciplines"] and set(item["disciplines"]) <= disciplines, code
        assert 0 <= item["min_age_months"] < item["max_age_months"] <= 264, code
        assert item["score_sd"] > 0 and item["score_mean"] > 0, code
        names = item["subtests"]
        assert names and all(isinstance(n, str) and 0 < len(n) <= 120 for n in names), code
        assert len(names) == len(set(names)), code


def test_only_model_fields_are_loaded_from_the_file():
    raw = json.loads((Path(reading.__file__).parent / "data" / "instruments.json").read_text())
    assert "note" in raw["instruments"][0]
    assert all("note" not in item for item in reading.shipped_instruments())


@pytest.mark.django_db
def test_a_clinic_is_seeded_once_and_keeps_its_own_edits(world):
    shipped = reading.shipped_instruments()
    assert actions.ensure_instruments(world.org) == len(shipped)
    bot = Instrument.objects.get(organization=world.org, code="bot-2")
    assert (bot.score_mean, bot.score_sd, bot.min_age_months) == (50, 10, 48)
    assert "Total Motor Composite" in bot.subtest_names()
    bot.name = "BOT-2 (our copy)"
    bot.save()
    assert actions.ensure_instruments(world.org) == 0
    bot.refresh_from_db()
    assert bot.name == "BOT-2 (our copy)"
    assert Instrument.objects.filter(organization=world.foreign_org).count() == 0
