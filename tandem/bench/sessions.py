"""The generator's sessions: appointments, signed notes and their goal data, as records.

A child's sessions fall every other week in their lead therapist's slot, from the
start of the data to its end, then two more are booked ahead. A past session was
attended and has a note signed the same day with one goal-data entry per goal; the
note's seal is ``tandem.notes.seal.note_hash`` over the records as they are written.
"""

import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from tandem.appointments.models import Appointment, AppointmentStatus, Encounter
from tandem.notes import seal
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.plans.models import MeasurementType

from .rows import Table
from .support import Counts

PROMPTS = ("independent", "gestural", "verbal", "model")
Record = dict[str, Any]


class Sessions:
    """Builds the sessions of a child (a part of ``tandem.bench.generate.Generator``)."""

    SLOT_HOURS = range(8, 17)
    rng: random.Random
    start: date
    end: date
    tally: Counts  # the chunk being built
    growth: dict[uuid.UUID, float]
    slots: dict[uuid.UUID, list[tuple[int, int, int]]]
    tables: dict[type, Table]
    uid: Callable[[], uuid.UUID]
    at: Callable[[date, time], datetime]
    new: Callable[..., Record]

    def _slot(self, therapist: Record) -> tuple[int, int, int]:
        slots = self.slots[therapist["id"]]
        slot = slots.pop()
        slots.insert(0, slot)  # reused only when a therapist has more than 90 children
        return slot

    def sessions(self, child: Record, lead: Record, goals: list[Record]) -> None:
        parity, weekday, hour = self._slot(lead)
        day = self.start + timedelta(days=(weekday - self.start.weekday()) % 7)
        if ((day - self.start).days // 7) % 2 != parity:
            day += timedelta(days=7)
        total = max((self.end - day).days, 1)
        upcoming = 0
        encounters, appointments = self.tables[Encounter], self.tables[Appointment]
        while upcoming < 2:
            starts_at = self.at(day, time(hour))
            past = day < self.end
            booked = starts_at - timedelta(days=14)
            encounter = self.new(
                Encounter,
                booked,
                id=self.uid(),
                therapist_id=lead["id"],
                starts_at=starts_at,
                duration_minutes=45,
                service_type="individual",
                discipline=lead["discipline"],
                location="clinic",
                created_by_id=lead["id"],
            )
            encounters.add(encounter)
            appointments.add(
                self.new(
                    Appointment,
                    booked,
                    id=self.uid(),
                    encounter_id=encounter["id"],
                    child_id=child["id"],
                    status=AppointmentStatus.ATTENDED if past else AppointmentStatus.SCHEDULED,
                    created_by_id=lead["id"],
                )
            )
            if past:
                share = 1 - (self.end - day).days / total  # 0 at the start, 1 today
                self._note(child, lead, goals, encounter, day, hour, share)
            else:
                upcoming += 1
            day += timedelta(days=14)

    def _note(
        self,
        child: Record,
        lead: Record,
        goals: list[Record],
        encounter: Record,
        day: date,
        hour: int,
        share: float,
    ) -> None:
        rng = self.rng
        created = self.at(day, time(hour, 50))
        signed = created + timedelta(minutes=rng.randint(5, 240))
        note = self.new(
            SessionNote,
            created,
            id=self.uid(),
            child_id=child["id"],
            author_id=lead["id"],
            encounter_id=encounter["id"],
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
            signed_by_id=lead["id"],
            hash_version=seal.HASH_VERSION,
            version=2,  # created (1), signed (2)
        )
        entries = [self._entry(note, goal, share, created) for goal in goals]
        # The product's own hash, over the values as written (updated_at is not sealed).
        note["content_hash"] = seal.note_hash(
            SimpleNamespace(**note),
            [SimpleNamespace(**e) for e in entries],
            version=seal.HASH_VERSION,
            signed_status=NoteStatus.SIGNED,
        )
        note["updated_at"] = signed
        data = self.tables[GoalData]
        for entry in entries:
            data.add(entry)
        self.tables[SessionNote].add(note, history_date=signed)  # its history: as signed
        self.tally.notes += 1
        self.tally.goal_data += len(entries)
        self.tally.appointments += 1

    def _entry(self, note: Record, goal: Record, share: float, created: datetime) -> Record:
        rng = self.rng
        level = max(0.0, min(1.0, 0.2 + self.growth[goal["id"]] * share + rng.uniform(-0.15, 0.15)))
        values: Record = {
            "id": self.uid(),
            "child_id": note["child_id"],
            "note_id": note["id"],
            "goal_id": goal["id"],
            "gas_level": max(-2, min(2, round(-2 + 4 * level))),
        }
        kind = goal["measurement_type"]
        if kind == MeasurementType.PERCENT_TRIALS:
            trials: list[dict[str, Any]] = [
                {"correct": rng.random() < level, "prompt": rng.choice(PROMPTS)} for _ in range(10)
            ]
            values["trials"] = trials
            values["value"] = 10.0 * sum(t["correct"] for t in trials)
        elif kind == MeasurementType.FREQUENCY:
            values["count"] = max(0, round(6 * (1 - level)))
            values["value"] = float(values["count"])
        elif kind == MeasurementType.DURATION:
            values["duration_seconds"] = max(1, round(15 * level))
            values["value"] = float(values["duration_seconds"])
        elif kind == MeasurementType.RATING:
            values["rating"] = max(1, min(5, round(1 + 4 * level)))
            values["value"] = float(values["rating"])
        else:
            values["steps_total"] = 10
            values["steps_done"] = round(10 * level)
            values["value"] = 10.0 * values["steps_done"]
        return self.new(GoalData, created, **values)
