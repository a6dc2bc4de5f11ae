"""The Messages tab: who takes part, posting, unread marks, read receipts, query budget."""

import pytest
from django.urls import reverse

from tandem.messaging import actions
from tandem.messaging.models import Message, MessageReceipt
from tandem.messaging.tests.helpers import make_thread
from tandem.notifications.models import Kind, Notification

# A warmed-up request: the session, the member with their clinic, then the thread; and
# for a therapist the ids of the children they see, read once for the request's scoped
# queries (tandem.access.relation.ids_read_once).
BUDGET_THREAD = 16


def url(child):
    return reverse("messaging:index", args=[child.id])


def test_guardian_reads_the_conversation_with_the_team(world, client_as):
    actions.post_message(world.therapist, world.child, "How did the buttons go?")
    response = client_as(world.guardian).get(url(world.child))
    assert response.status_code == 200
    body = response.content.decode()
    assert "How did the buttons go?" in body
    assert "Messages with Maya's team" in body
    assert reverse("messaging:post", args=[world.child.id]) in body


def test_outsiders_get_404(world, client_as):
    for outsider in (
        world.other_guardian,
        world.unassigned_therapist,
        world.foreign_admin,
        world.foreign_guardian,
        world.collaborator,
    ):
        assert client_as(outsider).get(url(world.child)).status_code == 404


def test_guardian_posts_a_message_and_the_team_is_told(world, client_as):
    client = client_as(world.guardian)
    response = client.post(
        reverse("messaging:post", args=[world.child.id]), {"body": "  Thank you!  "}
    )
    assert response.status_code == 302
    message = Message.objects.get(child=world.child)
    assert message.body == "Thank you!"
    assert message.from_family and message.author == world.guardian
    told = set(
        Notification.objects.filter(kind=Kind.NEW_MESSAGE).values_list("recipient", flat=True)
    )
    # The whole care team hears of it; the author does not.
    assert told == {world.therapist.pk, world.consulting_therapist.pk, world.assistant.pk}


def test_staff_message_tells_the_family(world, client_as):
    client_as(world.therapist).post(
        reverse("messaging:post", args=[world.child.id]), {"body": "See you Tuesday."}
    )
    assert Notification.objects.filter(
        kind=Kind.NEW_MESSAGE, recipient=world.guardian, child=world.child
    ).exists()
    assert not Notification.objects.filter(recipient=world.therapist).exists()


def test_a_run_of_messages_is_one_notice_until_read(world, client_as):
    for text in ("One", "Two", "Three"):
        actions.post_message(world.therapist, world.child, text)
    assert Notification.objects.filter(recipient=world.guardian).count() == 1
    client_as(world.guardian).get(url(world.child))
    assert not Notification.objects.filter(recipient=world.guardian, read_at__isnull=True).exists()
    actions.post_message(world.therapist, world.child, "Four")
    assert Notification.objects.filter(recipient=world.guardian).count() == 2


def test_htmx_post_returns_the_conversation_only(world, client_as):
    response = client_as(world.guardian).post(
        reverse("messaging:post", args=[world.child.id]),
        {"body": "Quick question"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="conversation"' in body and "Quick question" in body
    assert "<html" not in body


def test_empty_message_is_refused_and_nothing_is_saved(world, client_as):
    response = client_as(world.guardian).post(
        reverse("messaging:post", args=[world.child.id]), {"body": "   "}
    )
    assert response.status_code == 200
    assert "Write a message or attach a file." in response.content.decode()
    assert not Message.objects.exists()


def test_too_long_message_is_refused(world, client_as):
    response = client_as(world.therapist).post(
        reverse("messaging:post", args=[world.child.id]), {"body": "x" * 5001}
    )
    assert response.status_code == 200
    assert not Message.objects.exists()


def test_only_the_childs_family_and_team_may_write_in_the_conversation(world, client_as):
    url = reverse("messaging:post", args=[world.child.id])
    assert client_as(world.other_guardian).post(url, {"body": "x"}).status_code == 404
    assert client_as(world.unassigned_therapist).post(url, {"body": "x"}).status_code == 404
    assert client_as(world.collaborator).post(url, {"body": "x"}).status_code == 404
    assert not Message.objects.exists()
    assert client_as(world.guardian).post(url, {"body": "From home"}).status_code == 302
    assert client_as(world.therapist).post(url, {"body": "From clinic"}).status_code == 302
    sent = dict(Message.objects.values_list("body", "from_family"))
    assert sent == {"From home": True, "From clinic": False}


def test_consulting_therapist_may_write_to_the_family(world, client_as):
    response = client_as(world.consulting_therapist).post(
        reverse("messaging:post", args=[world.child.id]), {"body": "Hello from speech"}
    )
    assert response.status_code == 302
    assert Message.objects.filter(author=world.consulting_therapist).exists()


def test_opening_the_thread_marks_messages_seen_and_staff_see_receipts(world, client_as):
    actions.post_message(world.therapist, world.child, "Homework for this week")
    assert "Not seen yet" in client_as(world.therapist).get(url(world.child)).content.decode()
    guardian_page = client_as(world.guardian).get(url(world.child)).content.decode()
    assert "Seen by" not in guardian_page  # receipts are for staff
    assert ">New<" in guardian_page
    receipt = MessageReceipt.objects.get(reader=world.guardian)
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert "Seen by" in body and world.guardian.display_name in body
    assert receipt.seen_at is not None
    # Opening it again adds nothing.
    client_as(world.guardian).get(url(world.child))
    assert MessageReceipt.objects.filter(reader=world.guardian).count() == 1


def test_long_threads_show_the_latest_page_and_earlier_ones_on_request(world, client_as):
    for n in range(55):
        actions.post_message(world.therapist, world.child, f"Message number {n:02d}")
    client = client_as(world.guardian)
    body = client.get(url(world.child)).content.decode()
    assert "Message number 54" in body and "Message number 04" not in body
    assert "Show earlier messages" in body
    first_shown = Message.objects.order_by("created_at")[5].created_at
    earlier = client.get(url(world.child), {"before": first_shown.isoformat()})
    assert "Message number 04" in earlier.content.decode()
    assert "Message number 05" not in earlier.content.decode()


def test_guardian_sees_their_other_childs_thread_separately(world, client_as):
    actions.post_message(world.therapist, world.sibling, "About Eli")
    body = client_as(world.guardian).get(url(world.child)).content.decode()
    assert "About Eli" not in body


@pytest.mark.parametrize("messages", [1, 30])
def test_thread_query_count_does_not_grow_with_the_thread(
    world, client_as, django_assert_max_num_queries, messages
):
    for n in range(messages):
        make_thread(world.child, world.guardian, world.therapist, with_file=n % 3 == 0)
    client_as(world.guardian).get(url(world.child))  # receipts exist for staff to show
    client = client_as(world.therapist)
    client.get(url(world.child))  # the first request records the device
    with django_assert_max_num_queries(BUDGET_THREAD):
        response = client.get(url(world.child))
    assert response.status_code == 200


def test_a_resent_message_is_posted_once(world, client_as):
    client = client_as(world.guardian)
    post_url = reverse("messaging:post", args=[world.child.id])
    data = {"body": "Is Tuesday still on?", "idempotency_key": "composer-render-0001"}
    first = client.post(post_url, data, headers={"HX-Request": "true"})
    again = client.post(post_url, data, headers={"HX-Request": "true"})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert Message.objects.filter(child=world.child).count() == 1
    # The composer comes back with a new key: the next message is posted.
    assert "composer-render-0001" not in first.content.decode()
    assert 'name="idempotency_key"' in first.content.decode()
