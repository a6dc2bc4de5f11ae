"""Who rates a child's goals between sessions, and who reads the ratings.

- ``ratings.view`` — the family's and the child's ratings (and the side-by-side T-scores
  on the progress page and reports): the child's team in any seat and the child's
  guardians. Collaborators, the front desk and billing never read them.
- ``ratings.rate_as_family`` — rate each goal on its GAS scale in plain words: any of the
  child's guardians (``GUARDIAN``, not only those with legal authority: a rating says how
  things are going at home, which whoever cares for the child day to day knows best; it
  decides nothing, unlike a consent or a signature). The team never rates as the family.
- ``ratings.rate_as_child`` — the child's own rating with faces, in child mode: whoever
  may open child mode for the child (``childmode.open``: guardians, admins and
  lead/treating therapists), as it is the child who taps on that adult's device.
"""

from tandem.access import EDITOR, GUARDIAN, TEAM, register

VIEW = "ratings.view"
RATE_AS_FAMILY = "ratings.rate_as_family"
RATE_AS_CHILD = "ratings.rate_as_child"

register(VIEW, TEAM | GUARDIAN)
register(RATE_AS_FAMILY, GUARDIAN)
register(RATE_AS_CHILD, EDITOR | GUARDIAN)
