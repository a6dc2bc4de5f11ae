"""An assistant's note is priced at its co-signature; a co-signature billing refuses
(the codes no longer fit the session) says why on the page, and nothing changes."""

import datetime

import pytest
from django.urls import reverse

from tandem.billing import charging
from tandem.billing.models import Charge
from tandem.billing.tests.helpers import fees
from tandem.notes.actions import sign_note
from tandem.notes.models import NoteStatus, SessionNote
from tandem.notes.tests.helpers import make_note

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _assistants_note(world, minutes: int) -> SessionNote:
    fees(world.org)
    note = make_note(world.child, world.assistant)
    charging.save_lines(note, world.assistant, [{"code": "97530", "minutes": minutes}], token=None)
    return note


def test_an_assistants_note_is_priced_when_it_is_co_signed(world, client_as):
    note = _assistants_note(world, 45)
    current = SessionNote.objects.get(pk=note.pk)
    signed = sign_note(current, world.assistant, expected_version=current.version)
    assert signed.status == NoteStatus.AWAITING_COSIGN
    assert not Charge.objects.filter(note=note).exists()
    response = client_as(world.therapist).post(
        reverse("notes:cosign", args=[world.child.id, note.id]), {"version": signed.version}
    )
    assert response.status_code == 302
    assert Charge.objects.get(note=note).units == 3


def test_a_co_signature_billing_refuses_says_why(world, client_as):
    note = _assistants_note(world, 45)
    current = SessionNote.objects.get(pk=note.pk)
    current.end_time = datetime.time(9, 30)  # shortened after its codes were listed
    current.save()
    signed = sign_note(current, world.assistant, expected_version=current.version)
    response = client_as(world.therapist).post(
        reverse("notes:cosign", args=[world.child.id, note.id]), {"version": signed.version}
    )
    assert response.status_code == 400
    assert "more than the session&#x27;s 30" in response.content.decode()
    assert SessionNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN
    assert not Charge.objects.filter(note=note).exists()
