"""Signing in, and the person behind a session loaded with their clinics in one query.

allauth's backend signs people in (by email). On every later request Django asks the
backend for the session's user; this one reads the person's active memberships with
the user and the organization joined in, so the membership middleware needs no query
of its own (a person without a membership, say a superuser, is read as before). Django
still checks the session's password hash and that the account is active.
"""

from allauth.account.auth_backends import AuthenticationBackend

from .access import own_memberships
from .models import Membership, User

_MEMBERSHIPS = "_tandem_own_memberships"


class MemberBackend(AuthenticationBackend):
    def get_user(self, user_id: int) -> User | None:
        memberships = own_memberships(user_id)
        if not memberships:
            found = super().get_user(user_id)
            return found if isinstance(found, User) else None
        user = memberships[0].user
        setattr(user, _MEMBERSHIPS, memberships)
        return user if self.user_can_authenticate(user) else None


def loaded_memberships(user: User) -> list[Membership] | None:
    """The memberships the backend read with the user for this request (taken once)."""
    memberships: list[Membership] | None = getattr(user, _MEMBERSHIPS, None)
    if memberships is not None:
        delattr(user, _MEMBERSHIPS)
    return memberships
