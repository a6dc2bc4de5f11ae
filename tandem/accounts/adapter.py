"""Tandem's rules for django-allauth: people join by invitation only, and failed sign-ins
cool down without letting a stranger lock a family out.

Failed password sign-ins are counted three ways (see docs/security.md, "Rate limits"):

- per (account, address): 5 in 5 minutes, then that address waits for that account;
- per address: 20 in 5 minutes, whichever accounts they were for;
- per account, only for browsers that have never signed in to it:
  ``TANDEM_LOGIN_ACCOUNT_LIMIT`` (30 an hour). A successful sign-in leaves a signed
  device cookie, so a family's own phone keeps working while someone elsewhere guesses.

The address is the connection's, or the one the configured proxy forwarded
(``TANDEM_TRUSTED_PROXIES`` / ``TANDEM_CLIENT_IP_HEADER``); the counters live in the
shared cache, so every web worker sees the same counts.
"""

import hashlib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.core.internal.httpkit import clean_client_ip, get_client_ip
from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils import translation

DEVICE_COOKIE = "tandem_device"
DEVICE_SALT = "tandem.accounts.device"
DEVICE_ACCOUNTS_KEPT = 5  # a shared family tablet may know both parents
ACCOUNT_ACTION = "login_failed_account"


def account_mark(email: str) -> str:
    """A short digest of an email address, so the device cookie names nobody."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]


def known_accounts(request: HttpRequest) -> list[str]:
    """The accounts this browser has signed in to (from its signed device cookie)."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        marks = signing.loads(
            raw, salt=DEVICE_SALT, max_age=settings.TANDEM_DEVICE_COOKIE_DAYS * 86400
        )
    except signing.BadSignature:
        return []
    return [m for m in marks if isinstance(m, str)] if isinstance(marks, list) else []


class TandemAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Write allauth's messages in the person's own language.

        "Signed in as …" is written in the request that signs the person in, which began
        in the browser's language (nobody was signed in yet): write it in theirs.
        """
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user and user.is_authenticated else None
        with translation.override(language or translation.get_language()):
            super().add_message(request, *args, **kwargs)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address: the forwarded one only when a proxy is configured."""
        try:
            ip = get_client_ip(request)
        except ImproperlyConfigured:
            ip = None  # fewer X-Forwarded-For entries than trusted proxies: not via ours
        return ip or clean_client_ip(request.META.get("REMOTE_ADDR", "")) or "unknown"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        email = str(credentials.get("email") or credentials.get("username") or "").lower()
        ip = self.get_client_ip(request)
        usages: list[Any] = []
        pair = ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=f"{email}|{ip}"
        )
        allowed = pair is not None
        if pair is not None:
            usages += pair.usage
        if allowed and account_mark(email) not in known_accounts(request):
            account = ratelimit.consume(
                request,
                app="allauth.account",
                action=ACCOUNT_ACTION,
                config={ACCOUNT_ACTION: settings.TANDEM_LOGIN_ACCOUNT_LIMIT},
                key=email,
            )
            allowed = account is not None
            if account is not None:
                usages += account.usage
        # allauth rolls these back when the password turns out right.
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=usages)
        if not allowed:
            raise self.validation_error("too_many_login_attempts")

    def forget_strangers_failures(self, request: HttpRequest, email: str) -> None:
        """After a password reset by email, strangers' failures no longer hold the account
        (called from ``signals.py``)."""
        ratelimit.clear(
            request,
            app="allauth.account",
            action=ACCOUNT_ACTION,
            config={ACCOUNT_ACTION: settings.TANDEM_LOGIN_ACCOUNT_LIMIT},
            key=email.strip().lower(),
        )

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Signed in (all stages passed): remember this browser for this account."""
        response = super().post_login(request, user, **kwargs)
        marks = [account_mark(user.email)]
        marks += [m for m in known_accounts(request) if m != marks[0]]
        response.set_cookie(
            DEVICE_COOKIE,
            signing.dumps(marks[:DEVICE_ACCOUNTS_KEPT], salt=DEVICE_SALT),
            max_age=settings.TANDEM_DEVICE_COOKIE_DAYS * 86400,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
