"""The school summary for an IEP/504 team (issue 14, item 4): the goals in everyday words,
what helps and what to watch for; the family's to keep and to share by consent, in the
family's language, as a page and a PDF."""

import html

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.exports.tests.helpers import download_pdf

from .demo_child import demo_child
from .pdf_pages import pages, printed_html

pytestmark = pytest.mark.django_db


def _page(client, world: World) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("progress:school_summary", args=[world.child.id]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_family_reads_the_goals_in_school_words(world, client_as) -> None:
    demo_child(world)
    body = _page(client_as(world.guardian), world)
    assert "Maya: a summary for the school team" in body
    assert "Maya buttons her own coat." in body
    assert "What helps" in body
    assert "<li>Wobble cushion; movement break before circle; visual timer.</li>" in body
    assert "What to watch for" in body
    # No clinical statement, diagnosis or score: what the family already reads.
    assert "Maya will button a coat independently" not in body
    assert "F82" not in body and "BOT-2" not in body


def test_strategies_are_one_a_line_and_a_semicolon_stays_inside_its_line(world, client_as) -> None:
    _plan, goals = demo_child(world)
    goals[0].strategies = "Large buttons first; then smaller ones\n- Backward chaining"
    goals[0].save()
    body = _page(client_as(world.guardian), world)
    assert "<li>Large buttons first; then smaller ones</li>" in body
    assert "<li>Backward chaining</li>" in body
    assert "<li>then smaller ones</li>" not in body


def test_a_teacher_with_the_summary_shared_reads_it_and_its_pdf(
    world, client_as, monkeypatch
) -> None:
    demo_child(world)
    teacher = client_as(world.consented_collaborator)
    body = _page(teacher, world)
    assert "Maya sits with her class at circle time." in body
    printed = printed_html(monkeypatch)
    url = reverse("progress:school_summary_pdf", args=[world.child.id])
    assert download_pdf(teacher, url).status_code == 200
    laid_out = pages(printed[0])
    assert len(laid_out) <= 2
    assert "What to watch for" in laid_out[0].text


def test_nobody_else_outside_the_team_reads_it(world, client_as) -> None:
    demo_child(world)
    url = reverse("progress:school_summary", args=[world.child.id])
    for member in (world.collaborator, world.revoked_collaborator, world.front_desk):
        assert client_as(member).get(url).status_code == 404


def test_a_spanish_speaking_family_gets_it_in_spanish(world, client_as) -> None:
    demo_child(world)
    world.guardian.user.language = "es"
    world.guardian.user.save()
    body = _page(client_as(world.guardian), world)
    assert "Maya se abrocha el abrigo sola." in body
    assert "Maya buttons her own coat." not in body
    assert "Qué ayuda" in body


def test_the_reports_page_offers_it(world, client_as) -> None:
    demo_child(world)
    body = client_as(world.guardian).get(reverse("progress:reports", args=[world.child.id]))
    assert reverse("progress:school_summary_pdf", args=[world.child.id]) in body.content.decode()
