"""The demo families' life between sessions: home programs and their practice logs,
observations across settings, conversations with the team, an SBAR hand-off, check-ins,
a teacher with a consent, appointments and choice-board picks (the texts: ``data.homes``).

Everything is written through the apps' own actions, as the people would have done it,
at the moment they would have done it (``at=``). The randomness is seeded, so every
build writes the same weeks.
"""

import random
from datetime import date, timedelta

from tandem.accounts.models import Membership
from tandem.appointments import series
from tandem.appointments.models import ServiceType
from tandem.childmode.actions import record_choice
from tandem.childmode.models import ChoiceSource
from tandem.children.models import Child
from tandem.consent.actions import grant_consent
from tandem.demo.clinical import SEED, Catalogue, Guardians, written
from tandem.demo.data.homes import HOMES
from tandem.demo.shapes import LOG_WEEKS, Care, DemoGoal, Home, Kid, Practice
from tandem.homeprogram import actions as homeprogram
from tandem.homeprogram.models import Barrier, HomeActivity, HowItWent, Outcome, week_start
from tandem.messaging import actions as messaging
from tandem.messaging.models import Every
from tandem.plans.models import Goal

BOOKED_AHEAD = 4  # weeks booked ahead


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
    assigned = written(book.at(first_monday - timedelta(days=1), "17:00"))
    for practice in home.practices:
        activities[practice.title] = homeprogram.create_activity(
            lead,
            child,
            goals=[by_short[name] for name in practice.goals],
            at=assigned,
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
        homeprogram.record_observation(
            by,
            child,
            by_short[seen.goal],
            at=written(book.at(day, "18:30")),
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
            at = written(book.at(day, "19:45", rng.randrange(0, 120)))
            by = rng.choice(family)
            homeprogram.log_practice(by, activity, limit_past=False, at=at, date=day, **fields)


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
    grant_consent(
        guardian,
        child,
        email=teacher.user.email,
        role_title="Class teacher",
        expires_on=today + timedelta(days=180),
        can_see_summary=True,
        can_post_observations=True,
        at=written(book.at(today - timedelta(days=20), "20:00")),
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
        moment = written(book.at(today - timedelta(days=said.days_ago), said.clock))
        messaging.mark_thread_read(author, child, at=moment)
        messaging.post_message(author, child, said.text, at=moment)
        last = (said, moment)
    assert last is not None
    said, moment = last
    readers = [lead] if said.by.startswith("family") else family
    if said.by.startswith("family") or not home.unread_by_family:
        for reader in readers:
            messaging.mark_thread_read(reader, child, at=written(moment + timedelta(hours=2)))


def hand_off(
    book: Catalogue, child: Child, author: Membership, recipient: Membership, today: date
) -> None:
    """Priya asks Jordan, in SBAR form, to look at Ethan's regression with her."""
    messaging.send_handoff(
        author,
        child,
        recipient,
        at=written(book.at(today - timedelta(days=1), "12:10")),
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
        at = written(book.at(first - timedelta(days=3), "12:00"))
        messaging.set_checkin_schedule(
            lead, child, at=at, every=4, unit=Every.WEEKS, next_due_on=first
        )
        for answer in home.checkins:
            day = today - timedelta(weeks=answer.weeks_ago, days=2)
            messaging.answer_checkin(
                guardian,
                child,
                at_home=answer.at_home,
                hard=answer.hard,
                would_help=answer.would_help,
                wellbeing=answer.wellbeing,
                today=day,
                at=written(book.at(day, "21:00")),
            )
    elif home.checkin_due:
        at = written(book.at(today - timedelta(weeks=4), "12:00"))
        messaging.set_checkin_schedule(
            lead, child, at=at, every=1, unit=Every.MONTHS, next_due_on=today
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
    at = written(book.at(today - timedelta(days=1), "17:30"))
    if choice in activities:
        record_choice(
            guardian,
            child,
            source=ChoiceSource.HOME_ACTIVITY,
            home_activity_id=activities[choice].id,
            at=at,
        )
    else:
        record_choice(guardian, child, source=ChoiceSource.INTEREST, label=choice, at=at)


def book_appointments(
    book: Catalogue,
    child: Child,
    care: Care,
    lead: Membership,
    days: list[date],
    today: date,
) -> None:
    """The weekly sessions booked for the next weeks, as one weekly series (the past
    sessions are the notes': each note's session shows as attended)."""
    latest = days[-1]
    first = next(
        latest + timedelta(weeks=n) for n in range(1, 4) if latest + timedelta(weeks=n) > today
    )
    when = book.at(first, care.start)
    series.book_series(
        lead,
        child,
        rule=series.weekly(1, BOOKED_AHEAD),
        at=written(min(when, book.at(today, "08:00")) - timedelta(days=14)),
        therapist=lead,
        starts_at=when,
        duration_minutes=care.minutes,
        service_type=ServiceType.INDIVIDUAL,
        location=care.location,
    )
