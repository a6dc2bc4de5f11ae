"""Who may read and write a child's conversation, hand-offs and check-ins (the app's
access rules).

- the conversation with the family (messages and their files): the child's guardians,
  the clinic's admins and every therapist on the care team (any seat) read and write it;
  collaborators, the front desk and billing never (for them it is not there: 404);
- the team's side of the tab — SBAR hand-offs, the family's check-in answers, read
  receipts — is for the admins and the care team only (families find it not there: 404);
- the check-in schedule: admins and lead/treating therapists; the family and consulting
  therapists may not change it (403), and find no form for it (404);
- answering a check-in: the child's guardians (the team finds no such page: 404).
"""

from tandem.access import ADMIN, EDITOR, GUARDIAN, TEAM, register

# The write entry points name ``messaging.view`` as their gate: a reader who may not
# write is refused (403) rather than finding nothing there (404).
VIEW = register("messaging.view", TEAM | GUARDIAN)

register("messaging.post", TEAM | GUARDIAN)
# Hand-offs, the family's check-in answers and who saw which message.
register("messaging.timeline", TEAM)
register("messaging.handoff", TEAM)
register("messaging.schedule_checkins", EDITOR)
register("messaging.checkin", GUARDIAN)
# The API takes an answer in two steps: this check runs before the body is read (the
# team is refused, 403; an admin passes, so a malformed body is 422 for them), then the
# operation asks ``messaging.checkin`` and refuses anyone but the family (403).
register("messaging.checkin_gate", GUARDIAN | ADMIN)
