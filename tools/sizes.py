"""Flag product modules over 500 lines: a module that long does more than one thing.

    python tools/sizes.py     # exit 1 and list them if any

Tests, migrations and data modules (anything under a ``data/`` package: literal tables,
not code) are not counted.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500
SKIP_PARTS = {"tests", "migrations", "data", "browser_tests", "vendor"}


def oversized() -> list[tuple[str, int]]:
    found = []
    for path in sorted((ROOT / "tandem").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if SKIP_PARTS & set(rel.parts) or path.name == "conftest.py":
            continue
        lines = len(path.read_text().splitlines())
        if lines > LIMIT:
            found.append((str(rel), lines))
    return found


def main() -> int:
    found = oversized()
    for name, lines in found:
        print(f"{name}: {lines} lines (limit {LIMIT}): split it by topic")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
