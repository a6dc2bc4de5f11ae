"""The draft of the clinical report's medical-necessity paragraph: facts from the record
only (the diagnoses, recent scores below the 16th percentile, the plans' own summaries and
the goals not met yet with where they stand against their target).

Whether skilled therapy is needed is the therapist's judgement, not the software's: the
page shows the paragraph as a draft for the therapist to review before the report is sent,
and no sentence claims it.
"""

import datetime
from typing import TYPE_CHECKING

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.children.models import Child
from tandem.core import clock

from .services import ChildProgress

if TYPE_CHECKING:
    from .clinical import ClinicalFacts, ScoreRow

RECENT_DAYS = 365  # scores older than a year before the report are not cited
LOW_PERCENTILE = 16  # below the 16th percentile: one SD or more below the mean
CITED_PER_TEST = 4


def draft(
    child: Child, progress: ChildProgress, facts: "ClinicalFacts", end: datetime.date
) -> list[str]:
    """The paragraph's sentences, in the report's language."""
    name = child.first_name
    sentences = []
    if facts.diagnoses:
        codes = "; ".join(f"{code} {label}" for code, label in facts.diagnoses)
        sentences.append(_("%(name)s is treated for %(codes)s.") % {"name": name, "codes": codes})
    sentences += _scores(facts.scores, min(end, clock.today()))
    for plan in progress.plans:
        summary = plan.plan.summary.strip()
        if summary:
            sentences.append(summary)
    goals = progress.goals
    if goals:
        met = [g for g in goals if g.analysis.mastered]
        improving = [
            g for g in goals if not g.analysis.mastered and g.analysis.direction == "improving"
        ]
        sentences.append(
            ngettext(
                "Of %(n)d goal, %(met)d is met and %(up)d is improving.",
                "Of %(n)d goals, %(met)d are met and %(up)d are improving.",
                len(goals),
            )
            % {"n": len(goals), "met": len(met), "up": len(improving)}
        )
    for gp in goals:
        if gp.analysis.mastered:
            continue
        now = floatformat(gp.analysis.last_value, "-1") if gp.values else _("no data yet")
        sentences.append(
            _("Not met yet: %(goal)s (current: %(now)s; target: %(target)s).")
            % {
                "goal": gp.goal.statement.rstrip(". "),
                "now": now,
                "target": gp.goal.mastery_criterion,
            }
        )
    return sentences


def _scores(scores: "list[ScoreRow]", on: datetime.date) -> list[str]:
    """One sentence per test given (instrument and day) in the year before ``on``, with the
    scores below the 16th percentile it found."""
    since = on - datetime.timedelta(days=RECENT_DAYS)
    tests: dict[tuple[str, datetime.date], list[ScoreRow]] = {}
    for s in scores:
        if s.percentile is not None and s.percentile < LOW_PERCENTILE and since <= s.on <= on:
            tests.setdefault((s.instrument, s.on), []).append(s)
    sentences = []
    for (instrument, day), low in tests.items():
        parts = ", ".join(
            _("%(subtest)s at percentile %(p)s (%(d)s)")
            % {
                "subtest": s.subtest,
                "p": floatformat(s.percentile, "-1"),
                "d": s.descriptor.lower(),
            }
            if s.descriptor
            else _("%(subtest)s at percentile %(p)s")
            % {"subtest": s.subtest, "p": floatformat(s.percentile, "-1")}
            for s in low[:CITED_PER_TEST]
        )
        sentences.append(
            _("On %(day)s, the %(test)s placed %(parts)s.")
            % {
                "day": formats.date_format(day, "MEDIUM_DATE_FORMAT"),
                "test": instrument,
                "parts": parts,
            }
        )
    return sentences
