"""Breaking the glass tells the clinic's active admins and the child's lead therapist at
once: who, which child, why and until when, with a link to the review (admins) or to the
record (the lead)."""

import pytest
from django.urls import reverse

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
