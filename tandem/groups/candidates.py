"""Children a group would suit, best first, each with the reasons.

A candidate is a child the member sees (their caseload; the office: the clinic), not
archived and not already invited or in the group, whose age on the group's next session
is in its range and who has at least one active goal (of an active plan) in a domain
the group works on. They are ranked by:

1. how many of their active goals are in the group's domains (more first);
2. how many of the group's domains those goals cover (more first);
3. how close their age is to the middle of the group's range (closer first);
4. their name (a stable order).

Three queries, whatever the caseload: the children in the age range, their goals in
the domains, and the group's enrolments.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.access import visible_children
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.templatetags.tandem import age as in_words
from tandem.plans.models import Domain, Goal, GoalStatus, PlanStatus

from .models import TAKING_A_PLACE, Enrolment, GroupProgram

MAX_CANDIDATES = 20


@dataclass
class Candidate:
    child: Child
    age_months: int
    goals: int
    domains: Counter[str] = field(default_factory=Counter)
    reasons: list[str] = field(default_factory=list)


def _months_between(born: datetime.date, on: datetime.date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - 1 if on.day < born.day else months


def _birth_range(program: GroupProgram, on: datetime.date) -> Q:
    """Children whose age on ``on`` is within the group's range, as a date-of-birth range."""

    def months_back(months: int) -> datetime.date:
        year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
        day = on.day
        while True:
            try:
                return datetime.date(year, month + 1, day)
            except ValueError:
                day -= 1

    oldest = months_back(program.max_age_months + 1)  # born after this date
    youngest = months_back(program.min_age_months)  # born on or before this date
    return Q(date_of_birth__gt=oldest, date_of_birth__lte=youngest)


def candidates(membership: Membership, program: GroupProgram, on: datetime.date) -> list[Candidate]:
    """The children this group would suit, best first (at most ``MAX_CANDIDATES``)."""
    taken = Enrolment.objects.filter(
        organization_id=program.organization_id, program=program, status__in=TAKING_A_PLACE
    ).values("child_id")
    children = {
        c.pk: c
        for c in visible_children(membership)
        .filter(_birth_range(program, on), archived_at__isnull=True)
        .exclude(pk__in=taken)
    }
    if not children:
        return []
    found: dict[object, Candidate] = {}
    goals = Goal.objects.filter(
        organization_id=program.organization_id,
        child_id__in=list(children),
        domain__in=program.target_domains,
        status=GoalStatus.ACTIVE,
        plan__status=PlanStatus.ACTIVE,
        plan__organization_id=program.organization_id,
    ).values_list("child_id", "domain")
    for child_id, domain in goals:
        child = children[child_id]
        candidate = found.get(child_id)
        if candidate is None:
            age = _months_between(child.date_of_birth, on)
            if not program.min_age_months <= age <= program.max_age_months:
                continue
            candidate = Candidate(child, age, 0)
            found[child_id] = candidate
        candidate.goals += 1
        candidate.domains[domain] += 1
    middle = (program.min_age_months + program.max_age_months) / 2
    labels = dict(Domain.choices)
    for candidate in found.values():
        candidate.reasons = [
            ngettext(
                "%(n)d active goal in %(domain)s",
                "%(n)d active goals in %(domain)s",
                n,
            )
            % {"n": n, "domain": str(labels.get(domain, domain)).lower()}
            for domain, n in sorted(candidate.domains.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        candidate.reasons.append(
            _("%(age)s: in the group's age range")
            % {"age": in_words(divmod(candidate.age_months, 12))}
        )
    ranked = sorted(
        found.values(),
        key=lambda c: (
            -c.goals,
            -len(c.domains),
            abs(c.age_months - middle),
            c.child.last_name,
            c.child.first_name,
            str(c.child.pk),
        ),
    )
    return ranked[:MAX_CANDIDATES]
