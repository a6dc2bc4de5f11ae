"""The child's timeline, through its page: what each reader sees, in which order and words,
a page at a time, filtered, audited, and in a bounded number of queries."""

import html
import re

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

from .helpers import DRAFT_SOAP, SECRET_SITUATION, SECRET_SOAP, tell_story


def url(child: Child) -> str:
    return reverse("timeline:index", args=[child.id])


def events(body: str) -> list[str]:
    """The events' lines, in page order (tags stripped)."""
    items = re.findall(r'<li class="timeline-event"[^>]*>(.*?)</li>', body, re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", item).split())) for item in items]


def test_the_team_sees_every_kind_of_event(world: World, client_as: ClientAs) -> None:
    story = tell_story(world)
    response = client_as(world.therapist).get(url(world.child))
    body = response.content.decode()
    lines = events(body)
    assert response.status_code == 200
    assert any("Signed session note" in line for line in lines)
    assert any("School or daycare" in line and "With some help" in line for line in lines)
    assert any("Individual therapy" in line and "Attended" in line for line in lines)
    assert any("Maya's Occupational therapy plan is ready (version 3)" in line for line in lines)
    assert any("plan was started (draft) (version 1)" in line for line in lines)
    assert not any("(version 2)" in line for line in lines)  # drafting is not an event
    assert any("signed the Occupational therapy plan" in line for line in lines)
    assert any("Hand-off to" in line and SECRET_SITUATION in line for line in lines)
    assert any("Progress report made" in line for line in lines)
    assert reverse("notes:detail", args=[world.child.id, story.signed.id]) in body
    assert reverse("plans:detail", args=[world.child.id, story.plan.id]) in body
    # Drafts are not events yet; the one-line summary never quotes a note.
    assert DRAFT_SOAP not in body and SECRET_SOAP not in body
    assert 'aria-current="page">Timeline' in body


def test_the_family_reads_plain_words_and_no_staff_only_event(
    world: World, client_as: ClientAs
) -> None:
    tell_story(world)
    body = client_as(world.guardian).get(url(world.child)).content.decode()
    lines = events(body)
    assert any(line.startswith(tuple("0123456789JFMASOND")) for line in lines)  # a date
    assert any("Session with" in line and "(occupational therapy)" in line for line in lines)
    assert any("Maya's occupational therapy plan — you signed it" in line for line in lines)
    assert any("Maya's occupational therapy plan is ready" in line for line in lines)
    assert any("The team shared an observation from school" in line for line in lines)
    assert any("Therapy session with" in line and "Attended" in line for line in lines)
    for staff_only in (
        SECRET_SOAP,
        SECRET_SITUATION,
        DRAFT_SOAP,
        "Hand-off",
        "Signed session note",
    ):
        assert staff_only not in body
    assert "draft" not in " ".join(lines)  # the plan's draft versions are the team's
    assert "Progress report made" not in body  # the therapist's export, not theirs
    assert "story so far" in body


def test_events_are_newest_first(world: World, client_as: ClientAs) -> None:
    for days in (-30, -3, -10):
        make_appointment(
            world.child, world.therapist, in_days(world.child, days), status="attended"
        )
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    times = re.findall(r'<time datetime="([\d-]+)"', body)
    assert len(times) == 3 and times == sorted(times, reverse=True)


def test_older_pages_continue_without_gaps_or_repeats(world: World, client_as: ClientAs) -> None:
    # 60 sessions, several at the same instant: the page boundary falls among them.
    when = [in_days(world.child, -(n // 3) - 1) for n in range(60)]
    made = {
        str(make_appointment(world.child, world.therapist, at, status="attended").id) for at in when
    }
    client = client_as(world.therapist)
    seen: list[str] = []
    page = url(world.child)
    pages = 0
    while page:
        body = client.get(page).content.decode()
        seen += re.findall(r"#appt-([0-9a-f-]{36})", body)
        older = re.search(r'href="(\?before=[^"]+)" rel="next"', body)
        page = url(world.child) + older.group(1).replace("&amp;", "&") if older else ""
        pages += 1
    assert pages == 2
    assert len(seen) == 60 and set(seen) == made


def test_a_filter_shows_only_its_kind(world: World, client_as: ClientAs) -> None:
    tell_story(world)
    body = client_as(world.therapist).get(url(world.child), {"kind": "handoffs"}).content.decode()
    lines = events(body)
    assert len(lines) == 1 and "Hand-off" in lines[0]
    assert "Show everything" in body


def test_a_guardian_cannot_filter_their_way_to_staff_events(
    world: World, client_as: ClientAs
) -> None:
    tell_story(world)
    body = client_as(world.guardian).get(url(world.child), {"kind": "handoffs"}).content.decode()
    assert SECRET_SITUATION not in body and "Hand-off" not in body
    assert 'value="handoffs"' not in body


def test_a_bad_cursor_shows_the_newest_page(world: World, client_as: ClientAs) -> None:
    tell_story(world)
    response = client_as(world.therapist).get(url(world.child), {"before": "yesterday~9~x"})
    assert response.status_code == 200 and events(response.content.decode())


@pytest.mark.parametrize(
    "persona",
    [
        "other_guardian",
        "unassigned_therapist",
        "foreign_admin",
        "consented_collaborator",
        "front_desk",
        "billing",
    ],
)
def test_outsiders_find_nothing(world: World, client_as: ClientAs, persona: str) -> None:
    assert client_as(getattr(world, persona)).get(url(world.child)).status_code == 404


def test_the_visit_is_in_the_access_log(world: World, client_as: ClientAs) -> None:
    client_as(world.guardian).get(url(world.child))
    assert AccessLog.objects.filter(child=world.child, user=world.guardian.user).exists()


@pytest.mark.parametrize("stories", [1, 6])
@pytest.mark.parametrize("persona", ["therapist", "guardian"])
def test_queries_do_not_grow_with_the_story(
    world: World,
    client_as: ClientAs,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    stories: int,
    persona: str,
) -> None:
    for _ in range(stories):
        tell_story(world)
    client = client_as(getattr(world, persona))
    with django_assert_max_num_queries(22):  # 21 as the team, 20 as the family
        response = client.get(url(world.child))
    assert response.status_code == 200
