"""Who may see and change evaluations, questionnaires, scores, milestones and growth.

- ``assessments.view`` — the Assessments tab and everything in it (evaluations with
  their drafts, questionnaire answers, standardized scores, milestone checklists,
  growth measurements; pages and API): the clinic's admins and the therapists on the
  child's care team, consulting members included. Not families, not collaborators,
  not the front desk or billing (the tab and the whole assessments API are not there
  for them: 404).
- ``assessments.summary`` — an evaluation's summary page and its PDF: the staff
  above, and the child's guardians, who find only FINAL evaluations there, in plain
  language (summary, strengths, interests, recommendations — no scores, no drafts).
- ``assessments.edit`` — start and edit an evaluation, fill its questionnaires, enter
  its scores and its milestone checklist: admins and lead/treating therapists on the
  child's team. A consulting therapist reads but does not write (a form is not there
  for them on GET, 404; a write is refused, 403).
- ``assessments.family_fill`` — a questionnaire the team asked the family to fill
  before an evaluation: the child's guardians with legal authority see it on their
  pages (and are told when it is asked), save it as they go and send it; its answers
  may be sensitive, so a guardian without legal authority (another household) does not
  find it (404), nor does anyone else; staff fill theirs on the evaluation
  (``assessments.edit``).
- ``assessments.growth_record`` — record or correct a growth measurement: the same
  editors.
"""

from tandem.access import EDITOR, GUARDIAN, LEGAL_GUARDIAN, TEAM, register

VIEW = "assessments.view"
SUMMARY = "assessments.summary"
EDIT = "assessments.edit"
GROWTH_RECORD = "assessments.growth_record"
FAMILY_FILL = "assessments.family_fill"

register(VIEW, TEAM)
register(SUMMARY, TEAM | GUARDIAN)
register(EDIT, EDITOR)
register(GROWTH_RECORD, EDITOR)
register(FAMILY_FILL, LEGAL_GUARDIAN)
