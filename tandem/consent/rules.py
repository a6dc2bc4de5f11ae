"""The consent app's access rules: who sees, gives and withdraws a child's consents.

- ``consent.view``: the child's guardians and the clinic's admins see who the child's
  record is shared with, and was; nobody else learns it (404);
- ``consent.give``: only a guardian of the child with legal authority shares parts of
  the record (a family's decision: not the clinic's admins);
- ``consent.withdraw``: such a guardian stops sharing, and so may a clinic admin;
- ``consent.held``: a collaborator lists the consents families gave them.

What a consent then shows a collaborator is the collaborators app's
(``tandem/collaborators/rules.py``).
"""

from tandem.access import ADMIN, GUARDIAN, LEGAL_GUARDIAN, register, role
from tandem.accounts.models import Role

register("consent.view", GUARDIAN | ADMIN)
register("consent.give", LEGAL_GUARDIAN)
register("consent.withdraw", LEGAL_GUARDIAN | ADMIN)
register("consent.held", role(Role.COLLABORATOR))
