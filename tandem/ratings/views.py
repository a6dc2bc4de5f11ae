"""The family's rating page: each active goal in the family's words, five plain answers.

A guardian rates between sessions, any day; the page shows each goal's last rating.
Rating again the same day replaces that day's answer (a new version of it).
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.access import MemberRequest, child_for, permits
from tandem.audit.actions import log_access
from tandem.core.idempotency import idempotent

from . import actions
from .access import rateable_goal, rateable_goals, ratings_of
from .forms import FamilyRatingForm
from .models import Rater
from .words import FAMILY_LEVELS


def _goal_cards(membership: Any, child: Any, form: FamilyRatingForm | None) -> list[dict]:
    """Each rateable goal with its five levels and its last family rating (two queries)."""
    goals = list(rateable_goals(membership, child))
    last: dict[Any, Any] = {}
    rows = ratings_of(membership, child).filter(
        rater=Rater.FAMILY, goal_id__in=[g.id for g in goals]
    )
    for row in rows.order_by("rated_on", "created_at"):
        last[row.goal_id] = row
    posted = form is not None and form.data.get("goal")
    cards = []
    for goal in goals:
        mine = form if posted == str(goal.id) else None
        rating: Any = last.get(goal.id)
        checked = mine.data.get("level") if mine is not None else None
        cards.append(
            {
                "goal": goal,
                "last": rating,
                "last_words": FAMILY_LEVELS[rating.level] if rating else "",
                "form": mine,
                "comment": mine.data.get("comment", "") if mine is not None else "",
                "levels": [
                    {
                        "value": level,
                        "words": words,
                        "description": goal.gas_description(level),
                        "checked": str(level) == checked
                        or (checked is None and rating is not None and rating.level == level),
                    }
                    for level, words in FAMILY_LEVELS.items()
                ],
            }
        )
    return cards


@permits("ratings.rate_as_family")
@idempotent("ratings.family")
def rate(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The family rates each goal: GET shows the goals, POST records one goal's answer."""
    membership = request.membership
    child = child_for(request, child_id, "ratings.rate_as_family")
    log_access(request, [child])
    form = None
    if request.method == "POST":
        form = FamilyRatingForm(request.POST)
        if form.is_valid():
            goal = rateable_goal(membership, child, form.cleaned_data["goal"])
            try:
                actions.rate(
                    membership,
                    child,
                    goal,
                    rater=Rater.FAMILY,
                    level=form.cleaned_data["level"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("Thank you — your answer is saved."))
                return redirect(reverse("ratings:rate", args=[child.id]) + f"#goal-{goal.id}")
        messages.error(request, _("Nothing was saved. Please check the answer below."))
    context = {
        "child": child,
        "tab": "progress",
        "cards": _goal_cards(membership, child, form),
    }
    return render(request, "ratings/rate.html", context)
