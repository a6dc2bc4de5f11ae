"""Keep the staff MFA flag honest when an authenticator is removed."""

from allauth.mfa.signals import authenticator_removed
from django.dispatch import receiver

from .middleware import MFA_CONFIRMED


@receiver(authenticator_removed)
def forget_mfa_confirmation(sender, request, user, authenticator, **kwargs):  # type: ignore[no-untyped-def]
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_CONFIRMED, None)
