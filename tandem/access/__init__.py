"""The access kernel: who may see which child, and who may do which action.

One place answers both questions for every surface (pages, API, templates):

- **visibility** (404): ``visible_children(membership)`` and each app's
  ``Model.objects.visible_to(membership)`` scopes, narrowed by ``.for_child(child)``;
- **permission** (403): a rule registered under an action name (``notes.sign``,
  ``plans.sign_as_guardian``, …) by the app that owns the action, built from atoms
  (``ADMIN | EDITOR``, ``AUTHOR``, ``SUPERVISOR_OF_AUTHOR``, ``COLLABORATOR(scope)`` …)
  and checked against the member's **relation** to the child (``relation.Relation``),
  computed for every visible child in the same query that finds it.

The kernel is a plain package, not an app. It imports the models that define who
relates to a child (accounts, children, consent, emergency) and nothing of any app's views or
actions; the member's request and the role gate of pages come from ``accounts`` (below
it) and are re-exported here. Apps import it and register their rules in
``<app>/rules.py`` (loaded by ``AppConfig.ready``). See docs/architecture.md, "The access kernel".
"""

from tandem.accounts.request import MemberRequest, member
from tandem.core.access import not_found, read_only

from .registry import allows, readable_in_emergency, register, require, rule_for
from .relation import Relation, relation_of, visible_children
from .rules import (
    ADMIN,
    ANY_MEMBER,
    AUTHOR,
    BILLING,
    CLINICAL_STAFF,
    COLLABORATOR,
    EDITOR,
    FRONT_DESK,
    GUARDIAN,
    LEGAL_GUARDIAN,
    NOBODY,
    OFFICE,
    SUPERVISOR_OF_AUTHOR,
    TEAM,
    Rule,
    role,
)
from .views import child_for, permits

__all__ = [
    "ADMIN",
    "ANY_MEMBER",
    "AUTHOR",
    "BILLING",
    "CLINICAL_STAFF",
    "COLLABORATOR",
    "EDITOR",
    "FRONT_DESK",
    "GUARDIAN",
    "LEGAL_GUARDIAN",
    "NOBODY",
    "OFFICE",
    "SUPERVISOR_OF_AUTHOR",
    "TEAM",
    "MemberRequest",
    "Relation",
    "Rule",
    "allows",
    "child_for",
    "member",
    "not_found",
    "permits",
    "read_only",
    "readable_in_emergency",
    "register",
    "relation_of",
    "require",
    "role",
    "rule_for",
    "visible_children",
]
