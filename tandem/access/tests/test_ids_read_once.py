"""Within a reading request, the scope's ids are read once (issue 16).

In a GET or HEAD, the first scoped query of a member holds the visible-children
subquery; at the second the kernel reads the ids (one small query) and that and every
later scoped query of the request filter on them. Writes, tasks and code called outside
a request keep the subquery in every query, and so does an org-wide role (their scope is
the clinic) or a member who sees more than ``_IDS_MAX`` children.
"""

import re
import uuid
from typing import Any

import pytest
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.test import Client

from tandem.access import relation, visible_children
from tandem.access.middleware import VisibleIdsOncePerRequestMiddleware
from tandem.children.models import CareTeamMember, TeamRole
from tandem.conftest import World

pytestmark = pytest.mark.django_db


def test_the_second_use_in_a_request_is_the_ids_of_the_first(world: World) -> None:
    member = world.therapist
    with relation.ids_read_once():
        first = visible_children(member).values("pk")
        assert isinstance(first, QuerySet)  # the subquery, as outside a request
        second = visible_children(member).values("pk")
        third = visible_children(member).values("pk")
    assert isinstance(second, list) and third is second
    assert set(second) == {row["pk"] for row in first}
    assert world.child.pk in second and world.other_child.pk not in second


def test_each_therapist_reads_their_own_ids(world: World) -> None:
    with relation.ids_read_once():
        seen: dict[str, set[uuid.UUID]] = {}
        for name in ("therapist", "consulting_therapist", "unassigned_therapist"):
            member = world.members()[name]
            visible_children(member).values("pk")
            found = visible_children(member).values("pk")
            assert isinstance(found, list)
            seen[name] = set(found)
    for name, ids in seen.items():
        seats = CareTeamMember.objects.filter(therapist=world.members()[name])
        assert ids == set(seats.values_list("child_id", flat=True))
    assert world.child.pk in seen["consulting_therapist"]
    assert world.child.pk not in seen["unassigned_therapist"]
    assert world.foreign_child.pk not in set().union(*seen.values())


@pytest.mark.parametrize("name", ["admin", "front_desk", "guardian", "consented_collaborator"])
def test_other_roles_keep_the_subquery(world: World, name: str) -> None:
    with relation.ids_read_once():
        for _ in range(3):
            scope = visible_children(world.members()[name]).values("pk")
            assert isinstance(scope, QuerySet)


def test_outside_a_reading_request_every_use_is_the_subquery(world: World) -> None:
    for _ in range(3):
        assert isinstance(visible_children(world.therapist).values("pk"), QuerySet)


def test_a_member_seeing_many_children_keeps_the_subquery(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relation, "_IDS_MAX", 0)  # the therapist sees more than none
    with relation.ids_read_once():
        for _ in range(3):
            assert isinstance(visible_children(world.therapist).values("pk"), QuerySet)


def test_a_filtered_scope_is_never_the_ids(world: World) -> None:
    with relation.ids_read_once():
        for _ in range(3):
            scope = visible_children(world.therapist).filter(can_edit=True).values("pk")
            assert isinstance(scope, QuerySet)


@pytest.mark.parametrize(("method", "reads_once"), [("GET", True), ("HEAD", True), ("POST", False)])
def test_the_middleware_reads_once_only_for_reading_methods(
    world: World, method: str, reads_once: bool
) -> None:
    found: list[Any] = []

    def view(request: HttpRequest) -> HttpResponse:
        visible_children(world.therapist).values("pk")
        found.append(visible_children(world.therapist).values("pk"))
        return HttpResponse()

    request = HttpRequest()
    request.method = method
    VisibleIdsOncePerRequestMiddleware(view)(request)
    assert isinstance(found[0], list) is reads_once
    # And nothing is left behind for the next request or the code after it.
    assert isinstance(visible_children(world.therapist).values("pk"), QuerySet)


@pytest.mark.parametrize("tab", ["progress", "home", "messages"])
def test_a_page_is_the_same_through_the_ids_as_through_the_subquery(
    world: World, client_as: Any, monkeypatch: pytest.MonkeyPatch, tab: str
) -> None:
    """A child's tab (the progress tab: plans, goals, readings, home practice; home
    program; messages: scoped queries after the first through the ids) answers what it
    answers with the subquery in each."""
    client: Client = client_as(world.therapist)
    url = f"/children/{world.child.pk}/{tab}/"
    used: list[Any] = []
    read = relation._ids_read

    def recording(key: Any, plain: Any) -> Any:
        used.append(read(key, plain))
        return used[-1]

    monkeypatch.setattr(relation, "_ids_read", recording)
    through_ids = client.get(url)
    assert through_ids.status_code == 200
    assert any(isinstance(ids, list) and world.child.pk in ids for ids in used)
    monkeypatch.setattr(relation, "_IDS_MAX", 0)  # every scoped query holds the subquery
    used.clear()
    through_subquery = client.get(url)
    assert not any(isinstance(ids, list) for ids in used)
    assert _body(through_ids) == _body(through_subquery)


def _body(response: Any) -> bytes:
    """The page without what differs on every request (CSRF token, CSP nonce, a form's
    idempotency key)."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    body = re.sub(rb'name="idempotency_key" value="[^"]+"', b"", body)
    body = re.sub(rb'"X-CSRFToken": "[^"]+"', b"", body)
    return re.sub(rb'nonce="[^"]+"', b"", body)


def test_a_post_sees_a_seat_given_earlier_in_the_same_request(world: World) -> None:
    """Writes keep the subquery: a seat given in a request is seen by the scoped reads
    after it (in a GET the ids read before the seat would be used)."""
    member = world.unassigned_therapist
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        for _ in range(2):  # the first and the second scoped use, before the seat
            seen.append(world.child.pk in _ids(visible_children(member).values("pk")))
        CareTeamMember.objects.create(
            organization_id=world.child.organization_id,
            child=world.child,
            therapist=member,
            role=TeamRole.TREATING,
        )
        seen.append(world.child.pk in _ids(visible_children(member).values("pk")))
        return HttpResponse()

    request = HttpRequest()
    request.method = "POST"
    VisibleIdsOncePerRequestMiddleware(view)(request)
    assert seen == [False, False, True]


def _ids(scope: Any) -> set[uuid.UUID]:
    return set(scope) if isinstance(scope, list) else {row["pk"] for row in scope}


def test_a_therapists_scope_is_one_in_over_a_union_not_an_or_of_subqueries(world: World) -> None:
    """At 20,000 children PostgreSQL ran "EXISTS(seat) OR id IN (grants)" for every child
    of the clinic (19 ms to count a caseload of 86); one IN over the union of the seats'
    and the grants' children is a join (1.4 ms). The kernel's SQL keeps that shape."""
    sql = str(visible_children(world.therapist).filter(archived_at__isnull=True).query)
    where = sql.split(" WHERE ", 1)[1].upper()
    assert " UNION " in where and " OR " not in where
    # And it holds the same children as the seats and grants say.
    seats = CareTeamMember.objects.filter(therapist=world.therapist)
    assert set(visible_children(world.therapist).values_list("pk", flat=True)) == set(
        seats.values_list("child_id", flat=True)
    )
