"""A child's Appointments tab for the team."""

import pytest
from django.urls import reverse

from .helpers import in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
# Seven queries set up the session and user, one reads the membership (one more may
# count unread notices for the menu); then the children, the appointments and the log.
BUDGET = 15


def url(child):
    return reverse("appointments:child", args=[child.id])


def test_editor_sees_the_list_with_actions(world, client_as):
    upcoming = make_appointment(world.child, world.therapist, in_days(world.child, 2))
    past = make_appointment(world.child, world.assistant, in_days(world.child, -2))
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert reverse("appointments:new", args=[world.child.id]) in body
    assert reverse("appointments:edit", args=[world.child.id, upcoming.id]) in body
    assert "Cancel this appointment" in body
    # A past appointment nobody recorded yet offers attended / missed.
    assert f'action="{reverse("appointments:status", args=[world.child.id, past.id])}"' in body
    assert 'value="attended"' in body
    assert 'aria-current="page">Appointments' in body


def test_consulting_therapist_reads_without_actions(world, client_as):
    make_appointment(world.child, world.therapist, in_days(world.child, 2))
    response = client_as(world.consulting_therapist).get(url(world.child))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cancel this appointment" not in body
    assert reverse("appointments:new", args=[world.child.id]) not in body


def test_families_and_outsiders_find_nothing(world, client_as):
    for member in (world.guardian, world.unassigned_therapist, world.foreign_admin):
        assert client_as(member).get(url(world.child)).status_code == 404


def test_query_count_does_not_grow_with_appointments(
    world, client_as, django_assert_max_num_queries
):
    make_appointment(world.child, world.therapist, in_days(world.child, 1, 9))
    client = client_as(world.therapist)
    client.get(reverse("children:detail", args=[world.child.id]))
    with django_assert_max_num_queries(BUDGET) as few:
        assert client.get(url(world.child)).status_code == 200
    for n in range(40):
        make_appointment(world.child, world.therapist, in_days(world.child, n - 20, 8 + n % 9))
    with django_assert_max_num_queries(BUDGET) as many:
        assert client.get(url(world.child)).status_code == 200
    assert len(many) == len(few)
    print(f"\nchild appointments tab: {len(many)} queries for 40 appointments")
