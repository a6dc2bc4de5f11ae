"""The demo's school plans: each child whose profile names an IEP or IFSP gets a copy of
it on the School plans tab, with goals the way a school or an early-intervention program
words them, each linked to the clinic goal that works on the same skill."""

from datetime import date, timedelta

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.demo.shapes import Kid
from tandem.plans.models import Goal
from tandem.schoolplans import actions

PROVIDERS = {
    "ifsp": "County Early Intervention Program",
    "iep": "Riverside Unified School District",
}
# How each kind of plan words a goal on the clinic goal's area ({name}: the child).
WORDING = {
    "ifsp": {
        "communication": "{name} will use words or signs to ask for food, toys and help "
        "during meals and play at home and at daycare.",
        "fine_motor": "{name} will eat with a spoon at family meals.",
        "self_care": "{name} will help with dressing in the morning routine at home.",
    },
    "iep": {
        "communication": "Given a visual support, {name} will request help or a break "
        "with words or a device in 4 of 5 opportunities, as recorded by staff.",
        "fine_motor": "{name} will write a first name and copy a short sentence legibly "
        "on lined paper in 4 of 5 trials, as measured by work samples.",
        "self_care": "{name} will manage coat, backpack and lunch routines with no more "
        "than one adult prompt on 4 of 5 school days.",
        "emotional_regulation": "Using a visual schedule and a calm-down plan, {name} will "
        "move between classroom activities within 2 minutes in 4 of 5 transitions.",
        "social": "{name} will take turns and respond to a peer in a structured game "
        "for 5 minutes in 4 of 5 observed sessions.",
    },
}
GENERIC = {
    "ifsp": "{name} will use the skills from therapy in the family's daily routines.",
    "iep": "{name} will use the skills from therapy in classroom routines in 4 of 5 "
    "opportunities, as recorded by staff.",
}


def write_school_plan(
    child: Child, kid: Kid, lead: Membership, goals: list[Goal], today: date
) -> None:
    """The child's IEP or IFSP (as the profile dates it), one school goal per clinic goal
    (at most two), each linked to it."""
    if kid.plan not in PROVIDERS:
        return
    written = today - timedelta(days=kid.plan_days_ago)
    plan = actions.create_plan(
        lead,
        child,
        kind=kid.plan,
        provider=PROVIDERS[kid.plan],
        start_date=written,
        review_due=None,
        notes="Copy kept by the clinic; the family shared the plan at intake.",
    )
    name = child.preferred_name or child.first_name
    for goal in goals[:2]:
        text = WORDING[kid.plan].get(goal.domain, GENERIC[kid.plan]).format(name=name)
        actions.add_goal(plan, statement=text, area=goal.get_domain_display(), clinic_goals=[goal])
