"""Who may see and change which appointments (the app's access rules).

- a child's appointments are read by the clinic's admins and every therapist on the
  child's care team (any seat), the child's guardians, and the office: the front desk
  and billing see every child of the clinic. Collaborators never see appointments;
- the clinic's page of a child's appointments (``appointments:child``) is for the team
  and the office; families read theirs on their own page (``appointments:family``),
  which is for guardians only;
- booking, changing, cancelling and recording how an appointment went: admins,
  lead/treating therapists on the care team, and the front desk (scheduling). Everyone
  else who reads the child's appointments (a consulting therapist, a guardian, billing)
  is refused such a write (403); their forms are not there for them (404);
- the week's schedule: a therapist's own appointments; admins, front desk and billing
  see the whole clinic's, one therapist at a time if they choose;
- billing reads appointments without the note for the family (no narratives);
- working hours and time off: a therapist sets their own; admins and the front desk set
  any therapist's (a session outside them is refused, naming why);
- the clinic's rooms and its video service are set by its admins; a video session's
  join link is for the child's family and the session's therapists, from 15 minutes
  before the start to the end.
"""

from tandem.access import (
    ADMIN,
    BILLING,
    CLINICAL_STAFF,
    EDITOR,
    FRONT_DESK,
    GUARDIAN,
    OFFICE,
    TEAM,
    register,
    role,
)
from tandem.accounts.models import Role

# A child's appointments, wherever they are read (the API; the reading helpers).
VIEW = register("appointments.view", TEAM | GUARDIAN | FRONT_DESK | BILLING)
# The write entry points name ``appointments.view`` as their gate: a reader who may not
# write is refused (403) rather than finding nothing there (404).
SCHEDULERS = EDITOR | FRONT_DESK

# The clinic's page of a child's appointments.
register("appointments.clinic_view", TEAM | FRONT_DESK | BILLING)
register("appointments.book", SCHEDULERS)
register("appointments.edit", SCHEDULERS)
register("appointments.set_status", SCHEDULERS)
# Times offered to the family to choose from: the schedulers offer (and withdraw) them;
# a guardian takes one, or the office or an editor on the family's behalf (on the phone).
register("appointments.offer_times", SCHEDULERS)
register("appointments.take_time", GUARDIAN | SCHEDULERS)
# The week's schedule (no child): everyone of the clinic's side.
register("appointments.schedule", CLINICAL_STAFF | FRONT_DESK | BILLING)
# Whose schedule is the whole clinic's (with a filter by therapist), not their own.
register("appointments.clinic_schedule", OFFICE | BILLING)
# The family's own page: all their children's appointments.
register("appointments.family", role(Role.GUARDIAN))
# A calendar feed of one's own sessions: everyone with a schedule (not collaborators).
register(
    "appointments.calendar",
    role(Role.ADMIN, Role.THERAPIST, Role.FRONT_DESK, Role.BILLING, Role.GUARDIAN),
)
# Working hours and time off: a therapist their own; admins and the front desk anyone's.
register("appointments.hours", role(Role.ADMIN, Role.THERAPIST, Role.FRONT_DESK))
register("appointments.hours_of_anyone", OFFICE)
# The clinic's rooms and video service: its admins.
register("appointments.settings", ADMIN)
# The note for the family ("bring comfortable shoes"): not for billing.
register("appointments.read_family_note", ~BILLING)
