"""Who does what with therapeutic groups.

- ``groups.view`` — the clinic's groups, a group's page and its sessions: admins,
  therapists and the front desk. A group's page names only the children the member sees
  (a therapist: their caseload; the office: the clinic). Billing and families do not
  read groups; a family sees their own child's invitation and place (``groups.family``).
- ``groups.create`` — start a group: admins, therapists and the front desk.
- ``groups.change`` — close a group: admins, the front desk and its leaders.
- ``groups.invite`` — invite a child, or take a child out: for that child, an admin, the
  front desk, or a lead/treating therapist on the child's care team.
- ``groups.family`` — a child's groups page: the child's care team, the office and the
  child's guardians (their own child only).
- ``groups.answer`` — say yes or no to an invitation: the child's legal guardians (the
  consent is theirs to give).
- ``groups.leave`` — take a child out of a group (or withdraw an invitation): the child's
  legal guardians, the office, or a lead/treating therapist on the child's care team.
- ``groups.document`` — write a child's part of a group note: the same people as
  ``notes.write`` for that child (the group's leaders are seated on the care team of
  each child who joins).
"""

from typing import Any

from tandem.access import (
    CLINICAL_STAFF,
    EDITOR,
    GUARDIAN,
    LEGAL_GUARDIAN,
    OFFICE,
    TEAM,
    Rule,
    register,
)


def _leads(s: Any) -> bool:
    program = s.obj
    return program is not None and s.membership.pk in (program.leader_id, program.co_leader_id)


LEADER = Rule("LEADER", _leads, frozenset({"therapist"}))

register("groups.view", CLINICAL_STAFF | OFFICE)
register("groups.change", OFFICE | LEADER)
register("groups.create", CLINICAL_STAFF | OFFICE)
register("groups.invite", EDITOR | OFFICE)
register("groups.family", TEAM | OFFICE | GUARDIAN)
register("groups.answer", LEGAL_GUARDIAN)
register("groups.leave", LEGAL_GUARDIAN | EDITOR | OFFICE)
register("groups.document", EDITOR)
