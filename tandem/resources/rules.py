"""The resources app's access rules: the library, sharing with families, and workshops.

- ``resources.browse``: clinical staff (admins, therapists) open the library, and
  guardians what is "for you" (resources shared with or suggested for their children);
  both see the workshops. Nobody else finds these pages (404);
- ``resources.library``: clinical staff add, change and archive library resources;
- ``resources.view``: a child's resources (what was shared with the family, what else
  fits the child): the child's care team in any seat, admins and the child's guardians;
- ``resources.share``: sharing a resource with a child's family, or no longer: admins
  and the child's lead/treating therapists;
- ``resources.host``: clinical staff announce, change and call off workshops and see
  who has a place and who waits;
- ``resources.register``: guardians take a place at a workshop or a turn on its
  waitlist, and give it up.

Front desk, billing and collaborators find none of it (404).
"""

from tandem.access import CLINICAL_STAFF, EDITOR, GUARDIAN, TEAM, register, role
from tandem.accounts.models import Role

FAMILIES = role(Role.GUARDIAN)

register("resources.browse", CLINICAL_STAFF | FAMILIES)
register("resources.library", CLINICAL_STAFF)
register("resources.view", TEAM | GUARDIAN)
register("resources.share", EDITOR)
register("resources.host", CLINICAL_STAFF)
register("resources.register", FAMILIES)
