"""Who sees the "Today / needs you" page and the clinic's numbers.

- "Today" is for those who see children: admins and therapists. It lists their own
  sessions today and what their caseload (the children on whose care team they hold a
  lead or treating seat) asks of them; each link opens a page the kernel checks again;
- the clinic's numbers (sessions held, no-shows, late cancellations, the documentation
  backlog, by therapist) are for the clinic's admins. They name therapists, never a child.
"""

from tandem.access import ADMIN, CLINICAL_STAFF, register

register("today.view", CLINICAL_STAFF)
register("today.clinic", ADMIN)
