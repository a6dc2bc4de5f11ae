"""Issue 10's intake journey in a browser: a parent refers their child in Spanish on a
phone and reads their place on the waitlist; the front desk triages and offers a first
appointment; the family takes it from their status page; the therapist finds the
evaluation in their week, then — once it has happened — writes the note from it and
signs it."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.appointments.models import Appointment
from tandem.appointments.tests.helpers import in_days
from tandem.conftest import World
from tandem.intake.models import Referral, ReferralStatus
from tandem.notes.models import NoteStatus, SessionNote

from .accessibility import assert_accessible
from .conftest import PHONE, NewPage, give_authenticator, sign_in

pytestmark = pytest.mark.browser


def saying(page: Page, text: str) -> None:
    expect(page.locator(".messages[role=status]")).to_contain_text(text)


def refer_in_spanish(page: Page, world: World) -> str:
    """Fill the public form in Spanish; return the status page's address."""
    page.goto(reverse("intake:refer", args=[world.org.pk]))
    page.get_by_role("button", name="Español").click()  # the footer's language switch
    expect(page.get_by_role("heading", level=1)).to_contain_text("Referir a un niño")
    assert_accessible(page)
    page.get_by_label("Nombre del niño o la niña").fill("Lucas")
    page.get_by_label("Apellido del niño o la niña").fill("Moreno")
    page.get_by_label("Fecha de nacimiento").fill("2024-09-02")
    page.get_by_label("Sexo").select_option("M")
    page.get_by_label("Hablar y comprender").check()
    page.get_by_label("Manos: dibujar, abotonar, usar la cuchara").check()
    page.get_by_label("Terapia ocupacional").check()
    page.get_by_label("¿quién hace la referencia?").select_option("parent")
    page.get_by_label("Su nombre").fill("Elena Moreno")
    page.get_by_label("Correo electrónico").fill("elena.moreno@mail.example")
    page.get_by_label("¿cómo se pagará la terapia?").select_option("medicaid")
    page.get_by_role("button", name="Enviar la referencia").click()
    expect(page.get_by_text("Tenemos su referencia.")).to_be_visible()
    # The private link comes by email, in Spanish.
    [email] = mail.outbox
    link = re.search(r"/intake/status/[^/\s]+/", str(email.body))
    assert link is not None and "recibió" in email.subject
    page.goto(link.group())
    expect(page.get_by_text("Tenemos su referencia.")).to_be_visible()
    return link.group()


def test_a_family_is_referred_waits_is_offered_a_time_and_is_seen(
    new_page: NewPage, world: World
) -> None:
    family = new_page(PHONE)
    status = refer_in_spanish(family, world)
    referral = Referral.objects.get(organization=world.org)

    # The front desk puts Lucas on the waitlist: the family reads their place, in Spanish.
    desk = new_page()
    sign_in(desk, world.front_desk, secret=give_authenticator(world.front_desk))
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    desk.get_by_role("link", name="Lucas Moreno").click()
    desk.get_by_label("Clinical urgency").select_option("soon")
    desk.get_by_role("button", name="Put on the waitlist").click()
    saying(desk, "The family is on the waitlist.")
    family.goto(status)
    expect(family.locator(".position")).to_have_text("Lugar 1 de 1.")
    assert_accessible(family)

    # A first appointment with the OT in three days at 10:00; the family takes it.
    when = in_days(world.child, 3, hour=10)
    local = timezone.localtime(when)
    desk.get_by_label("Date").fill(local.date().isoformat())
    desk.get_by_label("Time").fill("10:00")
    desk.get_by_label("Therapist").select_option(str(world.therapist.id))
    desk.get_by_role("button", name="Offer this time").click()
    saying(desk, "The time was offered.")
    family.goto(status)
    family.get_by_role("button", name="Aceptar esta cita").click()
    saying(family, "Su primera cita está reservada.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    appointment = Appointment.objects.select_related("encounter").get(child=referral.child)

    # The therapist finds the evaluation in their week.
    therapist = new_page()
    secret = give_authenticator(world.therapist)
    sign_in(therapist, world.therapist, secret=secret)
    therapist.goto(reverse("appointments:schedule") + f"?week={local.date().isoformat()}")
    expect(therapist.get_by_role("link", name="Lucas Moreno")).to_be_visible()

    # Once it has happened, Today offers to write its note; the therapist writes and signs.
    with time_machine.travel(when + datetime.timedelta(minutes=65), tick=True):
        sign_in(therapist, world.therapist, secret=secret)  # three days on: signed out
        therapist.goto(reverse("today:home"))
        session = therapist.locator(f"#session-{appointment.id}")
        expect(session).to_contain_text("Lucas Moreno")
        session.get_by_role("link", name=re.compile("Write the note")).click()
        therapist.get_by_label("O — objective").fill("Evaluation: play-based, fine motor tasks.")
        therapist.get_by_label("A — assessment").fill("Grasp immature for age; refer for OT.")
        therapist.get_by_role("button", name="Start the note").click()
        saying(therapist, "The note was started.")
        therapist.get_by_role("button", name="Sign the note").click()
        saying(therapist, "You signed the note. It is now locked.")
    note = SessionNote.objects.get(child=referral.child)
    assert note.status == NoteStatus.SIGNED and note.encounter_id == appointment.encounter_id
