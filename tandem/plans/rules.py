"""Who may do what with a child's treatment plans (the plans app's access rules).

- ``plans.view``: read the Plan tab, a plan with its goals and GAS levels, its
  signatures and COPM ratings — clinic admins, therapists on the child's care team in
  any seat (consulting included), and the child's guardians (in plain language, never
  a draft). Collaborators read the plans in force and their goals only on the pages
  their consent opens (progress, the collaborator's view), never here. The front desk
  and billing never see clinical content: the plans pages and API are not there for them.
- ``plans.edit``: start a plan, change it, make it active or close it; add goals, change
  them and set their status; add and re-rate COPM activities; pick goals from the goal
  bank for a plan — clinic admins and lead/treating therapists on the child's team.
- ``plans.sign_as_guardian``: sign the version of the plan one read — a guardian of the
  child with legal authority, nobody else. Admins run the plan but never sign for a
  family; therapists never sign it. (Clinicians sign no plan: a plan is in force once an
  editor makes it active, ``plans.edit``.)
- ``plans.goal_bank``: browse the clinic's goal bank — clinical staff (admins and
  therapists, whatever the child).
- ``plans.goal_bank_edit``: add entries to the goal bank, change them or switch them
  off — clinical staff.

Which rows each member reads is the scopes' business (``Plan.objects.visible_to`` …,
in ``models.py``; ``access.py`` for one child).
"""

from tandem.access import CLINICAL_STAFF, EDITOR, GUARDIAN, LEGAL_GUARDIAN, TEAM, register

VIEW = "plans.view"
EDIT = "plans.edit"
SIGN_AS_GUARDIAN = "plans.sign_as_guardian"
GOAL_BANK = "plans.goal_bank"
GOAL_BANK_EDIT = "plans.goal_bank_edit"

register(VIEW, TEAM | GUARDIAN)
register(EDIT, EDITOR)
register(SIGN_AS_GUARDIAN, LEGAL_GUARDIAN)
register(GOAL_BANK, CLINICAL_STAFF)
register(GOAL_BANK_EDIT, CLINICAL_STAFF)
