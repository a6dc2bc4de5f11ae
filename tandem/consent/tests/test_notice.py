"""The email telling a collaborator that something was shared with them."""

import uuid

import pytest
from django.core import mail

from tandem.consent.tasks import send_consent_notice

pytestmark = pytest.mark.django_db


def test_the_notice_asks_the_collaborator_to_sign_in_and_names_no_child(world):
    send_consent_notice.call(str(world.collaborator.pk))

    (email,) = mail.outbox
    assert email.to == [world.collaborator.user.email]
    text = email.subject + email.body
    assert world.child.first_name not in text and world.guardian.user.last_name not in text


def test_no_notice_goes_to_someone_who_left_or_no_longer_exists(world):
    world.collaborator.is_active = False
    world.collaborator.save()

    send_consent_notice.call(str(world.collaborator.pk))
    send_consent_notice.call(str(uuid.uuid4()))

    assert mail.outbox == []
