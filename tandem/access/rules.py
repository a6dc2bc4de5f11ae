"""Rule atoms and how they combine.

A rule answers "may this member do this to this object of this child?" from a
``Subject``: the membership, its ``Relation`` to the child (computed once, see
``relation.py``) and the object itself (a note, a plan …) when the rule looks at it.
Atoms combine with ``|`` (either), ``&`` (both) and ``~`` (not)::

    register("notes.addendum", (EDITOR | AUTHOR | SUPERVISOR_OF_AUTHOR) & CLINICAL_STAFF)

Each rule also knows which roles could ever pass it (``roles``): a page for an action
no atom of your role can pass is not there for you (404), whatever the child.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tandem.accounts.models import Membership, Role

from .relation import Relation

ALL_ROLES = frozenset(str(r) for r in Role)


@dataclass(frozen=True)
class Subject:
    """What a rule looks at."""

    membership: Membership
    relation: Relation
    obj: Any = None


@dataclass(frozen=True)
class Rule:
    """A named test of a subject, with the roles that could ever pass it."""

    name: str
    test: Callable[[Subject], bool] = field(compare=False)
    roles: frozenset[str] = ALL_ROLES

    def __call__(self, subject: Subject) -> bool:
        return bool(self.test(subject))

    def __or__(self, other: "Rule") -> "Rule":
        return Rule(
            f"{self.name} | {other.name}",
            lambda s: self(s) or other(s),
            self.roles | other.roles,
        )

    def __and__(self, other: "Rule") -> "Rule":
        return Rule(
            f"({self.name}) & ({other.name})",
            lambda s: self(s) and other(s),
            self.roles & other.roles,
        )

    def __invert__(self) -> "Rule":
        return Rule(f"~({self.name})", lambda s: not self(s), ALL_ROLES)

    def __str__(self) -> str:
        return self.name


def role(*roles: str) -> Rule:
    """Members of these roles (for a child: any child they may see)."""
    wanted = frozenset(str(r) for r in roles)
    name = " | ".join(sorted(r.upper() for r in wanted))
    return Rule(name, lambda s: s.membership.role in wanted, wanted)


def _author_id(obj: Any) -> Any:
    return getattr(obj, "author_id", None)


def _supervises_author(s: Subject) -> bool:
    author = getattr(s.obj, "author", None)
    return (
        s.membership.role == Role.THERAPIST
        and author is not None
        and author.supervisor_id is not None
        and author.supervisor_id == s.membership.pk
    )


STAFF_ROLES = frozenset({str(Role.ADMIN), str(Role.THERAPIST)})

ANY_MEMBER = Rule("ANY_MEMBER", lambda s: True)
NOBODY = Rule("NOBODY", lambda s: False, frozenset())
ADMIN = role(Role.ADMIN)
FRONT_DESK = role(Role.FRONT_DESK)
BILLING = role(Role.BILLING)
# The clinic's clinical staff, whatever the child (the goal bank, the co-sign queue …).
CLINICAL_STAFF = role(Role.ADMIN, Role.THERAPIST)
# The clinic's office: scheduling and intake (admins and the front desk).
OFFICE = role(Role.ADMIN, Role.FRONT_DESK)
# Admins and lead/treating therapists on the child's care team.
EDITOR = Rule("EDITOR", lambda s: s.relation.editor, STAFF_ROLES)
# Admins and therapists on the child's care team in any seat (consulting included).
TEAM = Rule("TEAM", lambda s: s.relation.on_team, STAFF_ROLES)
GUARDIAN = Rule("GUARDIAN", lambda s: s.relation.guardian, frozenset({str(Role.GUARDIAN)}))
LEGAL_GUARDIAN = Rule("LEGAL_GUARDIAN", lambda s: s.relation.legal, frozenset({str(Role.GUARDIAN)}))
# The member who wrote the object (``author_id``): a note's author.
AUTHOR = Rule("AUTHOR", lambda s: _author_id(s.obj) == s.membership.pk, STAFF_ROLES)
# The supervising therapist of the object's author (an assistant's note).
SUPERVISOR_OF_AUTHOR = Rule(
    "SUPERVISOR_OF_AUTHOR", _supervises_author, frozenset({str(Role.THERAPIST)})
)


def COLLABORATOR(scope: str) -> Rule:
    """A collaborator whose active consent for the child shares this part of the record."""
    return Rule(
        f"COLLABORATOR({scope})",
        lambda s: scope in s.relation.scopes,
        frozenset({str(Role.COLLABORATOR)}),
    )
