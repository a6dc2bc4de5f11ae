"""unread_counts: per child, in one query, for the guardian home and the API."""

from tandem.messaging import actions
from tandem.messaging.reading import unread_counts


def test_unread_counts_per_child_in_one_query(world, django_assert_num_queries):
    actions.post_message(world.therapist, world.child, "One")
    actions.post_message(world.therapist, world.child, "Two")
    actions.post_message(world.therapist, world.sibling, "About Eli")
    actions.post_message(world.guardian, world.child, "My own message never counts")
    with django_assert_num_queries(1):
        counts = unread_counts(world.guardian, [world.child.id, world.sibling.id])
    assert counts == {world.child.id: 2, world.sibling.id: 1}


def test_reading_the_thread_clears_the_count(world):
    actions.post_message(world.therapist, world.child, "One")
    actions.mark_thread_read(world.guardian, world.child)
    assert unread_counts(world.guardian, [world.child.id]) == {}
    # Each reader has their own count.
    assert unread_counts(world.assistant, [world.child.id]) == {world.child.id: 1}


def test_counts_stay_inside_the_organization(world):
    actions.post_message(world.foreign_therapist, world.foreign_child, "Elsewhere")
    assert unread_counts(world.guardian, [world.foreign_child.id]) == {}
