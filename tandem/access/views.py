"""The kernel's entry points for pages: a view decorator and the child a view acts on.

    @permits("plans.edit")
    def plan_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
        child = child_for(request, child_id, "plans.edit")

``permits`` sends signed-out visitors to sign in and answers 404 to members of a role
the action's rule never admits: the gate of ``tandem.accounts.gate``, whose
``member_required(*roles)`` (pages about no record) is re-exported here. ``child_for``
returns a child the member may see (404 otherwise), checked against the rule: a member
who sees the child but may not do the action finds no page on GET (404) and is refused
on a write (403).
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest

from tandem.accounts.gate import GatedView, View, member_required
from tandem.accounts.gate import gate as role_gate
from tandem.accounts.request import member
from tandem.children.models import Child
from tandem.core.access import not_found, read_only

from .registry import allows, rule_for
from .relation import get_visible_child

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _LazyRoles(tuple[str, ...]):
    """The roles of an action's rule, read when asked (rules register after urls load)."""

    actions: tuple[str, ...]

    def __new__(cls, *actions: str) -> "_LazyRoles":
        instance = super().__new__(cls)
        instance.actions = actions
        return instance

    def _roles(self) -> tuple[str, ...]:
        return tuple(sorted(frozenset().union(*(rule_for(a).roles for a in self.actions))))

    def __contains__(self, role: object) -> bool:
        return role in self._roles()

    def __iter__(self) -> Iterator[str]:
        return iter(self._roles())

    def __len__(self) -> int:
        return len(self._roles())

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return repr(self._roles())


def permits(action: str, *, gate: str | None = None) -> Callable[[View], View]:
    """Open a view to members whose role the action's rule could admit (404 for others).

    ``gate`` names a wider action whose roles also reach the view (a reader of the
    record): ``child_for`` then refuses them a write with a 403 instead of a 404.
    """
    if gate is None:
        return role_gate(lambda: rule_for(action).roles, action, _LazyRoles(action))
    wider = gate
    return role_gate(
        lambda: rule_for(action).roles | rule_for(wider).roles, action, _LazyRoles(action, wider)
    )


def deny(request: HttpRequest, hide: bool | None = None) -> Exception:
    """The refusal for a member who sees the record: no page on reads, 403 on writes."""
    if hide is None:
        hide = request.method in SAFE_METHODS
    return not_found() if hide else read_only()


def child_for(
    request: HttpRequest,
    child_id: uuid.UUID | str,
    action: str,
    *,
    hide: bool | None = None,
) -> Child:
    """The child the view acts on: visible to the member (404) and the action theirs."""
    membership = member(request)
    child = get_visible_child(membership, child_id)
    if not allows(membership, action, child=child):
        raise deny(request, hide)
    return child


def check(
    request: HttpRequest,
    action: str,
    *,
    child: Child | None = None,
    obj: Any = None,
    hide: bool | None = None,
) -> None:
    """Refuse unless the member may do ``action`` to ``obj`` (404 on reads, 403 on writes)."""
    if not allows(member(request), action, child=child, obj=obj):
        raise deny(request, hide)


__all__ = ["GatedView", "check", "child_for", "deny", "member_required", "permits"]
