"""The demo children's evaluations and plans (their session notes: ``demo.sessions``).

Everything goes through the apps' actions, each record on the day it would have been
written: every action takes that moment as ``at=`` (``written``), so a note of a March
session says "signed on 12 March" and its history starts then, not on the day the demo
was built. Every value is fixed (seeded) and every date counts back from today.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.assessments import actions as assessments
from tandem.assessments import reading as assessment_reading
from tandem.assessments.growth import value_for_z
from tandem.assessments.models import EvaluationStatus, Instrument
from tandem.assessments.scales import describe, score_scale
from tandem.children.models import Child, Relationship
from tandem.core import clock
from tandem.demo.data.wordings import WORDINGS
from tandem.demo.shapes import Care, Carer, DemoGoal, Kid, Score
from tandem.notes.models import Location
from tandem.plans import actions as plans
from tandem.plans import goal_bank, signatures
from tandem.plans.models import Domain, Goal, GoalBankEntry, MeasurementType, Plan, PlanStatus

SEED = 2026
GROWTH_EVERY = {True: 28, False: 56}  # days between measurements, under two or not

Guardians = list[tuple[Carer, Membership]]


def written(moment: datetime) -> datetime:
    """When a record was written: ``moment``, or now if that is still to come (a message
    of "this morning" when the demo is built at dawn). Actions take it as ``at=``."""
    return min(moment, clock.now())


@dataclass
class Catalogue:
    """What one demo clinic's records draw on: its time zone, instruments and goal bank."""

    tz: ZoneInfo
    instruments: dict[str, Instrument]
    bank: dict[str, GoalBankEntry]  # by the title in the shipped goal bank

    def at(self, day: date, hhmm: str, minutes: int = 0) -> datetime:
        """The clinic's ``hhmm`` ("15:30") on ``day``, plus ``minutes``."""
        hours, mins = (int(part) for part in hhmm.split(":"))
        start = datetime.combine(day, time(hours, mins), tzinfo=self.tz)
        return start + timedelta(minutes=minutes)


def catalogue(organization: Organization) -> Catalogue:
    """Give the clinic Tandem's shipped instruments and goal bank, and index them."""
    assessments.ensure_instruments(organization)
    goal_bank.ensure_goal_bank(organization)
    entries = {e.statement: e for e in GoalBankEntry.objects.filter(organization=organization)}
    bank = {}
    for item in goal_bank.shipped_goal_bank():
        entry = entries.get(item.get("statement", ""))
        if entry is not None and item.get("title"):
            bank[item["title"]] = entry
    return Catalogue(
        tz=ZoneInfo(organization.timezone),
        instruments={i.code: i for i in Instrument.objects.filter(organization=organization)},
        bank=bank,
    )


# --- Evaluation ----------------------------------------------------------------


def evaluate(
    book: Catalogue,
    child: Child,
    kid: Kid,
    lead: Membership,
    guardians: Guardians,
    on: date,
    until: date,
) -> None:
    """The evaluation: parent questionnaire, scores, milestones (under five) and growth."""
    care = kid.care
    assert care is not None
    at = written(book.at(on, care.start, care.minutes + 90))
    evaluation = assessments.create_evaluation(
        lead,
        child,
        at=at,
        discipline=lead.discipline,
        evaluated_on=on,
        reason_for_referral=care.reason,
        observations=care.observations,
        strengths=kid.strengths,
        interests=kid.interests,
        summary=care.summary,
        recommendations=recommendations(care, lead),
        status=EvaluationStatus.FINAL,
    )
    carer = guardians[0][0]
    assessments.save_questionnaire_response(
        evaluation, lead, questionnaire="parent_intake", answers=intake(kid, carer), at=at
    )
    if care.sensory_questionnaire:
        assessments.save_questionnaire_response(
            evaluation, lead, questionnaire="sensory_behaviour", answers=sensory_answers(), at=at
        )
    for score in care.scores:
        fields = score_fields(book.instruments[score.instrument], score)
        assessments.add_score(evaluation, at=at, **fields)
    if child.age_on(on)[0] < 5:
        pick = assessment_reading.checklist_for(child, on)
        assessments.save_milestone_check(
            evaluation,
            checklist_months=pick.months,
            corrected_age=pick.corrected,
            answers=milestone_answers(pick.items, care.delayed),
            at=at,
        )
    measure_growth(book, child, care, evaluation, on, until)


def recommendations(care: Care, lead: Membership) -> str:
    where = Location(care.location).label.lower()
    goals = "; ".join(goal.short for goal in care.goals if not goal.added_weeks_ago)
    return (
        f"Weekly {Discipline(lead.discipline).label.lower()} sessions of {care.minutes} "
        f"minutes ({where}) for six months, then review. Goals: {goals}. "
        f"Home practice: {care.home_practice}"
    )


# The intake questionnaire's "help areas" code where it differs from the goal domain.
HELP_AREAS: dict[str, str] = {Domain.SENSORY: "sensory"}


def intake(kid: Kid, carer: Carer) -> dict[str, Any]:
    """The family's answers to the parent intake questionnaire, from the child's profile."""
    care = kid.care
    assert care is not None
    preterm = kid.gestational_age_weeks is not None and kid.gestational_age_weeks < 37
    answers: dict[str, Any] = {
        "respondent": "grandparent" if carer.relationship == Relationship.GRANDPARENT else "parent",
        "concerns": kid.challenges,
        "birth-timing": "early" if preterm else "on_time",
        "pregnancy-concerns": False,
        "birth-special-care": preterm,
        "lost-skills": False,
        "help-areas": sorted({HELP_AREAS.get(g.domain, str(g.domain)) for g in care.goals}),
        "diagnoses": "; ".join(description for _code, description in kid.diagnoses),
        "household": kid.family_context,
        "home-languages": kid.languages,
        "school-name": kid.school,
        "priorities": care.priorities,
        "loves": kid.interests,
        "strengths": kid.strengths,
    }
    if preterm:
        answers["birth-weeks"] = kid.gestational_age_weeks
    return answers


SEEKING = ("seeks", "still", "crashing", "force", "bumps", "makes")


def sensory_answers() -> dict[str, Any]:
    """A movement- and pressure-seeking profile (1 never … 5 almost always)."""
    definition = assessment_reading.questionnaire_definition("sensory_behaviour") or {}
    answers: dict[str, Any] = {}
    for group in definition.get("item", []):
        for item in group.get("item", []):
            if item.get("type") == "integer":
                seeking = any(word in item["linkId"] for word in SEEKING)
                answers[item["linkId"]] = 5 if seeking else 2
    answers["impact"] = "quite_a_bit"
    answers["impact-settings"] = ["school", "bedtime"]
    answers["helps"] = "Heavy work, the trampoline, squeezing a big pillow."
    return answers


def score_fields(instrument: Instrument, score: Score) -> dict[str, Any]:
    """A score with its percentile and description, unless its interpretation is given
    (criterion-referenced scores such as the GMFM-66 have no percentile)."""
    fields: dict[str, Any] = {
        "instrument": instrument,
        "subtest": score.subtest,
        "standard_score": score.standard_score,
        "interpretation": score.interpretation,
    }
    if not score.interpretation:
        scale = score_scale(instrument.code, score.subtest)  # the subtest's own metric
        mean, sd = scale or (instrument.score_mean, instrument.score_sd)
        z = (score.standard_score - mean) / sd
        fields["percentile"] = round(50 * (1 + math.erf(z / math.sqrt(2))), 1)
        fields["interpretation"] = describe(instrument.code, score.subtest, score.standard_score)
    return fields


def milestone_answers(items: list[dict[str, Any]], delayed: tuple[str, ...]) -> dict[str, str]:
    """ "Yes" to each milestone, except in the delayed domains: the first yes, the last
    "not sure", the rest "not yet"."""
    answers = {}
    for domain in {item["domain"] for item in items}:
        ids = [item["id"] for item in items if item["domain"] == domain]
        for index, key in enumerate(ids):
            if domain not in delayed or index == 0:
                answers[key] = "yes"
            elif index == len(ids) - 1 and len(ids) > 2:
                answers[key] = "not_sure"
            else:
                answers[key] = "not_yet"
    return answers


def measure_growth(
    book: Catalogue, child: Child, care: Care, evaluation: Any, first: date, until: date
) -> None:
    """Height, weight (and head circumference under three) every month or two."""
    rng = random.Random(f"{SEED}-growth-{child.first_name}")
    height_z, weight_z = care.growth_z
    day = first
    while day <= until:
        age = growth_age(child, day)
        fields: dict[str, Any] = {
            "measured_on": day,
            "height_cm": grown(child, "height", age, height_z + rng.uniform(-0.08, 0.08), "0.1"),
            "weight_kg": grown(child, "weight", age, weight_z + rng.uniform(-0.1, 0.1), "0.01"),
        }
        if age < 3:
            fields["head_circumference_cm"] = grown(child, "ofc", age, height_z / 2, "0.1")
        if day == first:
            fields["evaluation"] = evaluation
        assessments.record_growth(
            child, at=written(book.at(day, care.start, care.minutes)), **fields
        )
        day += timedelta(days=GROWTH_EVERY[age < 2])


def growth_age(child: Child, day: date) -> float:
    """Age in years on the references (corrected for prematurity under two)."""
    days = (day - child.date_of_birth).days
    weeks = child.gestational_age_weeks
    if weeks is not None and weeks < 37 and days - (40 - weeks) * 7 < 730:
        days -= (40 - weeks) * 7
    return days / 365.25


def grown(child: Child, name: str, age: float, z: float, places: str) -> Decimal | None:
    value = value_for_z(child.sex, name, age, z)
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


# --- Plan ----------------------------------------------------------------------


def write_plan(
    book: Catalogue,
    child: Child,
    kid: Kid,
    lead: Membership,
    guardians: Guardians,
    start: date,
) -> tuple[Plan, dict[DemoGoal, Goal]]:
    """The plan with its goals and COPM ratings, made active and signed by the family."""
    care = kid.care
    assert care is not None
    review = start + timedelta(days=182)
    at = written(book.at(start, "12:00"))
    plan = plans.create_plan(
        lead,
        child,
        at=at,
        discipline=lead.discipline,
        start_date=start,
        review_date=review,
        family_priorities=care.priorities,
        summary=f"Plan written with the family after the evaluation. {care.summary}",
    )
    goals = {
        spec: plans.add_goal(plan, at=at, **goal_fields(book, spec, child, review))
        for spec in care.goals
        if not spec.added_weeks_ago
    }
    plan.refresh_from_db()
    plan = plans.set_plan_status(
        plan, expected_version=plan.version, status=PlanStatus.ACTIVE, at=at
    )
    for copm in care.copm:
        plans.add_copm_activity(
            plan,
            at=at,
            activity=copm.activity,
            importance=copm.importance,
            initial_date=start,
            initial_performance=copm.first[0],
            initial_satisfaction=copm.first[1],
        )
    signed = written(book.at(start + timedelta(days=2), "19:30"))
    for carer, guardian in guardians:
        if carer.legal_authority and (carer.primary or care.all_guardians_sign):
            signatures.sign_plan(plan, guardian, signatures.signing_name(guardian), at=signed)
    return plan, goals


def rerate_copm(book: Catalogue, care: Care, plan: Plan, day: date) -> None:
    """The family's COPM re-rating at the latest session."""
    if not care.copm:
        return
    ratings = {copm.activity: copm.again for copm in care.copm}
    at = written(book.at(day, care.start, care.minutes))
    for record in plan.copm_activities.all():
        performance, satisfaction = ratings[record.activity]
        plans.update_copm_activity(
            record,
            at=at,
            reassessed_on=day,
            reassessed_performance=performance,
            reassessed_satisfaction=satisfaction,
        )


GENERIC_GAS = (
    "No change from the baseline",
    "Some progress towards the goal",
    "Reaches the goal",
    "Goes beyond the goal",
    "Goes well beyond the goal, at home and school too",
)


def goal_fields(book: Catalogue, spec: DemoGoal, child: Child, target: date) -> dict[str, Any]:
    """A goal's fields: the bank entry's wording and GAS levels where the bank has it."""
    entry = book.bank.get(spec.bank)
    name = child.preferred_name or child.first_name
    if entry is not None and entry.measurement_type == spec.measurement:
        fields = goal_bank.fill_from_bank(entry, child)
        fields["bank_entry"] = entry
    else:
        levels = spec.gas or GENERIC_GAS
        fields = {
            "statement": spec.statement or f"By the review date, {name}: {spec.short.lower()}.",
            "mastery_criterion": criterion(spec),
            "strategies": spec.strategies,
        }
        fields.update(zip(plans.GAS_FIELDS, levels, strict=True))
    fields.update(
        domain=spec.domain,
        baseline=spec.baseline or fields.get("baseline") or "See the evaluation.",
        measurement_type=spec.measurement,
        mastery_value=spec.mastery,
        lower_is_better=spec.lower_is_better,
        target_date=target,
        family_priority=spec.priority,
        child_chosen=bool(spec.child_words),
        child_words=spec.child_words,
    )
    # The family's and the child's words (a bank goal already has the bank's drafts).
    if spec.short in WORDINGS:
        names = ("family_wording_en", "family_wording_es", "child_wording_en", "child_wording_es")
        fields.update(zip(names, WORDINGS[spec.short], strict=True))
    return fields


def criterion(spec: DemoGoal) -> str:
    mastery, runs = spec.mastery, "in 3 consecutive sessions"
    if spec.measurement in (MeasurementType.PERCENT_TRIALS, MeasurementType.TASK_ANALYSIS):
        return f"{mastery:g} % {runs}"
    if spec.measurement == MeasurementType.RATING:
        return f"A rating of {mastery:g} or better {runs}"
    if spec.measurement in (MeasurementType.FREQUENCY, MeasurementType.DURATION):
        bound = "or fewer" if spec.lower_is_better else "or more"
        return f"{mastery:g} {spec.unit} {bound} {runs}"
    return "GAS level 0 or better at the review"
