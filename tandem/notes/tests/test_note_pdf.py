"""A signed note as a PDF: printed by the worker from the note as its reader reads it (the
team the clinical note, the family their own words), with its addenda; a draft has none."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.exports.models import Export
from tandem.exports.tests.helpers import download_pdf
from tandem.notes import actions
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The HTML of each print (WeasyPrint still prints it)."""
    import weasyprint

    real = weasyprint.HTML
    pages: list[str] = []

    def printer(*args: Any, **kwargs: Any) -> Any:
        pages.append(kwargs.get("string") or "")
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", printer)
    yield pages


def pdf_url(note: Any) -> str:
    return reverse("notes:note_pdf", args=[note.child_id, note.pk])


def test_the_team_gets_the_clinical_note_with_its_addenda(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    note = make_note(world.child, world.therapist, sign=True, subjective="Tired after school.")
    actions.add_addendum(note, world.therapist, "The coat had a zip, not buttons.")
    client = client_as(world.therapist)
    page = client.get(note.get_absolute_url())
    assert pdf_url(note) in page.content.decode()  # the note's page links to its PDF
    pdf = download_pdf(client, pdf_url(note))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert Export.objects.get().kind == "notes.note"
    [html] = printed
    assert "Maya Okafor" in html
    assert "S — subjective" in html and "Tired after school." in html
    assert "Billable units" in html and "SHA-256" in html
    assert "The coat had a zip, not buttons." in html


def test_the_family_gets_their_own_words(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    note = make_note(world.child, world.therapist, sign=True, subjective="Tired after school.")
    pdf = download_pdf(client_as(world.guardian), pdf_url(note))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    [html] = printed
    assert "What you and your child told us" in html and "Tired after school." in html
    assert "S — subjective" not in html
    assert "Billable units" not in html and "SHA-256" not in html


def test_a_draft_has_no_pdf_and_others_find_none(
    world: World, client_as: ClientAs, printed: list[str]
) -> None:
    draft = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    assert client.get(pdf_url(draft)).status_code == 404
    assert pdf_url(draft) not in client.get(draft.get_absolute_url()).content.decode()
    signed = make_note(world.child, world.therapist, sign=True)
    for member in (world.other_guardian, world.front_desk, world.unassigned_therapist):
        assert client_as(member).get(pdf_url(signed)).status_code == 404, member
    waiting = make_note(world.child, world.assistant, sign=True)  # not co-signed yet
    assert client_as(world.guardian).get(pdf_url(waiting)).status_code == 404
    assert printed == [] and not Export.objects.exists()
