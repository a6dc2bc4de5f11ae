"""A family's full record (issue 12, item 5): a guardian with legal authority asks from the
family home, the worker builds a ZIP (reports and signed notes as PDFs, a FHIR Bundle, a
plain-language index in the family's language), they are told, and they download it
while the link lasts. Nobody else reaches it."""

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, TestCase
from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.assessments.tests.helpers import make_evaluation
from tandem.audit.models import AccessLog
from tandem.children.models import GuardianLink
from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs, Response
from tandem.exports.actions import prune
from tandem.exports.models import Export
from tandem.fhir.tests.helpers import validate
from tandem.notes.tests.helpers import make_note
from tandem.notifications.models import Kind, Notification
from tandem.records.actions import KIND
from tandem.records.tasks import make_record

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def quick_print(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """WeasyPrint replaced by a recorder (the real printing is the first test's)."""
    import weasyprint

    pages: list[str] = []

    class Printer:
        def __init__(self, string: str, base_url: str) -> None:
            pages.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7 made by the worker"

    monkeypatch.setattr(weasyprint, "HTML", Printer)
    yield pages


def page_url(world: World) -> str:
    return reverse("records:record", args=[world.child.id])


def ask(client: Client, world: World, key: str = "record-key-1") -> Response:
    """Ask as the page's form does; the worker runs when the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(page_url(world), {"idempotency_key": key})


def download(client: Client, world: World) -> Response:
    export = Export.objects.get(kind=KIND, child=world.child)
    return client.get(reverse("records:download", args=[world.child.id, export.pk]))


def unzip(response: Response) -> dict[str, bytes]:
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_legal_guardian_asks_is_told_and_downloads_the_whole_record(
    world: World, client_as: ClientAs
) -> None:
    make_note(world.child, world.therapist, sign=True, plan_next="Buttons on the coat at home.")
    make_note(world.child, world.therapist, objective="A draft the family never sees.")
    make_evaluation(world.child, world.therapist)
    client = client_as(world.guardian)

    page = client.get(page_url(world))
    assert page.status_code == 200
    assert "Ask for a copy of the record" in page.content.decode()

    asked = ask(client, world)
    assert asked.status_code == 302 and asked["Location"] == page_url(world)
    export = Export.objects.get(kind=KIND)
    assert export.status == Export.Status.READY and export.requested_by == world.guardian
    assert export.expires_at is not None
    assert export.expires_at - clock.now() > timedelta(days=6, hours=23)

    told = Notification.objects.get(recipient=world.guardian, kind=Kind.RECORD_READY)
    assert told.child_id == world.child.pk and told.url == page_url(world)

    ready = client.get(page_url(world)).content.decode()
    assert "Your copy is ready" in ready and "Download the record (ZIP)" in ready

    files = unzip(download(client, world))
    pdfs = [name for name in files if name.endswith(".pdf")]
    assert any(name.startswith("reports/progress-report-") for name in pdfs)
    assert any(name.startswith("reports/evaluation-") for name in pdfs)
    assert "notes/session-notes.pdf" in pdfs
    for name in pdfs:
        assert files[name].startswith(b"%PDF"), name

    bundle = json.loads(files["record.fhir.json"])
    validate(bundle)  # the R4 JSON schema and the fhir.resources R4B models
    from fhir.resources.R4B.bundle import Bundle

    assert Bundle.model_validate(bundle).type == "collection"
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "Goal", "CarePlan", "Organization"} <= kinds
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert [p["id"] for p in patients] == [str(world.child.pk)]  # not the sibling
    assert str(world.sibling.pk) not in files["record.fhir.json"].decode()

    index = files["index.html"].decode()
    assert '<html lang="en">' in index
    for name in files:
        assert f'href="{name}"' in index, name

    logged = AccessLog.objects.filter(action=AccessLog.Action.EXPORT, child=world.child)
    assert sorted(logged.values_list("route", flat=True)) == ["records:download", "records:record"]


def test_asking_twice_makes_one_record_and_the_page_shows_the_one_being_made(
    world: World, client_as: ClientAs, quick_print: list[str]
) -> None:
    client = client_as(world.guardian)
    # The worker does not run (the test's transaction never commits): still being made.
    first = client.post(page_url(world), {"idempotency_key": "same-key-123"})
    again = client.post(page_url(world), {"idempotency_key": "same-key-123"})
    assert again["Idempotent-Replayed"] == "true" and again.status_code == first.status_code
    other_tab = client.post(page_url(world), {"idempotency_key": "other-key-456"})
    assert other_tab.status_code == 302
    assert Export.objects.filter(kind=KIND).count() == 1

    page = client.get(page_url(world)).content.decode()
    assert "Your copy is being prepared" in page and 'hx-trigger="every 2s"' in page
    assert "Ask for a copy" not in page
    poll = client.get(page_url(world), headers=HTMX)
    assert poll.status_code == 200 and 'id="record-status"' in poll.content.decode()

    export = Export.objects.get(kind=KIND)
    assert make_record.call(str(export.pk)) == "ready"
    assert make_record.call(str(export.pk)) == "gone"  # a retry of the task does nothing
    assert len([p for p in quick_print if "Session notes" in p or "Progress" in p]) >= 1
    done = client.get(page_url(world), headers=HTMX).content.decode()
    assert "hx-trigger" not in done and "Download the record (ZIP)" in done


def test_a_spanish_family_gets_the_index_and_the_notice_in_spanish(
    world: World, client_as: ClientAs, quick_print: list[str]
) -> None:
    user = world.guardian.user
    user.language = "es"
    user.save(update_fields=["language"])
    make_note(world.child, world.therapist, sign=True)
    client = client_as(world.guardian)
    ask(client, world)
    files = unzip(download(client, world))
    index = files["index.html"].decode()
    assert '<html lang="es">' in index
    assert "Notas de sesión" in index and "esta página" in index
    page = client.get(page_url(world)).content.decode()
    assert "Su copia está lista" in page
    # The PDFs are printed in Spanish too (the family register of the progress report).
    assert any("Notas de las sesiones de" in html for html in quick_print)
    assert all('lang="es"' in html for html in quick_print)


def test_an_expired_link_says_so_and_the_file_is_deleted(
    world: World, client_as: ClientAs, quick_print: list[str]
) -> None:
    client = client_as(world.guardian)
    ask(client, world)
    export = Export.objects.get(kind=KIND)
    url = reverse("records:download", args=[world.child.id, export.pk])
    # A week and a day later (the session would have ended: the link's day is moved).
    Export.objects.filter(pk=export.pk).update(expires_at=clock.now() - timedelta(days=1))
    page = client.get(page_url(world)).content.decode()
    assert "Ask for a copy of the record" in page and "Download the record" not in page
    gone = client.get(url)
    assert gone.status_code == 410
    assert "This download link has expired" in gone.content.decode()
    assert not Export.objects.filter(pk=export.pk).exists()
    assert client.get(url).status_code == 404


def test_the_worker_deletes_expired_records(
    world: World, client_as: ClientAs, quick_print: list[str]
) -> None:
    ask(client_as(world.guardian), world)
    export = Export.objects.get(kind=KIND)
    with time_machine.travel(clock.now() + timedelta(days=7, minutes=1)):
        prune()
    assert not Export.objects.filter(pk=export.pk).exists()


def test_only_a_guardian_with_legal_authority_reaches_it(
    world: World, client_as: ClientAs, quick_print: list[str]
) -> None:
    ask(client_as(world.guardian), world)
    export = Export.objects.get(kind=KIND)
    grandpa: Membership = f.GuardianLinkFactory(
        child=world.child, relationship="grandparent", has_legal_authority=False
    ).guardian
    others = [
        world.therapist,
        world.admin,
        world.consented_collaborator,
        world.other_guardian,
        world.foreign_guardian,
        grandpa,
    ]
    for member in others:
        client = client_as(member)
        assert client.get(page_url(world)).status_code == 404, member
        url = reverse("records:download", args=[world.child.id, export.pk])
        assert client.get(url).status_code == 404, member
        assert client.post(page_url(world), {}).status_code in (403, 404), member
    assert Export.objects.filter(kind=KIND).count() == 1
    # Another legal guardian of the child does not get this guardian's copy either.
    second = f.GuardianLinkFactory(child=world.child, has_legal_authority=True).guardian
    url = reverse("records:download", args=[world.child.id, export.pk])
    assert client_as(second).get(url).status_code == 404


def test_a_guardian_who_lost_legal_authority_before_the_worker_ran_gets_nothing(
    world: World, client_as: ClientAs, quick_print: list[str]
) -> None:
    client_as(world.guardian).post(page_url(world), {"idempotency_key": "lost-key-123"})
    link = GuardianLink.objects.get(child=world.child, guardian=world.guardian)
    link.has_legal_authority = False
    link.save()
    export = Export.objects.get(kind=KIND)
    assert make_record.call(str(export.pk)) == "failed"
    assert quick_print == []


def test_the_family_home_links_to_it_for_legal_guardians_only(
    world: World, client_as: ClientAs
) -> None:
    home = reverse("homeprogram:family_home")
    assert page_url(world) in client_as(world.guardian).get(home).content.decode()
    grandpa = f.GuardianLinkFactory(
        child=world.child, relationship="grandparent", has_legal_authority=False
    ).guardian
    assert page_url(world) not in client_as(grandpa).get(home).content.decode()


def test_the_pages_keep_to_a_query_budget(
    world: World, client_as: ClientAs, django_assert_max_num_queries: Any, quick_print: list[str]
) -> None:
    client = client_as(world.guardian)
    client.get(page_url(world))  # warm the session
    with django_assert_max_num_queries(12):
        client.get(page_url(world))
    ask(client, world)
    with django_assert_max_num_queries(12):
        client.get(page_url(world), headers=HTMX)
    with django_assert_max_num_queries(12):
        assert download(client, world).status_code == 200
