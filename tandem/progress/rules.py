"""Who may see a child's progress.

- ``progress.view`` — the Progress tab, the reports to download, the progress API:
  clinic admins and the child's care team in any seat, and the child's guardians (who
  always get the family register). Collaborators see the progress summary on their
  shared page (the consent app) while a consent shares it; the front desk and billing
  never see progress.
- ``progress.report`` — the progress report over a period, as a page or a PDF: the same
  people.
- ``progress.school_summary`` — the school summary for an IEP/504 team (page and PDF):
  the same people, and a collaborator (a teacher) while a guardian's consent shares the
  goals and progress summary with them.

Progress only reads (signed notes' goal data): there is nothing to write.
"""

from tandem.access import COLLABORATOR, GUARDIAN, TEAM, register
from tandem.consent.models import Scope

VIEW = TEAM | GUARDIAN

register("progress.view", VIEW)
register("progress.report", VIEW)
register("progress.school_summary", VIEW | COLLABORATOR(Scope.SUMMARY))
