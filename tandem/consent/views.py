"""The family's side of sharing a child's information with outside professionals.

The child's guardians (and admins) see who the record is shared with; a guardian with
legal authority shares and stops sharing; an admin may stop sharing too (``rules.py``).
What a consent shows the professional is the collaborators app's.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, permits
from tandem.children.access_log import log_access
from tandem.children.models import Child
from tandem.core import clock

from . import actions
from .access import get_grant, grants_of
from .forms import GrantForm
from .models import ConsentGrant


def _sharing_page(
    request: MemberRequest, child: Child, form: GrantForm | None = None
) -> HttpResponse:
    membership = request.membership
    today = clock.today()
    grants = list(grants_of(membership, child))
    may_give = allows(membership, "consent.give", child=child)
    context = {
        "child": child,
        "tab": "sharing",
        "active": [g for g in grants if g.is_active(today)],
        "earlier": [g for g in grants if not g.is_active(today)],
        "can_give": may_give,
        "can_withdraw": allows(membership, "consent.withdraw", child=child),
        "form": (form or GrantForm()) if may_give else None,
    }
    return render(request, "consent/index.html", context)


@require_GET
@permits("consent.view")
def index(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Who the child's information is shared with, the form to share it, and stopping."""
    child = child_for(request, child_id, "consent.view")
    log_access(request, [child])
    return _sharing_page(request, child)


@require_POST
@permits("consent.give")
def grant(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Share parts of the child's record with a professional (legal guardians)."""
    child = child_for(request, child_id, "consent.give")
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            given = actions.grant_consent(request.membership, child, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(
                request,
                _("%(name)s can now see what you chose, until %(day)s.")
                % {"name": given.collaborator.display_name, "day": _day(given)},
            )
            return redirect("consent:index", child_id=child.id)
    log_access(request, [child])
    return _sharing_page(request, child, form)


@require_POST
@permits("consent.withdraw")
def revoke(request: MemberRequest, child_id: uuid.UUID, grant_id: uuid.UUID) -> HttpResponse:
    """Stop sharing now: the professional's next page no longer shows the child."""
    membership = request.membership
    child = child_for(request, child_id, "consent.withdraw")
    withdrawn = actions.withdraw_consent(membership, get_grant(membership, child, grant_id))
    messages.success(
        request,
        _("You stopped sharing with %(name)s.") % {"name": withdrawn.collaborator.display_name},
    )
    return redirect("consent:index", child_id=child.id)


def _day(grant: ConsentGrant) -> str:
    return date_format(grant.expires_on, "LONG_DATE_FORMAT")
