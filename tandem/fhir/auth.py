"""Who is calling the FHIR API, and the SMART-style scopes they hold.

A staff member's personal API token (``Authorization: Bearer tdm_…``, the JSON API's
tokens: ``tandem.api.auth``) or a signed-in session. Scopes are derived, not stored:

- staff and the office (admins, therapists, front desk, billing): ``user/*.read``;
- a guardian: ``patient/*.read`` — the patients are their own children;
- a collaborator: ``patient/Goal.read patient/CarePlan.read patient/Observation.read`` —
  what a consent's progress summary shares, nothing else;
- ``system/*.read`` is for bulk exports only, added for a clinic's admins by
  ``tandem.bulkdata.export.bulk_scopes`` (never by ``scopes_for``).

A scope is a ceiling only: which rows a caller reads is the access kernel's answer
(``tandem.fhir.access``), whatever the scope says.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone, translation

from tandem.accounts.models import Membership, Role
from tandem.api.auth import token_for

from .outcome import FhirError

COLLABORATOR_TYPES = ("Goal", "CarePlan", "Observation")


@dataclass(frozen=True)
class Caller:
    membership: Membership
    scopes: frozenset[str]

    def may_read(self, resource_type: str) -> bool:
        for scope in self.scopes:
            context, _, rest = scope.partition("/")
            kind, _, access = rest.partition(".")
            reads = context in ("user", "patient") and access in ("read", "*")
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
        return Caller(membership, scopes_for(membership))
    session_member: Membership | None = getattr(request, "membership", None)
    if session_member is None:
        raise FhirError(401, "login", "Sign in, or send a personal API token as a Bearer token.")
    return Caller(session_member, scopes_for(session_member))
