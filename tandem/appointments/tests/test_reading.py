"""next_appointments: each child's next booking in one query, for the family home."""

import pytest

from tandem.appointments.reading import next_appointments

from .helpers import in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_each_childs_next_scheduled_appointment_in_one_query(world, django_assert_num_queries):
    soon = make_appointment(world.child, world.therapist, in_days(world.child, 2, 9))
    make_appointment(world.child, world.therapist, in_days(world.child, 5, 9))
    make_appointment(world.child, world.therapist, in_days(world.child, 1, 9), status="cancelled")
    make_appointment(world.child, world.therapist, in_days(world.child, -1, 9))
    sibling_next = make_appointment(world.sibling, world.assistant, in_days(world.child, 8, 16))
    with django_assert_num_queries(1):
        found = next_appointments(world.guardian, [world.child.id, world.sibling.id])
        assert found[world.child.id].therapist.user.email  # loaded with the same query
    assert found == {world.child.id: soon, world.sibling.id: sibling_next}


def test_children_with_nothing_booked_are_left_out(world):
    assert next_appointments(world.guardian, [world.child.id, world.sibling.id]) == {}
    assert next_appointments(world.guardian, []) == {}


def test_only_children_the_member_may_see_count(world):
    make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 2))
    make_appointment(world.foreign_child, world.foreign_therapist, in_days(world.child, 2))
    asked = [world.other_child.id, world.foreign_child.id]
    assert next_appointments(world.guardian, asked) == {}
    assert set(next_appointments(world.admin, asked)) == {world.other_child.id}
