"""The goal bank over the API: the organization's bank, filtered, for the staff who start
goals from it.

Paths are relative to /api/v1/. The bank is copied from the goals Tandem ships on first
use (``goal_bank.py``). The operation keeps the operation id it had in ``api.py`` (the
API's contract did not change when its code moved).
"""

import uuid
from typing import Any

from ninja import Field, Query, Router, Schema

from tandem.access import MemberRequest
from tandem.access.api import permits_api
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS

from .access import goal_bank_for
from .goal_bank import ensure_goal_bank
from .rules import GOAL_BANK

router = Router(tags=["plans"])


class GoalBankEntryOut(Schema):
    id: uuid.UUID
    discipline: str
    domain: str
    statement: str
    baseline_example: str
    measurement_type: str
    mastery_value: float | None
    mastery_sessions: int
    mastery_criterion: str
    lower_is_better: bool
    gas_levels: dict[str, str]
    strategies: list[str]
    min_age_months: int
    max_age_months: int
    is_active: bool


class GoalBankFilters(Schema):
    discipline: str | None = None
    domain: str | None = None
    age_months: int | None = Field(None, ge=0, le=300)
    q: str | None = Field(None, max_length=100)
    include_inactive: bool = False


@router.get(
    "/goal-bank",
    response={200: list[GoalBankEntryOut], **ERRORS},
    auth=signed_in(permits_api(GOAL_BANK)),
    operation_id="tandem_plans_api_goal_bank",
)
def goal_bank(request: MemberRequest, filters: Query[GoalBankFilters]) -> Any:
    """The organization's goal bank (staff), filtered by discipline, domain, age and words."""
    membership = request.membership
    ensure_goal_bank(membership.organization)
    bank = goal_bank_for(membership)
    if not filters.include_inactive:
        bank = bank.filter(is_active=True)
    if filters.discipline:
        bank = bank.filter(discipline=filters.discipline)
    if filters.domain:
        bank = bank.filter(domain=filters.domain)
    if filters.age_months is not None:
        bank = bank.filter(
            min_age_months__lte=filters.age_months, max_age_months__gte=filters.age_months
        )
    if filters.q:
        bank = bank.filter(statement__icontains=filters.q)
    return list(bank)
