"""Billable units from the minutes of each service code.

Two methods, chosen per payer:

- ``cms`` — the CMS "8-minute rule" (Medicare Claims Processing Manual, Pub. 100-04,
  chapter 5, §20.2): the *total* minutes of every timed code in the day give the number of
  units (8–22 → 1, 23–37 → 2, 38–52 → 3 …, under 8 → 0); they go first to each code's whole
  15-minute blocks, then, one each, to the codes with the most minutes left over.
- ``per_code`` — the "substantial portion" method many commercial payers use: each timed
  code on its own, one unit from 8 minutes, another at each further 15.

An untimed code is one unit whatever its length.
"""

from collections.abc import Sequence
from dataclasses import dataclass

UNIT_MINUTES = 15
THRESHOLD = 8  # a unit starts at 8 minutes (more than half of 15)


@dataclass(frozen=True)
class Minutes:
    """One code's minutes in a day (the order is the order the therapist listed them)."""

    code: str
    minutes: int
    timed: bool = True


def units_for_minutes(minutes: int) -> int:
    """Units of one timed total: 8–22 → 1, 23–37 → 2, 38–52 → 3, and so on; under 8 → 0."""
    if minutes < 0:
        raise ValueError("Minutes cannot be negative.")
    whole, rest = divmod(minutes, UNIT_MINUTES)
    return whole + (1 if rest >= THRESHOLD else 0)


def cms_units(lines: Sequence[Minutes]) -> list[int]:
    """Units per line by the CMS method (untimed lines: 1 each).

    Whole 15-minute blocks first; the remaining units go, one at a time, to the line with
    the most minutes left over (on a tie, the line listed first).
    """
    _check(lines)
    timed = [i for i, line in enumerate(lines) if line.timed]
    units = [0 if line.timed else 1 for line in lines]
    total = units_for_minutes(sum(lines[i].minutes for i in timed))
    left = {i: lines[i].minutes for i in timed}
    for i in timed:
        units[i], left[i] = divmod(lines[i].minutes, UNIT_MINUTES)
    for _unit in range(total - sum(units[i] for i in timed)):
        best = max(timed, key=lambda i: (left[i], -i))
        units[best] += 1
        left[best] = -1  # a line gets at most one of the remaining units
        if all(v < 0 for v in left.values()):
            left = {i: 0 for i in timed}
    return units


def per_code_units(lines: Sequence[Minutes]) -> list[int]:
    """Units per line, each timed code on its own (untimed lines: 1 each)."""
    _check(lines)
    return [units_for_minutes(line.minutes) if line.timed else 1 for line in lines]


METHODS = {"cms": cms_units, "per_code": per_code_units}


def units(lines: Sequence[Minutes], method: str = "cms") -> list[int]:
    return METHODS[method](lines)


def _check(lines: Sequence[Minutes]) -> None:
    for line in lines:
        if line.minutes < 0:
            raise ValueError(f"Minutes cannot be negative ({line.code}).")
