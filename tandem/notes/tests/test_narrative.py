"""The drafted narrative, sentence by sentence: each measurement type in English and Spanish,
comparisons with the last session, mastery, and the family summary in plain words."""

from types import SimpleNamespace
from typing import Any

import pytest

from tandem.notes import narrative

CHILD = SimpleNamespace(preferred_name="Emma", first_name="Emmanuelle")
NOTE = SimpleNamespace(child=CHILD, minutes=45)
VERBAL_8_OF_10 = [{"correct": True, "prompt": "verbal"}] * 8 + [
    {"correct": False, "prompt": "verbal"}
] * 2
MIXED = (
    [{"correct": True, "prompt": "independent"}] * 5
    + [{"correct": True, "prompt": "gestural"}]
    + [{"correct": False, "prompt": "partial_physical"}]
)


def goal(kind: str, **changes: Any) -> SimpleNamespace:
    fields = {
        "statement": "Emma will write 10 letters correctly formed, given verbal prompts.",
        "measurement_type": kind,
        "mastery_value": None,
        "mastery_sessions": 3,
        "lower_is_better": False,
        "family_wording_en": "Emma is learning to write her letters.",
        "family_wording_es": "Emma está aprendiendo a escribir las letras.",
        "gas_plus_2": "Writes all 10 letters",
        "gas_plus_1": "Writes 8 letters",
        "gas_0": "Writes 6 letters",
        "gas_minus_1": "Writes 4 letters",
        "gas_minus_2": "Writes 2 letters",
    }
    return SimpleNamespace(**{**fields, **changes})


def entry(the_goal: SimpleNamespace, **data: Any) -> SimpleNamespace:
    fields = {
        "goal": the_goal,
        "goal_id": 1,
        "trials": [],
        "count": None,
        "duration_seconds": None,
        "rating": None,
        "steps_done": None,
        "steps_total": None,
        "value": None,
        "gas_level": None,
        "comment": "",
    }
    return SimpleNamespace(**{**fields, **data})


LETTERS = "Emma will write 10 letters correctly formed, given verbal prompts"


def lines(text: str) -> list[str]:
    return text.split("\n")


# --- Each measurement type, in English and in Spanish ---------------------------------

CASES = [
    pytest.param(
        entry(goal("percent_trials", mastery_value=90), trials=VERBAL_8_OF_10, value=80.0),
        [(60.0, None)],
        {
            "en": (
                "8 of 10 trials correct (80 %) with verbal prompts.",
                "80 %, up from 60 % last session — an improvement. Mastery criterion: "
                "90 % or more in 3 consecutive sessions; not met this session.",
                "Emma got 8 out of 10 tries right, with a reminder. That is better than last time.",
            ),
            "es": (
                "8 de 10 ensayos correctos (80 %) con ayuda verbal.",
                "80 %, más que en la sesión anterior (60 %) — una mejora. Criterio de "
                "dominio: 90 % o más en 3 sesiones consecutivas; no cumplido en esta sesión.",
                "Emma lo hizo bien 8 de 10 veces, con un recordatorio. Es mejor que la vez pasada.",
            ),
        },
        id="percent_trials",
    ),
    pytest.param(
        entry(goal("percent_trials", mastery_value=80), trials=MIXED, value=85.7, gas_level=1),
        [(82.0, None), (50.0, None)],
        {
            "en": (
                "6 of 7 trials correct (85.7 %); prompt levels: independent: 5, gestural: 1, "
                "partial physical: 1; GAS level +1.",
                "85.7 %, up from 82 % last session — an improvement. Mastery criterion: "
                "80 % or more in 3 consecutive sessions; 2 of 3 so far.",
                "Emma got 6 out of 7 tries right, some with a reminder. "
                "That is better than last time.",
            ),
            "es": (
                "6 de 7 ensayos correctos (85,7 %); niveles de ayuda: independiente: 5, "
                "gestual: 1, física parcial: 1; nivel GAS +1.",
                "85,7 %, más que en la sesión anterior (82 %) — una mejora. Criterio de "
                "dominio: 80 % o más en 3 sesiones consecutivas; cumplido en 2 de 3 hasta ahora.",
                "Emma lo hizo bien 6 de 7 veces, algunas con un recordatorio. "
                "Es mejor que la vez pasada.",
            ),
        },
        id="percent_trials_mixed_prompts",
    ),
    pytest.param(
        entry(
            goal("frequency", mastery_value=2, lower_is_better=True, mastery_sessions=1),
            count=1,
            value=1.0,
            comment="Calmer after the swing.",
        ),
        [(3.0, None)],
        {
            "en": (
                "1 occurrence recorded. Comment: “Calmer after the swing”.",
                "1, down from 3 last session — an improvement. Meets the mastery "
                "criterion (2 or less in one session).",
                "Today it happened once. Emma has reached this goal!",
            ),
            "es": (
                "1 ocurrencia registrada. Comentario: «Calmer after the swing».",
                "1, menos que en la sesión anterior (3) — una mejora. Cumple el criterio "
                "de dominio (2 o menos en una sesión).",
                "Hoy pasó una vez. ¡Emma ha alcanzado este objetivo!",
            ),
        },
        id="frequency_lower_is_better",
    ),
    pytest.param(
        entry(goal("duration", mastery_value=60), duration_seconds=150, value=150.0),
        [(150.0, None)],
        {
            "en": (
                "Duration recorded: 2 min 30 s.",
                "2 min 30 s, the same as last session. Mastery criterion: 1 min or more in "
                "3 consecutive sessions; 2 of 3 so far.",
                "Today it lasted 2 minutes and 30 seconds. That is the same as last time.",
            ),
            "es": (
                "Duración registrada: 2 min 30 s.",
                "2 min 30 s, igual que en la sesión anterior. Criterio de dominio: 1 min o "
                "más en 3 sesiones consecutivas; cumplido en 2 de 3 hasta ahora.",
                "Hoy duró 2 minutos y 30 segundos. Es igual que la vez pasada.",
            ),
        },
        id="duration",
    ),
    pytest.param(
        entry(goal("rating", mastery_value=4), rating=4, value=4.0),
        [(4.0, None), (5.0, None), (2.0, None)],
        {
            "en": (
                "Rated 4 of 5.",
                "4 of 5, the same as last session. Meets the mastery criterion "
                "(4 of 5 or more in 3 consecutive sessions).",
                "Today's score: 4 out of 5. Emma has reached this goal!",
            ),
            "es": (
                "Valoración de 4 sobre 5.",
                "4 de 5, igual que en la sesión anterior. Cumple el criterio de dominio "
                "(4 de 5 o más en 3 sesiones consecutivas).",
                "Puntuación de hoy: 4 de 5. ¡Emma ha alcanzado este objetivo!",
            ),
        },
        id="rating",
    ),
    pytest.param(
        entry(goal("task_analysis", mastery_value=80), steps_done=2, steps_total=3, value=66.7),
        [(70.0, None)],
        {
            "en": (
                "2 of 3 task steps completed (66.7 %).",
                "66.7 %, down from 70 % last session — a step back. Mastery criterion: 80 % "
                "or more in 3 consecutive sessions; not met this session.",
                "Emma did 2 of the 3 steps. Last time went a bit better.",
            ),
            "es": (
                "2 de 3 pasos de la tarea completados (66,7 %).",
                "66,7 %, menos que en la sesión anterior (70 %) — un retroceso. Criterio de "
                "dominio: 80 % o más en 3 sesiones consecutivas; no cumplido en esta sesión.",
                "Emma hizo 2 de los 3 pasos. La vez pasada fue un poco mejor.",
            ),
        },
        id="task_analysis",
    ),
    pytest.param(
        entry(goal("gas_only"), gas_level=1),
        [(None, 0)],
        {
            "en": (
                "GAS level +1 (Writes 8 letters).",
                "+1, up from 0 last session — an improvement.",
                "This went better than we expected. That is better than last time.",
            ),
            "es": (
                "Nivel GAS +1 (Writes 8 letters).",
                "+1, más que en la sesión anterior (0) — una mejora.",
                "Fue mejor de lo que esperábamos. Es mejor que la vez pasada.",
            ),
        },
        id="gas_only",
    ),
]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("the_entry, earlier, expected", CASES)
def test_each_measurement_type_reads_as_written(the_entry, earlier, expected, lang):
    data, assessed, family = expected[lang]
    drafted = narrative.draft(NOTE, [the_entry], {1: earlier}, lang)
    assert lines(drafted.objective)[1] == f"{LETTERS}: {data}"
    assert drafted.assessment == f"{LETTERS}: {assessed}"
    wording = the_entry.goal.__dict__[f"family_wording_{lang}"]
    assert lines(drafted.family[lang])[1] == f"{wording} {family}"


def test_the_objective_opens_with_the_session():
    one = [entry(goal("rating"), rating=3, value=3.0)]
    assert lines(narrative.objective(NOTE, one, "en"))[0] == (
        "Emma worked on 1 goal in a 45-minute session."
    )
    three = one * 3
    assert lines(narrative.objective(NOTE, three, "es"))[0] == (
        "Emma trabajó en 3 objetivos en una sesión de 45 minutos."
    )


def test_the_first_session_on_a_goal_says_so():
    first = entry(goal("percent_trials"), trials=VERBAL_8_OF_10, value=80.0)
    assert narrative.assessment([first], {}, "en") == (
        f"{LETTERS}: 80 %, the first session on this goal."
    )
    assert narrative.assessment([first], {}, "es") == (
        f"{LETTERS}: 80 %, primera sesión con este objetivo."
    )


def test_a_goal_without_data_is_named_in_the_objective_and_left_out_elsewhere():
    empty = entry(goal("frequency"))
    drafted = narrative.draft(NOTE, [empty], {}, "en")
    assert lines(drafted.objective)[1] == f"{LETTERS}: No data recorded."
    assert drafted.assessment == ""
    assert drafted.family == {"en": "", "es": ""}


def test_the_last_session_with_a_value_is_the_one_compared():
    the_entry = entry(goal("rating"), rating=2, value=2.0)
    assessed = narrative.assessment([the_entry], {1: [(None, 1), (3.0, None)]}, "en")
    assert assessed == f"{LETTERS}: 2 of 5, down from 3 of 5 last session — a step back."


def test_a_longer_worse_count_is_a_step_back_when_lower_is_better():
    meltdowns = goal("duration", lower_is_better=True, statement="Fewer meltdowns.")
    the_entry = entry(meltdowns, duration_seconds=45, value=45.0)
    assessed = narrative.assessment([the_entry], {1: [(30.0, None)]}, "en")
    assert assessed == "Fewer meltdowns: 45 s, up from 30 s last session — a step back."


def test_mastery_counts_consecutive_sessions_only():
    target = goal("percent_trials", mastery_value=90, mastery_sessions=3)
    # 95 now, 92 last time, 60 before: two in a row, the third broke the run.
    the_entry = entry(target, trials=[{"correct": True, "prompt": "independent"}], value=95.0)
    assessed = narrative.assessment([the_entry], {1: [(92.0, None), (60.0, None)]}, "en")
    assert assessed.endswith(
        "Mastery criterion: 90 % or more in 3 consecutive sessions; 2 of 3 so far."
    )


def test_the_family_summary_uses_plain_words_never_the_clinical_goal():
    entries = [
        entry(goal("percent_trials"), trials=MIXED, value=85.7),
        entry(goal("task_analysis", family_wording_en=""), steps_done=1, steps_total=4, value=25),
    ]
    for lang in ("en", "es"):
        summary = narrative.family_summary(NOTE, entries, {}, lang)
        assert LETTERS not in summary
        for jargon in ("prompt", "trial", "GAS", "mastery", "ayuda física", "ensayo"):
            assert jargon not in summary
    assert narrative.family_summary(NOTE, entries, {}, "en") == (
        "Today Emma worked on 2 goals with us.\n"
        "Emma is learning to write her letters. Emma got 6 out of 7 tries right, "
        "some with a reminder.\n"
        "One of Emma's goals. Emma did 1 of the 4 steps."
    )
    assert lines(narrative.family_summary(NOTE, entries, {}, "es"))[0] == (
        "Hoy Emma trabajó en 2 objetivos con nosotros."
    )


def test_help_beyond_a_reminder_is_called_help():
    physical = [{"correct": True, "prompt": "full_physical"}] * 3
    the_entry = entry(goal("percent_trials"), trials=physical, value=100.0)
    assert "Emma got 3 out of 3 tries right, with help." in narrative.family_summary(
        NOTE, [the_entry], {}, "en"
    )
    alone = [{"correct": True, "prompt": "independent"}] * 2
    the_entry = entry(goal("percent_trials"), trials=alone, value=100.0)
    assert "Emma lo hizo bien 2 de 2 veces, sin ayuda." in narrative.family_summary(
        NOTE, [the_entry], {}, "es"
    )


def test_the_same_data_always_drafts_the_same_text():
    entries = [case.values[0] for case in CASES]
    history = {1: [(50.0, 0)]}
    first = narrative.draft(NOTE, entries, history, "es")
    assert narrative.draft(NOTE, entries, history, "es") == first
