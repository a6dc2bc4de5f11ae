"""The Progress tab's drawn parts, rendered once per what they show (issue 16).

Drawing the charts and rendering the goal cards is most of the tab's cost, and it is the
same every time until the data change. The page still reads everything it shows on every
request (plans, goals, signed readings, home practice: the same queries as before, through
the access layer); the key is a digest **of what was read** — every stored field of the
child, each plan and each goal, every reading and practice week — plus who looks (the
membership, its role and register), the language, the clinic's today and the templates'
own source. So the cached markup can only be served for exactly the inputs it was rendered
from: a new signed note, an edited goal, a practice logged, a language switch or another
viewer gives another key, and nothing has to be invalidated. The family's and child's
ratings (the side-by-side table) and the report form are rendered live, outside the cache.
"""

import hashlib
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

from django.db.models import Model
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock

from . import charts
from .services import ChildProgress

VERSION = "1"
# Kept in the worker's memory, the least recently used dropped past this many characters
# (a 3-year child's tab is ~90 k): no database or network round trip on a hit, and the
# worker's memory stays bounded. A key is a digest of its inputs, so workers need not agree.
MAX_CHARS = 4_000_000
_kept: "OrderedDict[str, tuple[int, dict[str, Any]]]" = OrderedDict()
_kept_chars = 0
_lock = threading.Lock()
TEMPLATES = (
    "progress/_staff_summary.html",
    "progress/_family_intro.html",
    "progress/_tscore.html",
    "progress/_goals.html",
    "progress/_goal.html",
    "progress/_goal_staff.html",
    "progress/_goal_family.html",
    "progress/_chart.html",
    "progress/_chart_svg.html",
    "progress/_chart_legend.html",
    "ratings/_rate_goal.html",
)


@cache
def _templates_digest() -> str:
    """The templates' own source, so a deployment that changes them changes every key."""
    digest = hashlib.sha256()
    for name in TEMPLATES:
        template: Any = get_template(name)  # the Django engine's, with its source
        digest.update(template.template.source.encode())
    return digest.hexdigest()


def _fields(obj: Model) -> tuple[Any, ...]:
    """Every stored field of a row, as read (a change to any of them changes the key)."""
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


def key(membership: Membership, child: Child, progress: ChildProgress, *, family: bool) -> str:
    """The digest of everything the cached parts are rendered from."""
    parts: list[Any] = [
        VERSION,
        _templates_digest(),
        membership.pk,
        membership.role,
        family,
        get_language(),
        clock.today(),
        progress.start,
        progress.end,
        _fields(child),
    ]
    for plan in progress.plans:
        parts.append(_fields(plan.plan))
        for gp in plan.goals:
            parts.append(_fields(gp.goal))
            parts.append([(r.date, r.value, r.gas_level, r.note_id) for r in gp.readings])
            parts.append(gp.home_practice)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"progress-tab:{child.pk}:{digest}"


def _render(
    membership: Membership, child: Child, progress: ChildProgress, *, family: bool
) -> dict[str, Any]:
    charts.draw(progress, family=family)
    # ``reader``: the member the parts are for (in the key): a family's links to rate goals.
    context = {"child": child, "progress": progress, "family": family, "reader": membership}
    summary = "progress/_family_intro.html" if family else "progress/_staff_summary.html"
    plans = {}
    for plan in progress.plans:
        plan_context = context | {"plan": plan}
        plans[str(plan.plan.pk)] = {
            "tscore": render_to_string("progress/_tscore.html", plan_context),
            "goals": render_to_string("progress/_goals.html", plan_context),
        }
    return {"summary": render_to_string(summary, context), "plans": plans}


def _get(cache_key: str) -> dict[str, Any] | None:
    with _lock:
        found = _kept.get(cache_key)
        if found is None:
            return None
        _kept.move_to_end(cache_key)
        return found[1]


def _put(cache_key: str, parts: dict[str, Any]) -> None:
    global _kept_chars
    size = len(parts["summary"]) + sum(len(h) for p in parts["plans"].values() for h in p.values())
    with _lock:
        if cache_key in _kept:
            return
        _kept[cache_key] = (size, parts)
        _kept_chars += size
        while _kept_chars > MAX_CHARS and len(_kept) > 1:
            _key, (dropped, _parts) = _kept.popitem(last=False)
            _kept_chars -= dropped


def clear() -> None:
    """Forget every rendered part (tests)."""
    global _kept_chars
    with _lock:
        _kept.clear()
        _kept_chars = 0


def attach(
    membership: Membership, child: Child, progress: ChildProgress, *, family: bool
) -> SafeString:
    """Put each plan's rendered T-score chart and goal cards on ``progress`` (``plan.html``),
    from memory when the same inputs were rendered before; return the summary card."""
    cache_key = key(membership, child, progress, family=family)
    parts = _get(cache_key)
    if parts is None:
        parts = _render(membership, child, progress, family=family)
        _put(cache_key, parts)
    for plan in progress.plans:
        found = parts["plans"][str(plan.plan.pk)]
        # Rendered by our own templates above (autoescaped then): safe as they were.
        plan.html = {name: mark_safe(html) for name, html in found.items()}  # noqa: S308
    return mark_safe(parts["summary"])  # noqa: S308
