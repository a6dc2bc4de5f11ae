"""Keep the staff MFA flag honest when an authenticator is removed, and end API tokens."""

from typing import Any, cast

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest

from .adapter import TandemAccountAdapter
from .middleware import MFA_CONFIRMED
from .models import ApiToken, User


@receiver(authenticator_removed)
def forget_mfa_confirmation(
    sender: Any,
    request: HttpRequest | None,
    user: User,
    authenticator: Authenticator,
    **kwargs: Any,
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_CONFIRMED, None)


@receiver(post_delete, sender=Authenticator)
def end_api_tokens_when_mfa_is_removed(
    sender: type[Authenticator], instance: Authenticator, **kwargs: Any
) -> None:
    """Removing (or an admin resetting) someone's authenticator app ends their API tokens."""
    if instance.type == Authenticator.Type.TOTP:
        ApiToken.objects.revoke_all_of(instance.user)


@receiver(password_reset)
def forget_strangers_failures(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Whoever can reset the password by email is the account's owner: strangers' failed
    tries stop holding the account (see adapter.py)."""
    if request is not None:
        adapter = cast(TandemAccountAdapter, get_adapter(request))  # settings.ACCOUNT_ADAPTER
        adapter.forget_strangers_failures(request, user.email)
