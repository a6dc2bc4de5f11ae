"""Breaking the glass tells the clinic's active admins and the child's lead therapist at
once: who, which child, why and until when, with a link to the review (admins) or to the
record (the lead)."""

import pytest
from django.urls import reverse

from tandem.children.models import TeamRole
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import EmergencyAccess
from tandem.notifications.models import Kind, Notification

from .helpers import REASON, break_glass

pytestmark = pytest.mark.django_db


def test_admins_and_the_lead_therapist_are_told(world: World, client_as: ClientAs) -> None:
    second_admin = f.AdminFactory(organization=world.org)
    former_admin = f.AdminFactory(organization=world.org, is_active=False)
    break_glass(client_as(world.unassigned_therapist), world.child)
    access = EmergencyAccess.objects.get()

    told = Notification.objects.filter(kind=Kind.EMERGENCY_ACCESS)
    recipients = {n.recipient_id for n in told}
    assert recipients == {world.admin.pk, second_admin.pk, world.therapist.pk}  # lead of Maya
    assert former_admin.pk not in recipients and world.foreign_admin.pk not in recipients
    assert world.consulting_therapist.pk not in recipients
    by_recipient = {n.recipient_id: n for n in told}
    assert by_recipient[world.admin.pk].url == reverse("breakglass:review", args=[access.id])
    assert by_recipient[world.therapist.pk].url == reverse("children:detail", args=[world.child.id])

    page = client_as(world.admin).get(reverse("notifications:index")).content.decode()
    assert "Emergency access to Maya Okafor" in page
    assert world.unassigned_therapist.display_name in page and REASON[:60] in page
    assert "opened it until" in page


def test_a_search_that_finds_nobody_tells_nobody(world: World, client_as: ClientAs) -> None:
    break_glass(client_as(world.unassigned_therapist), world.child, last_name="Nobody")
    assert not Notification.objects.filter(kind=Kind.EMERGENCY_ACCESS).exists()


def test_a_retried_form_gives_one_access_and_one_alert_each(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.unassigned_therapist)
    key = {"idempotency_key": "retry-of-one-form-0001"}
    first = break_glass(client, world.child, **key)
    again = break_glass(client, world.child, **key)  # the same form, sent twice
    assert first.status_code == again.status_code == 302
    assert EmergencyAccess.objects.count() == 1
    told = Notification.objects.filter(kind=Kind.EMERGENCY_ACCESS)
    assert sorted(n.recipient_id for n in told) == sorted([world.admin.pk, world.therapist.pk])
    # A fresh form for the same child while the access runs: still one access, no new alert.
    break_glass(client, world.child, reason="The family called again about the seizure.")
    assert EmergencyAccess.objects.count() == 1 and told.count() == 2


def test_an_admin_who_is_also_the_lead_is_told_once(world: World, client_as: ClientAs) -> None:
    f.CareTeamMemberFactory(child=world.child, therapist=world.admin, role=TeamRole.LEAD)
    break_glass(client_as(world.unassigned_therapist), world.child)
    told = Notification.objects.filter(kind=Kind.EMERGENCY_ACCESS, recipient=world.admin)
    assert told.count() == 1


def test_each_reads_the_alert_in_their_language(world: World, client_as: ClientAs) -> None:
    world.therapist.user.language = "es"
    world.therapist.user.save()
    break_glass(client_as(world.unassigned_therapist), world.child)
    lead = client_as(world.therapist).get(reverse("notifications:index")).content.decode()
    assert "Acceso de emergencia al expediente de Maya Okafor" in lead
    admin = client_as(world.admin).get(reverse("notifications:index")).content.decode()
    assert "Emergency access to Maya Okafor" in admin
