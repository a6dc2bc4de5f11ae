"""The page walker: every URL pattern, its parameters filled, and the answer the rules
expect for each persona, object and method."""

from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.accounts.models import Membership, Role

from .rules import (
    ACCOUNT_PAGES_PREFIXES,
    CONSENT_RULES,
    FILLERS,
    OBJECT_FILLERS,
    OFFICE,
    OFFICE_RULES,
    ORG_FILLERS,
    PUBLIC_ROUTES,
    READ_RULES,
    SKIP_PREFIXES,
    WRITE_RULES,
    hidden_names,
    may_write,
    shared_parts,
    visible_children,
)

# --- Pages -------------------------------------------------------------------------


@dataclass
class Route:
    name: str
    kwargs: tuple[str, ...]
    view: Any
    app: str = field(default="")

    @property
    def roles(self) -> tuple[str, ...]:
        return getattr(self.view, "member_roles", ())

    @property
    def get_only(self) -> bool:
        return "GET" in _allowed_methods(self.view) and "POST" not in _allowed_methods(self.view)

    @property
    def post_only(self) -> bool:
        return _allowed_methods(self.view) == {"POST"}

    @property
    def public(self) -> bool:
        return self.name in PUBLIC_ROUTES or self.name.startswith(ACCOUNT_PAGES_PREFIXES)


def _allowed_methods(view: Any) -> set[str]:
    # django.views.decorators.http.require_http_methods keeps the list in a closure.
    for cell in getattr(view, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, list) and value and all(m in {"GET", "POST", "HEAD"} for m in value):
            return set(value)
    return {"GET", "POST"}


def app_of_module(module: str) -> str:
    """The Tandem app a view belongs to (``tandem.notes.views`` → ``notes``); views from
    Django and django-allauth belong to ``core`` (the project's own pages)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "tandem" and len(parts) > 2 else "core"


def all_routes() -> list[Route]:
    routes = []

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                walk(pattern.url_patterns, ns if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                kwargs = tuple(pattern.pattern.regex.groupindex) if pattern.pattern.regex else ()
                kwargs = tuple(k for k in kwargs if k not in (pattern.default_args or {}))
                view = pattern.callback
                module = getattr(view, "__module__", "") or ""
                routes.append(Route(name, kwargs, view, app_of_module(module)))

    walk(get_resolver().url_patterns)
    return [r for r in routes if not r.name.startswith(SKIP_PREFIXES)]


def targets(world: Any, route: Route) -> list[tuple[str, dict[str, Any], Any]]:
    """Fill a route's URL parameters: one case per object it could point at."""
    if not route.kwargs:
        return [("none", {}, None)]
    if "child_id" in route.kwargs:
        cases = []
        for child in (world.child, world.other_child, world.foreign_child):
            kwargs: dict[str, Any] = {"child_id": child.id}
            for name in route.kwargs:
                if name in FILLERS:
                    kwargs[name] = FILLERS[name](child)
            unknown = set(route.kwargs) - set(kwargs)
            assert not unknown, f"{route.name}: teach the matrix to fill {unknown}"
            cases.append(("child", kwargs, child))
        return cases
    if len(route.kwargs) == 1 and route.kwargs[0] in OBJECT_FILLERS:
        name = route.kwargs[0]
        return [("touch", {name: t.id}, t) for t in OBJECT_FILLERS[name](world)]
    if len(route.kwargs) == 1 and route.kwargs[0] in ORG_FILLERS:
        name = route.kwargs[0]
        own, foreign = ORG_FILLERS[name](world)
        return [
            ("own", {name: own}, world.org),
            ("foreign", {name: foreign}, world.foreign_org),
        ]
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
    if route.public:
        return [("opaque", {k: "x1-x2" for k in route.kwargs}, None)]
    raise AssertionError(f"{route.name}: teach the matrix to fill {route.kwargs}")


def _office_page(persona: str, route: Route, method: str) -> set[int] | None:
    """The office roles' answer on a page, from OFFICE_RULES alone (None: not office)."""
    if persona not in OFFICE:
        return None
    may = OFFICE_RULES.get(route.name, {}).get(persona)
    if may is None:
        return {404}
    if method == "GET":
        if route.name in READ_RULES and may != "write":
            return {404}
        return {200}
    return {200, 302, 409} if may == "write" else {403}


def _child_page(world: Any, persona: str, route: Route, child: Any, method: str) -> set[int]:
    member: Membership = getattr(world, persona)
    if persona not in OFFICE and member.role not in route.roles:
        return {404}  # a page for other roles
    if member.role == Role.COLLABORATOR:
        part = CONSENT_RULES.get(route.name)
        if part is None or part not in shared_parts(world, persona, child):
            return {404}
        return {200} if method == "GET" else {200, 302}
    if child not in visible_children(world, persona):
        return {404}
    office = _office_page(persona, route, method)
    if office is not None:
        return office
    if method == "GET" and route.name in READ_RULES:
        return {200} if may_write(world, persona, READ_RULES[route.name], child) else {404}
    if method == "POST":
        rule = WRITE_RULES.get(route.name)
        assert rule, f"{route.name} accepts POST: add its write rule to WRITE_RULES"
        return {200, 302, 409} if may_write(world, persona, rule, child) else {403}
    if route.name == "children:edit" and not may_write(world, persona, "editor", child):
        return {403}
    return {200}


def expected_page(
    world: Any, persona: str, route: Route, kind: str, target: Any, method: str
) -> set[int]:
    """The status codes the rules allow for this persona, route, object and method."""
    member: Membership = getattr(world, persona)
    if (method == "GET" and route.post_only) or (method == "POST" and route.get_only):
        return {405}
    if route.public:
        return set(range(200, 500))  # anything but a server error; no object of anyone's
    if kind == "child":
        return _child_page(world, persona, route, target, method)
    if kind == "touch":
        # Seen when one of its children is; the rules of each child it touches hold.
        answers = [_child_page(world, persona, route, c, method) for c in target.children]
        allowed = [a for a in answers if a != {404}]
        return set.intersection(*allowed) if allowed else {404}
    if kind in ("own", "foreign") and target.pk != member.organization_id:
        return {404}  # another clinic's record is not there, whoever asks
    office = _office_page(persona, route, method)
    if office is not None:
        if office != {200}:
            return office
    elif member.role not in route.roles:
        return {404}
    if kind in ("own", "foreign"):
        return {404} if target.pk != member.organization_id else {200, 302}
    if kind.startswith("token:"):
        return {302} if target == persona else {404}
    return {200, 302}


def page_failures(world: Any, client: Client, persona: str, route: Route) -> list[str]:
    """Call the route as the persona on every object it may name, GET and POST."""
    hidden = hidden_names(world, persona)
    failures = []
    for kind, kwargs, target in targets(world, route):
        url = reverse(route.name, kwargs=kwargs)
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, {})
            allowed = expected_page(world, persona, route, kind, target, method)
            if response.status_code not in allowed:
                failures.append(
                    f"{persona} {method} {url} ({route.name}, {kind}) → "
                    f"{response.status_code}, expected {sorted(allowed)[:6]}"
                )
            elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
                body = response.content.decode()
                if leaked := [name for name in hidden if name in body]:
                    failures.append(f"{persona} {method} {url} shows {leaked}")
    return failures


def anonymous_failures(world: Any, route: Route) -> list[str]:
    """Signed-out visitors reach only the public pages; the rest asks them to sign in."""
    client = Client()
    failures = []
    for _kind, kwargs, _target in targets(world, route):
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url)
        if route.public:
            if response.status_code >= 500:
                failures.append(f"{url} → {response.status_code}")
            continue
        if route.post_only:
            if response.status_code != 405:
                failures.append(f"GET {url} → {response.status_code}, expected 405")
            response = client.post(url, {})
        login = reverse("account_login")
        if response.status_code != 302 or not response["Location"].startswith(login):
            failures.append(f"{url} → {response.status_code}, expected a redirect to sign in")
    return failures
