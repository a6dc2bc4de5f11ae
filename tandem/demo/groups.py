"""The demo clinic's therapeutic group: "Friends club", a social-skills group for 3- to
7-year-olds led by the speech therapist with the behavior analyst, meeting weekly for
eight weeks from three weeks ago. Four children of four families joined with a parent's
consent; its past sessions have their group note, each child's part signed in their own
record (and the charts of the goals it works on: social skills, communication, play);
a fifth child who would suit it is left to suggest."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.models import Membership
from tandem.children.models import Child, GuardianLink
from tandem.core import clock
from tandem.groups import actions
from tandem.groups.models import GroupProgram, GroupSession
from tandem.plans.models import MeasurementType

MEMBERS = ("Mateo", "Zoe", "Ethan", "Isabella")
# Tried in turn: the first time the leaders, the room and the four children are all free.
SLOTS = ((2, 16, 0), (3, 16, 0), (1, 16, 30), (0, 16, 30), (2, 10, 0), (3, 11, 0))
WHAT_WE_DID = (
    "Hello song with names, a turn-taking board game in pairs, then snack circle with "
    "choices (asking a friend to pass the plate)."
)
HOW_IT_WENT = {
    "Mateo": "Waited for his turn with the visual timer; said a friend's name once.",
    "Zoe": "Signed and said 'more please' to a friend at snack; joined the song.",
    "Ethan": "Used his calm-down card once after losing a turn, then came back to the game.",
    "Isabella": "Played the whole game from her chair and chose who went next.",
}


def build_group(
    members: dict[str, Membership], children: dict[str, Child], today: datetime.date
) -> GroupProgram | None:
    """The group, its four children and its past sessions' notes (None when the demo's
    people are not all there)."""
    kids = [children.get(name) for name in MEMBERS]
    if "slp" not in members or "bcba" not in members or any(k is None for k in kids):
        return None
    zone = clock.zone_for(members["slp"].organization)
    monday = today - datetime.timedelta(days=today.weekday() + 21)
    for weekday, hour, minute in SLOTS:
        first = datetime.datetime.combine(
            monday + datetime.timedelta(days=weekday), datetime.time(hour, minute), tzinfo=zone
        )
        try:
            with transaction.atomic():
                return _build(members, [k for k in kids if k is not None], first)
        except ValidationError:
            continue
    return None


def _build(
    members: dict[str, Membership], kids: Sequence[Child], first: datetime.datetime
) -> GroupProgram:
    admin, leader = members["admin"], members["slp"]
    planned = first - datetime.timedelta(days=14)
    program = actions.create_program(
        admin,
        leader=leader,
        co_leader=members["bcba"],
        room=None,
        starts_at=first,
        weeks=8,
        at=planned,
        name="Friends club",
        kind="social_skills",
        discipline="slp",
        description=(
            "A small group of children of about the same age play games together and "
            "practise taking turns, asking a friend and waiting. Parents join for the last "
            "ten minutes to see what we practised."
        ),
        min_age_months=36,
        max_age_months=95,
        min_size=3,
        max_size=6,
        target_domains=["social", "communication", "play"],
        duration_minutes=45,
    )
    invited = planned + datetime.timedelta(days=1)
    for child in kids:
        enrolment = actions.invite(admin, program, child, at=invited)
        guardian = (
            GuardianLink.objects.filter(
                organization_id=child.organization_id, child=child, has_legal_authority=True
            )
            .select_related("guardian")
            .order_by("-is_primary_contact", "created_at")
            .first()
        )
        assert guardian is not None
        actions.answer(
            guardian.guardian,
            enrolment,
            expected_version=enrolment.version,
            consent=True,
            at=invited + datetime.timedelta(hours=20),
        )
    now = clock.now()
    sessions = (
        GroupSession.objects.filter(organization_id=program.organization_id, program=program)
        .select_related("encounter", "program")
        .order_by("encounter__starts_at")
    )
    for number, session in enumerate(sessions):
        if session.encounter.ends_at + datetime.timedelta(hours=2) > now:
            break
        _write_note(leader, session, kids, number)
    return program


def _write_note(
    leader: Membership, session: GroupSession, kids: Sequence[Child], number: int
) -> None:
    goals = actions.linked_goals(
        session.organization_id, session.program.target_domains, [k.pk for k in kids]
    )
    parts: dict[str, dict[str, object]] = {}
    for n, child in enumerate(kids):
        away = number == 1 and n == 2  # Ethan was ill for the second session
        if away:
            parts[str(child.pk)] = {"attendance": "excused"}
            continue
        data = {str(g.pk): _data(g.measurement_type, number, n) for g in goals.get(child.pk, [])}
        parts[str(child.pk)] = {
            "attendance": "present",
            "note": HOW_IT_WENT[child.first_name],
            "engagement": 3 + (number + n) % 3,
            "goal_data": data,
        }
    actions.record(
        leader,
        session,
        what_we_did=WHAT_WE_DID,
        activities="Hello song, turn-taking board game, snack circle",
        children=parts,
        sign=True,
        at=session.encounter.ends_at + datetime.timedelta(minutes=40),
    )


def _data(kind: str, number: int, n: int) -> dict[str, object]:
    """A session's plausible data, a little better each week."""
    gas: dict[str, object] = {"gas_level": min(-1 + number, 1)}
    if kind == MeasurementType.PERCENT_TRIALS:
        correct = min(4 + number + n % 2, 9)
        return gas | {"trials": [{"correct": i < correct, "prompt": "verbal"} for i in range(10)]}
    if kind == MeasurementType.FREQUENCY:
        return gas | {"count": 2 + number}
    if kind == MeasurementType.DURATION:
        return gas | {"duration_seconds": 60 + 30 * number}
    if kind == MeasurementType.RATING:
        return gas | {"rating": min(2 + number, 5)}
    if kind == MeasurementType.TASK_ANALYSIS:
        return gas | {"steps_done": min(2 + number, 5), "steps_total": 5}
    return gas
