"""What the generator counts, and how many rows go in one INSERT."""

from dataclasses import dataclass, field

BATCH = 5000  # rows per INSERT


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
