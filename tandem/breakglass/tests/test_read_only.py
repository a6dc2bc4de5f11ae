"""Emergency access is read only, on every surface: its holder's every write to the child —
each page route and each API operation under the child that takes a write — is refused
(403, or 404 for a form that is not there for them), where a consulting seat of the care
team may still post a message or a hand-off. The kernel decides it (``allows``), so a
route added later is refused until ``emergency.rules.READS`` lists it as a read."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.conftest import sign_in
from tandem.core.testing.matrix import FILLERS, all_routes, api_operations, call
from tandem.core.testing.matrix.api import fill
from tandem.emergency.tests.helpers import grant
from tandem.messaging.models import Handoff, Message

REFUSED = {403, 404, 405}
CHILD_WRITES = [r for r in all_routes() if "child_id" in r.kwargs and not r.get_only]
CHILD_PAGES = [r for r in all_routes() if "child_id" in r.kwargs and not r.post_only]
# Pages that are only a write's form: not there for a reader of the record.
WRITE_FORMS = {"messaging:handoff_new"}
API_WRITES = [
    op for op in api_operations() if op.method != "GET" and op.path.startswith("/children/{")
]


def _holder(world: Any) -> Client:
    grant(world.unassigned_therapist, world.child)
    return sign_in(Client(), world.unassigned_therapist)


def _url(route: Any, child: Any) -> str:
    kwargs = {"child_id": child.id}
    kwargs |= {name: FILLERS[name](child) for name in route.kwargs if name in FILLERS}
    return reverse(route.name, kwargs=kwargs)


def test_the_holder_reads_every_page_a_consulting_seat_reads(matrix_world: Any, db: Any) -> None:
    world = matrix_world
    consulting = sign_in(Client(), world.consulting_therapist)
    urls = {route.name: _url(route, world.child) for route in CHILD_PAGES}  # before any request
    holder = _holder(world)
    differ = {}
    for name, url in urls.items():
        mine, theirs = holder.get(url).status_code, consulting.get(url).status_code
        if mine != theirs:
            differ[name] = (mine, theirs)
    assert differ == {name: (404, 200) for name in WRITE_FORMS}


def test_every_page_write_to_the_child_is_refused(matrix_world: Any, db: Any) -> None:
    world = matrix_world
    urls = {route.name: _url(route, world.child) for route in CHILD_WRITES}  # before any request
    holder = _holder(world)
    assert holder.get(reverse("children:detail", args=[world.child.id])).status_code == 200
    answers = {name: holder.post(url, {}).status_code for name, url in urls.items()}
    allowed = {name: status for name, status in answers.items() if status not in REFUSED}
    assert allowed == {}
    assert len(answers) > 40  # the walk found the routes


def test_every_api_write_to_the_child_is_refused(matrix_world: Any, db: Any) -> None:
    world = matrix_world
    holder = _holder(world)
    answers = {
        f"{op.method} {op.path}": call(holder, op.method, fill(op.path, world.child))
        for op in API_WRITES
    }
    allowed = {op: r.status_code for op, r in answers.items() if r.status_code not in REFUSED}
    assert allowed == {}
    assert len(answers) > 20


def test_a_holder_posts_no_message_or_hand_off_where_the_consulting_seat_may(
    matrix_world: Any, db: Any
) -> None:
    world = matrix_world
    holder = _holder(world)
    maya = world.child.id
    before = (Message.objects.count(), Handoff.objects.count())
    post = reverse("messaging:post", args=[maya])
    handoff = reverse("messaging:handoff_new", args=[maya])
    data = {"body": "I read the record during the emergency."}
    assert holder.post(post, data).status_code == 403
    sbar = {
        "recipient": str(world.therapist.pk),
        "situation": "Seizure at home",
        "background": "Known epilepsy",
        "assessment": "Stable",
        "recommendation": "Call the family",
    }
    assert holder.post(handoff, sbar).status_code in (403, 404)
    api = holder.post(
        f"/api/v1/children/{maya}/messages", {"body": "x"}, content_type="application/json"
    )
    assert api.status_code == 403 and "detail" in api.json()
    assert (Message.objects.count(), Handoff.objects.count()) == before
    # The thread itself is theirs to read.
    assert holder.get(reverse("messaging:index", args=[maya])).status_code == 200
    consulting = sign_in(Client(), world.consulting_therapist)
    assert consulting.post(post, data).status_code in (200, 302)
    assert Message.objects.count() == before[0] + 1


pytestmark = pytest.mark.django_db


def test_the_holder_reads_the_messages_without_a_box_to_write_in(
    matrix_world: Any, db: Any
) -> None:
    world = matrix_world
    url = reverse("messaging:index", args=[world.child.id])
    holder_page = _holder(world).get(url)
    assert holder_page.status_code == 200
    assert b'id="composer"' not in holder_page.content
    lead = sign_in(Client(), world.therapist)
    assert b'id="composer"' in lead.get(url).content
