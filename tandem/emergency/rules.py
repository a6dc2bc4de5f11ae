"""The emergency access rules: who breaks the glass, and who reviews it.

- ``emergency.open``: a therapist of the clinic (assistants included) opens, in an
  emergency, the record of a child whose care team they are not on, by the child's full
  name and date of birth, with a reason; they list and end their own grants. Admins see
  every child already; families, collaborators, the front desk and billing never break
  the glass (404);
- ``emergency.review``: the clinic's admins read every grant, the searches that found no
  child, and review each grant (appropriate or not).

While a grant lasts its holder reads the child's record as a consulting member of the
team would (``TEAM`` rules pass, ``EDITOR`` rules do not): see ``tandem.access.relation``.
"""

from tandem.access import ADMIN, register, role
from tandem.accounts.models import Role

register("emergency.open", role(Role.THERAPIST))
register("emergency.review", ADMIN)
