"""Scores of the shipped questionnaires that have them (pure: no database, no request).

The Pediatric Symptom Checklist-17 (Gardner & Kelleher 1999, from the PSC of Jellinek
et al. 1988; free to reproduce): 17 items answered never (0), sometimes (1) or often
(2). Three subscales and the total, each with its screening cut-off:

- internalizing (5 items: sad, hopeless, down on self, less fun, worries): 5 or more;
- attention (5 items: fidgety, daydreams, concentrating, motor, distracted): 7 or more;
- externalizing (7 items: refuses to share, others' feelings, fights, blames others,
  rules, teases, takes things): 7 or more;
- total (0–34): 15 or more.

A score at or above its cut-off is a positive screen: it suggests a fuller assessment,
it is not a diagnosis. A response with an item unanswered is not scored.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

PSC17_SUBSCALES: dict[str, tuple[str, ...]] = {
    "internalizing": ("sad", "hopeless", "down-on-self", "less-fun", "worries"),
    "attention": ("fidgety", "daydreams", "concentrating", "motor", "distracted"),
    "externalizing": (
        "refuses-share",
        "others-feelings",
        "fights",
        "blames-others",
        "rules",
        "teases",
        "takes-things",
    ),
}
PSC17_CUTOFFS = {"internalizing": 5, "attention": 7, "externalizing": 7, "total": 15}
PSC17_ITEMS = tuple(link for links in PSC17_SUBSCALES.values() for link in links)
LABELS = {
    "internalizing": _("Internalizing"),
    "attention": _("Attention"),
    "externalizing": _("Externalizing"),
    "total": _("Total"),
}


@dataclass(frozen=True)
class Scale:
    code: str
    score: int
    maximum: int
    cutoff: int

    @property
    def positive(self) -> bool:
        return self.score >= self.cutoff

    @property
    def label(self) -> str:
        return str(LABELS[self.code])


def score(questionnaire: str, answers: dict[str, Any]) -> list[Scale] | None:
    """The scales of a scored questionnaire; None when it has no score or an item is
    unanswered (or not one of 0, 1, 2)."""
    if questionnaire != "psc17":
        return None
    values: dict[str, int] = {}
    for link in PSC17_ITEMS:
        value = str(answers.get(link, ""))
        if value not in ("0", "1", "2"):
            return None
        values[link] = int(value)
    scales = [
        Scale(code, sum(values[link] for link in links), 2 * len(links), PSC17_CUTOFFS[code])
        for code, links in PSC17_SUBSCALES.items()
    ]
    total = sum(values.values())
    scales.append(Scale("total", total, 2 * len(PSC17_ITEMS), PSC17_CUTOFFS["total"]))
    return scales


def has_score(questionnaire: str) -> bool:
    return questionnaire == "psc17"
