"""The kernel's entry point for the API: a check run in the authentication step.

django-ninja validates a body before the handler runs, so checks run in
authentication (``tandem.api.auth.signed_in(check)``) and the API answers in
Tandem's order: outsiders 404, members who see the record but may not act 403, and
only then malformed input 422::

    @router.post("/children/{child_id}/plans", auth=signed_in(permits_api("plans.edit")))

``load`` fetches the object the rule looks at (a note, for ``notes.addendum``) through
the app's own scope; it returns None when the action concerns the child only.
"""

import json
import uuid
from collections.abc import Callable
from typing import Any, Protocol, cast

from django.http import HttpRequest
from django.urls import ResolverMatch

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.access import not_found, read_only

from .registry import allows, rule_for
from .relation import get_visible_child

Check = Callable[[HttpRequest, Membership], None]
Loader = Callable[[HttpRequest, Membership, Child], Any]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CHILD = "_access_child"


class ActionCheck(Protocol):
    """A ``permits_api`` check (``tandem.api.auth.Check``) that names its action."""

    access_action: str

    def __call__(self, request: HttpRequest, membership: Membership) -> None: ...


def path_param(request: HttpRequest, name: str) -> uuid.UUID:
    """A UUID parameter of the requested path; a malformed or missing one is not found."""
    match: ResolverMatch | None = getattr(request, "resolver_match", None)
    if match is None:
        raise not_found()
    try:
        return uuid.UUID(str(match.kwargs[name]))
    except (KeyError, ValueError) as exc:
        raise not_found() from exc


def path_child_id(request: HttpRequest) -> uuid.UUID:
    return path_param(request, "child_id")


def body_child_id(request: HttpRequest, field: str) -> uuid.UUID | None:
    """The child a JSON body names in ``field``, or None when the body does not name one
    well (no JSON object, no such field, not a UUID): validation then answers (422)."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    value = data.get(field) if isinstance(data, dict) else None
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def permits_api(
    action: str,
    load: Loader | None = None,
    *,
    gate: str | None = None,
    child_in_body: str | None = None,
) -> ActionCheck:
    """A check for ``signed_in``: the member's role reaches the operation at all (404 for
    others), the path's child is visible (404), and the rule allows it (403; 404 on a read).

    ``gate`` names the action whose rule decides who reaches the operation (default: the
    action itself): "link a guardian" is for admins, but the child's team, who see the
    guardians, are refused with a 403 rather than told there is nothing there. With a
    child, the gate is also asked for that child: a member it refuses finds nothing (404).

    ``child_in_body`` names the field of the JSON body that names the child, for an
    operation with no child in its path: the check reads it before the body is validated,
    so an unseen child is 404 and a refused one 403 before any 422. A body that names no
    child well is left to validation; the handler takes the child with ``api_child``.
    """

    def check(request: HttpRequest, membership: Membership) -> None:
        if membership.role not in rule_for(gate or action).roles:
            raise not_found()
        child = None
        child_id: uuid.UUID | None = None
        if "child_id" in (getattr(request.resolver_match, "kwargs", None) or {}):
            child_id = path_child_id(request)
        elif child_in_body is not None:
            child_id = body_child_id(request, child_in_body)
        if child_id is not None:
            child = get_visible_child(membership, child_id)
            setattr(request, _CHILD, child)  # the handler's child: no second query
            if gate is not None and not allows(membership, gate, child=child):
                raise not_found()
        elif child_in_body is not None:
            return  # no child named: the body's validation answers
        obj = load(request, membership, child) if load is not None and child is not None else None
        if not allows(membership, action, child=child, obj=obj):
            raise not_found() if request.method in SAFE_METHODS else read_only()

    checked = cast(ActionCheck, check)
    checked.access_action = action
    return checked


def api_child(request: HttpRequest, membership: Membership, child_id: uuid.UUID) -> Child:
    """The path's child, as ``permits_api`` found it (visible, with the member's relation),
    or found now (404 if not visible)."""
    child: Child | None = getattr(request, _CHILD, None)
    if child is not None and child.pk == child_id:
        return child
    return get_visible_child(membership, child_id)
