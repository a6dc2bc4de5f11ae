"""Every page of the record says so to a clinician reading through an emergency access:
until when, why, that every view is logged; and the menus lead to the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.timezone import localtime

from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import EmergencyAccess

from .helpers import REASON, break_glass

pytestmark = pytest.mark.django_db


def test_the_childs_pages_show_the_banner(world: World, client_as: ClientAs) -> None:
    client = client_as(world.unassigned_therapist)
    break_glass(client, world.child)
    access = EmergencyAccess.objects.get()
    until = time_format(localtime(access.expires_at, clock.zone_for(world.org)), "H:i")
    for name in ("children:detail", "plans:index", "notes:index"):
        body = client.get(reverse(name, args=[world.child.id])).content.decode()
        assert f"Emergency access until {until}" in body
        assert REASON in body and "Every view is logged" in body
        assert "End emergency access now" in body


def test_the_care_team_sees_no_banner(world: World, client_as: ClientAs) -> None:
    break_glass(client_as(world.unassigned_therapist), world.child)
    for member in (world.therapist, world.consulting_therapist, world.admin):
        body = client_as(member).get(reverse("children:detail", args=[world.child.id]))
        assert "Emergency access until" not in body.content.decode()


def test_the_menus(world: World, client_as: ClientAs) -> None:
    therapist = client_as(world.therapist).get(reverse("children:caseload")).content.decode()
    assert reverse("breakglass:open") in therapist
    admin = client_as(world.admin)
    assert reverse("breakglass:queue") in admin.get(reverse("children:caseload")).content.decode()
    break_glass(client_as(world.unassigned_therapist), world.child)
    page = admin.get(reverse("children:caseload")).content.decode()
    assert '1<span class="sr-only"> awaiting review</span>' in page
    for member in (world.guardian, world.front_desk, world.billing):
        home = client_as(member).get("/", follow=True).content.decode()
        assert reverse("breakglass:open") not in home and reverse("breakglass:queue") not in home


def test_the_banner_costs_one_query_and_only_to_its_reader(
    world: World, client_as: ClientAs
) -> None:
    url = reverse("children:detail", args=[world.child.id])
    holder = client_as(world.unassigned_therapist)
    break_glass(holder, world.child)
    consulting = client_as(world.consulting_therapist)
    counts = []
    for client in (consulting, holder):
        client.get(url)  # the session's first page counts things once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 1  # the grant's hour and reason
