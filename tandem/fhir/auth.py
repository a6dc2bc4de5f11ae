"""Who is calling the FHIR API, and the SMART-style scopes they hold.

A staff member's personal API token (``Authorization: Bearer tdm_…``, the JSON API's
tokens: ``tandem.api.auth``) or a signed-in session. The role gives the ceiling
(``ceiling``):

- staff and the office (admins, therapists, front desk, billing): ``user/*.read``;
- a guardian: ``patient/*.read`` — the patients are their own children;
- a collaborator: ``patient/Goal.read patient/CarePlan.read patient/Observation.read`` —
  what a consent's progress summary shares, nothing else;
- ``system/*.read`` (bulk exports of the whole clinic) for those who may export the
  clinic (admins: ``bulkdata.system``), added by ``ceiling`` (never by ``scopes_for``).

A session holds its role's ceiling. A token may store its own SMART v1 scopes
(``ApiToken.fhir_scopes``: ``user/<Type>.read``, ``user/*.read``, ``system/*.read``,
checked by ``check_token_scopes`` when it is made); its caller holds those **intersected
with** the ceiling (``effective``), so a token never reads more than its owner's role
allows, even after the owner's role changes. A blank list is the whole ceiling.

A scope is a ceiling only: which rows a caller reads is the access kernel's answer
(``tandem.fhir.access``), whatever the scope says.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.access import allows
from tandem.accounts.models import Membership, Role
from tandem.api.auth import token_for

from .outcome import FhirError

COLLABORATOR_TYPES = ("Goal", "CarePlan", "Observation")
SYSTEM_SCOPE = "system/*.read"


@dataclass(frozen=True)
class Caller:
    membership: Membership
    scopes: frozenset[str]

    def may_read(self, resource_type: str) -> bool:
        for scope in self.scopes:
            context, kind, access = _parts(scope)
            reads = context in ("user", "patient", "system") and access in ("read", "*")
            if reads and kind in ("*", resource_type):
                return True
        return False


def scopes_for(membership: Membership) -> frozenset[str]:
    return scopes_of_role(membership.role)


def scopes_of_role(role: str) -> frozenset[str]:
    if role == Role.GUARDIAN:
        return frozenset({"patient/*.read"})
    if role == Role.COLLABORATOR:
        return frozenset(f"patient/{kind}.read" for kind in COLLABORATOR_TYPES)
    return frozenset({"user/*.read"})


def ceiling(membership: Membership) -> frozenset[str]:
    """The most a member's callers hold: the role's scopes, and ``system/*.read`` for
    those who may export the whole clinic."""
    scopes = scopes_for(membership)
    if allows(membership, "bulkdata.system"):
        scopes |= {SYSTEM_SCOPE}
    return scopes


def _parts(scope: str) -> tuple[str, str, str]:
    context, _, rest = scope.partition("/")
    kind, _, access = rest.partition(".")
    return context, kind, access


def effective(stored: str, limit: frozenset[str]) -> frozenset[str]:
    """A token's stored scopes (space-separated) intersected with the ceiling: a scope
    is kept as far as both allow it (``user/*.read`` within ``user/Goal.read`` is
    ``user/Goal.read``). Blank: the ceiling."""
    asked = stored.split()
    if not asked:
        return limit
    found: set[str] = set()
    for scope in asked:
        context, kind, access = _parts(scope)
        for allowed in limit:
            a_context, a_kind, a_access = _parts(allowed)
            if context != a_context or access != "read" or a_access not in ("read", "*"):
                continue
            if kind == "*":
                found.add(f"{context}/{a_kind}.read")
            elif a_kind in ("*", kind):
                found.add(f"{context}/{kind}.read")
    return frozenset(found)


def check_token_scopes(raw: str, membership: Membership) -> list[str]:
    """A token's scopes as they are stored (their order, once each); ``ValueError`` with
    the reason for the first one a token of this member may not hold."""
    from .registry import SPECS  # the registry imports this module

    scopes: list[str] = []
    for scope in raw.split():
        context, kind, access = _parts(scope)
        named = {"scope": scope}
        if context == "patient":
            raise ValueError(
                _(
                    "“%(scope)s”: patient/ scopes are for guardians' and collaborators' "
                    "sessions; a staff token uses user/ scopes."
                )
                % named
            )
        if context not in ("user", "system") or not kind or access not in ("read", "write", "*"):
            raise ValueError(
                _("“%(scope)s” is not a scope: use user/<Type>.read, user/*.read or system/*.read.")
                % named
            )
        if access != "read":
            raise ValueError(_("“%(scope)s”: the FHIR API only reads; use .read.") % named)
        if context == "system":
            if kind != "*":
                raise ValueError(_("“%(scope)s”: the only system scope is system/*.read.") % named)
            if SYSTEM_SCOPE not in ceiling(membership):
                raise ValueError(
                    _("“%(scope)s”: only a clinic admin's token may export the whole clinic.")
                    % named
                )
        elif kind != "*" and kind not in SPECS:
            raise ValueError(
                _("“%(scope)s”: the FHIR API serves no type “%(type)s” (use %(types)s).")
                % {**named, "type": kind, "types": ", ".join(SPECS)}
            )
        if scope not in scopes:
            scopes.append(scope)
    return scopes


def caller_of(request: HttpRequest) -> Caller:
    """The caller of a FHIR request (401 when nobody, or a token that is not valid)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        token = token_for(raw.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise FhirError(
                401, "login", "This API token is not valid, has expired or was revoked."
            )
        membership = token.membership
        translation.activate(membership.user.language)
        timezone.activate(membership.organization.timezone)
        request.user = membership.user  # the access log names who read
        request.membership = membership  # type: ignore[attr-defined]
        return Caller(membership, effective(token.fhir_scopes, ceiling(membership)))
    session_member: Membership | None = getattr(request, "membership", None)
    if session_member is None:
        raise FhirError(401, "login", "Sign in, or send a personal API token as a Bearer token.")
    return Caller(session_member, ceiling(session_member))
