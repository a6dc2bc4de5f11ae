"""Who opens a child's timeline: one story of the child's care, merged from every app.

- ``timeline.view``: the child's team (admins, therapists on the care team in any seat)
  and the child's guardians. Each sees only the events they could open on the events' own
  pages (``sources``: signed notes, observations, appointments, plan versions and
  signatures, hand-offs, reports), the family in plain words.

Collaborators do not open it: what a consent shares with them is on their shared page
(``tandem.collaborators``), part by part; a merged story would show them events of parts
the family did not share (a session happened, a plan changed). The front desk and billing
do not either (no clinical content): their appointments list is theirs.
"""

from tandem.access import GUARDIAN, TEAM, register

register("timeline.view", TEAM | GUARDIAN)
