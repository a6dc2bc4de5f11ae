"""What the generator counts."""

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

    def merge(self, other: "Counts") -> None:
        """Add what another count holds (the time aside)."""
        self.rows += other.rows
        self.children += other.children
        self.notes += other.notes
        self.goal_data += other.goal_data
        self.appointments += other.appointments
        for table, n in other.by_table.items():
            self.by_table[table] = self.by_table.get(table, 0) + n
