"""Every query parameter a page reads (search, filters, sort, pages of a list, dates, ids,
``?export=``, ``?next=``) survives hostile values, as a member the page is for.

``PAGES`` lists each page with the parameters it reads and who opens it; hypothesis sends
each parameter alone with hostile values (``values.EVERY_TIME``), then random mixes of all
of them, including real ids of records of other families and of the other clinic. The page
answers 200, a redirect to one of Tandem's own pages, or a clear 4xx — never a 5xx — and
names no child (nor a record of one) the member may not see.

``test_every_parameter_a_page_reads_is_fuzzed`` reads the views' source for what they take
from ``request.GET`` (directly, through an alias, or through a form bound to it) and fails
on a name no page here fuzzes: a new parameter is fuzzed the day it is added.
"""

import ast
import importlib
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, seed, settings

from tandem.conftest import sign_in
from tandem.core.testing.matrix.pages import all_routes
from tandem.core.testing.matrix.pages import targets as page_targets

from .fuzzing import rolled_back
from .peers import Identity, all_record_ids
from .values import EVERY_TIME, query_of


def fields_of(form: type[forms.Form]) -> tuple[str, ...]:
    """The names a form bound to ``request.GET`` reads (fields added in ``__init__`` too)."""
    return tuple(form().fields)


def _form(module: str, name: str) -> type[forms.Form]:
    form: type[forms.Form] = getattr(importlib.import_module(module), name)
    return form


@dataclass(frozen=True)
class Page:
    """A page, the query parameters it reads, and the member it is for."""

    route: str
    params: tuple[str, ...]
    caller: str = "admin"
    child: str = "child"  # whose page, when the route names a child
    method: str = "GET"
    child_mode: bool = False  # the page answers a device in child mode only
    opens_with: str = ""  # a parameter the page needs, filled with the child's record

    def __str__(self) -> str:
        return f"{self.method} {self.route} {','.join(self.params)}"


GOAL_BANK = fields_of(_form("tandem.plans.forms", "GoalBankFilterForm"))
REPORT = fields_of(_form("tandem.progress.forms", "ReportForm"))
SUPERBILL = fields_of(_form("tandem.billing.forms_fees", "SuperbillForm"))
ESTIMATE = fields_of(_form("tandem.billing.forms_fees", "EstimateForm"))
LIBRARY = fields_of(_form("tandem.resources.forms", "LibraryFilterForm"))
DATE_RANGE = fields_of(_form("tandem.billing.forms_fees", "DateRangeForm"))

PAGES = [
    Page("accounts:people", ("page", "role")),
    Page("accounts:language", ("next",), caller="guardian", method="POST"),
    Page("appointments:family", ("child", "past"), caller="guardian"),
    Page("appointments:child", ("past",)),
    Page("appointments:new", ("date",)),
    Page("appointments:schedule", ("view", "date", "week", "therapist", "room")),
    Page("appointments:hours", ("therapist",)),
    Page("assessments:scores", ("instrument",), caller="therapist"),
    Page("assessments:growth_new", ("evaluation",), caller="therapist"),
    Page("assessments:evaluation_pdf", ("export",), caller="therapist"),
    Page("assessments:family_fill", ("step",), caller="guardian"),
    Page("audit:index", ("page",)),
    Page("audit:child", ("page",)),
    Page("audit:person", ("page",)),
    Page("billing:child", ("charges",), caller="billing"),
    Page("billing:home", ("aging", "late", "unbilled"), caller="billing"),
    Page("billing:claims", ("payer", "page"), caller="billing"),
    Page("billing:remittances", ("page",), caller="billing"),
    Page("billing:superbill", SUPERBILL, caller="billing"),
    Page("billing:superbill_pdf", (*SUPERBILL, "export"), caller="billing"),
    Page("billing:estimate", ESTIMATE, caller="billing"),
    Page("billing:estimate_pdf", (*ESTIMATE, "export"), caller="billing"),
    Page("billing:statement_pdf", ("export",), caller="billing"),
    Page("billing:clinic_charges_csv", DATE_RANGE, caller="billing"),
    Page("billing:authorization_new", ("policy",), caller="billing"),
    Page("breakglass:queue", ("page",)),
    Page(
        "childmode:picture",
        ("activity",),
        caller="guardian",
        child_mode=True,
        opens_with="activity=home_activity_id",
    ),
    Page("children:caseload", ("q", "page"), caller="therapist"),
    Page("collaborators:notes", ("page",), caller="consented_collaborator", child="other_child"),
    Page("groups:index", ("page",)),
    Page("homeprogram:handout", ("download",), caller="guardian"),
    Page("homeprogram:observation_new", ("goal",), caller="guardian"),
    Page("intake:index", ("tab", "page"), caller="front_desk"),
    Page("intake:detail", ("date", "time", "therapist", "duration_minutes"), caller="front_desk"),
    Page("messaging:index", ("before",), caller="guardian"),
    Page("notes:index", ("page",), caller="therapist"),
    Page("notes:new", ("appointment",), caller="therapist"),
    Page("notes:edit", ("draft",), caller="therapist"),
    Page("notes:note_pdf", ("export",), caller="therapist"),
    Page("notifications:index", ("page",), caller="guardian"),
    Page("plans:goal_new", ("bank",), caller="therapist"),
    Page("plans:goal_bank", GOAL_BANK, caller="therapist"),
    Page("plans:goal_bank_pick", GOAL_BANK, caller="therapist"),
    Page("plans:goal_bank_entry", ("id",), caller="therapist"),
    Page("progress:goal_sessions", ("page",), caller="therapist"),
    Page("progress:report", REPORT, caller="therapist"),
    Page("progress:report_pdf", (*REPORT, "export"), caller="therapist"),
    Page("resources:index", LIBRARY, caller="therapist"),
    Page("resources:detail", ("id",), caller="guardian"),
    Page("resources:file", ("id", "download"), caller="guardian"),
    Page("resources:edit", ("id",), caller="therapist"),
    Page("resources:archive", ("id",), caller="therapist", method="POST"),
    Page("resources:child", ("resource",), caller="therapist"),
    Page("resources:share", ("resource",), caller="therapist", method="POST"),
    Page("resources:workshop_edit", ("id",), caller="therapist"),
    Page("resources:workshop_roster", ("id",), caller="therapist"),
    Page("resources:workshop_call_off", ("id",), caller="therapist", method="POST"),
    Page("today:clinic", ("days",)),
]
# Where a view reads a parameter whose name is not written at the call (a helper given the
# name, a loop over names): the function, and the names it reads.
DYNAMIC = {
    "tandem/appointments/views.py:_date_param": ("date", "week"),
    "tandem/intake/views.py:_offer_initial": ("date", "time", "therapist", "duration_minutes"),
    "tandem/core/redirects.py:local_next": ("next",),
    "tandem/progress/views.py:report_pdf": REPORT,  # the form's fields, passed on to the PDF
}
# A redirect is to one of our pages (never to another site, whatever ``?next=`` says).
OK = {200, 302, 303}
CLEAR = {400, 404, 409, 429}
EXAMPLES = 6
# These hostile values for each parameter alone (a NUL is refused before any view reads
# it: core/tests/test_nul_characters.py; the generated values hold some too).
ALONE = tuple(v for v in EVERY_TIME if v != "\x00")[:5]


# --- The source: what the views read from request.GET -----------------------------

ROOT = Path(__file__).resolve().parent.parent.parent  # the repository
# ``request.GET`` itself, not one of its methods or values.
_WHOLE_GET = re.compile(r"\brequest\.GET\b(?![.\[])")


def _view_sources() -> list[Path]:
    """The package's modules (relative to the repository), tests and migrations aside."""
    skipped = {"tests", "security_tests", "browser_tests", "migrations"}
    found = (p.relative_to(ROOT) for p in (ROOT / "tandem").rglob("*.py"))
    return sorted(p for p in found if not skipped & set(p.parts))


def _functions() -> list[tuple[str, Any, ast.AST]]:
    """(file:function, its module, its tree) for every function that reads ``request.GET``."""
    found: list[tuple[str, Any, ast.AST]] = []
    for path in _view_sources():
        source = (ROOT / path).read_text()
        if "request.GET" not in source:
            continue
        module = importlib.import_module(".".join(path.with_suffix("").parts))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                "request.GET" in ast.unparse(node)
            ):
                found.append((f"{path}:{node.name}", module, node))
    return found


def _reads(function: ast.AST, module: Any) -> tuple[set[str], bool]:
    """The parameter names a function reads from ``request.GET`` (through an alias such as
    ``data = request.POST if … else request.GET`` and forms bound to it too), and whether
    it reads one named by a variable."""
    aliases = {"request.GET"}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _WHOLE_GET.search(ast.unparse(node.value)):
            aliases |= {ast.unparse(target) for target in node.targets}
    names: set[str] = set()
    dynamic = False
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("get", "getlist") and ast.unparse(node.func.value) in aliases:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(first.value)
                else:
                    dynamic = True
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in aliases:
            if isinstance(node.slice, ast.Constant):
                names.add(str(node.slice.value))
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.ops[0], ast.In)
            and ast.unparse(node.comparators[0]) in aliases
            and isinstance(node.left, ast.Constant)
        ):
            names.add(str(node.left.value))
        elif isinstance(node, ast.GeneratorExp) and any(
            a in ast.unparse(node.elt) for a in aliases
        ):
            for generator in node.generators:
                if isinstance(generator.iter, ast.Tuple | ast.List):
                    names |= {
                        str(e.value) for e in generator.iter.elts if isinstance(e, ast.Constant)
                    }
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.endswith("Form")
            and node.args
            and any(ast.unparse(n) in aliases for n in ast.walk(node.args[0]))
        ):
            names |= set(fields_of(getattr(module, node.func.id)))
    return names, dynamic


_TEMPLATE_READ = re.compile(r"request\.GET\.(\w+)")


def read_parameters() -> dict[str, set[str]]:
    """Each name a view or a template reads from ``request.GET``, with where."""
    found: dict[str, set[str]] = {}
    for template in sorted((ROOT / "tandem").rglob("*.html")):
        for name in _TEMPLATE_READ.findall(template.read_text()):
            found.setdefault(name, set()).add(str(template.relative_to(ROOT)))
    for where, module, function in _functions():
        names, _dynamic = _reads(function, module)
        for name in names | set(DYNAMIC.get(where, ())):
            found.setdefault(name, set()).add(where)
    return found


def dynamic_reads() -> list[str]:
    """Functions that read a parameter named by a variable (``request.GET.get(name)``)."""
    return [where for where, module, function in _functions() if _reads(function, module)[1]]


def test_every_parameter_a_page_reads_is_fuzzed() -> None:
    fuzzed = {name for page in PAGES for name in page.params}
    unknown = {
        name: sorted(where) for name, where in read_parameters().items() if name not in fuzzed
    }
    assert not unknown, f"page parameters not fuzzed: add them to PAGES: {unknown}"


def test_every_read_by_a_variable_name_is_listed() -> None:
    unlisted = sorted(set(dynamic_reads()) - set(DYNAMIC))
    assert not unlisted, f"say in DYNAMIC which names these read: {unlisted}"


def test_every_fuzzed_page_exists() -> None:
    routes = {route.name for route in all_routes()}
    assert not [page.route for page in PAGES if page.route not in routes]


# --- The pages, fuzzed ---------------------------------------------------------------


def url_of(world: Any, page: Page) -> str:
    route = next(r for r in all_routes() if r.name == page.route)
    if not route.kwargs:
        return reverse(page.route)
    child = getattr(world, page.child)
    cases = page_targets(world, route)
    kwargs = next((kw for _k, kw, obj in cases if obj == child), cases[0][1])
    return reverse(page.route, kwargs=kwargs)


def client_for(world: Any, identity: Identity, page: Page) -> Client:
    client = sign_in(Client(), identity.membership)
    if page.child_mode:
        client.post(reverse("childmode:enter"), {"child": str(getattr(world, page.child).pk)})
    return client


def body_of(response: Any) -> str:
    """The answer's text. A file's or a CSV's stream is read to its end, which ends the
    request (the test client closes it then), and with it the query guard's watch."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return str(content.decode("utf-8", "replace"))


def plain_query(world: Any, page: Page) -> dict[str, str]:
    if not page.opens_with:
        return {}
    name, record = page.opens_with.split("=")
    return {name: str(world.records[getattr(world, page.child).pk][record])}


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_hostile_query_values_never_break_the_page(peer_world: Any, db: Any, page: Page) -> None:
    identity = next(i for i in peer_world.identities if i.name == page.caller)
    ids = all_record_ids(peer_world)
    client = client_for(peer_world, identity, page)
    url = url_of(peer_world, page)
    send = client.post if page.method == "POST" else client.get
    with rolled_back():
        plain = send(url, plain_query(peer_world, page))
        body_of(plain)
    assert plain.status_code in OK, f"{page.caller} cannot open {url} ({plain.status_code})"
    never = identity.secrets + (() if identity.membership.is_staff_member else identity.families)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(zlib.crc32(str(page).encode()))
    @given(query=query_of(page.params, dict.fromkeys(page.params, ids)))
    def check(query: dict[str, str]) -> None:
        with rolled_back():
            response = send(url, query)
            body = body_of(response)
        status = response.status_code
        shown = f"as {identity}: {page.method} {url} {query!r:.300} → {status}"
        assert status in OK | CLEAR, shown
        if status in (302, 303):
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\")), shown
        elif status == 200:
            # What the request itself sent may come back (a search box, a page link).
            leaked = [s for s in never if s in body and not any(s in v for v in query.values())]
            assert not leaked, f"{shown} names what they may not see: {leaked}"

    for name in page.params:
        for value in ALONE:
            check = example(query={name: value})(check)
    check()
