"""Personal API tokens for staff: make one (its secret is shown once), see them, revoke one.

A token reads only or reads and changes (its scope), expires, and ends when its owner's
password changes or their authenticator app is removed (``models.ApiToken``). It may
also hold its own FHIR scopes (SMART v1, ``tandem.fhir.auth``): blank is all its
owner's role allows.

Clinical staff (admins and therapists) have tokens, each only their own: a member only
ever sees and revokes theirs (``membership.tokens``).
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tandem.core.access import not_found

from .gate import member_required
from .models import STAFF_ROLES, ApiToken, Membership, TokenScope
from .request import MemberRequest, member

PREFIX_LENGTH = 12  # "tdm_" and the first characters of the secret, to recognise a token
# What checks a token's FHIR scopes: the FHIR app, which knows the types it serves, sets it
# when it starts (tandem.fhir.apps; accounts sits below fhir and does not import it).
# Returns the scopes as stored, or raises ValueError with the reason.
SCOPE_CHECK: list[Callable[[str, Membership], list[str]]] = []


EXPIRY_DAYS = (7, 30, 90, 365)


def expiry_choices() -> list[tuple[int, str]]:
    """Lifetimes a token may have, up to the clinic's limit (TANDEM_API_TOKEN_DAYS)."""
    longest = settings.TANDEM_API_TOKEN_DAYS
    days = sorted({d for d in EXPIRY_DAYS if d <= longest} | {longest})
    return [(d, ngettext("%(days)d day", "%(days)d days", d) % {"days": d}) for d in days]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, for example “Reporting script”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("What it may do"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=gettext_lazy("Only give a token “Read and change” when the program writes."),
    )
    fhir_scopes = forms.CharField(
        label=gettext_lazy("FHIR access (optional)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "SMART scopes separated by spaces, for example “user/Observation.read "
            "user/Goal.read”. Leave it empty for everything your role may read; "
            "“system/*.read” lets an admin's token export the whole clinic."
        ),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"),
        coerce=int,
        help_text=gettext_lazy(
            "A token also stops working when your password changes or your "
            "authenticator app is removed."
        ),
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership
        days = cast(forms.TypedChoiceField, self.fields["days"])
        days.choices = expiry_choices()
        days.initial = settings.TANDEM_API_TOKEN_DAYS

    def clean_fhir_scopes(self) -> str:
        try:
            [check] = SCOPE_CHECK
            return " ".join(check(self.cleaned_data["fhir_scopes"], self.membership))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


@never_cache  # the page that shows a new token's secret must not be kept anywhere
@member_required(*STAFF_ROLES)
def token_list(request: HttpRequest) -> HttpResponse:
    """List the member's own tokens; a valid POST makes one and shows its secret once."""
    membership = member(request)
    form = TokenForm(request.POST or None, membership=membership)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token, digest = ApiToken.new_token()
        data = form.cleaned_data
        membership.tokens.create(
            name=data["name"],
            prefix=new_token[:PREFIX_LENGTH],
            token_hash=digest,
            scope=data["scope"],
            fhir_scopes=data["fhir_scopes"],
            expires_at=timezone.now() + timedelta(days=data["days"]),
        )
        form = TokenForm(membership=membership)
    context = {"form": form, "tokens": membership.tokens.all(), "new_token": new_token}
    return render(request, "accounts/tokens.html", context)


@require_POST
@member_required(*STAFF_ROLES)
def revoke_token(request: MemberRequest, token_id: uuid.UUID) -> HttpResponse:
    """Revoke one of the member's own tokens; programs using it are refused from now on."""
    token = request.membership.tokens.filter(pk=token_id).first()
    if token is None:
        raise not_found()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
