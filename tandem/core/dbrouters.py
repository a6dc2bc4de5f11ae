"""Reports and exports may read from a replica of the database; nothing else does.

With ``TANDEM_REPLICA_DATABASE_URL`` set, settings add a ``replica`` alias (a streaming
replica of the primary). Only code that says so reads from it, inside
``reading_from_replica()``: the worker printing a PDF, the progress report page, the CSV
exports (``report_database()`` for a queryset read after the view returns, as a streamed
answer is). Every other read, and every write, goes to ``default``: a page that has just
saved something must read it back, and a replica may be a moment behind.

Inside a transaction on ``default`` the block reads from ``default`` too: the replica
cannot see what that transaction wrote. (The test suite runs each test in a
transaction, so only tests that commit see the replica; see
``core/tests/test_replica.py``.)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Send the reads made inside the block to the replica, when there is one."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def report_database() -> str:
    """The alias a report's reads may use now: the replica when there is one and no
    transaction on ``default`` is open, else ``default``."""
    if REPLICA in connections.settings and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """``settings.DATABASE_ROUTERS``: reads in ``reading_from_replica()`` go to the
    replica; nothing is ever written to it nor migrated there. Everything else is left
    to Django (``default``, or the alias a row was read from)."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_from_replica.get():
            return report_database()
        # Outside the block, what a row read from the replica points at is read fresh.
        return DEFAULT_DB_ALIAS if _from_replica(hints) else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        # A row read from the replica is saved (or its relations written) on the primary.
        return DEFAULT_DB_ALIAS if _from_replica(hints) else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: a row read from one may point at a row of the other.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def _from_replica(hints: dict[str, Any]) -> bool:
    instance = hints.get("instance")
    return instance is not None and instance._state.db == REPLICA
