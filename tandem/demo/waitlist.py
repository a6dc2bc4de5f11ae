"""The demo clinic's front door: twelve families waiting in priority order, referrals to
triage, families served in the last months (the pace the expected wait is measured by),
and a session freed by a cancellation offered to the family that fits it best."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.accounts.models import Membership, Organization
from tandem.appointments import actions as appointments
from tandem.appointments.models import Appointment, AppointmentStatus
from tandem.children.models import Child
from tandem.core import clock
from tandem.intake import actions
from tandem.intake.models import Referral, ReferralStatus
from tandem.intake.priority import order_key


@dataclass(frozen=True)
class Waiting:
    first: str
    last: str
    years: int
    months: int
    sex: str
    concerns: tuple[str, ...]
    disciplines: tuple[str, ...]
    contact: str
    language: str
    weeks_waiting: int
    urgency: str = "routine"
    availability: tuple[str, ...] = ()
    funding: str = "insurance"


WAITING = [
    Waiting(
        "Mateo",
        "Herrera",
        2,
        3,
        "M",
        ("communication",),
        ("slp",),
        "Lucía Herrera",
        "es",
        5,
        "soon",
        ("tue_am", "thu_am"),
    ),
    Waiting("Aria", "Patel", 1, 8, "F", ("gross_motor",), ("pt",), "Nisha Patel", "en", 3),
    Waiting(
        "Leo",
        "Nguyen",
        4,
        2,
        "M",
        ("fine_motor", "self_care"),
        ("ot",),
        "Hana Nguyen",
        "en",
        9,
        "routine",
        ("mon_pm", "wed_pm", "fri_am", "fri_pm"),
    ),
    Waiting(
        "Sofía",
        "Ramírez",
        3,
        6,
        "F",
        ("feeding", "sensory"),
        ("ot",),
        "Carmen Ramírez",
        "es",
        7,
        "urgent",
        (),
        "medicaid",
    ),
    Waiting(
        "Noor",
        "Haddad",
        6,
        1,
        "F",
        ("behaviour", "social"),
        ("behavioral",),
        "Rania Haddad",
        "en",
        12,
    ),
    Waiting(
        "Jonah",
        "Fischer",
        7,
        4,
        "M",
        ("learning",),
        ("ot",),
        "Eva Fischer",
        "en",
        14,
        "routine",
        ("tue_pm", "thu_pm"),
    ),
    Waiting(
        "Ivy", "Okoye", 2, 10, "F", ("communication", "social"), ("slp",), "Ada Okoye", "en", 2
    ),
    Waiting(
        "Diego",
        "Castro",
        5,
        0,
        "M",
        ("gross_motor",),
        ("pt",),
        "Marta Castro",
        "es",
        6,
        "routine",
        (),
        "medicaid",
    ),
    Waiting("Ella", "Brooks", 8, 7, "F", ("fine_motor",), ("ot",), "Jade Brooks", "en", 18),
    Waiting("Sam", "Lee", 9, 2, "M", ("behaviour",), ("behavioral",), "Min Lee", "en", 10),
    Waiting("Rosa", "Vega", 1, 2, "F", ("feeding",), ("slp", "ot"), "Paula Vega", "es", 1),
    Waiting(
        "Owen",
        "Price",
        10,
        5,
        "M",
        ("learning", "fine_motor"),
        ("ot",),
        "Kate Price",
        "en",
        20,
        "routine",
        (),
        "self_pay",
    ),
]
TO_TRIAGE = [
    Waiting("Amir", "Said", 2, 0, "M", ("communication",), ("slp",), "Leila Said", "en", 0),
    Waiting("Clara", "Núñez", 4, 9, "F", ("sensory", "behaviour"), ("ot",), "Inés Núñez", "es", 0),
]


def _born(today: datetime.date, years: int, months: int) -> datetime.date:
    month = today.month - months
    year = today.year - years + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return today.replace(year=year, month=month, day=min(today.day, 28))


def _referral(
    organization: Organization, w: Waiting, today: datetime.date, **fields: object
) -> Referral:
    referral = Referral(
        organization=organization,
        child_first_name=w.first,
        child_last_name=w.last,
        date_of_birth=_born(today, w.years, w.months),
        sex=w.sex,
        concerns=list(w.concerns),
        disciplines=list(w.disciplines),
        referrer="parent",
        contact_name=w.contact,
        relationship="mother",
        contact_email=f"{w.contact.split()[0].lower()}.{w.last.lower()}@mail.example".replace(
            "í", "i"
        ).replace("ú", "u"),
        language=w.language,
        availability=list(w.availability),
        funding=w.funding,
        urgency=w.urgency,
        **fields,
    )
    referral.save()
    return referral


def build_waitlist(
    organization: Organization,
    members: dict[str, Membership],
    children: dict[str, Child],
    today: datetime.date,
) -> None:
    now = timezone.now()
    front_desk = members["frontdesk"]
    waiting = []
    for w in WAITING:
        joined = now - datetime.timedelta(weeks=w.weeks_waiting, days=1)
        waiting.append(
            _referral(
                organization,
                w,
                today,
                status=ReferralStatus.WAITLISTED,
                triaged_by=front_desk,
                waitlisted_at=joined,
            )
        )
    for w in TO_TRIAGE:
        _referral(organization, w, today)
    # The families served lately: the demo's children, each referred and seen.
    for n, child in enumerate(list(children.values())[:9]):
        served = Referral(
            organization=organization,
            status=ReferralStatus.ACCEPTED,
            child_first_name=child.first_name,
            child_last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            sex=child.sex,
            concerns=["communication"],
            referrer="physician",
            contact_name="(on the child's record)",
            contact_email="served@mail.example",
            funding="insurance",
            triaged_by=front_desk,
            waitlisted_at=now - datetime.timedelta(days=40 + 15 * n),
            closed_at=now - datetime.timedelta(days=5 + 15 * n),
            child=child,
        )
        served.save()
    offer_freed_slot(organization, members, waiting, today)


def offer_freed_slot(
    organization: Organization,
    members: dict[str, Membership],
    waiting: list[Referral],
    today: datetime.date,
) -> None:
    """A family cancels one of Priya's sessions in the coming days; the slot goes to the
    first OT family on the list free at that time (or with no time constraint)."""
    ot = members["ot"]
    upcoming = (
        Appointment.objects.filter(
            organization=organization,
            encounter__therapist=ot,
            status=AppointmentStatus.SCHEDULED,
            encounter__starts_at__gte=timezone.now() + datetime.timedelta(days=2),
        )
        .select_related("encounter", "child")
        .order_by("encounter__starts_at")
        .first()
    )
    if upcoming is None:
        return
    appointments.set_status(
        upcoming,
        expected_version=upcoming.version,
        status=AppointmentStatus.CANCELLED,
        reason="Family holiday",
        by=members["frontdesk"],
    )
    from tandem.intake.models import half_day

    slot = half_day(clock.local_now(organization, upcoming.encounter.starts_at))
    for referral in sorted(waiting, key=lambda r: order_key(r, today)):
        if "ot" in referral.disciplines and (
            not referral.availability or slot in referral.availability
        ):
            actions.make_offer(
                referral,
                members["frontdesk"],
                expected_version=referral.version,
                starts_at=upcoming.encounter.starts_at,
                therapist=ot,
                duration_minutes=upcoming.encounter.duration_minutes,
            )
            return
