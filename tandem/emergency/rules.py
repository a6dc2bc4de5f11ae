"""The emergency access rules: who breaks the glass, who reviews it, and what it opens.

- ``emergency.open``: a therapist of the clinic (assistants included) opens, in an
  emergency, the record of a child whose care team they are not on, by the child's full
  name and date of birth, with a reason; they list and end their own grants. Admins see
  every child already; families, collaborators, the front desk and billing never break
  the glass (404);
- ``emergency.end``: the holder ends their own grant early; an admin ends any of the
  clinic's (the person left, the emergency is over) without reviewing it yet;
- ``emergency.review``: the clinic's admins read every grant and the searches that found
  no child;
- ``emergency.review_one``: an admin records the review of one grant — never of a grant
  they held themselves (a therapist made admin later reviews nobody's access of theirs).

While a grant lasts its holder **reads** the child's record as a consulting member of the
team would, and changes nothing: the kernel (``tandem.access.registry.allows``) lets a
member who sees a child only through an emergency access pass the actions listed in
``READS`` below and no other — not posting a message or a hand-off, though ``TEAM`` allows
those to a consulting seat; not any action an app adds later until it is listed here.
"""

from tandem.access import ADMIN, Rule, readable_in_emergency, register, role
from tandem.access.rules import Subject
from tandem.accounts.models import Role

from .models import EmergencyAccess


def _held_it(s: Subject) -> bool:
    access = s.obj
    if not isinstance(access, EmergencyAccess):
        return False
    return access.member_id == s.membership.pk or access.member.user_id == s.membership.user_id


# The member (or the same person under another membership) who held the grant.
HOLDER = Rule("HOLDER", _held_it, frozenset({str(Role.ADMIN), str(Role.THERAPIST)}))

register("emergency.open", role(Role.THERAPIST))
# Ending a grant early: its holder (their own, from /emergency/), or an admin (any of the
# clinic's, from its review, whether or not they review it now).
register("emergency.end", role(Role.THERAPIST) | ADMIN)
register("emergency.review", ADMIN)
register("emergency.review_one", ADMIN & ~HOLDER)

# What an emergency access lets its holder do: read the record, nothing else.
READS = (
    "appointments.read_family_note",
    "appointments.clinic_view",
    "appointments.schedule",
    "appointments.view",
    "assessments.summary",
    "assessments.view",
    "billing.authorizations",
    "childmode.read_choices",
    "childmode.view",
    "children.caseload",
    "children.caseload_diagnoses",
    "children.diagnoses",
    "children.list",
    "children.team",
    "children.view",
    "collaborators.read_notes",
    "collaborators.read_summary",
    "groups.family",
    "groups.view",
    "homeprogram.adherence",
    "homeprogram.view",
    "messaging.timeline",
    "messaging.view",
    "notes.view",
    "plans.goal_bank",
    "plans.view",
    "progress.report",
    "progress.school_summary",
    "progress.view",
    "ratings.view",
    "resources.browse",
    "resources.library",
    "resources.view",
    "schoolplans.view",
    "timeline.view",
)
readable_in_emergency(*READS)
