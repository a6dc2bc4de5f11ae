"""What an operation asks of the caller, checked before its input is read.

django-ninja validates a request body before the handler runs. These checks run in
the authentication step instead, so the API answers in the order Tandem promises
everywhere: outsiders get 404 (they learn nothing), members who may read but not
change get 403, and only then does malformed input get a 422. Handlers still fetch
what they change through the access layer themselves.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import ResolverMatch

from tandem.accounts.models import Membership
from tandem.children.access import get_child
from tandem.core.access import not_found


def path_child_id(request: HttpRequest) -> uuid.UUID:
    """The ``child_id`` of the requested path; a malformed one is simply not found."""
    match: ResolverMatch | None = getattr(request, "resolver_match", None)
    if match is None:
        raise not_found()
    try:
        return uuid.UUID(str(match.kwargs["child_id"]))
    except (KeyError, ValueError) as exc:
        raise not_found() from exc


def clinic_admin(request: HttpRequest, membership: Membership) -> None:
    """Clinic admins only."""
    if not membership.is_admin:
        raise PermissionDenied("Only clinic admins can do this.")


def child_editor(request: HttpRequest, membership: Membership) -> None:
    """Someone who may change the child's record: an admin or a lead/treating therapist."""
    get_child(membership, path_child_id(request), for_edit=True)


def child_manager(request: HttpRequest, membership: Membership) -> None:
    """A clinic admin of the child's organization (family, care team, archiving)."""
    get_child(membership, path_child_id(request))
    if not membership.is_admin:
        raise PermissionDenied("Only clinic admins can do this.")
