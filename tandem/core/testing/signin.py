"""A signed-in session and an API token made directly in the database, for code that drives
a running server from outside (the crash test, `make bench`, `make proof`)."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tandem.accounts.middleware import MFA_CONFIRMED
from tandem.accounts.models import ApiToken, Membership, TokenScope


def session_for(membership: Membership) -> str:
    """A signed-in session, as after sign-in (and MFA, for the clinic's people); its key."""
    user = membership.user
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if membership.works_at_clinic:  # staff and the office pass MFA at sign-in
        store[MFA_CONFIRMED] = True
    store.create()
    assert store.session_key is not None  # create() gave it one
    return store.session_key


def api_token(membership: Membership, name: str) -> str:
    """A read-write API token of ``membership``; the raw token."""
    raw, digest = ApiToken.new_token()
    ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=raw[:12],
        token_hash=digest,
        scope=TokenScope.READ_WRITE,
    )
    return raw
