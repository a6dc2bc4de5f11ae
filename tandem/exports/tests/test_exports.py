"""PDFs are made by the task worker (issue 16): the page that asks answers at once, polls,
and hands over the file; only the member who asked may have it, and only while they may
still see what it shows."""

import json
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from tandem.assessments.tests.helpers import make_evaluation
from tandem.audit.models import AccessLog
from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing.types import ClientAs, Response
from tandem.exports.models import Export
from tandem.exports.tasks import make_export
from tandem.exports.tests.helpers import download_pdf, poll_url

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-01-01", "end": "2024-06-30", "register": "clinical"}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """WeasyPrint replaced by a recorder (the real printing is tested by the reports'
    own tests): the HTML each print was given."""
    import weasyprint

    pages: list[str] = []

    class Printer:
        def __init__(self, string: str, base_url: str) -> None:
            pages.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7 made by the worker"

    monkeypatch.setattr(weasyprint, "HTML", Printer)
    yield pages


def report_url(world: World) -> str:
    return reverse("progress:report_pdf", args=[world.child.id])


def ask(client: Client, url: str, data: Any = None) -> Response:
    """Ask without the worker running (the test's transaction never commits)."""
    return client.get(url, data)


def test_the_page_answers_at_once_and_the_worker_prints(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    client = client_as(world.therapist)
    waiting = ask(client, report_url(world), PERIOD)
    assert waiting.status_code == 200
    body = waiting.content.decode()
    assert "The PDF is being made" in body and 'role="status"' in body
    assert printed == []  # nothing printed while the person waited for the page
    export = Export.objects.get()
    assert export.status == Export.Status.PENDING and export.params == PERIOD
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()

    # The page polls; while the document is being made it says so and keeps polling.
    poll = poll_url(waiting)
    assert poll.endswith(f"&export={export.pk}")
    still = client.get(poll, headers=HTMX)
    assert still.status_code == 200 and 'hx-trigger="every 1s"' in still.content.decode()

    assert make_export.call(str(export.pk)) == "ready"
    assert len(printed) == 1 and "Progress report" in printed[0]
    opened = client.get(poll, headers=HTMX)  # the page opens the file in its own place
    assert json.loads(opened["HX-Trigger"]) == {"tandem:open-file": {"url": poll}}
    ready = opened.content.decode()
    assert "The PDF is ready." in ready and "hx-trigger" not in ready  # polling stops
    pdf = client.get(poll)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == b"%PDF-1.7 made by the worker"
    assert {"private", "no-store"} <= set(pdf["Cache-Control"].replace(" ", "").split(","))
    assert 'filename="progress-report-2024-01-01-2024-06-30.pdf"' in pdf["Content-Disposition"]
    (log,) = AccessLog.objects.filter(child=world.child, action=AccessLog.Action.EXPORT)
    assert log.route == "progress:report_pdf" and log.user == world.therapist.user


def test_a_double_click_makes_one_document_and_another_period_another(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    client = client_as(world.therapist)
    first = ask(client, report_url(world), PERIOD)
    again = ask(client, report_url(world), PERIOD)
    assert poll_url(first) == poll_url(again)
    assert Export.objects.count() == 1
    ask(client, report_url(world), PERIOD | {"end": "2024-03-31"})
    assert Export.objects.count() == 2
    # Once made, asking again makes it again (the record may have changed since).
    for export in Export.objects.all():
        make_export.call(str(export.pk))
    ask(client, report_url(world), PERIOD)
    assert Export.objects.count() == 3


def test_a_member_has_at_most_three_documents_being_made(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    """The worker's queue is the clinic's: one person cannot fill it."""
    client = client_as(world.guardian)
    for end in ("2024-03-31", "2024-04-30", "2024-05-31"):
        assert ask(client, report_url(world), PERIOD | {"end": end}).status_code == 200
    refused = ask(client, report_url(world), PERIOD)
    assert refused.status_code == 429
    assert "You already have several PDFs being made." in refused.content.decode()
    assert Export.objects.count() == 3
    make_export.call(str(Export.objects.order_by("created_at")[0].pk))
    assert ask(client, report_url(world), PERIOD).status_code == 200  # one is made: room


def test_only_the_member_who_asked_gets_the_document(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    waiting = ask(client_as(world.therapist), report_url(world), PERIOD)
    make_export.call(str(Export.objects.get().pk))
    poll = poll_url(waiting)
    # The child's guardian, the clinic's admin, a colleague on the team: all see Maya,
    # none gets the therapist's document (a guardian would get the clinical register).
    for someone in (world.guardian, world.admin, world.consulting_therapist):
        assert client_as(someone).get(poll).status_code == 404
    for outsider in (world.other_guardian, world.foreign_admin, world.unassigned_therapist):
        assert client_as(outsider).get(poll).status_code == 404
    mine = client_as(world.therapist)
    assert mine.get(poll).status_code == 200
    # Not for another period or another child, and no made-up or malformed ids.
    export_id = str(Export.objects.get().pk)
    other_period = PERIOD | {"end": "2024-03-31", "export": export_id}
    assert mine.get(report_url(world), other_period).status_code == 404
    sibling = reverse("progress:report_pdf", args=[world.sibling.id])
    assert mine.get(sibling, PERIOD | {"export": export_id}).status_code == 404
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        assert mine.get(report_url(world), PERIOD | {"export": bad}).status_code == 404


def test_the_worker_asks_again_whether_the_member_may_see_the_child(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    ask(client_as(world.guardian), report_url(world), PERIOD)
    world.guardian.is_active = False  # the clinic ended the guardian's access meanwhile
    world.guardian.save()
    assert make_export.call(str(Export.objects.get().pk)) == "failed"
    assert printed == []
    assert Export.objects.get().content is None


def test_a_failed_print_says_so_and_offers_to_try_again(
    world: World, client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    client = client_as(world.therapist)
    waiting = ask(client, report_url(world), PERIOD)
    assert make_export.call(str(Export.objects.get().pk)) == "failed"
    page = client.get(poll_url(waiting), headers=HTMX).content.decode()
    assert "We could not make this PDF." in page and "hx-trigger" not in page  # polling stops
    again = report_url(world) + "?start=2024-01-01&amp;end=2024-06-30&amp;register=clinical"
    assert f'href="{again}"' in page


def test_a_worker_that_died_mid_print_is_given_up_after_five_minutes(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    client = client_as(world.therapist)
    waiting = ask(client, report_url(world), PERIOD)
    with time_machine.travel(clock.now() + timedelta(minutes=6)):
        page = client.get(poll_url(waiting), headers=HTMX).content.decode()
    assert "We could not make this PDF." in page


def test_running_the_task_twice_prints_once(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    ask(client_as(world.therapist), report_url(world), PERIOD)
    export_id = str(Export.objects.get().pk)
    assert make_export.call(export_id) == "ready"
    assert make_export.call(export_id) == "gone"
    assert len(printed) == 1


def test_a_run_claims_the_export_so_a_second_run_meanwhile_prints_nothing(
    world: World, client_as: ClientAs, printed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers given the same task: the second finds it claimed (being printed)."""
    from tandem.exports import tasks

    ask(client_as(world.therapist), report_url(world), PERIOD)
    export_id = str(Export.objects.get().pk)
    second: list[str] = []
    real_print = tasks._print

    def print_while_another_runs(html: str) -> bytes:
        second.append(make_export.call(export_id))  # the other worker, mid-print
        return real_print(html)

    monkeypatch.setattr(tasks, "_print", print_while_another_runs)
    assert make_export.call(export_id) == "ready"
    assert second == ["gone"] and len(printed) == 1


def test_a_document_that_waited_too_long_is_not_printed(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    """The page told the member after five minutes to ask again: a late worker skips it."""
    ask(client_as(world.therapist), report_url(world), PERIOD)
    Export.objects.update(created_at=clock.now() - timedelta(minutes=6))
    assert make_export.call(str(Export.objects.get().pk)) == "failed"
    assert printed == []


def test_a_document_is_kept_an_hour_then_deleted(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    client = client_as(world.therapist)
    waiting = ask(client, report_url(world), PERIOD)
    make_export.call(str(Export.objects.get().pk))
    Export.objects.update(created_at=clock.now() - timedelta(minutes=61))  # made an hour ago
    assert client.get(poll_url(waiting)).status_code == 404
    out = StringIO()
    call_command("prune_exports", stdout=out)
    assert out.getvalue() == "Deleted 1 expired export(s).\n"
    assert not Export.objects.exists()


def test_the_worker_prints_in_the_language_of_the_person_who_asked(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    user = world.guardian.user
    user.language = "es"
    user.save()
    ask(client_as(world.guardian), report_url(world), PERIOD)
    export = Export.objects.get()
    assert export.language == "es"
    translation.activate("en")  # the worker starts in another language
    try:
        make_export.call(str(export.pk))
    finally:
        translation.deactivate()
    assert '<html lang="es">' in printed[0] and "Informe de progreso" in printed[0]


def test_the_evaluation_pdf_is_made_by_the_worker_too(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    evaluation = make_evaluation(world.child, world.therapist)
    url = reverse("assessments:evaluation_pdf", args=[world.child.id, evaluation.id])
    client = client_as(world.guardian)
    with TestCase.captureOnCommitCallbacks(execute=True):
        waiting = client.get(url)
    assert "The PDF is being made" in waiting.content.decode()
    pdf = client.get(poll_url(waiting))
    assert pdf.content.startswith(b"%PDF") and world.child.last_name in printed[0]
    assert Export.objects.get().params == {"evaluation_id": str(evaluation.pk)}


def test_a_pdf_through_the_queue_as_a_person_gets_it(world: World, client_as: ClientAs) -> None:
    """The real printer, end to end: the waiting page, the worker (on commit), the file."""
    response = download_pdf(client_as(world.guardian), report_url(world), PERIOD)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
