"""Markup mistakes axe-core reports as serious, caught in every template before a browser
test has to render the page that shows them (an error list appears only on bad input)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.types import ClientAs

TANDEM = Path(__file__).resolve().parents[2]
# role="alert" on a <ul>/<ol> replaces its list role, orphaning its <li> items (axe
# "listitem"); the alert goes on a wrapping element instead.
# (role="list" only restores the list role that list-style: none takes away in Safari.)
LIST_WITH_A_ROLE = re.compile(r"<(ul|ol)\b[^>]*\brole=(?![\"']list[\"'])", re.IGNORECASE)


def test_no_list_in_a_template_has_its_role_replaced() -> None:
    offenders = [
        f"{path.relative_to(TANDEM)}:{number}"
        for path in TANDEM.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if LIST_WITH_A_ROLE.search(line)
    ]
    assert offenders == []


# --- Rendered: every form shown with its errors points at what describes its fields ----

DESCRIBED_BY = re.compile(r'aria-describedby="([^"]+)"')
ELEMENT_ID = re.compile(r'\bid="([^"]+)"')


def dangling_references(html: str) -> list[str]:
    """The ids aria-describedby names that no element on the page has."""
    ids = set(ELEMENT_ID.findall(html))
    return [ref for refs in DESCRIBED_BY.findall(html) for ref in refs.split() if ref not in ids]


def error_pages(world: World) -> list[tuple[str, str, str]]:
    """(persona, form URL, route name) for forms of each app, posted empty."""
    child = world.child.id
    return [
        ("admin", reverse("children:new"), "children:new"),
        ("admin", reverse("children:edit", args=[child]), "children:edit"),
        ("therapist", reverse("plans:new", args=[child]), "plans:new"),
        ("therapist", reverse("assessments:new", args=[child]), "assessments:new"),
        ("therapist", reverse("appointments:new", args=[child]), "appointments:new"),
        ("therapist", reverse("homeprogram:activity_new", args=[child]), "activity_new"),
        ("guardian", reverse("consent:grant", args=[child]), "consent:grant"),
        ("guardian", reverse("messaging:checkin", args=[child]), "messaging:checkin"),
        ("guardian", reverse("notifications:preferences"), "notifications:preferences"),
        ("admin", reverse("resources:edit"), "resources:edit"),
    ]


@pytest.mark.django_db
def test_fields_with_errors_are_described_by_elements_on_the_page(
    world: World, client_as: ClientAs
) -> None:
    problems = []
    for persona, url, name in error_pages(world):
        response = client_as(getattr(world, persona)).post(url, {"practice_time": "x"})
        html = response.content.decode()
        shown = 'role="alert"' in html or 'aria-invalid="true"' in html
        if response.status_code != 200 or not shown:
            problems.append(f"{name}: no error shown ({response.status_code})")
        elif missing := dangling_references(html):
            problems.append(f"{name}: aria-describedby names missing ids {missing}")
    assert problems == []
