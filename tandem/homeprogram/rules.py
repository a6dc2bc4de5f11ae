"""Who may do what with a child's home program: the app's access rules.

- ``homeprogram.view``: the Home program tab, a goal at home and beyond, an activity's
  picture or handout, and the API's lists: the child's team (admins, and therapists on
  the care team in any seat) and the child's guardians. Guardians see the goals of
  shared plans only (a scope, ``access.goals_for``). Collaborators do not open the tab:
  they post and read their own observations on the consent pages.
- ``homeprogram.edit``: assign an activity, edit it, attach its handout, archive it or
  bring it back: clinic admins and lead/treating therapists (the child's editors).
- ``homeprogram.log_practice``: log a practice of an activity: the child's guardians only
  (the log is the family's word; the team reads it).
- ``homeprogram.change_log``: add how it went to a log, or take it back: only the
  guardian who logged it.
- ``homeprogram.observe``: record where a goal's skill was seen (home, school, out and
  about): the child's guardians, its editors, and collaborators whose consent shares
  "observations" (they do it on the consent pages; the tab's pages are not theirs).
- ``homeprogram.adherence``: practice logged against the plan, week by week, with what
  got in the way: the child's team, never the family (it is the team's tool, not a
  family score).
- ``homeprogram.practice_input``: who the API's practice-log operations read the input
  of: the child's guardians and admins. An admin's well-formed request is then refused
  (403) by ``log_practice`` / ``change_log``; see the app's ``api.py``.

- ``homeprogram.family_home``: a guardian's home (each of their children's week at home,
  next appointment, messages, progress): guardians.

The front desk and billing reach none of these (no clinical content): every page and
API operation of the home program is 404 for them.
"""

from tandem.access import ADMIN, COLLABORATOR, EDITOR, GUARDIAN, TEAM, Rule, register, role
from tandem.access.rules import Subject
from tandem.accounts.models import Role
from tandem.consent.models import Scope


def _logged_it(subject: Subject) -> bool:
    return getattr(subject.obj, "logged_by_id", None) == subject.membership.pk


# The member who logged the practice (``logged_by``): the object is a practice log.
LOGGED_IT = Rule("LOGGED_IT", _logged_it, frozenset({str(Role.GUARDIAN)}))

register("homeprogram.view", TEAM | GUARDIAN)
register("homeprogram.edit", EDITOR)
register("homeprogram.log_practice", GUARDIAN)
register("homeprogram.change_log", GUARDIAN & LOGGED_IT)
register("homeprogram.observe", GUARDIAN | EDITOR | COLLABORATOR(Scope.OBSERVATIONS))
register("homeprogram.adherence", TEAM)
register("homeprogram.practice_input", GUARDIAN | ADMIN)
register("homeprogram.family_home", role(Role.GUARDIAN))
