# ruff: noqa: RUF002
"""Goal Attainment Scaling: the plan's summary T-score (Kiresuk & Sherman, 1968).

    T = 50 + 10·Σ(wᵢxᵢ) / sqrt((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²)

with each goal's attained level xᵢ in −2..+2, its weight wᵢ (1 when unweighted) and
ρ = 0.3, the assumed correlation between goal scores (the denominator as corrected
in Turner-Stokes, Clin Rehabil 2009;23:362). T = 50 means every goal was met as
expected; each level above or below moves T by about ten points per goal's share.
"""

import math
from collections.abc import Sequence
from numbers import Real

RHO = 0.3
LEVELS = range(-2, 3)


def t_score(levels: Sequence[int], weights: Sequence[float] | None = None) -> float:
    """Return the Kiresuk–Sherman T-score of goals at ``levels`` (unweighted by default).

    Raise ValueError when the goals cannot be scored: no goals, a level outside −2..+2,
    a weight that is not positive, or a different number of weights and levels.
    """
    levels = list(levels)
    weights = [1.0] * len(levels) if weights is None else list(weights)
    if not levels:
        raise ValueError("A T-score needs at least one goal.")
    if len(weights) != len(levels):
        raise ValueError(
            f"Each goal needs one weight: {len(levels)} levels but {len(weights)} weights."
        )
    for level in levels:
        if not _is_number(level) or level not in LEVELS:
            raise ValueError(f"A GAS level is a whole number from -2 to +2, not {level!r}.")
    for weight in weights:
        if not _is_number(weight) or not 0 < weight < math.inf:
            raise ValueError(f"A goal's weight must be a positive number, not {weight!r}.")
    weighted = sum(w * x for w, x in zip(weights, levels, strict=True))
    spread = math.sqrt((1 - RHO) * sum(w * w for w in weights) + RHO * sum(weights) ** 2)
    return 50 + 10 * weighted / spread


def _is_number(value: object) -> bool:
    # True and False are ints to Python, but never a level or a weight.
    return isinstance(value, Real) and not isinstance(value, bool)
