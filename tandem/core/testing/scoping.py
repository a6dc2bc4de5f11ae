"""Which models hold a clinic's data, found from the app registry.

Both guards over the access layer read this: the query guard in ``tandem/conftest.py``
(every SELECT on these tables during a request filters by organization) and the lint in
``core/tests/test_access_layer_usage.py`` (views and API handlers never name their
managers). A new app's models are covered without touching either.
"""

import re
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from types import CodeType
from typing import Any

from django.apps import apps
from django.db import models


def _foreign_key(model: type[models.Model], name: str) -> models.ForeignKey | None:
    field = next((f for f in model._meta.fields if f.name == name), None)
    return field if isinstance(field, models.ForeignKey) else None


def organization_models() -> list[type[models.Model]]:
    """Every model with an ``organization`` foreign key: Child and everything pointing at a
    child (history tables included), and the clinic's own rows (memberships, invitations,
    resources, the goal bank…). A model pointing at a child must carry its organization."""
    found = []
    for model in apps.get_models():
        child = _foreign_key(model, "child")
        if child is not None and child.related_model._meta.label == "children.Child":
            assert _foreign_key(model, "organization"), (
                f"{model.__name__} holds child data: add organization"
            )
        if _foreign_key(model, "organization") is not None:
            found.append(model)
    return found


def protected_models() -> list[type[models.Model]]:
    """The organization models, Organization itself, and the models a required foreign key
    ties to one of them (an API token belongs to its membership)."""
    owned = set(organization_models())
    owners = owned | {apps.get_model("accounts", "Organization")}
    belonging = {
        model
        for model in apps.get_models()
        if any(
            isinstance(f, models.ForeignKey) and not f.null and f.related_model in owned
            for f in model._meta.fields
        )
    }
    return sorted(owners | belonging, key=lambda m: m._meta.label)


# --- Does a SELECT filter each organization table by organization? -----------------
#
# A table (or its alias) is filtered when the query chooses a clinic for it:
# - its organization_id is compared with a value (``= %s``, ``IN (%s, …)``); naming the
#   column in the SELECT list filters nothing (a full-row SELECT always lists it), nor does
#   joining the clinic's own row (``… = "accounts_organization"."id"``);
# - or its organization_id equals that of a filtered table (``U0."organization_id" =
#   ("children_child"."organization_id")`` in a subquery);
# - or it is the row a filtered row points at (``INNER JOIN "accounts_membership" ON
#   ("notes_sessionnote"."author_id" = "accounts_membership"."id")``): a foreign key from
#   a row already scoped. Rows pointing *at* a filtered row are not: they filter themselves.

_KEYWORDS = ("ON", "WHERE", "INNER", "LEFT", "GROUP", "ORDER", "LIMIT", "JOIN", "CROSS", "UNION")
_NAME = r'(?:"\w+"|\w+)'
_COLUMN = '."organization_id"'
_COMPARED_WITH = re.compile(rf'\s*(?:=|IN\b)\s*\(?\s*(?:({_NAME})\."(organization_id|id)")?', re.I)
_FORWARD_JOIN = re.compile(rf'\s*({_NAME})\."\w+"\s*=\s*({_NAME})\."id"\s*')
_table_ref: re.Pattern[str] | None = None


def _tables() -> re.Pattern[str]:
    """``FROM|JOIN "table" [alias] [ON (condition)]`` for every organization table."""
    global _table_ref
    if _table_ref is None:
        tables = sorted((m._meta.db_table for m in organization_models()), key=len, reverse=True)
        not_keyword = "".join(rf"(?!{k}\b)" for k in _KEYWORDS)
        _table_ref = re.compile(
            r'(?:FROM|JOIN)\s+"(' + "|".join(tables) + r')"'
            rf"(?:\s+(?:AS\s+)?{not_keyword}({_NAME}))?"
            r"(?:\s+ON\s+\(([^()]*)\))?"  # (Django writes its keywords in capitals)
        )
    return _table_ref


def _name_before(sql: str, at: int) -> str:
    """The table or alias written just before position ``at`` (``"plans_goal"``, ``U0``)."""
    if sql[at - 1 : at] == '"':
        return sql[sql.rfind('"', 0, at - 1) : at]
    start = at
    while start > 0 and (sql[start - 1].isalnum() or sql[start - 1] == "_"):
        start -= 1
    return sql[start:at]


def _organization_conditions(sql: str) -> tuple[set[str], list[tuple[str, str]]]:
    """The names whose organization_id is compared with a value, and the pairs of names
    whose organization_ids are compared with each other."""
    valued: set[str] = set()
    pairs = []
    at = sql.find(_COLUMN)
    while at != -1:
        name = _name_before(sql, at)
        compared = _COMPARED_WITH.match(sql, at + len(_COLUMN))
        if name and compared:
            other, column = compared.groups()
            if other is None:
                valued.add(name)
            elif column == "organization_id":
                pairs.append((name, other))
            # (``… = "accounts_organization"."id"`` joins the clinic's row: no filter)
        at = sql.find(_COLUMN, at + 1)
    return valued, pairs


def unscoped_tables(sql: str) -> list[str]:
    """Return the organization tables a SELECT reads without filtering by organization."""
    if sql.lstrip()[:6].upper() != "SELECT":
        return []
    refs = [match.groups() for match in _tables().finditer(sql)]  # (table, alias, on)
    if not refs:
        return []
    valued, pairs = _organization_conditions(sql)
    names = [{f'"{table}"', alias} - {None} for table, alias, _ in refs]
    # Who vouches for whom: the tables whose clinic another one's organization_id equals,
    # and the row each joined row is pointed at from.
    vouchers: list[set[str]] = [set() for _ in refs]
    for a, b in pairs:
        for i, own in enumerate(names):
            vouchers[i] |= {b} if a in own else {a} if b in own else set()
    for i, (_, _, on) in enumerate(refs):
        joined = _FORWARD_JOIN.fullmatch(on or "")
        if joined and joined.group(2) in names[i]:
            vouchers[i].add(joined.group(1))
    filtered = {i for i, own in enumerate(names) if own & valued}
    grew = True
    while grew:
        vouched = {
            i
            for i in range(len(refs))
            if i not in filtered and any(vouchers[i] & names[j] for j in filtered)
        }
        filtered |= vouched
        grew = bool(vouched)
    return [table for i, (table, _, _) in enumerate(refs) if i not in filtered]


# --- Watching the queries of a request ----------------------------------------------
#
# The few reads that are not a clinic's, each for a reason. A query that fails the check
# is let through when one of these functions is running it (looked up only then, so the
# check stays cheap).


def _readers_without_a_clinic() -> dict[CodeType, str]:
    from django.db.models.fields.related import ForeignKey
    from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

    from tandem.accounts import access
    from tandem.appointments import actions as appointments
    from tandem.appointments import calendar

    reasons = {
        ForwardManyToOneDescriptor.get_object: "the row a row already read points at (a join)",
        ForeignKey.validate: "a form re-checks that the row its own field chose exists",
        access.own_memberships: "the signed-in person's memberships: how a clinic is chosen",
        access.live_token: "an API token, found by its secret, names its member",
        access.invitation_by_token: "an invitation link, found by its secret, names its clinic",
        calendar.feed_for_token: "a calendar feed, found by its secret, names its member",
        appointments.drop_unused_session: "deleting a session of the clinic, already read: "
        "Django's delete looks up the rows pointing at it by its id",
    }
    return {function.__code__: reason for function, reason in reasons.items()}


def _down(counts: "Counter[int]") -> None:
    thread = threading.get_ident()
    counts[thread] = max(0, counts[thread] - 1)


class QueryScopeChecker:
    """Collects the SELECTs a request makes on organization tables without filtering by
    organization. Background tasks are not watched: a task runs in the worker, not in
    the request (the test settings only run it at once, inside the request)."""

    def __init__(self) -> None:
        # Per thread: a live server's request still running from an earlier browser test
        # must not make the test's own reads (in its own thread) count as a request's.
        self.in_request: Counter[int] = Counter()
        self.in_task: Counter[int] = Counter()
        self.violations: list[str] = []
        self._exempt: dict[CodeType, str] | None = None

    def request_started(self, **kwargs: Any) -> None:
        self.in_request[threading.get_ident()] += 1

    def request_finished(self, **kwargs: Any) -> None:
        _down(self.in_request)

    def task_started(self, **kwargs: Any) -> None:
        self.in_task[threading.get_ident()] += 1

    def task_finished(self, **kwargs: Any) -> None:
        _down(self.in_task)

    def _read_without_a_clinic(self) -> bool:
        if self._exempt is None:
            self._exempt = _readers_without_a_clinic()
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code in self._exempt:
                return True
            frame = frame.f_back  # type: ignore[assignment]
        return False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        thread = threading.get_ident()
        watched = self.in_request[thread] and not self.in_task[thread]
        if watched and (tables := unscoped_tables(sql)) and not self._read_without_a_clinic():
            # From FROM on: the column list says nothing about the filter.
            self.violations.append(f"{', '.join(tables)}: {sql[sql.find(' FROM ') :][:600]}")
        return execute(sql, params, many, context)

    @contextmanager
    def watching(self) -> Iterator["QueryScopeChecker"]:
        """Watch every request's queries (and the tasks they run) inside the block, on
        every database alias (a report's reads may go to the replica)."""
        from django.core.signals import request_finished, request_started
        from django.db import connections
        from django_tasks.signals import task_finished, task_started

        signals = [
            (request_started, self.request_started),
            (request_finished, self.request_finished),
            (task_started, self.task_started),
            (task_finished, self.task_finished),
        ]
        for signal, receiver in signals:
            signal.connect(receiver, weak=False, dispatch_uid=f"scope-{receiver.__name__}")
        try:
            with ExitStack() as wrappers:
                for alias in connections:
                    wrappers.enter_context(connections[alias].execute_wrapper(self))
                yield self
        finally:
            for signal, receiver in signals:
                signal.disconnect(dispatch_uid=f"scope-{receiver.__name__}")
