"""The authorization matrix: every page route, as every role, against own and foreign objects.

Routes are read from the URL resolver, so a new page is covered the moment it is
added; a route whose URL parameters this test cannot fill, or whose write rule is
not stated below, fails the test until someone says what it should allow.

The expected outcome is computed from the ``world`` personas and the rules in
PRODUCT.md, not from the access layer under test:

- outsiders (another clinic, another family, a therapist not on the team) get 404;
- members who may read but not write get 403 on writes;
- a page meant for other roles is 404 (it is not there for you);
- a collaborator reaches only the pages whose part of the record (``CONSENT_RULES``) an
  active consent shares with them for that child — never one expired or withdrawn;
- nobody ever gets a 500, and no page shows a child the viewer may not see.
"""

import importlib
import importlib.util
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from tandem.accounts.models import ApiToken, Invitation, Membership, Role
from tandem.children.models import TeamRole

# Routes anyone may open without signing in (sign-in pages, health, language).
PUBLIC_ROUTES = {
    "healthz",
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
# The API is walked from its OpenAPI schema in test_api_authorization_matrix.py.
SKIP_PREFIXES = ("api:",)


# Who may write through each child-scoped route that accepts POST, gathered from
# each app's ``tests/matrix.py`` (WRITE_RULES):
#   "editor": clinic admins and lead/treating therapists on the child's team;
#   "admin":  clinic admins only;
#   "guardian": the child's guardians (and admins) — e.g. signing a plan;
#   "legal_guardian": the child's guardians with legal authority (and admins) — consents;
#   "staff": admins and therapists on the child's care team in any seat;
#   rules joined by "|" ("guardian|staff"): anyone who passes one of them.
# Each app's matrix module may also give FILLERS: URL parameter name → function
# (child) → the id of an object of that child's, and populate(world) to create them.
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
CHILD_WRITE_RULES: dict[str, str] = {}
# Child-scoped pages that only some of the people who see the child may open.
READ_RULES: dict[str, str] = {}
# Child-scoped pages collaborators open: route → the part of the record ("summary",
# "observations", "notes") a guardian's consent must share. Any other page is 404 for them.
CONSENT_RULES: dict[str, str] = {}
FILLERS: dict[str, Any] = {}
for module in MATRIX_MODULES:
    CHILD_WRITE_RULES.update(getattr(module, "WRITE_RULES", {}))
    FILLERS.update(getattr(module, "FILLERS", {}))
    READ_RULES.update(getattr(module, "READ_RULES", {}))
    CONSENT_RULES.update(getattr(module, "CONSENT_RULES", {}))

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
    "foreign_admin",
    "foreign_therapist",
    "foreign_guardian",
]


@dataclass
class Route:
    name: str
    kwargs: tuple[str, ...]
    view: Any

    @property
    def roles(self) -> tuple[str, ...]:
        return getattr(self.view, "member_roles", ())

    @property
    def get_only(self) -> bool:
        return "GET" in _allowed_methods(self.view) and "POST" not in _allowed_methods(self.view)

    @property
    def post_only(self) -> bool:
        return _allowed_methods(self.view) == {"POST"}


def _allowed_methods(view: Any) -> set[str]:
    # django.views.decorators.http.require_http_methods keeps the list in a closure.
    for cell in getattr(view, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, list) and value and all(m in {"GET", "POST", "HEAD"} for m in value):
            return set(value)
    return {"GET", "POST"}


def all_routes() -> list[Route]:
    routes = []

    def walk(patterns: list, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                walk(pattern.url_patterns, ns if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                kwargs = tuple(pattern.pattern.regex.groupindex) if pattern.pattern.regex else ()
                kwargs = tuple(k for k in kwargs if k not in (pattern.default_args or {}))
                routes.append(Route(name, kwargs, pattern.callback))

    walk(get_resolver().url_patterns)
    return [r for r in routes if not r.name.startswith(SKIP_PREFIXES)]


ROUTES = all_routes()


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def matrix(world):  # type: ignore[no-untyped-def]
    """The world plus the objects routes point at: photos, invitations, tokens."""
    for child in (world.child, world.sibling, world.other_child, world.foreign_child):
        child.photo = _png()
        child.save()
    world.invitation = Invitation.objects.create(
        organization=world.org,
        email="new@example.org",
        role=Role.THERAPIST,
        membership=world.unassigned_therapist,
        token_hash="a" * 64,
    )
    world.foreign_invitation = Invitation.objects.create(
        organization=world.foreign_org,
        email="new@example.org",
        role=Role.THERAPIST,
        membership=world.foreign_therapist,
        token_hash="b" * 64,
    )
    world.tokens = {
        name: ApiToken.objects.create(
            membership=getattr(world, name),
            name="t",
            prefix="tdm_x",
            token_hash=name.ljust(64, "0"),
        )
        for name in ("admin", "therapist", "foreign_admin")
    }
    for module in MATRIX_MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    return world


def visible_children(world, persona: str) -> set:  # type: ignore[no-untyped-def]
    """Which children each persona may see, per PRODUCT.md's roles table."""
    return {
        "admin": {world.child, world.sibling, world.other_child},
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
        "foreign_admin": {world.foreign_child},
        "foreign_therapist": {world.foreign_child},
        "foreign_guardian": {world.foreign_child},
    }[persona]


def shared_parts(world, persona: str, child) -> set[str]:  # type: ignore[no-untyped-def]
    """What an active consent shares with each collaborator persona, per child: only what
    the family chose, only until it ends or they withdraw it (PRODUCT.md, roles table)."""
    return {
        "consented_collaborator": {
            world.child: {"summary"},
            world.other_child: {"summary", "observations", "notes"},
        },
    }.get(persona, {}).get(child, set())


def may_write(world, persona: str, rule: str, child) -> bool:  # type: ignore[no-untyped-def]
    """Whether the persona passes the rule for the child; "guardian|staff" passes either."""
    if "|" in rule:
        return any(may_write(world, persona, part, child) for part in rule.split("|"))
    member: Membership = getattr(world, persona)
    if member.role == Role.ADMIN:
        return child.organization_id == member.organization_id
    if rule == "guardian" and member.role == Role.GUARDIAN:
        return child.guardian_links.filter(guardian=member).exists()
    if rule == "legal_guardian" and member.role == Role.GUARDIAN:
        return child.guardian_links.filter(guardian=member, has_legal_authority=True).exists()
    if rule == "staff" and member.role == Role.THERAPIST:
        return child.care_team.filter(therapist=member).exists()
    if rule == "editor" and member.role == Role.THERAPIST:
        return child.care_team.filter(
            therapist=member, role__in=[TeamRole.LEAD, TeamRole.TREATING]
        ).exists()
    return False


def targets(world, route: Route) -> list[tuple[str, dict, Any]]:  # type: ignore[no-untyped-def]
    """Fill a route's URL parameters: one case per object it could point at."""
    if not route.kwargs:
        return [("none", {}, None)]
    cases = []
    if "child_id" in route.kwargs:
        for child in (world.child, world.other_child, world.foreign_child):
            kwargs: dict[str, Any] = {"child_id": child.id}
            for name in route.kwargs:
                if name in FILLERS:
                    kwargs[name] = FILLERS[name](child)
            unknown = set(route.kwargs) - set(kwargs)
            assert not unknown, f"{route.name}: teach the matrix to fill {unknown}"
            cases.append(("child", kwargs, child))
        return cases
    if route.kwargs == ("membership_id",):
        return [
            ("own", {"membership_id": world.therapist.id}, world.org),
            ("foreign", {"membership_id": world.foreign_therapist.id}, world.foreign_org),
        ]
    if route.kwargs == ("invitation_id",):
        return [
            ("own", {"invitation_id": world.invitation.id}, world.org),
            ("foreign", {"invitation_id": world.foreign_invitation.id}, world.foreign_org),
        ]
    if route.kwargs == ("token_id",):
        return [
            (f"token:{name}", {"token_id": token.id}, name) for name, token in world.tokens.items()
        ]
    if route.name in PUBLIC_ROUTES or route.name.startswith(ACCOUNT_PAGES_PREFIXES):
        return [("opaque", {k: "x1-x2" for k in route.kwargs}, None)]
    raise AssertionError(f"{route.name}: teach the matrix to fill {route.kwargs}")


def expected(world, persona: str, route: Route, kind: str, target: Any, method: str) -> set[int]:  # type: ignore[no-untyped-def]
    """The status codes the rules allow for this persona, route, object and method."""
    member: Membership = getattr(world, persona)
    if (method == "GET" and route.post_only) or (method == "POST" and route.get_only):
        return {405}
    if route.name in PUBLIC_ROUTES or route.name.startswith(ACCOUNT_PAGES_PREFIXES):
        return set(range(200, 500))  # anything but a server error; no object of anyone's
    if member.role not in route.roles:
        return {404}
    if kind == "child" and member.role == Role.COLLABORATOR:
        part = CONSENT_RULES.get(route.name)
        if part is None or part not in shared_parts(world, persona, target):
            return {404}
        return {200} if method == "GET" else {200, 302}
    if kind == "child":
        if target not in visible_children(world, persona):
            return {404}
        if method == "GET" and route.name in READ_RULES:
            return {200} if may_write(world, persona, READ_RULES[route.name], target) else {404}
        if method == "POST":
            rule = CHILD_WRITE_RULES.get(route.name)
            assert rule, f"{route.name} accepts POST: add its write rule to CHILD_WRITE_RULES"
            return {200, 302, 409} if may_write(world, persona, rule, target) else {403}
        if route.name == "children:edit" and not may_write(world, persona, "editor", target):
            return {403}
        return {200}
    if kind in ("own", "foreign"):
        if target.pk != member.organization_id:
            return {404}
        return {200, 302}
    if kind.startswith("token:"):
        return {302} if target == persona else {404}
    return {200, 302}


CASES = [(persona, route) for route in ROUTES for persona in PERSONAS]


@pytest.mark.parametrize(("persona", "route"), CASES, ids=[f"{p}-{r.name}" for p, r in CASES])
def test_route_as_persona(matrix, client_as, persona: str, route: Route) -> None:
    world = matrix
    client = client_as(getattr(world, persona))
    hidden = {
        c.display_name for c in (world.child, world.sibling, world.other_child, world.foreign_child)
    } - {c.display_name for c in visible_children(world, persona)}
    for kind, kwargs, target in targets(world, route):
        url = reverse(route.name, kwargs=kwargs)
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, {})
            allowed = expected(world, persona, route, kind, target, method)
            assert response.status_code in allowed, (
                f"{persona} {method} {url} ({route.name}, {kind}) → {response.status_code}, "
                f"expected {sorted(allowed)[:6]}"
            )
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                body = response.content.decode()
                leaked = [name for name in hidden if name in body]
                assert not leaked, f"{persona} {method} {url} shows {leaked}"


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_anonymous(matrix, route: Route) -> None:
    """Signed-out visitors reach only the public pages; everything else asks them to sign in."""
    client = Client()
    for _kind, kwargs, _target in targets(matrix, route):
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url)
        if route.name in PUBLIC_ROUTES or route.name.startswith(ACCOUNT_PAGES_PREFIXES):
            assert response.status_code < 500, url
            continue
        if route.post_only:
            assert response.status_code == 405, url
            response = client.post(url, {})
        assert response.status_code == 302, f"{url} → {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), url


def test_every_protected_route_declares_its_roles() -> None:
    """A page without member_required would be open to any signed-in person of any clinic."""
    undeclared = [
        r.name
        for r in ROUTES
        if r.name not in PUBLIC_ROUTES
        and not r.name.startswith(ACCOUNT_PAGES_PREFIXES)
        and not r.roles
    ]
    assert not undeclared, f"routes without member_required: {undeclared}"


def test_matrix_covers_the_child_routes() -> None:
    names = {r.name for r in ROUTES}
    assert {"children:detail", "children:edit", "audit:child", "accounts:person"} <= names
    assert len(CASES) >= len(PERSONAS) * 30
