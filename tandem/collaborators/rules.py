"""The collaborators app's access rules: what a guardian's consent shows a collaborator.

A collaborator (a teacher, a pediatrician …) sees a child only while a guardian's active
consent shares part of the child's record with them, and only that part:

- ``collaborators.summary``: the goals in force and how each is going;
- ``collaborators.notes``: the signed session notes, with their addenda;
- ``collaborators.observe``: telling the team where the child showed a goal's skill.

Each of these pages is the collaborator's own (nobody else's: 404), and a part the
consent does not share is not there for them (404, on a write too). Every page they
open is in the access log.

Through the API the same parts are read by anyone who sees the child on the clinic's or
the family's side (``collaborators.read_summary`` / ``read_notes``: the care team in any
seat, admins, guardians), and the child's guardians and admins may post an observation
on the collaborators' path (``collaborators.post_observation``); therapists record
theirs on the home program's own path.
"""

from tandem.access import ADMIN, COLLABORATOR, GUARDIAN, TEAM, register
from tandem.consent.models import Scope

SUMMARY = register("collaborators.summary", COLLABORATOR(Scope.SUMMARY))
NOTES = register("collaborators.notes", COLLABORATOR(Scope.NOTES))
OBSERVE = register("collaborators.observe", COLLABORATOR(Scope.OBSERVATIONS))

register("collaborators.read_summary", TEAM | GUARDIAN | SUMMARY)
register("collaborators.read_notes", TEAM | GUARDIAN | NOTES)
register("collaborators.post_observation", GUARDIAN | ADMIN | OBSERVE)
