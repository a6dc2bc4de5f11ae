"""A guardian's signature of a plan: the plan and goals as they read them, hashed, and
their typed name.

A signature names the plan's version (every change of a plan or its goals bumps it), so
it says exactly what the guardian read; the entry points check that the guardian may sign
(``plans.sign_as_guardian``).
"""

import datetime
import hashlib
import json
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.core import clock
from tandem.core.access import Conflict

from .actions import GOAL_FIELDS, locked_plan
from .models import Goal, Plan, PlanSignature, PlanStatus


def plan_content(plan: Plan, goals: list[Goal]) -> dict[str, Any]:
    """The plan and its goals as a guardian reads them, in a stable shape."""
    fields = ("discipline", "start_date", "review_date", "family_priorities", "summary")
    goal_fields = ("id", "status", "status_reason", *GOAL_FIELDS)
    ordered = sorted(goals, key=lambda g: (g.position, g.created_at, str(g.id)))
    return {
        "plan": {"id": str(plan.id), "version": plan.version}
        | {name: getattr(plan, name) for name in fields},
        "goals": [
            {
                name: getattr(g, name + "_id" if name == "bank_entry" else name)
                for name in goal_fields
            }
            for g in ordered
        ],
    }


def content_hash(plan: Plan, goals: list[Goal]) -> str:
    """SHA-256 of the plan and goals as signed; any later change gives another hash."""
    text = json.dumps(plan_content(plan, goals), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _normalized(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(name.replace(".", " ").replace(",", " ").split())


def signing_name(membership: Membership) -> str:
    """The name a guardian types to sign: their name as the account has it."""
    return membership.user.get_full_name().strip()


def name_matches(typed: str, membership: Membership) -> bool:
    """Loosely: same letters and words as the account name, ignoring case and dots."""
    typed_n = _normalized(typed)
    expected = _normalized(signing_name(membership))
    if len(typed_n) < 2:
        return False
    return not expected or typed_n == expected


@transaction.atomic
def sign_plan(
    plan: Plan,
    guardian: Membership,
    typed_name: str,
    *,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> PlanSignature:
    """Record a guardian's typed-name signature of the plan's current version (the entry
    points check that the guardian may sign it: ``plans.sign_as_guardian``)."""
    current = locked_plan(plan)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(current.version)
    if current.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Only the current plan can be signed."))
    if not name_matches(typed_name, guardian):
        expected = signing_name(guardian)
        message = (
            _("Type your full name exactly as: %(name)s") % {"name": expected}
            if expected
            else _("Type your full name (at least two letters).")
        )
        raise ValidationError({"typed_name": [message]})
    existing = PlanSignature.objects.filter(
        organization_id=current.organization_id,
        plan=current,
        plan_version=current.version,
        guardian=guardian,
    ).first()
    if existing:
        return existing
    goals = list(Goal.objects.filter(organization_id=current.organization_id, plan=current))
    signature = PlanSignature(
        organization_id=current.organization_id,
        child_id=current.child_id,
        plan=current,
        plan_version=current.version,
        guardian=guardian,
        typed_name=" ".join(typed_name.split()),
        signed_at=at or clock.now(),
        content_hash=content_hash(current, goals),
    )
    signature.save(at=at)
    return signature
