"""A drafted narrative for a session note: Objective, Assessment and a family summary.

"Draft the note" writes them from the session's goal data and each goal's history (its
earlier signed readings): deterministic templates, in English or Spanish, with numbers
as people read them in that language ("66.7 %", "66,7 %"). The therapist edits the
draft before signing; nothing is sent anywhere (no text leaves the server).

The templates are per-language dicts here, not gettext msgids: a note is written in
its author's language and the family summary in both, whatever language the page is
shown in, and Spanish needs its own sentence shapes (agreement, articles) rather than
word-for-word translations. Pure functions: the caller loads the data (``history``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import translation

from tandem.core.numbers import for_people
from tandem.plans.models import MeasurementType
from tandem.plans.wording import LANGS

from . import ioa
from .access import goal_data_of
from .datatypes import INTERVAL_TYPES
from .models import NoteStatus, PromptLevel
from .narrative_words import FAMILY, METHODS, PROMPTS, T

M = MeasurementType
# (value, GAS level) of a goal's earlier signed sessions, newest first.
Reading = tuple[float | None, int | None]
History = Mapping[Any, Sequence[Reading]]

REMINDERS = {PromptLevel.GESTURAL, PromptLevel.VERBAL}
PERCENT_TYPES = {M.PERCENT_TRIALS, M.TASK_ANALYSIS, *INTERVAL_TYPES}


@dataclass(frozen=True)
class Draft:
    objective: str
    assessment: str
    family: dict[str, str]  # the family summary by language ("en", "es")


def _lang(language: str) -> str:
    return language if language in LANGS else "en"


def _name(child: Any) -> str:
    return (getattr(child, "preferred_name", "") or child.first_name or "").strip()


def number(value: float, lang: str) -> str:
    """A value as people read it in ``lang``: 66.7 / 66,7."""
    with translation.override(lang):
        return for_people(round(value, 1))


def duration(seconds: float, lang: str) -> str:
    """Seconds as "2 min 30 s" (clinical)."""
    words = T[lang]
    minutes, rest = divmod(round(seconds), 60)
    parts = [words["minutes"].format(m=minutes)] if minutes else []
    if rest or not minutes:
        parts.append(words["seconds"].format(s=rest))
    return " ".join(parts)


def plain_duration(seconds: float, lang: str) -> str:
    """Seconds as "2 minutes and 30 seconds" (family)."""
    words = FAMILY[lang]
    minutes, rest = divmod(round(seconds), 60)
    parts = []
    if minutes:
        parts.append(words["minutes_one" if minutes == 1 else "minutes_many"].format(n=minutes))
    if rest or not minutes:
        parts.append(words["seconds_one" if rest == 1 else "seconds_many"].format(n=rest))
    return f" {words['and']} ".join(parts)


def measure(kind: str, value: float, lang: str) -> str:
    """A reading on the goal's own scale: "80 %", "7", "2 min 30 s", "3 of 5", "+1"."""
    if kind in PERCENT_TYPES:
        return f"{number(value, lang)} %"
    if kind in (M.DURATION, M.LATENCY):
        return duration(value, lang)
    if kind == M.RATE:
        return T[lang]["per_minute"].format(n=number(value, lang))
    if kind == M.RATING:
        return T[lang]["of5"].format(n=number(value, lang))
    if kind == M.GAS_ONLY:
        return gas_level(int(value))
    return number(value, lang)


def gas_level(level: int) -> str:
    """A GAS level as clinicians write it: −2, −1, 0, +1, +2."""
    return f"{level:+d}".replace("-", "−") if level else "0"


def reading_of(entry: Any) -> float | None:
    """What a session is compared on: its value, or the GAS level for GAS-only goals."""
    if entry.goal.measurement_type == M.GAS_ONLY:
        return None if entry.gas_level is None else float(entry.gas_level)
    return entry.value


def _earlier(kind: str, previous: Sequence[Reading]) -> list[float | None]:
    found = [level if kind == M.GAS_ONLY else value for value, level in previous]
    return [None if v is None else float(v) for v in found]


def _gas_words(goal: Any, level: int) -> str:
    return {
        2: goal.gas_plus_2,
        1: goal.gas_plus_1,
        0: goal.gas_0,
        -1: goal.gas_minus_1,
        -2: goal.gas_minus_2,
    }.get(level, "")


def _trial_sentence(trials: list[dict[str, Any]], lang: str) -> str:
    words = T[lang]
    total, correct = len(trials), sum(1 for t in trials if t["correct"])
    percent = f"{number(100 * correct / total, lang)} %"
    text = words["trials"].format(c=correct, t=total, p=percent)
    used = [p for p in PromptLevel.values if any(t["prompt"] == p for t in trials)]
    if used == [PromptLevel.INDEPENDENT]:
        return f"{text} {words['independent']}"
    if len(used) == 1:
        return f"{text} {words['with_prompt'].format(level=PROMPTS[lang][used[0]][1])}"
    levels = ", ".join(
        f"{PROMPTS[lang][p][0]}: {sum(1 for t in trials if t['prompt'] == p)}" for p in used
    )
    return f"{text}; {words['prompts'].format(levels=levels)}"


def data_sentence(entry: Any, lang: str) -> str:
    """What one goal's data says, in one clinical sentence (without the goal's name)."""
    lang = _lang(lang)
    words, kind = T[lang], entry.goal.measurement_type
    parts: list[str] = []
    if text := behavior_sentence(entry, lang):
        parts.append(text)
    elif kind == M.PERCENT_TRIALS and entry.trials:
        parts.append(_trial_sentence(entry.trials, lang))
    elif kind == M.FREQUENCY and entry.count is not None:
        key = "count_one" if entry.count == 1 else "count_many"
        parts.append(words[key].format(n=number(entry.count, lang)))
    elif kind == M.DURATION and entry.duration_seconds is not None:
        parts.append(words["duration"].format(d=duration(entry.duration_seconds, lang)))
    elif kind == M.RATING and entry.rating is not None:
        parts.append(words["rating"].format(n=entry.rating))
    elif kind == M.TASK_ANALYSIS and entry.value is not None:
        percent = f"{number(entry.value, lang)} %"
        parts.append(words["steps"].format(d=entry.steps_done, t=entry.steps_total, p=percent))
    if text := ioa_sentence(entry, lang):
        parts.append(text)
    if entry.gas_level is not None:
        level = gas_level(entry.gas_level)
        if kind == M.GAS_ONLY:
            text = _gas_words(entry.goal, entry.gas_level)
            parts.append(words["gas"].format(level=level, words=text) if text else level)
        else:
            parts.append(words["gas_also"].format(level=level))
    if not parts:
        parts.append(words["no_data"])
    sentence = "; ".join(parts)
    sentence = sentence[0].upper() + sentence[1:] + "."
    if entry.comment:
        sentence += " " + words["comment"].format(text=entry.comment.strip().rstrip("."))
    return sentence


def behavior_sentence(entry: Any, lang: str) -> str:
    """The clinical words for the behavior-analytic types ("" for the others, or no data)."""
    words, kind, goal = T[lang], entry.goal.measurement_type, entry.goal
    if entry.value is None:
        return ""
    percent = f"{number(entry.value, lang)} %"
    if kind == M.TASK_ANALYSIS and getattr(entry, "step_prompts", None):
        text = words["steps_alone"].format(d=entry.steps_done, t=entry.steps_total, p=percent)
        chaining = METHODS[lang].get(goal.chaining or "")
        return f"{text}, {chaining}" if chaining else text
    if kind == M.RATE:
        key = "rate_one" if entry.count == 1 else "rate_many"
        minutes = number(entry.observation_minutes, lang)
        return words[key].format(n=entry.count, m=minutes, r=number(entry.value, lang))
    if kind == M.LATENCY:
        return words["latency"].format(d=duration(entry.value, lang))
    if kind in INTERVAL_TYPES:
        scored = sum(1 for i in entry.intervals if i)
        return words["intervals"].format(
            k=scored,
            n=len(entry.intervals),
            s=entry.interval_seconds,
            p=percent,
            method=METHODS[lang][kind],
        )
    return ""


def ioa_sentence(entry: Any, lang: str) -> str:
    """The agreement with a second observer ("" without one, or when it cannot be paired)."""
    found = ioa.for_entry(entry, entry.goal.measurement_type)
    if found is None or found[1] is None:
        return ""
    method, percent = found[0], found[1]
    return T[lang]["ioa"].format(
        observer=entry.second_observer.get("observer", "").strip(),
        p=f"{number(percent, lang)} %",
        method=METHODS[lang][method],
    )


def behavior_family(entry: Any, child: str, lang: str) -> str:
    """The family's words for the behavior-analytic types ("" for the others)."""
    words, kind = FAMILY[lang], entry.goal.measurement_type
    if entry.value is None:
        return ""
    if kind == M.TASK_ANALYSIS and getattr(entry, "step_prompts", None):
        return words["steps_alone"].format(child=child, d=entry.steps_done, t=entry.steps_total)
    if kind == M.RATE:
        key = "rate_one" if entry.count == 1 else "rate_many"
        return words[key].format(n=entry.count, m=number(entry.observation_minutes, lang))
    if kind == M.LATENCY:
        return words["latency"].format(d=plain_duration(entry.value, lang))
    if kind in INTERVAL_TYPES:
        scored = sum(1 for i in entry.intervals if i)
        return words["intervals"].format(n=len(entry.intervals), k=scored)
    return ""


def goal_label(goal: Any, limit: int = 70) -> str:
    """The goal's statement, cut at a word before ``limit`` characters."""
    text = " ".join((goal.statement or "").split()).rstrip(".")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def objective(note: Any, entries: Sequence[Any], lang: str) -> str:
    """The Objective paragraph: the session, then one line per goal with its data
    (never the note's ABC records, which only the clinical staff read)."""
    lang = _lang(lang)
    words, child = T[lang], _name(note.child)
    goals = words["goal_one"] if len(entries) == 1 else words["goal_many"].format(n=len(entries))
    lines = [words["session"].format(child=child, goals=goals, minutes=note.minutes)]
    for entry in entries:
        lines.append(f"{goal_label(entry.goal)}: {data_sentence(entry, lang)}")
    # No ABC records: families and collaborators read the signed Objective, and ABC
    # records are for the clinical staff only (they are on the note already).
    return "\n".join(lines)


def streak(goal: Any, now: float, earlier: Sequence[float | None]) -> int:
    """How many sessions in a row, this one included, meet the mastery criterion."""
    target = goal.mastery_value

    def meets(value: float | None) -> bool:
        if value is None:
            return False
        return value <= target if goal.lower_is_better else value >= target

    count = 0
    for value in (now, *earlier):
        if not meets(value):
            break
        count += 1
    return count


def criterion(goal: Any, lang: str) -> str:
    """The mastery criterion in words: "90 % or more in 3 consecutive sessions"."""
    words = T[lang]
    way = words["less" if goal.lower_is_better else "more"]
    value = measure(goal.measurement_type, goal.mastery_value, lang)
    if goal.mastery_sessions == 1:
        return words["criterion_one"].format(value=value, way=way)
    return words["criterion"].format(value=value, way=way, n=goal.mastery_sessions)


def has_criterion(goal: Any) -> bool:
    return goal.measurement_type != M.GAS_ONLY and goal.mastery_value is not None


def mastery_sentence(goal: Any, now: float, earlier: Sequence[float | None], lang: str) -> str:
    """Where the goal stands against its mastery criterion ("" without one)."""
    if not has_criterion(goal):
        return ""
    words, needed = T[lang], goal.mastery_sessions
    held = min(streak(goal, now, earlier), needed)
    if held >= needed:
        return words["mastered"].format(criterion=criterion(goal, lang))
    if held:
        return words["so_far"].format(criterion=criterion(goal, lang), k=held, n=needed)
    return words["not_met"].format(criterion=criterion(goal, lang))


def _direction(now: float, before: float) -> str:
    """ "up", "down" or "same" on the goal's scale."""
    if now == before:
        return "same"
    return "up" if now > before else "down"


def comparison(goal: Any, now: float, before: float | None, lang: str) -> str:
    """ "80 %, up from 60 % last session — an improvement" (and the other cases)."""
    words, kind = T[lang], goal.measurement_type
    shown = measure(kind, now, lang)
    if before is None:
        return words["first"].format(now=shown)
    way = _direction(now, before)
    text = words[way].format(now=shown, before=measure(kind, before, lang))
    if way == "same":
        return text
    better = (way == "down") if goal.lower_is_better else (way == "up")
    return f"{text} — {words['better' if better else 'worse']}"


def assessment(entries: Sequence[Any], history: History, lang: str) -> str:
    """The Assessment paragraph: per goal, the session against the last one and mastery."""
    lang = _lang(lang)
    lines = []
    for entry in entries:
        goal, now = entry.goal, reading_of(entry)
        if now is None:
            continue
        earlier = _earlier(goal.measurement_type, history.get(entry.goal_id, ()))
        before = next((v for v in earlier if v is not None), None)
        line = f"{goal_label(goal)}: {comparison(goal, now, before, lang)}."
        if mastery := mastery_sentence(goal, now, earlier, lang):
            line += " " + mastery
        lines.append(line)
    return "\n".join(lines)


def _plain_help(trials: list[dict[str, Any]], lang: str) -> str:
    """How much help the tries the child got right took (all tries, if none was right)."""
    words = FAMILY[lang]
    trials = [t for t in trials if t["correct"]] or trials
    helped = {t["prompt"] for t in trials if t["prompt"] != PromptLevel.INDEPENDENT}
    if not helped:
        return words["alone"]
    some = any(t["prompt"] == PromptLevel.INDEPENDENT for t in trials)
    kind = "reminder" if helped <= REMINDERS else "help"
    return words[f"some_{kind}" if some else kind]


def family_line(entry: Any, history: History, child: str, lang: str) -> str:
    """One goal for the family: its plain wording, what happened, and how it compares."""
    words, goal = FAMILY[lang], entry.goal
    kind = goal.measurement_type
    wording = (getattr(goal, f"family_wording_{lang}", "") or "").strip()
    sentences = [wording or words["no_wording"].format(child=child)]
    if text := behavior_family(entry, child, lang):
        sentences.append(text)
    elif kind == M.PERCENT_TRIALS and entry.trials:
        correct = sum(1 for t in entry.trials if t["correct"])
        tries = words["tries"].format(child=child, c=correct, t=len(entry.trials))
        sentences.append(f"{tries}, {_plain_help(entry.trials, lang)}.")
    elif kind == M.FREQUENCY and entry.count is not None:
        key = "count_one" if entry.count == 1 else "count_many"
        sentences.append(words[key].format(n=entry.count))
    elif kind == M.DURATION and entry.duration_seconds is not None:
        sentences.append(words["duration"].format(d=plain_duration(entry.duration_seconds, lang)))
    elif kind == M.RATING and entry.rating is not None:
        sentences.append(words["rating"].format(n=entry.rating))
    elif kind == M.TASK_ANALYSIS and entry.value is not None:
        sentences.append(
            words["steps"].format(child=child, d=entry.steps_done, t=entry.steps_total)
        )
    elif kind == M.GAS_ONLY and entry.gas_level is not None:
        level = entry.gas_level
        sentences.append(words["gas_up" if level > 0 else "gas_on" if level == 0 else "gas_down"])
    now = reading_of(entry)
    if now is None:
        return ""
    earlier = _earlier(kind, history.get(entry.goal_id, ()))
    before = next((v for v in earlier if v is not None), None)
    if has_criterion(goal) and streak(goal, now, earlier) >= goal.mastery_sessions:
        sentences.append(words["reached"].format(child=child))
    elif before is not None:
        way = _direction(now, before)
        better = (way == "down") if goal.lower_is_better else (way == "up")
        sentences.append(words["same" if way == "same" else "better" if better else "worse"])
    return " ".join(sentences)


def family_summary(note: Any, entries: Sequence[Any], history: History, lang: str) -> str:
    """The session for the family, in plain words and the goals' family wording."""
    lang = _lang(lang)
    words, child = FAMILY[lang], _name(note.child)
    lines = [family_line(entry, history, child, lang) for entry in entries]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    goals = words["goal_one"] if len(lines) == 1 else words["goal_many"].format(n=len(lines))
    return "\n".join([words["opening"].format(child=child, goals=goals), *lines])


def draft(note: Any, entries: Sequence[Any], history: History, lang: str) -> Draft:
    """The whole draft: Objective and Assessment in ``lang``, the family summary in each."""
    return Draft(
        objective=objective(note, entries, lang),
        assessment=assessment(entries, history, lang),
        family={code: family_summary(note, entries, history, code) for code in LANGS},
    )


# --- The goal history a draft compares with (one query) ------------------------------

MAX_EARLIER = 10  # the most sessions a mastery criterion counts (Goal.mastery_sessions)


def history_for(membership: Any, note: Any, entries: Sequence[Any]) -> dict[Any, list[Reading]]:
    """Each goal's readings from signed notes before this one, newest first (at most
    ``MAX_EARLIER`` a goal): one query, whatever the number of goals."""
    goal_ids = [e.goal_id for e in entries]
    if not goal_ids:
        return {}
    before = Q(note__date__lt=note.date) | Q(
        note__date=note.date, note__start_time__lt=note.start_time
    )
    rows = (
        goal_data_of(membership, note.child)
        .filter(goal_id__in=goal_ids, note__organization_id=membership.organization_id)
        .filter(before, note__status=NoteStatus.SIGNED)
        .exclude(note_id=note.id)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("goal_id")],
                order_by=[F("note__date").desc(), F("note__start_time").desc()],
            )
        )
        .filter(rank__lte=MAX_EARLIER)
        .order_by("goal_id", "rank")
        .values_list("goal_id", "value", "gas_level")
    )
    history: dict[Any, list[Reading]] = {}
    for goal_id, value, level in rows:
        history.setdefault(goal_id, []).append((value, level))
    return history
