"""A child's story for the timeline tests: one event of each kind, built the apps' way."""

import datetime
from dataclasses import dataclass

from tandem.appointments.models import Appointment
from tandem.appointments.tests.helpers import clinic_today, in_days, make_appointment
from tandem.conftest import World
from tandem.core import clock
from tandem.exports.models import Export
from tandem.homeprogram import actions as home_actions
from tandem.messaging import actions as messaging_actions
from tandem.messaging.tests.helpers import sbar
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import make_note
from tandem.plans.models import Plan
from tandem.plans.signatures import sign_plan, signing_name
from tandem.plans.tests.helpers import first_goal, make_plan

SECRET_SOAP = "Objective text only the team reads"
SECRET_SITUATION = "Staff-only situation about seating"
DRAFT_SOAP = "Draft note still being written"


@dataclass
class Story:
    plan: Plan
    signed: SessionNote
    draft: SessionNote
    appointment: Appointment


def hours_ago(hours: float) -> datetime.datetime:
    return clock.now() - datetime.timedelta(hours=hours)


def tell_story(world: World) -> Story:
    """Maya: an OT plan (drafted, in force, signed by her parent), a signed and a draft
    note, a session last week, an observation from school, a hand-off and a report."""
    child, therapist = world.child, world.therapist
    plan = make_plan(child, therapist)
    signed = make_note(child, therapist, sign=True, objective=SECRET_SOAP)
    draft = make_note(child, therapist, objective=DRAFT_SOAP)
    appointment = make_appointment(child, therapist, in_days(child, -7), status="attended")
    sign_plan(plan, world.guardian, signing_name(world.guardian), expected_version=plan.version)
    home_actions.record_observation(
        world.therapist,
        child,
        first_goal(plan),
        setting="school",
        independence="some_help",
        observed_on=clinic_today(child),
    )
    messaging_actions.send_handoff(
        therapist, child, world.assistant, **sbar(situation=SECRET_SITUATION)
    )
    Export.objects.create(
        organization=world.org,
        child=child,
        requested_by=therapist,
        kind="progress.report",
        language="en",
        status=Export.Status.READY,
    )
    return Story(plan=plan, signed=signed, draft=draft, appointment=appointment)
