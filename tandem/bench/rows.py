"""The generator's fast path: rows as tuples, written with COPY (PostgreSQL) or executemany.

A ``Table`` turns a record (a dict of attribute names to values, as a model instance
would hold them) into a tuple in the order of the model's concrete fields; what the
record leaves out is the field's default, as ``Model.__init__`` would set it, so a field
added to a model is written with its default rather than missed. A default that is not
a constant (``timezone.now``, ``uuid4``) must be given, so that the rows stay
deterministic. A versioned model's ``Table`` also writes its "+" history row, as
django-simple-history writes it on creation (the tracked fields, ``history_date``, no
user, no change reason).

``take()`` empties the queues into a batch and ``write()`` writes it, table by table in
the order given: with PostgreSQL's ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy``),
else one ``executemany`` of plain tuples (SQLite). Triggers and constraints run as for
any insert. ``Writer`` commits batches one after another, on PostgreSQL from a thread
of its own while the next batch is built.
"""

import json
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

# Values of these fields need no conversion for psycopg (it adapts the Python type).
NATIVE = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "EmailField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "UUIDField",
}
CONSTANT_FACTORIES = (list, dict)  # callable defaults that give the same value every time


def _converter(field: Field[Any, Any], postgres: bool) -> Callable[[Any], Any] | None:
    """How a value of the field goes to the database (None: as it is)."""
    kind = field.get_internal_type()
    if postgres and kind == "JSONField":
        encoder = getattr(field, "encoder", None)
        return lambda v: None if v is None else json.dumps(v, cls=encoder)
    if postgres and kind in NATIVE:
        return None
    return lambda v: field.get_db_prep_save(v, connection)


class Table:
    """The rows of one model (and of its history) waiting to be written."""

    def __init__(self, model: type[Model], *, history: bool = False) -> None:
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.fields = fields
        self.names = [f.attname for f in fields]
        self.defaults = {
            f.attname: None if self._needs_value(f) else f.get_default() for f in fields
        }
        self.required = {f.attname for f in fields if self._needs_value(f)}
        self.rows: list[tuple[Any, ...]] = []
        self.history: list[tuple[Any, ...]] | None = [] if history else None
        postgres = connection.vendor == "postgresql"
        self.convert = [_converter(f, postgres) for f in fields]
        if history:
            history_model = model.history.model  # type: ignore[attr-defined]
            self.history_model = history_model
            hfields = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
            self.history_names = [f.attname for f in hfields]
            self.history_convert = [_converter(f, postgres) for f in hfields]
            position = {name: i for i, name in enumerate(self.names)}
            missing = [
                n for n in self.history_names if n not in position and not n.startswith("history_")
            ]
            if missing:  # a history column that is not one of the model's
                raise ValueError(f"{history_model.__name__}: no value for {missing}")
            self.history_positions = [position.get(n, -1) for n in self.history_names]

    @staticmethod
    def _needs_value(field: Field[Any, Any]) -> bool:
        default = field.default
        return field.has_default() and callable(default) and default not in CONSTANT_FACTORIES

    def record(self, **values: Any) -> dict[str, Any]:
        """The full record: the values given, the defaults for the rest."""
        if not self.required <= values.keys():
            missing = sorted(self.required - values.keys())
            raise ValueError(f"{self.model.__name__}: give {missing} (no constant default)")
        return {**self.defaults, **values}

    def add(self, record: dict[str, Any], *, history_date: datetime | None = None) -> None:
        """Queue the record's row (and its "+" history row, dated history_date)."""
        row = tuple(record[name] for name in self.names)
        self.rows.append(row)
        if self.history is not None:
            extra = {
                "history_date": history_date or record["created_at"],
                "history_change_reason": None,
                "history_type": "+",
                "history_user_id": None,
            }
            self.history.append(
                tuple(
                    row[i] if i >= 0 else extra[name]
                    for i, name in zip(self.history_positions, self.history_names, strict=True)
                )
            )

    def __len__(self) -> int:
        return len(self.rows)


Converter = Callable[[Any], Any] | None
# (table, its columns, its rows, how each column's values go to the database)
Batch = list[tuple[str, list[str], list[tuple[Any, ...]], list[Converter]]]


def take(tables: list[Table]) -> tuple[Batch, dict[str, int]]:
    """The queued rows of each table, then its history's, in order (emptying the queues),
    and how many records per table."""
    batch: Batch = []
    records: dict[str, int] = {}
    for t in tables:
        if not t.rows:
            continue
        batch.append((t.model._meta.db_table, t.names, t.rows, t.convert))
        records[t.model._meta.db_table] = len(t.rows)
        if t.history is not None:
            name = t.history_model._meta.db_table
            batch.append((name, t.history_names, t.history, t.history_convert))
            t.history = []
        t.rows = []
    return batch, records


def write(batch: Batch) -> None:
    """Write the rows, table after table, on this thread's connection."""
    postgres = connection.vendor == "postgresql"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, names, rows, convert in batch:
            columns = ", ".join(quote(n) for n in names)
            if postgres:
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in _converted(rows, convert):
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, list(_converted(rows, convert)))


def _converted(rows: list[tuple[Any, ...]], convert: list[Converter]) -> Iterable[Any]:
    todo = [(i, c) for i, c in enumerate(convert) if c is not None]
    if not todo:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for i, c in todo:
            values[i] = c(values[i])
        yield values


class Writer:
    """Writes the batches in order, each in a transaction of its own.

    On PostgreSQL, outside a transaction, a thread with its own connection writes a
    batch while the caller builds the next (at most one batch waits); otherwise, and in
    a transaction (the tests), the batch is written right away on the caller's connection.
    ``done`` is called on the caller's thread once the batch is committed.
    """

    def __init__(self) -> None:
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="bench-writer") if threaded else None
        self.pending: tuple[Future[None], Callable[[], None]] | None = None

    def submit(self, batch: Batch, done: Callable[[], None]) -> None:
        if self.pool is None:
            _committed(batch)
            done()
            return
        self.wait()
        self.pending = (self.pool.submit(_committed, batch), done)

    def wait(self) -> None:
        if self.pending is not None:
            future, done = self.pending
            self.pending = None
            future.result()  # raises what the writer raised
            done()

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.wait()
        finally:
            if self.pool is not None:
                self.pool.submit(_close).result()
                self.pool.shutdown()


def _committed(batch: Batch) -> None:
    with transaction.atomic():
        write(batch)


def _close() -> None:
    connection.close()  # the writer thread's connection
