"""A guardian's signature of a plan: the plan and goals as they read them, hashed, and
their typed name.

A signature names the plan's version (every change of a plan or its goals bumps it), so
it says exactly what the guardian read; the entry points check that the guardian may sign
(``plans.sign_as_guardian``).

What the hash covers has changed once, so each signature stores the scheme it was made
with (``PlanSignature.hash_scheme``) and is checked with that scheme:

- scheme 1: the plan and its goals without the family and child wordings (signatures
  made before wordings existed; migration 0006 marks every earlier signature so);
- scheme 2: the same plus each goal's family and child wordings (``wording.py``), which
  the guardian reads on the plan.
"""

import datetime
import hashlib
import hmac
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
from .wording import WORDING_FIELDS

HASH_SCHEME = 2  # what a new signature's hash covers (see the module's docstring)
_GOAL_FIELDS_BY_SCHEME = {
    1: ("id", "status", "status_reason", *(f for f in GOAL_FIELDS if f not in WORDING_FIELDS)),
    2: ("id", "status", "status_reason", *GOAL_FIELDS),
}


def plan_content(plan: Plan, goals: list[Goal], scheme: int = HASH_SCHEME) -> dict[str, Any]:
    """The plan and its goals as a guardian reads them, in a stable shape, as hash
    ``scheme`` covers them."""
    fields = ("discipline", "start_date", "review_date", "family_priorities", "summary")
    try:
        goal_fields = _GOAL_FIELDS_BY_SCHEME[scheme]
    except KeyError:
        raise ValueError(f"Unknown plan signature hash scheme: {scheme}") from None
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


def content_hash(plan: Plan, goals: list[Goal], scheme: int = HASH_SCHEME) -> str:
    """SHA-256 of the plan and goals as signed; any later change gives another hash."""
    content = plan_content(plan, goals, scheme)
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def matches(signature: PlanSignature, plan: Plan, goals: list[Goal]) -> bool:
    """Whether ``plan`` and ``goals`` (at the signed version) hash, with the signature's
    own scheme, to what the guardian signed."""
    if plan.pk != signature.plan_id or plan.version != signature.plan_version:
        return False
    try:
        expected = content_hash(plan, goals, signature.hash_scheme)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature.content_hash)


def signed_content(signature: PlanSignature) -> tuple[Plan, list[Goal]] | None:
    """The plan and its goals as they were when the guardian signed: today's when the plan
    is still at the signed version, else its history (None when no record of it is left)."""
    org = signature.organization_id
    plan = Plan.objects.filter(organization_id=org, pk=signature.plan_id).first()
    if plan is not None and plan.version == signature.plan_version:
        return plan, list(Goal.objects.filter(organization_id=org, plan=plan))
    versions = Plan.history.filter(
        organization_id=org, id=signature.plan_id, version=signature.plan_version
    ).order_by("-history_date", "-history_id")
    recorded = versions.first()
    if recorded is None:
        return None
    goals = []
    rows = Goal.history.filter(
        organization_id=org, plan_id=signature.plan_id, history_date__lte=signature.signed_at
    ).order_by("id", "-history_date", "-history_id")
    seen = set()
    for row in rows:
        if row.id in seen:
            continue
        seen.add(row.id)
        if row.history_type != "-":
            goals.append(row.instance)
    return recorded.instance, goals


def is_intact(signature: PlanSignature) -> bool:
    """Whether the plan, as the signature's version has it, still hashes to what was
    signed, with the scheme the signature was made with."""
    found = signed_content(signature)
    return found is not None and matches(signature, *found)


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
        content_hash=content_hash(current, goals, HASH_SCHEME),
        hash_scheme=HASH_SCHEME,
    )
    signature.save(at=at)
    return signature
