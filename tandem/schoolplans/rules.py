"""Who may do what with a child's school and early-intervention plans (IEP, IFSP, 504).

- ``schoolplans.view``: read the plans the school or the early-intervention program
  wrote, their goals and the clinic goals each is linked to — clinic admins, therapists on
  the child's care team in any seat, the child's guardians, and a collaborator (a teacher)
  whose consent shares the goals and progress summary.
- ``schoolplans.edit``: enter a plan, its goals and their links to the clinic's goals,
  change them and end a plan — clinic admins and lead/treating therapists on the team.
  (The school owns the plan; the clinic keeps a copy beside its own goals.)
"""

from tandem.access import COLLABORATOR, EDITOR, GUARDIAN, TEAM, register
from tandem.consent.models import Scope

VIEW = "schoolplans.view"
EDIT = "schoolplans.edit"

register(VIEW, TEAM | GUARDIAN | COLLABORATOR(Scope.SUMMARY))
register(EDIT, EDITOR)
