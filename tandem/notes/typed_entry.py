"""Trials typed instead of tapped: "8/10 V" is 8 correct of 10 trials with verbal prompts.

The editor's "Type trials" field beside the tap counters takes one entry or several,
separated by commas, semicolons or new lines, each with its own prompt level::

    8/10 V            8 correct of 10, verbal
    8 / 10 verbal     the same
    6/8 I, 1/2 PP     6 of 8 independent, then 1 of 2 with partial physical help
    8/10              8 of 10 at the prompt level chosen in the counter

Prompt levels: I (independent), G (gestural), V (verbal), M (model), PP (partial
physical), FP (full physical), or the level's name in English or Spanish. An entry
becomes its trials, the correct ones first, each with the entry's prompt level.

Pure: no database, no request. Bad input raises ``TypedEntryError`` with a message
saying what to write instead; nothing is recorded from a text with any bad entry.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import PromptLevel

MAX_TRIALS = 200  # as goal_data.MAX_TRIALS: per goal and session
SEPARATORS = re.compile(r"[,;\n]+")
ENTRY = re.compile(
    r"^\s*(?P<correct>\S+?)\s*(?:/|\bof\b|\bde\b)\s*(?P<total>\d+|[^\s/]+)\s*(?P<prompt>.*?)\s*$",
    re.IGNORECASE,
)
NUMBER = re.compile(r"^\d{1,4}$")
# What a therapist writes for each prompt level: the usual letters, then the names.
PROMPTS: dict[str, str] = {
    "i": "independent",
    "ind": "independent",
    "independent": "independent",
    "independently": "independent",
    "independiente": "independent",
    "g": "gestural",
    "gestural": "gestural",
    "gesture": "gestural",
    "gestual": "gestural",
    "v": "verbal",
    "verbal": "verbal",
    "m": "model",
    "model": "model",
    "modeling": "model",
    "modelling": "model",
    "modelo": "model",
    "modelado": "model",
    "pp": "partial_physical",
    "partial physical": "partial_physical",
    "partial_physical": "partial_physical",
    "físico parcial": "partial_physical",
    "fisico parcial": "partial_physical",
    "fp": "full_physical",
    "full physical": "full_physical",
    "full_physical": "full_physical",
    "físico total": "full_physical",
    "fisico total": "full_physical",
}
LETTERS = "I, G, V, M, PP, FP"


class TypedEntryError(ValueError):
    """A typed entry that cannot be read; ``str()`` says what to write instead."""


@dataclass(frozen=True)
class Entry:
    """One typed entry: ``correct`` of ``total`` trials at ``prompt`` (None: the counter's)."""

    correct: int
    total: int
    prompt: str | None


def prompt_level(word: str) -> str | None:
    """The prompt level a word names (``"PP"``, ``"verbal"``…), None if it names none."""
    key = " ".join(word.lower().replace("-", " ").split())
    level = PROMPTS.get(key) or PROMPTS.get(key.replace(" ", "_"))
    return level if level in PromptLevel.values else None


def parse(text: str) -> list[Entry]:
    """Read the typed entries of ``text`` (empty: none); raise TypedEntryError."""
    entries = []
    for part in SEPARATORS.split(text or ""):
        if part.strip():
            entries.append(_entry(part.strip()))
    if sum(e.total for e in entries) > MAX_TRIALS:
        raise TypedEntryError(_("At most %(n)s trials per goal and session.") % {"n": MAX_TRIALS})
    return entries


def _entry(part: str) -> Entry:
    match = ENTRY.match(part)
    if match is None:
        raise TypedEntryError(
            _("“%(text)s” cannot be read: write correct/trials and a prompt level, like 8/10 V.")
            % {"text": part}
        )
    correct, total, word = match.group("correct", "total", "prompt")
    for number in (correct, total):
        if not NUMBER.match(number):
            raise TypedEntryError(
                _("“%(text)s”: “%(number)s” is not a number of trials. Write it like 8/10 V.")
                % {"text": part, "number": number}
            )
    right, trials = int(correct), int(total)
    if trials == 0:
        raise TypedEntryError(_("“%(text)s”: there must be at least one trial.") % {"text": part})
    if right > trials:
        raise TypedEntryError(
            _("“%(text)s”: %(correct)s correct is more than the %(total)s trials.")
            % {"text": part, "correct": right, "total": trials}
        )
    prompt = None
    if word:
        prompt = prompt_level(word)
        if prompt is None:
            raise TypedEntryError(
                _("“%(text)s”: “%(word)s” is not a prompt level. Use %(letters)s.")
                % {"text": part, "word": word, "letters": LETTERS}
            )
    return Entry(correct=right, total=trials, prompt=prompt)


def to_trials(entries: list[Entry], default_prompt: str) -> list[dict[str, Any]]:
    """The trials the entries stand for, in order, the correct ones of each entry first."""
    if default_prompt not in PromptLevel.values:
        default_prompt = PromptLevel.INDEPENDENT
    trials: list[dict[str, Any]] = []
    for entry in entries:
        prompt = entry.prompt or default_prompt
        trials.extend({"correct": True, "prompt": prompt} for _n in range(entry.correct))
        trials.extend(
            {"correct": False, "prompt": prompt} for _n in range(entry.total - entry.correct)
        )
    return trials


def trials_from(text: str, default_prompt: str) -> list[dict[str, Any]]:
    """``parse`` then ``to_trials``: the trials a typed text adds (raises TypedEntryError)."""
    return to_trials(parse(text), default_prompt)
