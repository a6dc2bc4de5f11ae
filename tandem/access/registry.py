"""The registry of rules by action name, and the one check every surface makes.

Each app registers the rules of its own actions in ``<app>/rules.py``::

    register("notes.sign", EDITOR & AUTHOR)

Action names are ``<app>.<verb>``; registering a name twice is an error (two apps
would disagree about one action), and checking a name nobody registered is an error
too (a typo would otherwise refuse, or allow, silently).

Emergency (break-glass) access is read only, and that is decided here, once, not in
each app's rules: a member who sees a child only through an emergency access passes an
action only if it is named by ``readable_in_emergency`` (``tandem/emergency/rules.py``
lists the reads of the record). Anything else — posting a message, a hand-off, any new
action an app adds later — is refused them until it is listed (closed by default).
"""

import threading
from typing import Any

from django.utils.module_loading import autodiscover_modules

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.access import not_found, read_only

from .relation import Relation, relation_of
from .rules import Rule, Subject

_RULES: dict[str, Rule] = {}
_EMERGENCY_READS: set[str] = set()
_discovered = False
_discovering = threading.RLock()


def discover() -> None:
    """Import every installed app's ``rules`` module (once), which registers its rules.

    Under a lock, and marked done only once every module has loaded: a second thread's
    first request waits rather than finding half the rules.
    """
    global _discovered
    if _discovered:
        return
    with _discovering:
        if not _discovered:
            autodiscover_modules("rules")
            _discovered = True


def register(action: str, rule: Rule) -> Rule:
    """Give ``action`` its rule (once)."""
    if "." not in action:
        raise ValueError(f"Name actions '<app>.<verb>', not {action!r}.")
    if action in _RULES and _RULES[action] is not rule:
        raise ValueError(f"The action {action!r} already has a rule: {_RULES[action]}.")
    _RULES[action] = rule
    return rule


def readable_in_emergency(*actions: str) -> None:
    """Let a member who sees a child only through an emergency access pass these actions
    (reads of the record) when their rule allows it; every other action is refused them."""
    _EMERGENCY_READS.update(actions)


def emergency_reads() -> frozenset[str]:
    """The actions an emergency access may pass (for the docs and the tests)."""
    discover()
    return frozenset(_EMERGENCY_READS)


def rule_for(action: str) -> Rule:
    discover()
    try:
        return _RULES[action]
    except KeyError:
        raise LookupError(
            f"No access rule is registered for {action!r}: register it in its app's rules.py."
        ) from None


def registered() -> dict[str, Rule]:
    """Every action and its rule (for the docs and the tests)."""
    discover()
    return dict(sorted(_RULES.items()))


def _child_of(obj: Any) -> Child | None:
    if obj is None:
        return None
    if isinstance(obj, Child):
        return obj
    return getattr(obj, "child", None)


def allows(
    membership: Membership | None,
    action: str,
    *,
    child: Child | None = None,
    obj: Any = None,
) -> bool:
    """Whether the member may do ``action`` (to ``obj``, of ``child``).

    With a child (given, or the object's), the member must see the child: a child of
    another clinic or outside their caseload is never allowed, whatever the rule says.
    """
    rule = rule_for(action)
    if membership is None or membership.role not in rule.roles:
        return False
    child = child if child is not None else _child_of(obj)
    if child is not None:
        relation = relation_of(membership, child)
        if not relation.visible:
            return False
        if relation.emergency and action not in _EMERGENCY_READS:
            return False  # emergency access reads the record; it never changes it
    else:
        # No child: only a rule's role-level parts can pass (an admin is an EDITOR of every
        # child of the clinic; a therapist is an EDITOR of none in particular).
        relation = Relation(role=membership.role, visible=True)
    return rule(Subject(membership, relation, obj))


def require(
    membership: Membership | None,
    action: str,
    *,
    child: Child | None = None,
    obj: Any = None,
    hide: bool = False,
) -> None:
    """Refuse unless ``allows``: 404 when ``hide`` (a page that is not there for them),
    else 403 (they see the record but may not do this)."""
    if not allows(membership, action, child=child, obj=obj):
        raise not_found() if hide else read_only()
