"""Triage, the waitlist's order and expected wait, offering a time and the family taking it."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from tandem.accounts.models import Invitation
from tandem.appointments.models import Appointment
from tandem.appointments.tests.helpers import (
    clinic_time,
    clinic_today,
    in_days,
    make_appointment,
)
from tandem.children.models import CareTeamMember, GuardianLink
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.intake import actions
from tandem.intake.links import token_for
from tandem.intake.models import Offer, Referral, ReferralStatus
from tandem.intake.tests.helpers import make_referral

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
INDEX = reverse("intake:index")


def detail(referral: Referral) -> str:
    return reverse("intake:detail", args=[referral.id])


def status_page(referral: Referral) -> str:
    return reverse("intake:status", args=[token_for(referral.organization_id, referral.pk)])


def years_ago(world: World, years: int, days: int = 0) -> datetime.date:
    """About that many years before the clinic's today (never a 29 February problem)."""
    return clinic_today(world.child) - datetime.timedelta(days=365 * years + days)


def offer_data(
    referral: Referral, local: datetime.datetime, time: str, therapist: object
) -> dict[str, object]:
    """What the offer form posts: an hour with the therapist on that day."""
    return {
        "action": "offer",
        "version": referral.version,
        "date": local.date().isoformat(),
        "time": time,
        "duration_minutes": 60,
        "therapist": getattr(therapist, "id", ""),
    }


def waitlisted(world: World, urgency: str = "routine", **fields: object) -> Referral:
    referral = make_referral(world.org, **fields)
    return actions.put_on_waitlist(
        referral, world.front_desk, expected_version=referral.version, urgency=urgency
    )


def served(world: World, count: int) -> None:
    """``count`` families who left the list for a first appointment in the last months."""
    for n in range(count):
        referral = waitlisted(world, child_first_name=f"Past{n}")
        Referral._base_manager.filter(pk=referral.pk).update(
            status=ReferralStatus.ACCEPTED,
            waitlisted_at=timezone.now() - datetime.timedelta(days=60 + n),
            closed_at=timezone.now() - datetime.timedelta(days=10 + n),
        )


def test_front_desk_puts_a_family_on_the_list_and_they_read_their_place(
    world: World, client_as: ClientAs
) -> None:
    older = waitlisted(world, child_first_name="Mia", date_of_birth=years_ago(world, 7))
    referral = make_referral(world.org, date_of_birth=years_ago(world, 2))
    client = client_as(world.front_desk)
    response = client.post(
        detail(referral),
        {"action": "waitlist", "version": referral.version, "urgency": "soon", "note": "SLP eval"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITLISTED and referral.urgency == "soon"
    # Under 3 (+30) and soon (+20) go before a routine seven-year-old who joined first.
    page = client.get(INDEX, {"tab": "waitlist"}).content.decode()
    assert page.index("Lucas Moreno") < page.index("Mia Moreno")
    assert "+30 Under 3: early intervention comes first" in page
    # 13 families started in half a year: one every two weeks; second place ≈ 4 weeks.
    served(world, 13)
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get(status_page(older)).content.decode()
    assert "Place 2 of 2." in body
    assert "in about 4 weeks" in body


def test_no_pace_means_no_made_up_estimate(world: World) -> None:
    referral = waitlisted(world)
    body = Client().get(status_page(referral)).content.decode()
    assert "Place 1 of 1." in body and "We cannot say how long the wait will be yet" in body


def test_declining_needs_a_reason_the_family_reads(
    world: World,
    client_as: ClientAs,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    referral = make_referral(world.org, language="en")
    client = client_as(world.admin)
    empty = client.post(detail(referral), {"action": "decline", "version": referral.version})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            detail(referral),
            {"action": "decline", "version": referral.version, "reason": "We do not see adults."},
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert "We do not see adults." in mail.outbox[-1].body
    assert "We do not see adults." in Client().get(status_page(referral)).content.decode()


def test_a_stale_triage_is_a_conflict_and_changes_nothing(
    world: World, client_as: ClientAs
) -> None:
    referral = make_referral(world.org)
    stale = referral.version
    actions.ask_for_information(
        referral, world.admin, expected_version=stale, question="Which school?"
    )
    response = client_as(world.front_desk).post(
        detail(referral), {"action": "waitlist", "version": stale, "urgency": "urgent"}
    )
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.INFO_REQUESTED and referral.urgency == "routine"


def test_an_offer_taken_creates_the_child_the_guardian_and_the_evaluation(
    world: World,
    client_as: ClientAs,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    referral = waitlisted(world, disciplines=["ot"])
    when = in_days(world.child, 3, hour=10)
    local = timezone.localtime(when)
    staff = client_as(world.front_desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            detail(referral),
            offer_data(referral, local, "10:00", world.therapist),
        )
    assert response.status_code == 302
    family = Client(HTTP_ACCEPT_LANGUAGE="es")
    page = family.get(status_page(referral)).content.decode()
    assert "Podemos ofrecerle una primera cita." in page
    offer_id = actions.open_offer(referral).pk  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        taken = family.post(status_page(referral), {"action": "accept", "offer": offer_id})
    assert taken.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.child is not None
    child = referral.child
    assert (child.first_name, child.last_name) == ("Lucas", "Moreno")
    link = GuardianLink.objects.get(child=child)
    assert link.guardian.user.email == "elena.moreno@mail.example" and link.has_legal_authority
    assert CareTeamMember.objects.get(child=child).therapist == world.therapist
    appointment = Appointment.objects.select_related("encounter").get(child=child)
    assert appointment.encounter.starts_at == when
    assert appointment.encounter.service_type == "evaluation"
    assert Invitation.objects.filter(email="elena.moreno@mail.example").exists()
    # The therapist finds the evaluation in their week, with the child's name.
    week = client_as(world.therapist).get(
        reverse("appointments:schedule"), {"week": local.date().isoformat()}
    )
    assert "Lucas Moreno" in week.content.decode()
    assert "Su primera cita está reservada." in family.get(status_page(referral)).content.decode()


def test_a_time_taken_meanwhile_creates_nothing(world: World) -> None:
    referral = waitlisted(world, disciplines=["ot"])
    when = in_days(world.child, 2, hour=11)
    actions.make_offer(
        referral,
        world.front_desk,
        expected_version=referral.version,
        starts_at=when,
        therapist=world.therapist,
    )
    make_appointment(world.child, world.therapist, when)  # booked by someone else since
    offer = actions.open_offer(referral)
    assert offer is not None
    response = Client().post(status_page(referral), {"action": "accept", "offer": offer.pk})
    assert response.status_code == 400
    assert "This time is no longer free." in response.content.decode()
    # Back on the list for the clinic to offer another time; nothing was created.
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITLISTED and referral.child is None
    assert not GuardianLink.objects.filter(
        guardian__user__email="elena.moreno@mail.example"
    ).exists()


def test_a_family_turning_down_a_time_keeps_its_place(world: World) -> None:
    referral = waitlisted(world, disciplines=["ot"])
    actions.make_offer(
        referral,
        world.front_desk,
        expected_version=referral.version,
        starts_at=in_days(world.child, 2, hour=11),
        therapist=world.therapist,
    )
    offer = actions.open_offer(referral)
    assert offer is not None
    Client().post(status_page(referral), {"action": "decline_offer", "offer": offer.pk})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITLISTED


def test_an_offer_must_fit_the_therapy_asked_for(world: World, client_as: ClientAs) -> None:
    referral = waitlisted(world, disciplines=["slp"])  # the therapist is an OT
    local = timezone.localtime(in_days(world.child, 3, hour=10))
    response = client_as(world.front_desk).post(
        detail(referral),
        offer_data(referral, local, "10:00", world.therapist),
    )
    assert response.status_code == 200
    assert "The family asked for another kind of therapy." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITLISTED


def test_a_freed_slot_is_offered_to_the_next_suitable_family(
    world: World, client_as: ClientAs
) -> None:
    day = clinic_today(world.child) + datetime.timedelta(days=4)
    day += datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() > 4 else 0)
    when = clinic_time(world.child, day, 9)  # a weekday morning
    make_appointment(world.child, world.therapist, when, status="cancelled")
    slot = timezone.localtime(when)
    half = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][slot.weekday()] + "_am"
    waitlisted(world, child_first_name="Speech", disciplines=["slp"], urgency="urgent")
    waitlisted(world, child_first_name="Busy", disciplines=["ot"], availability=["mon_pm"])
    fits = waitlisted(world, child_first_name="Free", disciplines=["ot"], availability=[half])
    page = client_as(world.front_desk).get(INDEX, {"tab": "waitlist"}).content.decode()
    freed = re.search(r'aria-labelledby="freed-h">(.*?)</section>', page, re.S)
    assert freed is not None
    assert slot.weekday() < 5
    assert "Offer to Free Moreno" in freed.group(1)
    assert f"/intake/{fits.id}/?date={slot.date().isoformat()}" in freed.group(1)
    assert "Speech" not in freed.group(1) and "Busy" not in freed.group(1)


def test_only_the_office_triages(world: World, client_as: ClientAs) -> None:
    referral = make_referral(world.org)
    for member in (world.therapist, world.billing, world.guardian):
        assert client_as(member).get(INDEX).status_code == 404
        assert client_as(member).get(detail(referral)).status_code == 404
    assert client_as(world.foreign_admin).get(detail(referral)).status_code == 404


def test_the_lists_are_a_fixed_number_of_queries(
    world: World, client_as: ClientAs, django_assert_max_num_queries
) -> None:
    for n in range(12):
        waitlisted(world, child_first_name=f"Kid{n}")
    make_appointment(world.child, world.therapist, in_days(world.child, 2), status="cancelled")
    client = client_as(world.front_desk)
    client.get(INDEX)
    with django_assert_max_num_queries(16):
        client.get(INDEX, {"tab": "waitlist"})
    with django_assert_max_num_queries(16):
        client.get(INDEX, {"tab": "new"})


def _offered(world: World, hours_ahead: int = 50) -> Referral:
    referral = waitlisted(world, disciplines=["ot"])
    actions.make_offer(
        referral,
        world.front_desk,
        expected_version=referral.version,
        starts_at=in_days(world.child, 3, hour=10),
        therapist=world.therapist,
    )
    referral.refresh_from_db()
    return referral


def test_the_front_desk_withdraws_an_offer_on_the_page(world: World, client_as: ClientAs) -> None:
    referral = _offered(world)
    response = client_as(world.front_desk).post(
        detail(referral), {"action": "withdraw", "version": referral.version}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITLISTED


def test_an_old_page_cannot_take_a_newer_offer(world: World) -> None:
    referral = _offered(world)
    old = actions.open_offer(referral)
    assert old is not None
    referral = actions.withdraw_offer(referral, expected_version=referral.version)
    actions.make_offer(
        referral,
        world.front_desk,
        expected_version=referral.version,
        starts_at=in_days(world.child, 4, hour=15),
        therapist=world.therapist,
    )
    response = Client().post(status_page(referral), {"action": "accept", "offer": old.pk})
    assert response.status_code == 400 and "no longer open" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OFFERED and referral.child is None


def test_a_passed_offer_sends_the_family_back_to_the_list(world: World) -> None:
    referral = _offered(world)
    offer = actions.open_offer(referral)
    assert offer is not None
    Offer._base_manager.filter(pk=offer.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = Client().post(status_page(referral), {"action": "accept", "offer": offer.pk})
    assert response.status_code == 400 and "This time has passed" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITLISTED and referral.child is None


def test_a_staff_address_is_never_made_a_guardian(world: World) -> None:
    referral = _offered(world)
    Referral._base_manager.filter(pk=referral.pk).update(contact_email=world.therapist.user.email)
    offer = actions.open_offer(referral)
    assert offer is not None
    response = Client().post(status_page(referral), {"action": "accept", "offer": offer.pk})
    assert (
        response.status_code == 400 and "The clinic will contact you" in response.content.decode()
    )
    assert not GuardianLink.objects.filter(guardian=world.therapist).exists()


def test_an_offer_must_be_a_time_the_therapist_is_free(world: World, client_as: ClientAs) -> None:
    referral = waitlisted(world, disciplines=["ot"])
    when = in_days(world.child, 3, hour=10)
    make_appointment(world.child, world.therapist, when)
    local = timezone.localtime(when)
    response = client_as(world.front_desk).post(
        detail(referral),
        offer_data(referral, local, "10:15", world.therapist),
    )
    assert "already has a session then" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITLISTED
