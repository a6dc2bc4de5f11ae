"""A synthetic clinic of any size, bulk inserted, for measuring Tandem (issue 16).

``manage.py generate_clinic --children N --therapists M --years Y --seed S`` builds a new
organization ("Bench clinic S") with an admin, M therapists, N children (each with a
guardian, a lead therapist on the care team and, for about a third, a consulting one),
an active plan per child with 3–5 goals, a session every other week for Y years (an
attended appointment, a signed note and one goal-data entry per goal), and the next two
appointments. Every row carries the organization; versioned records get their "+"
history row as django-simple-history writes it when the product creates them; each
session is a session (encounter) with the child's appointment, and its note hangs off
it; signed notes are inserted already sealed, their hashes computed by
``tandem.notes.seal`` (its current version), so the product's integrity check finds
them intact and the database triggers are never asked to change a sealed row.

The rows are built as plain records and written with COPY on PostgreSQL (executemany
on SQLite) by ``tandem.bench.rows``; only the organization and the user accounts go
through the ORM. A chunk of children is one transaction: its goal data are written
before its signed notes (the triggers refuse goal data under a signed note, as the
product adds them before signing; the foreign keys are checked at commit).

Deterministic: the same seed, sizes and end date give the same rows (ids included).
The end date defaults to the clinic's today (``tandem.core.clock``); ``--end`` pins it.
"""

import random
import time as wallclock
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from tandem.accounts.models import Discipline, Licence, Membership, Organization, Role, User
from tandem.appointments.models import Appointment, Encounter
from tandem.children.models import CareTeamMember, Child, GuardianLink, TeamRole
from tandem.core import clock
from tandem.notes.models import GoalData, SessionNote
from tandem.plans.models import Goal, MeasurementType, Plan, PlanStatus

from .data.names import FIRST, GOALS, LAST
from .digest import digest
from .rows import Table, Writer, take, write
from .sessions import Sessions
from .support import Counts

__all__ = ["Counts", "Generator", "digest", "generate"]

BENCH_PASSWORD = "bench-password-not-secret"
TIMEZONE = "America/Chicago"
CHUNK_CHILDREN = 100  # children built in memory, then written, at a time (one transaction)
DISCIPLINES = (Discipline.OT, Discipline.PT, Discipline.SLP)
Record = dict[str, Any]


class Generator(Sessions):
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
        self.tally = Counts()  # what was built but not written yet
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
        self.org_id = self.org.id
        self.zone = clock.zone_for(self.org)
        self.end = self.pinned_end or clock.today_for(self.org)
        self.start = self.end - timedelta(days=round(365 * self.years))
        self.base = self.at(self.start - timedelta(days=30), time(9))
        self.domain = f"bench{self.seed}.example"
        self.tables = {
            model: Table(model, history=history)
            for model, history in (
                (Membership, False),
                (Child, True),
                (GuardianLink, True),
                (CareTeamMember, True),
                (Plan, True),
                (Goal, True),
                (Encounter, True),
                (Appointment, True),
                (GoalData, True),  # before the notes: no goal data go under a signed note
                (SessionNote, True),
            )
        }
        with transaction.atomic():
            self.org.created_at = self.org.updated_at = self.base
            Organization.objects.bulk_create([self.org])
            self._staff()
        self.counts.merge(self.tally)
        self.started = started
        with Writer() as writer:
            for first in range(0, self.n_children, CHUNK_CHILDREN):
                self.tally = Counts()
                with transaction.atomic():  # the guardians' accounts
                    self._chunk(first, min(first + CHUNK_CHILDREN, self.n_children))
                batch, records = take(list(self.tables.values()))
                writer.submit(batch, partial(self._written, self.tally, records))
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

    def _written(self, tally: Counts, records: dict[str, int]) -> None:
        """Count a chunk once it is committed, and say so."""
        c = self.counts
        self._count(records)
        c.merge(tally)
        c.seconds = wallclock.monotonic() - self.started
        rate = c.rows / c.seconds if c.seconds else 0
        self.out(
            f"children {c.children:,}/{self.n_children:,}  notes {c.notes:,}  "
            f"goal data {c.goal_data:,}  appointments {c.appointments:,}  "
            f"rows {c.rows:,} ({rate:,.0f} rows/s, {c.seconds:,.1f} s)"
        )

    def new(self, model: type, when: datetime, **values: Any) -> Record:
        """A record of the organization, created (and last updated) at ``when``."""
        return self.tables[model].record(
            organization_id=self.org_id, created_at=when, updated_at=when, **values
        )

    def _count(self, records: dict[str, int]) -> None:
        for table, n in records.items():
            self.counts.add(table, n, history=table != Membership._meta.db_table)

    def _users(self, users: list[User]) -> dict[str, int]:
        """Insert the accounts (through the ORM: their ids are the database's); email → id."""
        User.objects.bulk_create(users, batch_size=5000)
        self.tally.add(User._meta.db_table, len(users), history=False)
        emails = [u.email for u in users]
        return dict(User.objects.filter(email__in=emails).values_list("email", "id"))

    def _user(self, email: str, first: str, last: str) -> User:
        return User(
            email=email,
            first_name=first,
            last_name=last,
            password=self.password,
            language="en",
            date_joined=self.base,
        )

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
        ids = self._users(users)
        members = self.tables[Membership]
        admin = self.new(
            Membership,
            self.base,
            id=self.uid(),
            user_id=ids[f"admin@{self.domain}"],
            role=Role.ADMIN,
        )
        self.therapists = [
            self.new(
                Membership,
                self.base,
                id=self.uid(),
                user_id=ids[f"therapist{i + 1}@{self.domain}"],
                role=Role.THERAPIST,
                discipline=DISCIPLINES[i % len(DISCIPLINES)],
                licence=Licence.LICENSED,
                title="Therapist",
            )
            for i in range(self.n_therapists)
        ]
        for member in (admin, *self.therapists):
            members.add(member)
        batch, records = take([members])
        write(batch)
        self._count(records)
        # Each therapist's free weekly slots: (week parity, weekday, hour).
        self.slots = {
            t["id"]: [(p, d, h) for p in (0, 1) for d in range(5) for h in self.SLOT_HOURS]
            for t in self.therapists
        }
        for slots in self.slots.values():
            self.rng.shuffle(slots)

    def _chunk(self, first: int, last: int) -> None:
        rng, t = self.rng, self.tables
        users: list[User] = []
        guardians: list[Record] = []
        for n in range(first, last):
            lead = self.therapists[n % self.n_therapists]
            first_name, last_name = rng.choice(FIRST), rng.choice(LAST)
            child = self.new(
                Child,
                self.base,
                id=self.uid(),
                first_name=first_name,
                last_name=f"{last_name}-{n + 1}",
                date_of_birth=self.end - timedelta(days=rng.randint(2 * 365, 12 * 365)),
                sex=rng.choice("FM"),
                preferred_languages="English",
                strengths="Curious, loves puzzles.",
                interests="Trains and music.",
            )
            t[Child].add(child)
            user = self._user(f"guardian{n + 1}@{self.domain}", rng.choice(FIRST), last_name)
            users.append(user)
            guardian = self.new(Membership, self.base, id=self.uid(), role=Role.GUARDIAN)
            guardians.append(guardian)
            t[GuardianLink].add(
                self.new(
                    GuardianLink,
                    self.base,
                    id=self.uid(),
                    child_id=child["id"],
                    guardian_id=guardian["id"],
                    relationship=rng.choice(("mother", "father", "parent")),
                    has_legal_authority=True,
                    is_primary_contact=True,
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
                t[CareTeamMember].add(
                    self.new(
                        CareTeamMember,
                        self.base,
                        id=self.uid(),
                        child_id=child["id"],
                        therapist_id=therapist["id"],
                        role=role,
                    )
                )
            plan = self.new(
                Plan,
                self.at(self.start, time(8)),
                id=self.uid(),
                child_id=child["id"],
                discipline=lead["discipline"],
                author_id=lead["id"],
                status=PlanStatus.ACTIVE,
                start_date=self.start,
                review_date=self.end + timedelta(days=90),
                family_priorities="Getting dressed on school mornings.",
                summary="Bench plan.",
            )
            t[Plan].add(plan)
            child_goals = self._goals(child, plan, rng.randint(3, 5))
            self.sessions(child, lead, child_goals)
            self.tally.children += 1
        ids = self._users(users)
        for guardian, user in zip(guardians, users, strict=True):
            guardian["user_id"] = ids[user.email]
            t[Membership].add(guardian)

    def _goals(self, child: Record, plan: Record, n: int) -> list[Record]:
        kinds = list(GOALS)
        self.rng.shuffle(kinds)
        result = []
        for position, kind in enumerate(kinds[:n]):
            domain, statement, mastery = GOALS[kind]
            goal = self.new(
                Goal,
                plan["created_at"],
                id=self.uid(),
                child_id=child["id"],
                plan_id=plan["id"],
                discipline=plan["discipline"],
                domain=domain,
                statement=f"{statement} ({child['first_name']})",
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
            self.growth[goal["id"]] = self.rng.uniform(-0.2, 1.0)  # this goal's trend
            self.tables[Goal].add(goal)
            result.append(goal)
        return result


def generate(**kwargs: Any) -> tuple[Organization, Counts]:
    generator = Generator(**kwargs)
    org = generator.run()
    return org, generator.counts
