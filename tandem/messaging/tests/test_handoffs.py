"""SBAR hand-offs: between professionals on the team, never seen by the family."""

from django.urls import reverse

from tandem.messaging import actions
from tandem.messaging.models import Handoff
from tandem.messaging.tests.helpers import sbar
from tandem.notifications.models import Kind, Notification


def new_url(child):
    return reverse("messaging:handoff_new", args=[child.id])


def test_therapist_hands_off_to_a_colleague_on_the_team(world, client_as):
    client = client_as(world.therapist)
    form = client.get(new_url(world.child)).content.decode()
    assert world.consulting_therapist.display_name in form
    assert world.unassigned_therapist.display_name not in form  # not on Maya's team
    response = client.post(
        new_url(world.child), {"recipient": world.consulting_therapist.pk, **sbar()}
    )
    assert response.status_code == 302
    handoff = Handoff.objects.get()
    assert handoff.recipient == world.consulting_therapist
    assert Notification.objects.filter(
        kind=Kind.HANDOFF, recipient=world.consulting_therapist
    ).exists()
    page = client.get(reverse("messaging:index", args=[world.child.id])).content.decode()
    assert "SBAR hand-off" in page and "Needs a pencil grip" in page


def test_every_part_of_sbar_is_required(world, client_as):
    response = client_as(world.therapist).post(
        new_url(world.child),
        {"recipient": world.consulting_therapist.pk, **sbar(assessment="")},
    )
    assert response.status_code == 200
    assert not Handoff.objects.exists()


def test_colleague_not_on_the_team_is_refused(world, client_as):
    response = client_as(world.therapist).post(
        new_url(world.child), {"recipient": world.unassigned_therapist.pk, **sbar()}
    )
    assert response.status_code == 200
    assert not Handoff.objects.exists()


def test_family_never_sees_hand_offs(world, client_as):
    actions.send_handoff(world.therapist, world.child, world.assistant, **sbar())
    client = client_as(world.guardian)
    page = client.get(reverse("messaging:index", args=[world.child.id])).content.decode()
    assert "Needs a pencil grip" not in page and "Team timeline" not in page
    assert client.get(new_url(world.child)).status_code == 404
    assert client.post(new_url(world.child), sbar()).status_code == 404


def test_consulting_therapist_may_hand_off(world, client_as):
    response = client_as(world.consulting_therapist).post(
        new_url(world.child), {"recipient": world.therapist.pk, **sbar()}
    )
    assert response.status_code == 302
