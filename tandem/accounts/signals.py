"""Keep the staff MFA flag honest when an authenticator is removed, and end API tokens."""

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .middleware import MFA_CONFIRMED
from .models import ApiToken


@receiver(authenticator_removed)
def forget_mfa_confirmation(sender, request, user, authenticator, **kwargs):  # type: ignore[no-untyped-def]
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_CONFIRMED, None)


@receiver(post_delete, sender=Authenticator)
def end_api_tokens_when_mfa_is_removed(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    """Removing (or an admin resetting) someone's authenticator app ends their API tokens."""
    if instance.type == Authenticator.Type.TOTP:
        ApiToken.objects.revoke_all_of(instance.user)


@receiver(password_reset)
def forget_strangers_failures(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    """Whoever can reset the password by email is the account's owner: strangers' failed
    tries stop holding the account (see adapter.py)."""
    if request is not None:
        get_adapter(request).forget_strangers_failures(request, user.email)
