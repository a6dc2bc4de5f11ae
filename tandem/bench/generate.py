"""A synthetic clinic of any size, bulk inserted, for measuring Tandem (issue 16).

``manage.py generate_clinic --children N --therapists M --years Y --seed S`` builds a new
organization ("Bench clinic S") with an admin, M therapists, N children (each with a
guardian, a lead therapist on the care team and, for about a third, a consulting one),
an active plan per child with 3–5 goals, a session every other week for Y years (an
attended appointment, a signed note and one goal-data entry per goal), and the next two
appointments. Every row carries the organization; versioned records get their "+"
history row (django-simple-history, ``bulk_create_with_history``) as if created by the
product; each session is a session (encounter) with the child's appointment, and its
note hangs off it; signed notes are inserted already sealed, their hashes computed by
``tandem.notes.seal`` (its current version), so the product's integrity check finds
them intact and the database triggers are never asked to change a sealed row.

Deterministic: the same seed, sizes and end date give the same rows (ids included).
The end date defaults to the clinic's today (``tandem.core.clock``); ``--end`` pins it.
"""

import random
import time as wallclock
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from tandem.accounts.models import Discipline, Licence, Membership, Organization, Role, User
from tandem.appointments.models import Appointment, AppointmentStatus, Encounter
from tandem.children.models import CareTeamMember, Child, GuardianLink, TeamRole
from tandem.core import clock
from tandem.notes import seal
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.plans.models import Goal, MeasurementType, Plan, PlanStatus

from .data.names import FIRST, GOALS, LAST
from .digest import digest
from .signed_notes import insert_signed_notes
from .support import BATCH, Counts

__all__ = ["Counts", "Generator", "digest", "generate"]

BENCH_PASSWORD = "bench-password-not-secret"
TIMEZONE = "America/Chicago"
CHUNK_CHILDREN = 100  # children built in memory, then inserted, at a time
DISCIPLINES = (Discipline.OT, Discipline.PT, Discipline.SLP)
PROMPTS = ("independent", "gestural", "verbal", "model")
SLOT_HOURS = range(8, 17)


class Generator:
    def __init__(
        self,
        *,
        children: int,
        therapists: int,
        years: float,
        seed: int,
        end: date | None = None,
        out: Callable[[str], None] = print,
    ) -> None:
        self.n_children = children
        self.n_therapists = max(therapists, 1)
        self.years = years
        self.seed = seed
        self.rng = random.Random(seed)
        self.out = out
        self.pinned_end = end
        self.counts = Counts()
        self.growth: dict[uuid.UUID, float] = {}  # each goal's trend
        self.password = make_password(BENCH_PASSWORD, salt=f"tandem-bench-{seed:08d}")

    # --- deterministic values -----------------------------------------------------
    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: date, clock_time: time) -> datetime:
        """An instant of the clinic's local day, in UTC, to the second."""
        local = datetime.combine(day, clock_time, tzinfo=self.zone)
        return local.astimezone(UTC)

    # --- the run --------------------------------------------------------------------
    def run(self) -> Organization:
        started = wallclock.monotonic()
        self.org = Organization(
            id=self.uid(), name=f"Bench clinic {self.seed}", timezone=TIMEZONE, locale="en"
        )
        self.zone = clock.zone_for(self.org)
        self.end = self.pinned_end or clock.today_for(self.org)
        self.start = self.end - timedelta(days=round(365 * self.years))
        self.base = self.at(self.start - timedelta(days=30), time(9))
        self.domain = f"bench{self.seed}.example"
        # Bulk inserts keep the created_at/updated_at stamped (the seal hashes created_at).
        with transaction.atomic():
            Organization.objects.bulk_create([self.stamp(self.org, self.base)])
            self._staff()
        for first in range(0, self.n_children, CHUNK_CHILDREN):
            with transaction.atomic():
                self._chunk(first, min(first + CHUNK_CHILDREN, self.n_children))
            self.counts.seconds = wallclock.monotonic() - started
            self._progress()
        self._analyze()
        self.counts.seconds = wallclock.monotonic() - started
        return self.org

    def _analyze(self) -> None:
        """Refresh the planner's statistics, as a database in use has them.

        Right after a bulk load neither database knows its tables' sizes: PostgreSQL's
        autovacuum has not run yet and SQLite never gathers them by itself. Measured
        without them, some queries take seconds instead of milliseconds (see
        docs/performance.md).
        """
        self.out("ANALYZE (planner statistics)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def _progress(self) -> None:
        c = self.counts
        rate = c.rows / c.seconds if c.seconds else 0
        self.out(
            f"children {c.children:,}/{self.n_children:,}  notes {c.notes:,}  "
            f"goal data {c.goal_data:,}  appointments {c.appointments:,}  "
            f"rows {c.rows:,} ({rate:,.0f} rows/s, {c.seconds:,.1f} s)"
        )

    def stamp(self, obj: Any, when: datetime) -> Any:
        obj.created_at = when
        if hasattr(obj, "updated_at"):
            obj.updated_at = when
        return obj

    def _user(self, email: str, first: str, last: str) -> User:
        return User(
            email=email,
            first_name=first,
            last_name=last,
            password=self.password,
            language="en",
            date_joined=self.base,
        )

    def _insert(self, model: type[Model], objs: list[Any], *, history: bool = False) -> None:
        if not objs:
            return
        if history:
            for obj in objs:
                obj._history_date = obj.created_at
            bulk_create_with_history(objs, model, batch_size=BATCH)
        else:
            model._default_manager.bulk_create(objs, batch_size=BATCH)
        self.counts.add(model._meta.db_table, len(objs), history=history)

    def _staff(self) -> None:
        users = [self._user(f"admin@{self.domain}", "Bench", "Admin")]
        for i in range(self.n_therapists):
            users.append(
                self._user(
                    f"therapist{i + 1}@{self.domain}",
                    self.rng.choice(FIRST),
                    self.rng.choice(LAST),
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("id"))
        by_email = {u.email: u for u in users}
        self.admin = Membership(
            id=self.uid(),
            organization=self.org,
            user=by_email[f"admin@{self.domain}"],
            role=Role.ADMIN,
        )
        self.therapists = [
            Membership(
                id=self.uid(),
                organization=self.org,
                user=by_email[f"therapist{i + 1}@{self.domain}"],
                role=Role.THERAPIST,
                discipline=DISCIPLINES[i % len(DISCIPLINES)],
                licence=Licence.LICENSED,
                title="Therapist",
            )
            for i in range(self.n_therapists)
        ]
        members = [self.stamp(m, self.base) for m in [self.admin, *self.therapists]]
        self._insert(Membership, members)
        self.counts.add(User._meta.db_table, len(users), history=False)
        # Each therapist's free weekly slots: (week parity, weekday, hour).
        self.slots = {
            t.id: [(p, d, h) for p in (0, 1) for d in range(5) for h in SLOT_HOURS]
            for t in self.therapists
        }
        for slots in self.slots.values():
            self.rng.shuffle(slots)

    def _chunk(self, first: int, last: int) -> None:
        rng = self.rng
        users, guardians, children, links, teams = [], [], [], [], []
        plans, goals = [], []
        notes: list[SessionNote] = []
        data: list[GoalData] = []
        appointments: list[Appointment] = []
        encounters: list[Encounter] = []
        for n in range(first, last):
            lead = self.therapists[n % self.n_therapists]
            first_name, last_name = rng.choice(FIRST), rng.choice(LAST)
            child = Child(
                id=self.uid(),
                organization=self.org,
                first_name=first_name,
                last_name=f"{last_name}-{n + 1}",
                date_of_birth=self.end - timedelta(days=rng.randint(2 * 365, 12 * 365)),
                sex=rng.choice("FM"),
                preferred_languages="English",
                strengths="Curious, loves puzzles.",
                interests="Trains and music.",
            )
            children.append(self.stamp(child, self.base))
            user = self._user(f"guardian{n + 1}@{self.domain}", rng.choice(FIRST), last_name)
            users.append(user)
            guardian = Membership(
                id=self.uid(), organization=self.org, user=user, role=Role.GUARDIAN
            )
            guardians.append(self.stamp(guardian, self.base))
            links.append(
                self.stamp(
                    GuardianLink(
                        id=self.uid(),
                        organization=self.org,
                        child=child,
                        guardian=guardian,
                        relationship=rng.choice(("mother", "father", "parent")),
                        has_legal_authority=True,
                        is_primary_contact=True,
                    ),
                    self.base,
                )
            )
            team = [(lead, TeamRole.LEAD)]
            if self.n_therapists > 1 and rng.random() < 0.33:
                other = self.therapists[
                    (n + 1 + rng.randrange(self.n_therapists - 1)) % self.n_therapists
                ]
                if other is not lead:
                    team.append((other, TeamRole.CONSULTING))
            for therapist, role in team:
                teams.append(
                    self.stamp(
                        CareTeamMember(
                            id=self.uid(),
                            organization=self.org,
                            child=child,
                            therapist=therapist,
                            role=role,
                        ),
                        self.base,
                    )
                )
            plan = Plan(
                id=self.uid(),
                organization=self.org,
                child=child,
                discipline=lead.discipline,
                author=lead,
                status=PlanStatus.ACTIVE,
                start_date=self.start,
                review_date=self.end + timedelta(days=90),
                family_priorities="Getting dressed on school mornings.",
                summary="Bench plan.",
            )
            plans.append(self.stamp(plan, self.at(self.start, time(8))))
            child_goals = self._goals(child, plan, rng.randint(3, 5))
            goals.extend(child_goals)
            self._sessions(child, lead, child_goals, notes, data, appointments, encounters)
            self.counts.children += 1
        User.objects.bulk_create(users, batch_size=BATCH)
        self.counts.add(User._meta.db_table, len(users), history=False)
        saved = {u.email: u for u in User.objects.filter(email__in=[u.email for u in users])}
        for guardian, user in zip(guardians, users, strict=True):
            guardian.user = saved[user.email]
        self._insert(Membership, guardians)
        self._insert(Child, children, history=True)
        self._insert(GuardianLink, links, history=True)
        self._insert(CareTeamMember, teams, history=True)
        self._insert(Plan, plans, history=True)
        self._insert(Goal, goals, history=True)
        self._insert(Encounter, encounters, history=True)
        self._insert(Appointment, appointments, history=True)
        insert_signed_notes(notes, data, insert=self._insert, counts=self.counts)

    def _goals(self, child: Child, plan: Plan, n: int) -> list[Goal]:
        kinds = list(GOALS)
        self.rng.shuffle(kinds)
        result = []
        for position, kind in enumerate(kinds[:n]):
            domain, statement, mastery = GOALS[kind]
            goal = Goal(
                id=self.uid(),
                organization=self.org,
                child=child,
                plan=plan,
                discipline=plan.discipline,
                domain=domain,
                statement=f"{statement} ({child.first_name})",
                baseline="Baseline measured at evaluation.",
                target_date=self.end + timedelta(days=180),
                measurement_type=kind,
                mastery_value=mastery,
                mastery_sessions=3,
                mastery_criterion=f"{mastery:g} for 3 sessions",
                lower_is_better=kind == MeasurementType.FREQUENCY,
                gas_minus_2="Much less than expected",
                gas_minus_1="Somewhat less than expected",
                gas_0="Expected outcome",
                gas_plus_1="Somewhat more than expected",
                gas_plus_2="Much more than expected",
                position=position,
            )
            self.growth[goal.id] = self.rng.uniform(-0.2, 1.0)  # this goal's trend
            result.append(self.stamp(goal, plan.created_at))
        return result

    def _slot(self, therapist: Membership) -> tuple[int, int, int]:
        slots = self.slots[therapist.id]
        slot = slots.pop()
        slots.insert(0, slot)  # reused only when a therapist has more than 90 children
        return slot

    def _sessions(
        self,
        child: Child,
        lead: Membership,
        goals: list[Goal],
        notes: list[SessionNote],
        data: list[GoalData],
        appointments: list[Appointment],
        encounters: list[Encounter],
    ) -> None:
        rng = self.rng
        parity, weekday, hour = self._slot(lead)
        day = self.start + timedelta(days=(weekday - self.start.weekday()) % 7)
        if ((day - self.start).days // 7) % 2 != parity:
            day += timedelta(days=7)
        total = max((self.end - day).days, 1)
        upcoming = 0
        while upcoming < 2:
            starts_at = self.at(day, time(hour))
            past = day < self.end
            booked = starts_at - timedelta(days=14)
            encounter = Encounter(
                id=self.uid(),
                organization=self.org,
                therapist=lead,
                starts_at=starts_at,
                duration_minutes=45,
                service_type="individual",
                discipline=lead.discipline,
                location="clinic",
                created_by=lead,
            )
            encounters.append(self.stamp(encounter, booked))
            appointments.append(
                self.stamp(
                    Appointment(
                        id=self.uid(),
                        organization=self.org,
                        encounter=encounter,
                        child=child,
                        status=AppointmentStatus.ATTENDED if past else AppointmentStatus.SCHEDULED,
                        created_by=lead,
                    ),
                    booked,
                )
            )
            if past:
                share = 1 - (self.end - day).days / total  # 0 at the start, 1 today
                self._note(child, lead, goals, encounter, day, hour, share, notes, data)
            else:
                upcoming += 1
            day += timedelta(days=14)
        del rng

    def _note(
        self,
        child: Child,
        lead: Membership,
        goals: list[Goal],
        encounter: Encounter,
        day: date,
        hour: int,
        share: float,
        notes: list[SessionNote],
        data: list[GoalData],
    ) -> None:
        rng = self.rng
        created = self.at(day, time(hour, 50))
        signed = created + timedelta(minutes=rng.randint(5, 240))
        note = SessionNote(
            id=self.uid(),
            organization=self.org,
            child=child,
            author=lead,
            encounter=encounter,
            date=day,
            start_time=time(hour),
            end_time=time(hour, 45),
            service_type="individual",
            location="clinic",
            subjective="Parent reports a good week at home.",
            objective="Worked on goals with visual supports.",
            assessment="Steady progress toward goals.",
            plan_next="Continue current plan.",
            activities="Obstacle course, scissors, board game.",
            child_chosen_activities="Trains",
            regulation=rng.choice(("calm", "alert", "low", "anxious")),
            mood="Happy",
            engagement=rng.randint(2, 5),
            status=NoteStatus.SIGNED,
            signed_at=signed,
            signed_by=lead,
            hash_version=seal.HASH_VERSION,
            version=2,  # created (1), signed (2)
        )
        self.stamp(note, created)
        entries = [self._entry(note, goal, share, created) for goal in goals]
        note.content_hash = seal.note_hash(
            note, entries, version=seal.HASH_VERSION, signed_status=NoteStatus.SIGNED
        )
        note.updated_at = signed
        notes.append(note)
        data.extend(entries)
        self.counts.notes += 1
        self.counts.goal_data += len(entries)
        self.counts.appointments += 1

    def _entry(self, note: SessionNote, goal: Goal, share: float, created: datetime) -> GoalData:
        rng = self.rng
        level = max(0.0, min(1.0, 0.2 + self.growth[goal.id] * share + rng.uniform(-0.15, 0.15)))
        entry = GoalData(
            id=self.uid(),
            organization=self.org,
            child_id=note.child_id,
            note=note,
            goal=goal,
            gas_level=max(-2, min(2, round(-2 + 4 * level))),
        )
        kind = goal.measurement_type
        if kind == MeasurementType.PERCENT_TRIALS:
            trials: list[dict[str, Any]] = [
                {"correct": rng.random() < level, "prompt": rng.choice(PROMPTS)} for _ in range(10)
            ]
            entry.trials = trials
            entry.value = 10.0 * sum(t["correct"] for t in trials)
        elif kind == MeasurementType.FREQUENCY:
            entry.count = max(0, round(6 * (1 - level)))
            entry.value = float(entry.count)
        elif kind == MeasurementType.DURATION:
            entry.duration_seconds = max(1, round(15 * level))
            entry.value = float(entry.duration_seconds)
        elif kind == MeasurementType.RATING:
            entry.rating = max(1, min(5, round(1 + 4 * level)))
            entry.value = float(entry.rating)
        else:
            entry.steps_total = 10
            entry.steps_done = round(10 * level)
            entry.value = 10.0 * entry.steps_done
        return self.stamp(entry, created)


def generate(**kwargs: Any) -> tuple[Organization, Counts]:
    generator = Generator(**kwargs)
    org = generator.run()
    return org, generator.counts
