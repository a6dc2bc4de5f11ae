"""No link a family, a collaborator or a child is shown leads to a page they may not open.

Starting at each person's home, the crawler follows every internal ``<a href>`` and
the action of every GET form on every page it reaches (breadth first, same origin,
bounded), as that person, and expects no 403, 404 or server error. The world is the
authorization matrix's: every app's ``populate`` puts data on every page (notes,
plans, appointments, messages, home program, resources, child mode picks...), and a
few more records fill the family home (a plan to sign, a check-in due, an unread
message).

Left out, on purpose: other origins, ``mailto:``/``tel:`` links, fragments of the
same page, and static files (served by the web server in production, not by Django).
"""

from collections import deque

import pytest
from django.test import Client
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.links import Links, internal
from tandem.core.testing.types import ClientAs
from tandem.messaging.tests.helpers import make_schedule
from tandem.plans.tests.helpers import make_plan

pytestmark = pytest.mark.django_db

MAX_PAGES = 250
REFUSED = {403, 404}


def crawl(client: Client, start: list[str]) -> tuple[dict[str, int], list[str]]:
    """Visit every page reachable from ``start``; return each URL's status and the problems."""
    seen: dict[str, int] = {}
    problems: list[str] = []
    queue = deque((url, "(start)") for url in start)
    while queue and len(seen) < MAX_PAGES:
        url, came_from = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in REFUSED or response.status_code >= 500:
            problems.append(f"{url} → {response.status_code} (linked from {came_from})")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = internal(url, response["Location"])
            if target and target not in seen:
                queue.append((target, url))
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        page = Links()
        page.feed(response.content.decode())
        for href in page.found:
            target = internal(url, href)
            if target and target not in seen:
                queue.append((target, url))
    assert len(seen) < MAX_PAGES, "the crawl did not finish: raise MAX_PAGES"
    return seen, problems


@pytest.fixture
def full_world(matrix_world: World, db: None) -> World:
    """The matrix world, plus what the family home shows: a plan to sign, a check-in due."""
    world = matrix_world
    make_plan(world.child, world.therapist, discipline="pt")
    make_schedule(world.sibling, world.therapist, due_in_days=-1)
    return world


@pytest.mark.parametrize("persona", ["guardian", "other_guardian", "consented_collaborator"])
def test_no_link_leads_to_a_refusal(full_world: World, client_as: ClientAs, persona: str) -> None:
    client = client_as(getattr(full_world, persona))
    seen, problems = crawl(client, ["/"])
    assert not problems, "\n".join(problems)
    assert len(seen) > 5, seen  # the crawl reached the pages, not just the home


def test_the_family_home_links_are_all_followed(full_world: World, client_as: ClientAs) -> None:
    client = client_as(full_world.guardian)
    seen, _problems = crawl(client, ["/"])
    assert f"{reverse('appointments:family')}?child={full_world.child.id}" in seen
    assert reverse("messaging:checkin", args=[full_world.sibling.id]) in seen


def test_the_collaborator_home_links_are_all_followed(
    full_world: World, client_as: ClientAs
) -> None:
    """What a consent shares (the collaborators app's pages) is reached from their home."""
    client = client_as(full_world.consented_collaborator)
    seen, _problems = crawl(client, ["/"])
    noah = full_world.other_child.id  # every part of Noah's record; Maya's summary only
    assert reverse("collaborators:child", args=[full_world.child.id]) in seen
    assert reverse("collaborators:notes", args=[noah]) in seen
    assert reverse("collaborators:observe", args=[noah]) in seen
    assert reverse("collaborators:notes", args=[full_world.child.id]) not in seen


def test_no_link_in_child_mode_leads_to_a_refusal(full_world: World, client_as: ClientAs) -> None:
    client = client_as(full_world.guardian)
    entered = client.post(reverse("childmode:enter"), {"child": full_world.child.id})
    assert entered["Location"] == reverse("childmode:home")
    seen, problems = crawl(client, [reverse("childmode:home")])
    assert not problems, "\n".join(problems)
    assert reverse("childmode:home") in seen
