"""The Sessions tab: the child's notes, newest first, with their state; who may open it."""

import datetime

import pytest
from django.urls import reverse

from tandem.notes.tests.helpers import TODAY, make_note

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def index_url(child):
    return reverse("notes:index", args=[child.id])


def test_therapist_sees_notes_newest_first_with_their_state(world, client_as):
    make_note(world.child, world.therapist, date=TODAY - datetime.timedelta(days=7), sign=True)
    make_note(world.child, world.assistant, date=TODAY - datetime.timedelta(days=3), sign=True)
    make_note(world.child, world.therapist, date=TODAY)
    response = client_as(world.therapist).get(index_url(world.child))
    assert response.status_code == 200
    body = response.content.decode()
    badges = [body.index(b) for b in ("Draft", "Awaiting co-signature", ">Signed<")]
    assert badges == sorted(badges)
    assert "Waiting for your co-signature" in body  # the therapist supervises the assistant
    assert 'aria-current="page">Sessions' in body


def test_the_list_is_paginated(world, client_as):
    for days in range(22):
        make_note(world.child, world.therapist, date=TODAY - datetime.timedelta(days=days))
    client = client_as(world.therapist)
    first = client.get(index_url(world.child)).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(index_url(world.child), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert second.count('class="card"') == 2


def test_guardian_sees_only_signed_notes_in_plain_words(world, client_as):
    make_note(world.child, world.therapist, date=TODAY - datetime.timedelta(days=1), sign=True)
    make_note(world.child, world.therapist, date=TODAY, sign=False)
    make_note(world.child, world.assistant, date=TODAY, sign=True)  # awaiting co-signature
    response = client_as(world.guardian).get(index_url(world.child))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<li class="card">') == 1
    assert "Draft" not in body
    assert "Therapy sessions" in body


def test_outsiders_get_404(world, client_as):
    make_note(world.child, world.therapist, sign=True)
    for member in (
        world.other_guardian,
        world.unassigned_therapist,
        world.collaborator,
        world.foreign_admin,
    ):
        assert client_as(member).get(index_url(world.child)).status_code == 404


def test_consulting_therapist_reads_but_is_not_offered_a_new_note(world, client_as):
    make_note(world.child, world.therapist, sign=True)
    body = client_as(world.consulting_therapist).get(index_url(world.child)).content.decode()
    assert reverse("notes:new", args=[world.child.id]) not in body


def test_viewing_the_list_is_logged(world, client_as):
    from tandem.audit.models import AccessLog

    client_as(world.therapist).get(index_url(world.child))
    log = AccessLog.objects.get(child=world.child)
    assert log.route == "notes:index"


def test_index_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    client = client_as(world.therapist)
    make_note(world.child, world.therapist, sign=True)
    # The page shell (session, membership, navigation) plus the log, the count and the page.
    with django_assert_max_num_queries(20) as few:
        client.get(index_url(world.child))
    for days in range(1, 15):
        make_note(world.child, world.assistant, date=TODAY - datetime.timedelta(days=days))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(index_url(world.child)).status_code == 200
