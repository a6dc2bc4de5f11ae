"""Who may open child mode for which child, and who reads what the child chose.

- ``childmode.view`` — the adult's child-mode page for a child (what child mode will
  show, and whether they may start it) and the API's "what child mode shows": the
  child's guardians, the clinic's admins and the therapists on the child's care team
  (consulting members included). The child's own pages, on a device locked to the
  child, answer for as long as the adult who opened it still passes this rule (once
  they no longer see the child, the whole session ends).
- ``childmode.open`` — start child mode, and so record the child's picks (page or
  API): the child's guardians, admins and lead/treating therapists on the team.
  Consulting therapists see the record but do not run sessions: refused (403).
- ``childmode.read_choices`` — the "the child chose…" list, which prepares the next
  session: admins and the therapists on the child's team.

Collaborators never (child mode is opened on a family's or the team's device); the
front desk and billing neither: every page and API operation of child mode is 404
for them.
"""

from tandem.access import EDITOR, GUARDIAN, TEAM, register

VIEW = "childmode.view"
OPEN = "childmode.open"
READ_CHOICES = "childmode.read_choices"

register(VIEW, TEAM | GUARDIAN)
register(OPEN, EDITOR | GUARDIAN)
register(READ_CHOICES, TEAM)
