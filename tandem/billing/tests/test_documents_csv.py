"""Charges as CSV, for a spreadsheet: one header row, ISO dates, numbers never localized,
and no cell a spreadsheet would run as a formula."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.billing.documents import safe_cell
from tandem.billing.tests.helpers import coded_note, payer, policy
from tandem.billing.tests.helpers import fees as fee_schedule
from tandem.billing.tests.helpers_fees import speaking

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def charged(world):
    fee_schedule(world.org, **{"97530": "1234.50"})
    insurer = payer(world.org, name='=HYPERLINK("http://x")', payer_id="EVIL1")
    policy(world.child, insurer)
    world.note = coded_note(world.child, world.therapist, [("97530", 30, "GO")])
    fee_schedule(world.foreign_org, **{"97530": "99.00"})
    coded_note(world.foreign_child, world.foreign_therapist, [("97530", 30)])
    return world


def test_a_childs_charges_as_csv(charged, client_as) -> None:
    world = charged
    client = client_as(speaking(world.billing, "es"))  # numbers stay machine numbers
    response = client.get(reverse("billing:charges_csv", args=[world.child.id]))
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    header, *rows = _rows(response)
    assert header[:3] == ["service_date", "code", "modifiers"] and "child" not in header
    [row] = rows
    line = dict(zip(header, row, strict=True))
    assert line["service_date"] == world.note.date.isoformat()
    assert (line["units"], line["unit_fee"], line["fee"]) == ("2", "1234.50", "2469.00")
    assert line["payer"] == '\'=HYPERLINK("http://x")'  # not run by a spreadsheet
    assert line["billed_to"] == "payer" and line["modifiers"] == "GO"
    log = AccessLog.objects.get(child=world.child, route="billing:charges_csv")
    assert log.action == AccessLog.Action.EXPORT


def test_the_clinics_charges_of_a_date_range(charged, client_as) -> None:
    world = charged
    day = world.note.date
    url = reverse("billing:clinic_charges_csv")
    response = client_as(world.admin).get(url, {"start": day.isoformat(), "end": day.isoformat()})
    header, *rows = _rows(response)
    assert header[:2] == ["service_date", "child"]
    assert [r[1] for r in rows] == ["Maya Okafor"]  # not the other clinic's
    before = day - datetime.timedelta(days=10)
    empty = client_as(world.admin).get(
        url, {"start": before.isoformat(), "end": before.isoformat()}
    )
    assert _rows(empty) == [header]


def test_a_bad_range_is_refused_with_a_message(charged, client_as) -> None:
    url = reverse("billing:clinic_charges_csv")
    client = client_as(charged.billing)
    backwards = client.get(url, {"start": "2026-05-01", "end": "2026-04-01"})
    assert backwards.status_code == 400
    assert "The end comes on or after the start." in backwards.content.decode()
    too_long = client.get(url, {"start": "2024-01-01", "end": "2026-01-01"})
    assert "Export at most a year at a time." in too_long.content.decode()


def test_only_billing_and_admins_export_charges(charged, client_as) -> None:
    world = charged
    for persona in (world.therapist, world.guardian, world.front_desk):
        assert (
            client_as(persona)
            .get(reverse("billing:charges_csv", args=[world.child.id]))
            .status_code
            == 404
        )
        assert client_as(persona).get(reverse("billing:clinic_charges_csv")).status_code == 404
    foreign = client_as(world.foreign_admin).get(
        reverse("billing:charges_csv", args=[world.child.id])
    )
    assert foreign.status_code == 404


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Blue Valley", "Blue Valley"),
        ("", ""),
    ],
)
def test_a_cell_starting_like_a_formula_gets_an_apostrophe(value, safe) -> None:
    assert safe_cell(value) == safe
