"""What the generator counts, and how it writes its own timestamps."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Counts:
    rows: int = 0
    children: int = 0
    notes: int = 0
    goal_data: int = 0
    appointments: int = 0
    seconds: float = 0.0
    by_table: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int, *, history: bool) -> None:
        total = n * (2 if history else 1)
        self.rows += total
        self.by_table[table] = self.by_table.get(table, 0) + n


@contextlib.contextmanager
def explicit_timestamps(*models: type) -> Iterator[None]:
    """Let bulk inserts keep the created_at/updated_at we give (the seal hashes created_at)."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if f.name not in ("created_at", "updated_at"):
                continue
            saved.append((f, f.auto_now, f.auto_now_add))
            f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
