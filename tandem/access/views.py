"""The kernel's entry points for pages: a view decorator and the child a view acts on.

    @permits("plans.edit")
    def plan_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
        child = child_for(request, child_id, "plans.edit")

``permits`` sends signed-out visitors to sign in and answers 404 to members of a role
the action's rule never admits. ``child_for`` returns a child the member may see (404
otherwise), checked against the rule: a member who sees the child but may not do the
action finds no page on GET (404) and is refused on a write (403).
"""

import uuid
from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from typing import Any, Protocol, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from tandem.accounts.models import Role
from tandem.children.models import Child

from .errors import not_found, read_only
from .registry import allows, rule_for
from .relation import get_visible_child
from .request import member, membership_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
View = Callable[..., HttpResponseBase]


class GatedView(Protocol):
    """A view behind ``permits`` / ``member_required``: the action it does (None for
    ``member_required``) and the roles it opens to, for the route × persona matrix."""

    access_action: str | None
    member_roles: Sequence[str]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase: ...


def _gate(roles: Callable[[], frozenset[str]], action: str | None) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_of(request)
            if membership is None or membership.role not in roles():
                raise not_found()
            return view(request, *args, **kwargs)

        gated = cast(GatedView, wrapper)
        gated.access_action = action
        gated.member_roles = tuple(sorted(roles())) if action is None else _LazyRoles(action)
        return gated

    return decorator


class _LazyRoles(tuple[str, ...]):
    """The roles of an action's rule, read when asked (rules register after urls load)."""

    action: str

    def __new__(cls, action: str) -> "_LazyRoles":
        instance = super().__new__(cls)
        instance.action = action
        return instance

    def _roles(self) -> tuple[str, ...]:
        return tuple(sorted(rule_for(self.action).roles))

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


def permits(action: str) -> Callable[[View], View]:
    """Open a view to members whose role the action's rule could admit (404 for others)."""
    return _gate(lambda: rule_for(action).roles, action)


def member_required(*roles: str) -> Callable[[View], View]:
    """Open a view to signed-in members of these roles (all roles if none are named).

    For pages that act on no particular record (a role's home, one's own settings);
    pages about a child or a record use ``permits(action)``.
    """
    allowed = frozenset(str(r) for r in (roles or tuple(Role.values)))
    return _gate(lambda: allowed, None)


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
