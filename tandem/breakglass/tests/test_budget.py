"""The review queue, a review and the API cost a bounded number of queries however many
emergency accesses the clinic has; and once an access ends, its holder reads nothing of
the child anywhere — pages, the API, the children list — on the clinic's clock."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import EmergencyAccess, Outcome
from tandem.emergency.tests.helpers import grant

from .helpers import break_glass

pytestmark = pytest.mark.django_db
API = "/api/v1/emergency-access"


def _many(world: World, n: int) -> None:
    day = datetime.timedelta(days=1)
    for i in range(n):
        began = clock.now() - day * (i + 1)
        holder = f.TherapistFactory(organization=world.org)
        fields: dict[str, object] = {
            "started_at": began,
            "expires_at": began + datetime.timedelta(hours=4),
        }
        if i % 2:
            fields |= {"reviewed_at": began + day / 2, "reviewed_by": world.admin}
            fields |= {"outcome": Outcome.APPROPRIATE}
        grant(holder, world.child if i % 3 else world.sibling, **fields)


@pytest.mark.parametrize("n", [2, 30])
def test_the_queue_and_the_api_cost_the_same_for_few_or_many(
    world: World,
    client_as: ClientAs,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    n: int,
) -> None:
    _many(world, n)
    admin = client_as(world.admin)
    admin.get(reverse("breakglass:queue"))  # the session's first page counts things once
    with django_assert_max_num_queries(6):
        assert admin.get(reverse("breakglass:queue")).status_code == 200
    with django_assert_max_num_queries(4):
        assert admin.get(API).json()["count"] == n
    access = EmergencyAccess.objects.first()
    assert access is not None
    with django_assert_max_num_queries(5):
        assert admin.get(reverse("breakglass:review", args=[access.id])).status_code == 200


def test_the_queue_pages_past_reviews_and_says_when_empty(
    world: World, client_as: ClientAs
) -> None:
    admin = client_as(world.admin)
    empty = admin.get(reverse("breakglass:queue")).content.decode()
    assert "No emergency access is waiting for a review." in empty and "No review yet." in empty
    _many(world, 60)
    first = admin.get(reverse("breakglass:queue"))
    assert len(first.context["waiting"]) == 30 and len(first.context["page"].object_list) == 25
    last = admin.get(reverse("breakglass:queue"), {"page": "2"})
    assert len(last.context["page"].object_list) == 5


@pytest.mark.clock
def test_after_its_hour_the_child_is_gone_from_every_surface(
    world: World, client_as: ClientAs
) -> None:
    holder = client_as(world.unassigned_therapist)
    break_glass(holder, world.child)
    access = EmergencyAccess.objects.get()
    child_api = f"/api/v1/children/{world.child.id}"
    assert holder.get(child_api).status_code == 200
    assert holder.get(f"{child_api}/plans").status_code == 200
    listed = [c["id"] for c in holder.get("/api/v1/children").json()["items"]]
    assert str(world.child.id) in listed
    with time_machine.travel(access.expires_at + datetime.timedelta(seconds=1)):
        later = client_as(world.unassigned_therapist)
        assert later.get(child_api).status_code == 404
        assert later.get(f"{child_api}/plans").status_code == 404
        listed = [c["id"] for c in later.get("/api/v1/children").json()["items"]]
        assert str(world.child.id) not in listed
        report = reverse("progress:report", args=[world.child.id])
        assert later.get(report).status_code == 404
        assert later.get(reverse("children:caseload")).status_code == 200
        assert "Maya Okafor" not in later.get(reverse("children:caseload")).content.decode()
        assert "expired" in later.get(reverse("breakglass:open")).content.decode()
        item = client_as(world.admin).get(API).json()["items"][0]
        assert item["active"] is False
