"""The plan to shard Tandem by clinic on Citus: every table, where it would live, and what
a distribution by ``organization_id`` would break (docs/scaling.md, "Sharding by clinic").

    python tools/citus.py           print the plan (markdown)
    python tools/citus.py --write   write it into docs/scaling.md, between its markers
    python tools/citus.py --check   fail when a table without organization_id has no place
                                    below, or when docs/scaling.md's plan is out of date

The tables come from the app registry (every model, the many-to-many tables Django makes,
the history tables) and the two tables no model describes. A table with an
``organization_id`` column is distributed by it; every other table must be given its
place in ``PLACES``: so a new table cannot arrive without someone deciding where it goes.
Citus asks that, on a distributed table, every primary key and unique constraint include
the distribution column, and that a foreign key between distributed tables include it
on both sides; a reference or local table may not point at a distributed one.
"""

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "scaling.md"
START = "<!-- citus-plan:start -->"
END = "<!-- citus-plan:end -->"
ORG = "organization_id"

DISTRIBUTED = "distributed"
TO_DISTRIBUTE = "distributed, after adding organization_id"
REFERENCE = "reference"
LOCAL = "local (coordinator)"

# Every table without organization_id: its place in a Citus cluster, and why.
PLACES: dict[str, tuple[str, str]] = {
    "accounts_organization": (
        REFERENCE,
        "the clinics: a row each, read by every request; every organization_id points here",
    ),
    "accounts_user": (REFERENCE, "people, who may belong to several clinics"),
    "accounts_user_groups": (REFERENCE, "Django's groups of a person (Tandem's roles are not)"),
    "accounts_user_user_permissions": (REFERENCE, "Django's permissions of a person"),
    "auth_group": (REFERENCE, "Django's catalogue"),
    "auth_group_permissions": (REFERENCE, "Django's catalogue"),
    "auth_permission": (REFERENCE, "Django's catalogue"),
    "django_content_type": (REFERENCE, "Django's catalogue"),
    "account_emailaddress": (REFERENCE, "a person's email addresses (allauth)"),
    "account_emailconfirmation": (REFERENCE, "a person's email confirmations (allauth)"),
    "mfa_authenticator": (REFERENCE, "a person's authenticators, written when they sign in"),
    "usersessions_usersession": (
        LOCAL,
        "a person's signed-in devices, written once a minute each: too busy to copy to "
        "every node; points only at people (a reference table)",
    ),
    "django_session": (LOCAL, "sessions: written by many requests, point at nothing"),
    "django_tasks_database_dbtaskresult": (
        LOCAL,
        "the task queue: workers claim with SELECT … FOR UPDATE SKIP LOCKED; rows hold ids",
    ),
    "tandem_cache": (LOCAL, "the database cache (rate limits, used codes); absent with Redis"),
    "django_migrations": (LOCAL, "Django's record of applied migrations"),
    "accounts_apitoken": (
        TO_DISTRIBUTE,
        "a member's token; found by its secret alone, so the clinic must travel in the "
        "token (or every API request asks every shard)",
    ),
    "appointments_calendarfeed": (
        TO_DISTRIBUTE,
        "a member's calendar feed; found by its secret alone, as API tokens are",
    ),
    "homeprogram_homeactivity_goals": (
        TO_DISTRIBUTE,
        "links an activity to goals, both distributed: an explicit through model",
    ),
}
# Tables no model describes.
UNMODELLED = ("django_migrations", "tandem_cache")


@dataclass
class Table:
    name: str
    model: str
    has_org: bool
    place: str
    why: str = ""
    keys: list[str] = field(default_factory=list)  # keys and unique constraints w/o org
    links: list[str] = field(default_factory=list)  # foreign keys a distribution breaks


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings_test")
    import django

    django.setup()


def _unique_column_sets(model: type) -> list[tuple[str, list[str]]]:
    """(what, columns) of the primary key and of each unique constraint."""
    from django.db import models

    meta = model._meta  # type: ignore[attr-defined]
    columns = {f.name: f.column for f in meta.concrete_fields}
    found = [("primary key", [meta.pk.column])]
    found += [
        (f"unique {f.column}", [f.column])
        for f in meta.concrete_fields
        if f.unique and not f.primary_key
    ]
    found += [
        ("unique together", [columns[name] for name in names]) for names in meta.unique_together
    ]
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names = list(constraint.fields) or [str(e) for e in constraint.expressions]
            found.append((f"unique {constraint.name}", [columns.get(n, n) for n in names]))
    return found


def collect() -> list[Table]:
    """Every table, with its place and, where a distribution breaks them, its keys and links."""
    from django.apps import apps
    from django.db import models

    models_by_table = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy:
            models_by_table[meta.db_table] = model
    tables: dict[str, Table] = {}
    for name, model in models_by_table.items():
        has_org = any(f.column == ORG for f in model._meta.concrete_fields)
        place, why = (DISTRIBUTED, "") if has_org else PLACES.get(name, ("", ""))
        tables[name] = Table(name, model._meta.label, has_org, place, why)
    for name in UNMODELLED:
        place, why = PLACES[name]
        tables[name] = Table(name, "", False, place, why)

    sharded = {DISTRIBUTED, TO_DISTRIBUTE}
    for name, model in models_by_table.items():
        table = tables[name]
        if table.place in sharded:
            if any(f.column == ORG and f.null for f in model._meta.concrete_fields):
                table.keys.append("organization_id may be NULL (a distribution column may not)")
            for what, columns in _unique_column_sets(model):
                if ORG not in columns:
                    table.keys.append(f"{what} ({', '.join(columns)})")
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.ForeignKey) or not f.db_constraint:
                continue
            target = tables.get(f.related_model._meta.db_table)
            if target is None or not target.place:
                continue
            if table.place in sharded and target.place in sharded:
                table.links.append(f"{f.column} → {target.name}")
            elif target.place in sharded or (table.place in sharded and target.place == LOCAL):
                table.links.append(f"{f.column} → {target.name} ({target.place})")
    return sorted(tables.values(), key=lambda t: t.name)


def render(tables: list[Table]) -> str:
    """The plan as markdown: a summary, every table's place, and what breaks."""
    counts = {place: sum(t.place == place for t in tables) for place in PLACES_ORDER}
    lines = [
        START,
        "",
        "<!-- Generated by `python tools/citus.py --write` from the app registry; `python "
        "tools/citus.py --check` (in `make lint` and the tests) fails when it is stale. -->",
        "",
        f"**{len(tables)} tables**: "
        + ", ".join(f"{counts[place]} {place}" for place in PLACES_ORDER)
        + ".",
        "",
        "| table | model | `organization_id` | place | why |",
        "|---|---|---|---|---|",
    ]
    for t in tables:
        has = "yes" if t.has_org else "—"
        lines.append(f"| `{t.name}` | {t.model or '—'} | {has} | {t.place} | {t.why} |")
    breaking = [t for t in tables if t.keys or t.links]
    lines += [
        "",
        f"What a distribution by `organization_id` breaks ({len(breaking)} tables; "
        f"{sum(len(t.keys) for t in breaking)} keys and unique constraints without "
        f"`organization_id`, {sum(len(t.links) for t in breaking)} foreign keys that "
        "would have to include it or cannot stay):",
        "",
        "| table | keys and unique constraints without `organization_id` | foreign keys |",
        "|---|---|---|",
    ]
    for t in breaking:
        keys = "; ".join(t.keys) or "—"
        links = "; ".join(t.links) or "—"
        lines.append(f"| `{t.name}` | {keys} | {links} |")
    lines += ["", END]
    return "\n".join(lines)


PLACES_ORDER = (DISTRIBUTED, TO_DISTRIBUTE, REFERENCE, LOCAL)


def problems(tables: list[Table], doc: str) -> list[str]:
    """What keeps the plan from being current: tables without a place, places of tables
    that are gone or now have organization_id, and a stale section in docs/scaling.md."""
    found = []
    names = {t.name for t in tables}
    for t in tables:
        if not t.place:
            found.append(
                f"{t.name} ({t.model}) has no organization_id and no place in tools/citus.py "
                "PLACES: add organization_id, or say where it lives (reference, local…) and why"
            )
        if t.has_org and t.name in PLACES:
            found.append(f"{t.name} now has organization_id: take it out of PLACES")
    found += [f"PLACES names {name}, which is no table" for name in PLACES if name not in names]
    if START not in doc or END not in doc:
        found.append(f"{DOC.relative_to(ROOT)} has no {START} … {END} section")
    elif _section(doc) != render(tables):
        found.append(
            f"{DOC.relative_to(ROOT)}'s plan is out of date: run python tools/citus.py --write"
        )
    return found


def _section(doc: str) -> str:
    return doc[doc.index(START) : doc.index(END) + len(END)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when the plan is not current")
    parser.add_argument("--write", action="store_true", help="write the plan into the doc")
    args = parser.parse_args()
    _setup()
    tables = collect()
    doc = DOC.read_text() if DOC.exists() else ""
    if args.write:
        if START not in doc or END not in doc:
            print(f"{DOC} needs a {START} … {END} section", file=sys.stderr)
            return 1
        DOC.write_text(doc.replace(_section(doc), render(tables)))
        doc = DOC.read_text()
    if args.check or args.write:
        found = problems(tables, doc)
        for problem in found:
            print(problem, file=sys.stderr)
        return 1 if found else 0
    print(render(tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
