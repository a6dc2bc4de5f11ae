"""The child rates their own goals with five faces (child mode, between sessions).

The faces map to Goal Attainment Scaling levels −2 … +2 (``tandem.ratings``): "Not
yet", "A little", "I did it", "Better than I thought", "Super!". The child's rating is
kept with the adult whose device runs child mode; a second tap the same day replaces it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tandem.access import MemberRequest, allows, permits
from tandem.audit.actions import log_access
from tandem.core import clock
from tandem.core.idempotency import idempotent
from tandem.ratings import actions as rating_actions
from tandem.ratings.access import rateable_goal, ratings_of
from tandem.ratings.forms import ChildRatingForm
from tandem.ratings.models import Rater
from tandem.ratings.rules import RATE_AS_CHILD
from tandem.ratings.words import CHILD_FACES

from . import lock
from .reading import goal_cards
from .rules import VIEW
from .views import _leave_for_good, _locked_child


@never_cache
@permits(VIEW)
@idempotent("childmode.faces")
def faces(request: MemberRequest) -> HttpResponse:
    """GET: my goals, each with five faces to tap. POST: the face tapped for one goal."""
    if lock.locked_to(request) is None:
        return redirect("home")
    child = _locked_child(request)
    if child is None:
        return _leave_for_good(request)
    membership = request.membership
    log_access(request, [child])
    if request.method == "POST":
        if not allows(membership, RATE_AS_CHILD, child=child):
            raise PermissionDenied
        form = ChildRatingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Tap a face to answer."))
            return redirect("childmode:faces")
        try:
            goal = rateable_goal(membership, child, form.cleaned_data["goal"])
            level = form.cleaned_data["level"]
            rating_actions.rate(membership, child, goal, rater=Rater.CHILD, level=level)
        except (ValidationError, Http404):
            messages.error(request, _("Tap a face to answer."))
        else:
            said = _("Thank you! You said: %(face)s") % {"face": CHILD_FACES[level]}
            messages.success(request, said)
        return redirect("childmode:faces")
    today = clock.today_for_member(membership)
    tapped = dict(
        ratings_of(membership, child)
        .filter(rater=Rater.CHILD, rated_on=today)
        .values_list("goal_id", "level")
    )
    cards = [card for card in goal_cards(membership, child) if not card.is_met]
    context = {
        "child": child,
        "goals": [(card, tapped.get(card.id)) for card in cards],
        "faces": list(CHILD_FACES.items()),
    }
    return render(request, "childmode/faces.html", context)
