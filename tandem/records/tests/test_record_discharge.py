"""The family's full record holds the discharge summary of each closed plan they may read
(the latest ones: the worker prints a bounded number of PDFs), named in the index in the
family's language; a guardian without access to the child gets none of them."""

import io
import zipfile

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.exports.models import Export
from tandem.plans.models import PlanStatus
from tandem.plans.tests.helpers import make_plan
from tandem.records import build
from tandem.records.actions import KIND
from tandem.records.tests.test_record import quick_print

pytestmark = pytest.mark.django_db


# WeasyPrint replaced by a recorder: the HTML of each PDF the worker prints (test_record's).
printed = quick_print


def record_of(client: Client, child: Child) -> dict[str, bytes]:
    """Ask for the child's record (the worker runs in-process), download it, unzip it."""
    url = reverse("records:record", args=[child.id])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url, {"idempotency_key": f"discharge-{child.pk}"})
    export = Export.objects.get(kind=KIND, child=child)
    response = client.get(reverse("records:download", args=[child.id, export.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def discharges(files: dict[str, bytes]) -> list[str]:
    return sorted(n for n in files if n.startswith("reports/discharge-summary-"))


def test_a_closed_plans_discharge_summary_is_in_the_zip(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    make_plan(world.child, world.therapist, status=PlanStatus.CLOSED)
    make_plan(world.child, world.therapist)  # open: no discharge yet
    make_plan(world.child, world.therapist, status=PlanStatus.DRAFT, discipline="slp")
    make_plan(world.sibling, world.therapist, status=PlanStatus.CLOSED)  # Eli's, not Maya's

    files = record_of(client_as(world.guardian), world.child)
    names = discharges(files)
    assert len(names) == 1 and names[0].startswith("reports/discharge-summary-ot-")
    assert files[names[0]].startswith(b"%PDF")
    index = files["index.html"].decode()
    assert f'href="{names[0]}"' in index
    assert "<strong>Discharge summary</strong>" in index
    assert "(Occupational therapy) ended: the goals reached" in index
    summaries = [html for html in printed if "Discharge summary" in html]
    assert len(summaries) == 1 and "Eli" not in summaries[0]


def test_a_spanish_family_reads_it_named_in_spanish(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    world.guardian.user.language = "es"
    world.guardian.user.save()
    make_plan(world.child, world.therapist, status=PlanStatus.CLOSED)
    index = record_of(client_as(world.guardian), world.child)["index.html"].decode()
    assert "<strong>Resumen de alta</strong>" in index
    assert "Cómo terminó el plan iniciado el" in index


def test_only_the_latest_are_printed(
    world: World, client_as: ClientAs, printed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "MOST_DISCHARGES", 2)
    for discipline in ("ot", "pt", "slp"):
        make_plan(world.child, world.therapist, status=PlanStatus.CLOSED, discipline=discipline)
    files = record_of(client_as(world.guardian), world.child)
    assert len(discharges(files)) == 2
    assert "Only the 2 latest discharge summaries are here" in files["index.html"].decode()


def test_a_guardian_without_access_gets_none(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    make_plan(world.child, world.therapist, status=PlanStatus.CLOSED)
    # Another family: Maya's record is not there for them; their own child's has no
    # discharge summary of Maya's.
    other = client_as(world.other_guardian)
    assert other.get(reverse("records:record", args=[world.child.id])).status_code == 404
    files = record_of(other, world.other_child)
    assert discharges(files) == []
    assert not any("Discharge summary" in html for html in printed)
    assert "Maya" not in files["index.html"].decode()
