"""The demo families' life between sessions: home programs and their practice logs,
observations across settings, conversations with the team, an SBAR hand-off, check-ins,
a teacher with a consent, appointments, choice-board picks, and the resource library.

Everything is written through the apps' own actions, as the people would have done it,
at the moment they would have done it (``recorded_at``). The randomness is seeded, so
every build writes the same weeks.
"""

import random
from datetime import date, timedelta
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F, Q
from weasyprint import HTML

from tandem.accounts.models import Membership, Organization, Role
from tandem.appointments import actions as appointments
from tandem.appointments.models import AppointmentStatus, ServiceType
from tandem.childmode.actions import record_choice
from tandem.childmode.models import ChoiceSource
from tandem.children.models import Child
from tandem.consent.actions import grant_consent
from tandem.homeprogram import actions as homeprogram
from tandem.homeprogram.models import Barrier, HomeActivity, HowItWent, Outcome, week_start
from tandem.messaging import actions as messaging
from tandem.messaging.models import Every
from tandem.notifications.models import EmailState, Kind, Notification
from tandem.plans.models import Goal
from tandem.resources import actions as resources
from tandem.resources.models import ResourceKind

from ._demo_clinical import SEED, Catalogue, Guardians, recorded_at
from ._demo_data import Care, DemoGoal, Kid
from ._demo_home import EVENTS, HOMES, LIBRARIES, LOG_WEEKS, Home, Library, Practice

PAST_VISITS, BOOKED_AHEAD = 2, 4  # attended appointments shown, and weeks booked ahead


def build_family_life(
    book: Catalogue,
    child: Child,
    kid: Kid,
    goals: dict[DemoGoal, Goal],
    guardians: Guardians,
    members: dict[str, Membership],
    lead: Membership,
    days: list[date],
    today: date,
) -> dict[str, HomeActivity]:
    """Write what happens between one child's sessions; return the activities by title."""
    care = kid.care
    assert care is not None
    book_appointments(book, child, care, lead, days, today)
    home = HOMES.get(kid.first_name)
    if home is None:
        return {}
    by_short = {spec.short: goal for spec, goal in goals.items()}
    family = [membership for _carer, membership in guardians]
    first_monday = week_start(today) - timedelta(weeks=LOG_WEEKS)
    activities = {}
    with recorded_at(book.at(first_monday - timedelta(days=1), "17:00")):
        for practice in home.practices:
            activities[practice.title] = homeprogram.create_activity(
                lead,
                child,
                goals=[by_short[name] for name in practice.goals],
                title=practice.title,
                why=practice.why,
                steps="\n".join(practice.steps),
                times_per_week=practice.times_per_week,
                minutes=practice.minutes,
                materials=practice.materials,
                starts_on=first_monday,
            )
    rng = random.Random(f"{SEED}-home-{child.first_name}")
    for practice in home.practices:
        log_weeks(book, activities[practice.title], practice, home, family, rng, today)
    if home.teacher_consent:
        share_with_teacher(book, child, family[0], members["teacher"], today)
    for seen in home.seen:
        by = members["teacher"] if seen.by == "teacher" else family[0]
        day = today - timedelta(days=seen.days_ago)
        with recorded_at(book.at(day, "18:30")):
            homeprogram.record_observation(
                by,
                child,
                by_short[seen.goal],
                observed_on=day,
                setting=seen.setting,
                who_was_there=seen.who,
                independence=seen.independence,
                note=seen.note,
            )
    converse(book, child, home, family, members, lead, today)
    if kid.first_name == "Ethan":
        hand_off(book, child, members["ot"], members["bcba"], today)
    check_in(book, child, home, family[0], lead, today)
    if home.choice:
        pick(book, child, home.choice, family[0], activities, today)
    return activities


def log_weeks(
    book: Catalogue,
    activity: HomeActivity,
    practice: Practice,
    home: Home,
    family: list[Membership],
    rng: random.Random,
    today: date,
) -> None:
    """Log the family's practice, week by week, up to yesterday."""
    for week in range(LOG_WEEKS + 1):
        monday = activity.starts_on + timedelta(weeks=week)
        days = [monday + timedelta(days=n) for n in range(7) if monday + timedelta(days=n) < today]
        if not days:
            continue
        wanted = min(len(days), round(practice.times_per_week * len(days) / 7))
        hard = home.slipping and week >= LOG_WEEKS - 3  # the last weeks got hard
        rate = 0.25 if hard else home.adherence
        # Words typed under "something else" belong to the hard weeks.
        barriers = home.barriers if hard else tuple(b for b in home.barriers if b != Barrier.OTHER)
        for day in sorted(rng.sample(days, wanted)):
            roll = rng.random()
            if roll < rate:
                fields = practised(practice, rng, hard=hard)
            elif roll < rate + (1 - rate) * 0.6:
                barrier = rng.choice(barriers or home.barriers)
                fields = {"outcome": Outcome.NOT_TODAY, "barrier": barrier}
                if barrier == Barrier.OTHER:
                    fields["barrier_other"] = home.barrier_words
            else:
                continue  # a busy day: nothing logged at all
            with recorded_at(book.at(day, "19:45", rng.randrange(0, 120))):
                homeprogram.log_practice(
                    rng.choice(family), activity, limit_past=False, date=day, **fields
                )


def practised(practice: Practice, rng: random.Random, *, hard: bool) -> dict[str, object]:
    """A log of practice done (or partly done), with how it went."""
    if rng.random() < 0.2:
        return {
            "outcome": Outcome.PARTLY,
            "minutes": max(1, practice.minutes // 2),
            "how_it_went": HowItWent.HARD if hard else HowItWent.OKAY,
        }
    went = rng.choices(
        [HowItWent.WELL, HowItWent.OKAY, HowItWent.HARD], [1, 2, 3] if hard else [6, 3, 1]
    )[0]
    return {"outcome": Outcome.DONE, "minutes": practice.minutes, "how_it_went": went}


def share_with_teacher(
    book: Catalogue, child: Child, guardian: Membership, teacher: Membership, today: date
) -> None:
    """The guardian shares the goals and progress summary with the class teacher, who may
    also post observations, for the rest of the school year."""
    with recorded_at(book.at(today - timedelta(days=20), "20:00")):
        grant_consent(
            guardian,
            child,
            email=teacher.user.email,
            role_title="Class teacher",
            expires_on=today + timedelta(days=180),
            can_see_summary=True,
            can_post_observations=True,
        )


def converse(
    book: Catalogue,
    child: Child,
    home: Home,
    family: list[Membership],
    members: dict[str, Membership],
    lead: Membership,
    today: date,
) -> None:
    """The conversation with the team; each writer has read the thread before replying."""
    if not home.thread:
        return
    last = None
    for said in home.thread:
        if said.by == "family":
            author = family[0]
        elif said.by == "family2":
            author = family[1]
        else:
            author = members[said.by]
        moment = book.at(today - timedelta(days=said.days_ago), said.clock)
        with recorded_at(moment):
            messaging.mark_thread_read(author, child)  # "now" is the recorded moment
            messaging.post_message(author, child, said.text)
        last = (said, moment)
    assert last is not None
    said, moment = last
    readers = [lead] if said.by.startswith("family") else family
    if said.by.startswith("family") or not home.unread_by_family:
        for reader in readers:
            seen = moment + timedelta(hours=2)
            with recorded_at(seen):
                messaging.mark_thread_read(reader, child)


def hand_off(
    book: Catalogue, child: Child, author: Membership, recipient: Membership, today: date
) -> None:
    """Priya asks Jordan, in SBAR form, to look at Ethan's regression with her."""
    with recorded_at(book.at(today - timedelta(days=1), "12:10")):
        messaging.send_handoff(
            author,
            child,
            recipient,
            situation="Ethan's use of a calming strategy has dropped over the last five "
            "sessions (from about 60 % to 30 % of opportunities) and school reports pushing "
            "at recess again.",
            background="His mother's deployment was extended a month ago; his father reports "
            "bedtime battles and home practice has mostly stopped. Heavy work before seated "
            "tasks is still working at school.",
            assessment="A setback linked to the change at home rather than a loss of skill: "
            "with an adult beside him he still uses balloon breaths. The demands at home are "
            "currently too many for the family.",
            recommendation="Could you observe at school next week and help us simplify the "
            "home plan to one strategy? Kevin asked in his check-in for someone to talk to: "
            "could you call him this week? I am sharing the caregiver resources with him today.",
        )


def check_in(
    book: Catalogue,
    child: Child,
    home: Home,
    guardian: Membership,
    lead: Membership,
    today: date,
) -> None:
    """A recurring check-in the therapist set, and the family's answers."""
    if home.checkins:
        first = today - timedelta(weeks=home.checkins[0].weeks_ago, days=2)
        with recorded_at(book.at(first - timedelta(days=3), "12:00")):
            messaging.set_checkin_schedule(
                lead, child, every=4, unit=Every.WEEKS, next_due_on=first
            )
        for answer in home.checkins:
            day = today - timedelta(weeks=answer.weeks_ago, days=2)
            with recorded_at(book.at(day, "21:00")):
                messaging.answer_checkin(
                    guardian,
                    child,
                    at_home=answer.at_home,
                    hard=answer.hard,
                    would_help=answer.would_help,
                    wellbeing=answer.wellbeing,
                    today=day,
                )
    elif home.checkin_due:
        with recorded_at(book.at(today - timedelta(weeks=4), "12:00")):
            messaging.set_checkin_schedule(
                lead, child, every=1, unit=Every.MONTHS, next_due_on=today
            )


def pick(
    book: Catalogue,
    child: Child,
    choice: str,
    guardian: Membership,
    activities: dict[str, HomeActivity],
    today: date,
) -> None:
    """Yesterday, in child mode on the guardian's phone, the child picked this."""
    with recorded_at(book.at(today - timedelta(days=1), "17:30")):
        if choice in activities:
            record_choice(
                guardian,
                child,
                source=ChoiceSource.HOME_ACTIVITY,
                home_activity_id=activities[choice].id,
            )
        else:
            record_choice(guardian, child, source=ChoiceSource.INTEREST, label=choice)


def book_appointments(
    book: Catalogue,
    child: Child,
    care: Care,
    lead: Membership,
    days: list[date],
    today: date,
) -> None:
    """The last sessions (attended) and the weekly sessions booked for the next weeks."""
    latest = days[-1]
    past = [(day, AppointmentStatus.ATTENDED) for day in days[-PAST_VISITS:]]
    ahead = [
        (latest + timedelta(weeks=n), AppointmentStatus.SCHEDULED)
        for n in range(1, BOOKED_AHEAD + 3)
        if latest + timedelta(weeks=n) > today
    ][:BOOKED_AHEAD]
    for day, status in past + ahead:
        when = book.at(day, care.start)
        with recorded_at(min(when, book.at(today, "08:00")) - timedelta(days=14)):
            appointment = appointments.book(
                lead,
                child,
                therapist=lead,
                starts_at=when,
                duration_minutes=care.minutes,
                service_type=ServiceType.INDIVIDUAL,
                location=care.location,
            )
        if status == AppointmentStatus.ATTENDED:
            with recorded_at(when + timedelta(minutes=care.minutes)):
                appointments.set_status(
                    appointment, expected_version=appointment.version, status=status
                )


# --- The clinic's library and events ------------------------------------------------


def build_library(
    book: Catalogue,
    organization: Organization,
    members: dict[str, Membership],
    children: dict[str, Child],
    activities: dict[str, dict[str, HomeActivity]],
    today: date,
) -> None:
    """Write the clinic's resources, share them with families, and hold the workshops."""
    for item in LIBRARIES.get(organization.name, ()):
        author = members[item.by]
        with recorded_at(book.at(today - timedelta(weeks=LOG_WEEKS + 1), "12:30")):
            resource = resources.create_resource(
                author,
                domains=item.domains,
                upload=handout(item) if item.kind == ResourceKind.HANDOUT else None,
                title=item.title,
                kind=item.kind,
                summary=item.summary,
                body="" if item.kind == ResourceKind.HANDOUT else item.body,
                url=item.url,
                min_age_months=item.min_age_months,
                max_age_months=item.max_age_months,
                language=item.language,
            )
        for share in item.shares:
            child = children[share.child]
            activity = activities[share.child][share.activity] if share.activity else None
            with recorded_at(book.at(today - timedelta(days=share.days_ago), "13:00")):
                resources.share_resource(
                    author, child, resource, home_activity=activity, note=share.note
                )
    guardians = {
        m.user.email: m
        for m in Membership.objects.filter(organization=organization, role=Role.GUARDIAN)
        .select_related("user")
        .order_by("user__email")
    }
    for event in EVENTS.get(organization.name, ()):
        with recorded_at(book.at(today - timedelta(days=10), "09:00")):
            workshop = resources.create_workshop(
                members[event.by],
                title=event.title,
                description=event.description,
                starts_at=book.at(today + timedelta(days=event.days_ahead), event.clock),
                duration_minutes=event.minutes,
                location=event.location,
                capacity=event.capacity,
                language=event.language,
            )
        for index, email in enumerate(event.guests):
            with recorded_at(book.at(today - timedelta(days=9 - index), "20:00")):
                resources.register(guardians[email], workshop)


def handout(item: Library) -> SimpleUploadedFile:
    """A one-page printable checklist (PDF) made from the lines of ``item.body``."""
    rows = "".join(
        f"<li><span class='box'></span>{escape(line)}</li>" for line in item.body.split("|")
    )
    html = (
        "<style>@page{size:letter;margin:2cm}body{font-family:sans-serif;font-size:20pt}"
        "li{list-style:none;margin:.6em 0}.box{display:inline-block;width:.9em;height:.9em;"
        "border:2px solid #333;margin-right:.6em}</style>"
        f"<h1>{escape(item.title)}</h1><ul>{rows}</ul>"
    )
    return SimpleUploadedFile(
        "backpack-checklist.pdf", HTML(string=html).write_pdf(), content_type="application/pdf"
    )


def settle_notifications(organization: Organization, today: date) -> None:
    """The demo's past notifications were emailed at the time, and what is more than a
    week old has been read (but for families' unread messages); no email waits now."""
    notifications = Notification.objects.filter(organization=organization)
    notifications.filter(email_state=EmailState.PENDING).update(
        email_state=EmailState.SENT, emailed_at=F("created_at")
    )
    old = notifications.filter(read_at__isnull=True, created_at__date__lt=today - timedelta(days=7))
    # Families opened the evaluation reports of months ago; unread messages stay unread.
    old.filter(
        Q(recipient__role__in=[Role.ADMIN, Role.THERAPIST]) | ~Q(kind=Kind.NEW_MESSAGE)
    ).update(read_at=F("created_at") + timedelta(hours=3))
