"""The admins' review queue: grants awaiting review first, each with the record views made
during it; a review is recorded once; the grant, its end and its review are in the
child's audit trail."""

import datetime

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import EmergencyAccess, Outcome
from tandem.emergency.tests.helpers import grant

from .helpers import break_glass

pytestmark = pytest.mark.django_db


def _opened(world: World, client_as: ClientAs) -> EmergencyAccess:
    client = client_as(world.unassigned_therapist)
    break_glass(client, world.child)
    for name in ("children:detail", "plans:index", "notes:index"):
        client.get(reverse(name, args=[world.child.id]))
    client_as(world.therapist).get(reverse("children:detail", args=[world.child.id]))  # not theirs
    return EmergencyAccess.objects.get()


def test_the_queue_shows_open_reviews_with_their_record_views(
    world: World, client_as: ClientAs
) -> None:
    access = _opened(world, client_as)
    earlier = clock.now() - datetime.timedelta(days=3)
    grant(
        world.assistant,
        world.other_child,
        started_at=earlier,
        expires_at=earlier + datetime.timedelta(hours=4),
        reviewed_at=earlier + datetime.timedelta(days=1),
        reviewed_by=world.admin,
        outcome=Outcome.APPROPRIATE,
    )
    response = client_as(world.admin).get(reverse("breakglass:queue"))
    assert response.status_code == 200
    waiting = response.context["waiting"]
    assert [a.pk for a in waiting] == [access.pk]
    # The three pages the holder opened (the lead's view is not theirs).
    assert waiting[0].record_views == 3
    assert [a.child_id for a in response.context["page"].object_list] == [world.other_child.id]
    body = response.content.decode()
    assert body.index("Maya Okafor") < body.index("Noah Berg")  # awaiting review first


def test_a_review_is_recorded_once(world: World, client_as: ClientAs) -> None:
    access = _opened(world, client_as)
    url = reverse("breakglass:review", args=[access.id])
    admin = client_as(world.admin)
    page = admin.get(url)
    assert page.context["access"].record_views == 3
    assert [row.route for row in page.context["views"]] == [
        "children:detail",
        "plans:index",
        "notes:index",
    ]
    done = admin.post(url, {"outcome": Outcome.APPROPRIATE, "comment": "Seizure plan needed."})
    assert done.status_code == 302
    access.refresh_from_db()
    assert access.outcome == Outcome.APPROPRIATE and access.reviewed_by == world.admin
    assert access.is_active()  # found appropriate: it runs its course

    again = admin.post(url, {"outcome": Outcome.NOT_APPROPRIATE})
    assert again.status_code == 409
    assert "already reviewed" in again.content.decode()
    access.refresh_from_db()
    assert access.outcome == Outcome.APPROPRIATE


def test_found_not_appropriate_an_open_access_ends(world: World, client_as: ClientAs) -> None:
    access = _opened(world, client_as)
    url = reverse("breakglass:review", args=[access.id])
    client_as(world.admin).post(url, {"outcome": Outcome.NOT_APPROPRIATE, "comment": "No."})
    access.refresh_from_db()
    assert access.ended_by == world.admin and not access.is_active()
    holder = client_as(world.unassigned_therapist)
    assert holder.get(reverse("children:detail", args=[world.child.id])).status_code == 404


def test_a_review_needs_an_outcome(world: World, client_as: ClientAs) -> None:
    access = _opened(world, client_as)
    url = reverse("breakglass:review", args=[access.id])
    response = client_as(world.admin).post(url, {"comment": "Hmm"})
    assert response.status_code == 200 and response.context["form"].errors["outcome"]
    access.refresh_from_db()
    assert not access.is_reviewed


def test_only_the_clinics_admins_review(world: World, client_as: ClientAs) -> None:
    access = _opened(world, client_as)
    url = reverse("breakglass:review", args=[access.id])
    for member in (world.therapist, world.unassigned_therapist, world.front_desk, world.guardian):
        client = client_as(member)
        assert client.get(reverse("breakglass:queue")).status_code == 404
        assert client.post(url, {"outcome": Outcome.APPROPRIATE}).status_code == 404
    foreign = client_as(world.foreign_admin)
    assert foreign.get(url).status_code == 404
    assert foreign.get(reverse("breakglass:queue")).context["waiting"] == []


def test_the_grant_its_end_and_its_review_are_in_the_childs_audit_trail(
    world: World, client_as: ClientAs
) -> None:
    access = _opened(world, client_as)
    holder = client_as(world.unassigned_therapist)
    holder.post(reverse("breakglass:end"), {"access": access.id})
    client_as(world.admin).post(
        reverse("breakglass:review", args=[access.id]), {"outcome": Outcome.APPROPRIATE}
    )
    trail = client_as(world.admin).get(reverse("audit:child", args=[world.child.id]))
    changes = [c for c in trail.context["changes"] if str(c.record) == "emergency access"]
    assert [c.kind for c in changes] == ["changed", "changed", "created"]
    assert any(name == "ended_at" for name, _old, _new in changes[1].fields)
    assert any(name == "outcome" for name, _old, _new in changes[0].fields)
    views = [row.route for row in trail.context["page"].object_list]
    assert views.count("children:detail") >= 2 and "plans:index" in views


def test_a_refused_attempt_is_not_counted_as_a_record_view(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.unassigned_therapist)
    break_glass(client, world.child)
    client.get(reverse("children:detail", args=[world.child.id]))
    # Emergency access is read only: the message box refuses them (logged as refused).
    refused = client.post(reverse("messaging:post", args=[world.child.id]), {"body": "Hello"})
    assert refused.status_code in (403, 404)
    page = client_as(world.admin).get(reverse("breakglass:queue"))
    assert page.context["waiting"][0].record_views == 1
