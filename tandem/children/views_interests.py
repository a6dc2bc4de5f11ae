"""The child's interests and strengths: tags from a small vocabulary, free text beside.

The care team's editors, the front desk and the child's guardians change them; whoever
opens the profile reads them. What they are used for (suggested resources, child-mode
choices) is in the apps above this one (``children.interests``).
"""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tandem.access import MemberRequest, allows, child_for, permits
from tandem.core.access import Conflict
from tandem.core.idempotency import idempotent

from . import actions
from .access_log import log_access
from .forms import InterestsForm
from .interests import Interest, Strength, home_ideas, labels


@permits("children.interests_edit", gate="children.view")
@idempotent("children.interests")
def interests(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Read the child's interests and strengths; those who may, change them here."""
    membership = request.membership
    if request.method == "POST":
        child = child_for(request, child_id, "children.interests_edit", hide=False)
    else:
        child = child_for(request, child_id, "children.view")
    log_access(request, [child])
    may_edit = allows(membership, "children.interests_edit", child=child)
    initial = {
        "version": child.version,
        "interest_tags": child.interest_tags,
        "strength_tags": child.strength_tags,
        "interests": child.interests,
        "strengths": child.strengths,
    }
    form = InterestsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_interests(
                child,
                expected_version=data["version"],
                interest_tags=data["interest_tags"],
                strength_tags=data["strength_tags"],
                interests=data["interests"],
                strengths=data["strengths"],
            )
        except Conflict:
            status = 409
            form.add_error(
                None,
                _("Someone changed this profile since you opened it: reload to see it."),
            )
        else:
            messages.success(request, _("Interests and strengths saved."))
            return redirect("children:interests", child_id=child.id)
    context = {
        "child": child,
        "tab": "profile",
        "form": form,
        "may_edit": may_edit,
        "interest_labels": labels(child.interest_tags, Interest),
        "strength_labels": labels(child.strength_tags, Strength),
        "home_ideas": home_ideas(child.interest_tags),
    }
    return render(request, "children/interests.html", context, status=status)
