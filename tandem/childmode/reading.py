"""What child mode shows: "my goals" in the child's own words with stars (a reached goal
the child has no words for in its "I can …"), and the choice board.

A constant number of queries: the goals with their latest GAS level (one query with
a subquery), the home activities (one, plus their goals' prefetch), no query per goal.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.interests import Interest, interests_first, labels
from tandem.children.models import Child
from tandem.plans.models import Domain, GoalStatus
from tandem.plans.reading import latest_gas_level

from .access import child_mode_goals, choices_of, home_activities, last_session_date
from .models import ChildChoice, ChoiceSource

STAR_COUNT = 5
CHOICES_SHOWN = 50
MAX_INTERESTS = 8
MAX_BOARD = 12
# Interests are typed by the team as a list: "Trains, water play; dinosaurs".
_INTEREST_SPLIT = re.compile(r"[,;\n\r•·/]+|\s+(?:and|y)\s+", re.IGNORECASE)


def domain_words(domain: str) -> str:
    """A goal's domain as a child would say it (when the goal has no words of the child's)."""
    words: dict[str, str] = {
        Domain.FINE_MOTOR: _("I am learning to use my hands."),
        Domain.GROSS_MOTOR: _("I am learning to move my body."),
        Domain.SELF_CARE: _("I am learning to do things by myself."),
        Domain.SENSORY: _("I am learning to feel good in my body."),
        Domain.COMMUNICATION: _("I am learning to talk and share."),
        Domain.SOCIAL: _("I am learning to play with friends."),
        Domain.EMOTIONAL_REGULATION: _("I am learning about my feelings."),
        Domain.FEEDING: _("I am learning to try new foods."),
        Domain.PLAY: _("I am learning new ways to play."),
        Domain.SCHOOL_READINESS: _("I am getting ready for school."),
    }
    return str(words.get(domain, _("I am learning something new.")))


def stars_for(level: int | None) -> int:
    """GAS −2…+2 as 1…5 stars (and the stage of the goal's plant)."""
    if level is None:
        level = -2
    return max(1, min(STAR_COUNT, level + 3))


@dataclass
class GoalCard:
    id: Any
    words: str
    chosen_by_child: bool
    is_met: bool
    stars: int
    domain: str

    @property
    def empty_stars(self) -> int:
        return STAR_COUNT - self.stars

    @property
    def star_range(self) -> range:
        return range(self.stars)

    @property
    def empty_star_range(self) -> range:
        return range(self.empty_stars)

    @property
    def said_aloud(self) -> str:
        if self.is_met:
            return f"{self.words} {_('I did it!')}"
        return f"{self.words} " + _("I have %(count)s of 5 stars.") % {"count": self.stars}


@dataclass
class BoardItem:
    label: str
    source: str
    home_activity_id: Any = None
    has_picture: bool = False

    @property
    def key(self) -> str:
        return f"{self.source}:{self.home_activity_id or self.label}"


def goal_cards(membership: Membership, child: Child) -> list[GoalCard]:
    """The child's goals as child mode shows them, the child's own picks first."""
    goals = child_mode_goals(membership, child).annotate(latest_gas=latest_gas_level(membership))
    cards = []
    for goal in goals.order_by("-child_chosen", "position", "created_at"):
        level = goal.gas_baseline if goal.latest_gas is None else goal.latest_gas
        is_met = goal.status == GoalStatus.MET
        # The child's own words always win (they chose them); else, once reached, the
        # drafted "I can …"; else the area's.
        words = goal.child_words.strip() or (is_met and goal.child_wording) or ""
        cards.append(
            GoalCard(
                id=goal.id,
                words=words or domain_words(goal.domain),
                chosen_by_child=goal.child_chosen,
                is_met=is_met,
                stars=STAR_COUNT if is_met else stars_for(level),
                domain=goal.domain,
            )
        )
    return cards


def interests(child: Child) -> list[str]:
    """The child's interests as separate items, first letter capitalised, no repeats: the
    tags chosen on the profile first (in the reader's language), then the free text's."""
    seen: set[str] = set()
    items = []
    tagged = labels(child.interest_tags or [], Interest)
    for part in [*tagged, *_INTEREST_SPLIT.split(child.interests or "")]:
        item = part.strip(" .-–—\t")
        if not item or item.casefold() in seen or len(item) > 60:
            continue
        seen.add(item.casefold())
        items.append(item[0].upper() + item[1:])
    return items[:MAX_INTERESTS]


def choice_board(membership: Membership, child: Child) -> list[BoardItem]:
    """The activities the child may pick from: the home program's (those that speak of the
    child's interest tags first), then their interests."""
    items = [
        BoardItem(
            label=activity.title,
            source=ChoiceSource.HOME_ACTIVITY,
            home_activity_id=activity.id,
            has_picture=bool(getattr(activity, "handout_is_image", False)),
        )
        for activity in home_activities(membership, child)
    ]
    items = interests_first(items, lambda item: item.label, child.interest_tags or [])
    items += [BoardItem(label=item, source=ChoiceSource.INTEREST) for item in interests(child)]
    return items[:MAX_BOARD]


def recent_choices(membership: Membership, child: Child) -> tuple[list[ChildChoice], Any]:
    """The child's latest picks (``is_new`` when made after the last signed session) and
    that session's date: two queries, for the team's "the child chose…" panel."""
    last_session = last_session_date(membership, child)
    choices = list(
        choices_of(membership, child).select_related("during_session_of__user")[:CHOICES_SHOWN]
    )
    for choice in choices:
        day = timezone.localtime(choice.chosen_at).date()
        choice.is_new = last_session is None or day > last_session
    return choices, last_session
