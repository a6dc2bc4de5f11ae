"""Where a chart's words go: a label is put where it covers no dot, line or other label.

Text is measured without a browser, from its font size and length: each character is
taken as ``CHAR_WIDTH`` of the font size wide (DejaVu Sans, the charts' font, averages
about 0.55 em for Latin text and 0.64 em for digits, so this errs wide), and a line as
``ASCENT`` above the baseline and ``DESCENT`` below it (the font's own line box), with
``SIDE`` of the font size spare on either side. The placement step is plain:
each label has a short list of candidate spots in order of preference; the first spot
whose box stays inside the chart and clear of everything already drawn wins, and a
label that fits nowhere is left out of the drawing (the legend and the table under the
chart still say it). ``tests/test_chart_labels.py`` checks the drawn SVG with the same
measures, and the browser test measures the real text with ``getBBox()``.
"""

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CHAR_WIDTH = 0.64
ASCENT = 0.95
DESCENT = 0.25
SIDE = 0.1
PAD = 2.0  # clear space kept around a label, in viewBox units


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def grown(self, by: float) -> "Box":
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def overlaps(self, other: "Box") -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def inside(self, other: "Box") -> bool:
        return (
            other.left <= self.left
            and self.right <= other.right
            and other.top <= self.top
            and self.bottom <= other.bottom
        )

    def crosses(self, x1: float, y1: float, x2: float, y2: float) -> bool:
        """Whether the segment (x1, y1)–(x2, y2) touches the box (Liang–Barsky clipping)."""
        dx, dy = x2 - x1, y2 - y1
        low, high = 0.0, 1.0
        for p, q in (
            (-dx, x1 - self.left),
            (dx, self.right - x1),
            (-dy, y1 - self.top),
            (dy, self.bottom - y1),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


def text_box(text: str, x: float, y: float, size: float, anchor: str = "start") -> Box:
    """The estimated box of ``text`` drawn at baseline ``y`` with ``text-anchor``."""
    width = len(text) * size * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    # Some letters reach past their advance ("J" to the left): SIDE of an em each side.
    return Box(
        left - SIDE * size, y - size * ASCENT, left + width + SIDE * size, y + size * DESCENT
    )


@dataclass
class Label:
    """A text placed on a chart (baseline at ``y``), with its colour and a CSS class."""

    text: str
    x: float
    y: float
    anchor: str
    size: float
    fill: str
    css: str = "label"

    @property
    def box(self) -> Box:
        return text_box(self.text, self.x, self.y, self.size, self.anchor)


@dataclass
class Obstacles:
    """What a label must not cover: boxes (dots, bars, other labels) and segments (lines)."""

    boxes: list[Box]
    segments: list[tuple[float, float, float, float]]

    def clear(self, box: Box) -> bool:
        padded = box.grown(PAD)
        return not any(padded.overlaps(b) for b in self.boxes) and not any(
            padded.crosses(*s) for s in self.segments
        )


def path_segments(points: Sequence[tuple[float, float]]) -> list[tuple[float, float, float, float]]:
    return [(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(points)]


def place(
    text: str,
    spots: Iterable[tuple[float, float, str]],
    *,
    size: float,
    fill: str,
    within: Box,
    obstacles: Obstacles,
    css: str = "label",
) -> Label | None:
    """The label at the first spot (x, baseline y, anchor) that is inside ``within`` and
    clear of ``obstacles``, which then counts it as one; None when no spot is free."""
    for x, y, anchor in spots:
        label = Label(text, round(x, 1), round(y, 1), anchor, size, fill, css)
        if label.box.inside(within) and obstacles.clear(label.box):
            obstacles.boxes.append(label.box)
            return label
    return None


def thin_ticks(labels: list[Label]) -> list[Label]:
    """Axis labels left to right, dropping any that would touch the one kept before it
    (the first and last are kept first, so the span of time stays named)."""
    if len(labels) <= 2:
        return labels
    kept = [labels[0], labels[-1]]
    for label in labels[1:-1]:
        if all(not label.box.grown(PAD).overlaps(k.box) for k in kept):
            kept.append(label)
    return sorted(kept, key=lambda label: label.x)
