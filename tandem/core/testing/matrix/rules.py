"""What the matrix knows before it calls anything: the personas, what each app states in
its ``tests/matrix.py``, and the oracle's view of who sees which child (PRODUCT.md)."""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from tandem.accounts.models import Membership, Role
from tandem.children.models import TeamRole

# Routes anyone may open without signing in (sign-in pages, health, language).
PUBLIC_ROUTES = {
    "healthz",
    "offline:service_worker",  # the installable app: nothing of anyone's record
    "offline:manifest",
    "offline:page",
    "appointments:feed",  # a secret address, no sign-in (calendar apps fetch it)
    "appointments:reply",  # a session reminder's signed link: confirm or cancel
    "intake:refer",  # the clinic's public referral form
    "intake:status",  # a family's signed status link
    "set_language",
    "accounts:accept_invitation",
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_confirm_login_code",
    "account_logout",
    "mfa_authenticate",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
}
# django-allauth's own account pages act on the signed-in user only (no object ids).
ACCOUNT_PAGES_PREFIXES = ("account_", "mfa_", "usersessions_")
# The API is walked from its OpenAPI schema.
SKIP_PREFIXES = ("api:",)
API_PREFIX = "/api/v1"
OFFICE = ("front_desk", "billing")

PERSONAS = [
    "admin",
    "therapist",
    "consulting_therapist",
    "unassigned_therapist",
    "assistant",
    "guardian",
    "other_guardian",
    "collaborator",
    "consented_collaborator",
    "expired_collaborator",
    "revoked_collaborator",
    "front_desk",
    "billing",
    "foreign_admin",
    "foreign_therapist",
    "foreign_guardian",
]


@dataclass(frozen=True)
class Touch:
    """An object a URL names and the children it touches (several for a group session)."""

    id: Any
    children: tuple[Any, ...]


# --- What the apps state ---------------------------------------------------------


def _matrix_module_exists(app_name: str) -> bool:
    try:
        return importlib.util.find_spec(f"{app_name}.tests.matrix") is not None
    except ModuleNotFoundError:
        return False


MATRIX_MODULES = [
    importlib.import_module(f"{app.name}.tests.matrix")
    for app in apps.get_app_configs()
    if app.name.startswith("tandem.") and _matrix_module_exists(app.name)
]


def _gathered(name: str) -> dict[Any, Any]:
    merged: dict[Any, Any] = {}
    for module in MATRIX_MODULES:
        merged.update(getattr(module, name, {}))
    return merged


WRITE_RULES: dict[str, str] = _gathered("WRITE_RULES")
READ_RULES: dict[str, str] = _gathered("READ_RULES")
CONSENT_RULES: dict[str, str] = _gathered("CONSENT_RULES")
OFFICE_RULES: dict[str, dict[str, str]] = _gathered("OFFICE_RULES")
FILLERS: dict[str, Callable[[Any], Any]] = _gathered("FILLERS")
OBJECT_FILLERS: dict[str, Callable[[Any], list[Touch]]] = _gathered("OBJECT_FILLERS")
# Records of a clinic that name no child (a referral): {parameter: world → (own, foreign)}.
ORG_FILLERS: dict[str, Callable[[Any], tuple[Any, Any]]] = _gathered("ORG_FILLERS")
API_WRITE_RULES: dict[tuple[str, str], str] = _gathered("API_WRITE_RULES")
API_READ_RULES: dict[tuple[str, str], str] = _gathered("API_READ_RULES")
API_CONSENT_RULES: dict[tuple[str, str], str] = _gathered("API_CONSENT_RULES")
API_COLLECTION_RULES: dict[tuple[str, str], set[str]] = _gathered("API_COLLECTION_RULES")
API_ORG_FILLERS: dict[str, Callable[[Any], Any]] = _gathered("API_ORG_FILLERS")
OFFICE_API_RULES: dict[tuple[str, str], set[str]] = _gathered("OFFICE_API_RULES")
ALL_ROLES = set(Role.values)


# --- The oracle: who sees which child, and who may do what -------------------------


def visible_children(world: Any, persona: str) -> set[Any]:
    """Which children each persona may see, per PRODUCT.md's roles table."""
    clinic = {world.child, world.sibling, world.other_child}
    return {
        "admin": clinic,
        "therapist": {world.child, world.sibling},
        "consulting_therapist": {world.child},
        "unassigned_therapist": {world.other_child},
        "assistant": {world.child},
        "guardian": {world.child, world.sibling},
        "other_guardian": {world.other_child},
        "collaborator": set(),
        "consented_collaborator": {world.child, world.other_child},
        "expired_collaborator": set(),
        "revoked_collaborator": set(),
        "front_desk": clinic,
        "billing": clinic,
        "foreign_admin": {world.foreign_child},
        "foreign_therapist": {world.foreign_child},
        "foreign_guardian": {world.foreign_child},
    }[persona]


def shared_parts(world: Any, persona: str, child: Any) -> set[str]:
    """What an active consent shares with each collaborator persona, per child: only what
    the family chose, only until it ends or they withdraw it (PRODUCT.md, roles table)."""
    return {
        "consented_collaborator": {
            world.child: {"summary"},
            world.other_child: {"summary", "observations", "notes"},
        },
    }.get(persona, {}).get(child, set())


def may_write(world: Any, persona: str, rule: str, child: Any) -> bool:
    """Whether the persona passes the rule for the child; "guardian|staff" passes either."""
    if "|" in rule:
        return any(may_write(world, persona, part, child) for part in rule.split("|"))
    member: Membership = getattr(world, persona)
    if member.role == Role.ADMIN:
        return bool(child.organization_id == member.organization_id)
    if rule == "guardian" and member.role == Role.GUARDIAN:
        return bool(child.guardian_links.filter(guardian=member).exists())
    if rule == "legal_guardian" and member.role == Role.GUARDIAN:
        return bool(child.guardian_links.filter(guardian=member, has_legal_authority=True).exists())
    if rule == "staff" and member.role == Role.THERAPIST:
        return bool(child.care_team.filter(therapist=member).exists())
    if rule == "editor" and member.role == Role.THERAPIST:
        return bool(
            child.care_team.filter(
                therapist=member, role__in=[TeamRole.LEAD, TeamRole.TREATING]
            ).exists()
        )
    return False


def hidden_names(world: Any, persona: str) -> set[str]:
    everyone = (world.child, world.sibling, world.other_child, world.foreign_child)
    seen = visible_children(world, persona)
    return {c.display_name for c in everyone} - {c.display_name for c in seen}
