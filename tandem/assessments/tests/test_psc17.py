"""The PSC-17: its items, subscales and cut-offs, scored against hand-worked examples.

Source: the PSC-17 form formatted by R. Hilt from Gardner & Kelleher (1999), based on the
PSC of Jellinek et al. (1988) — "PSC-17 may be freely reproduced" — item order and
columns (https://ja.scribd.com/document/373392027/PSC-17), and NovoPsych's summary
(https://novopsych.com.au/assessments/child/pediatric-symptom-checklist-17-psc-17/):
never 0, sometimes 1, often 2; internalizing (5 items) ≥ 5, attention (5 items) ≥ 7,
externalizing (7 items) ≥ 7, total ≥ 15.
"""

from tandem.assessments import questionnaires, reading, scoring

# The form's 17 items in order, with the column (I, A, E) each is summed in.
FORM = [
    ("fidgety", "Fidgety, unable to sit still", "A"),
    ("sad", "Feels sad, unhappy", "I"),
    ("daydreams", "Daydreams too much", "A"),
    ("refuses-share", "Refuses to share", "E"),
    ("others-feelings", "Does not understand other people's feelings", "E"),
    ("hopeless", "Feels hopeless", "I"),
    ("concentrating", "Has trouble concentrating", "A"),
    ("fights", "Fights with other children", "E"),
    ("down-on-self", "Is down on him or herself", "I"),
    ("blames-others", "Blames others for his or her troubles", "E"),
    ("less-fun", "Seems to be having less fun", "I"),
    ("rules", "Does not listen to rules", "E"),
    ("motor", "Acts as if driven by a motor", "A"),
    ("teases", "Teases others", "E"),
    ("worries", "Worries a lot", "I"),
    ("takes-things", "Takes things that do not belong to him or her", "E"),
    ("distracted", "Distracted easily", "A"),
]
COLUMN = {"I": "internalizing", "A": "attention", "E": "externalizing"}


def by_code(scales):
    return {s.code: (s.score, s.positive) for s in scales}


def test_the_definition_has_the_17_items_in_the_forms_order_and_words():
    definition = questionnaires.load("psc17")
    items = questionnaires.questions(definition)
    assert [(i["linkId"], i["text"]) for i in items] == [(link, text) for link, text, _ in FORM]
    assert [i["prefix"] for i in items] == [str(n) for n in range(1, 18)]
    assert all(i["required"] for i in items)
    assert {tuple(questionnaires.option_codes(i)) for i in items} == {("0", "1", "2")}
    assert "freely reproduced" in definition["copyright"]


def test_subscales_are_the_forms_columns_with_their_cutoffs():
    for link, _text, column in FORM:
        assert link in scoring.PSC17_SUBSCALES[COLUMN[column]]
    assert [len(v) for v in scoring.PSC17_SUBSCALES.values()] == [5, 5, 7]
    assert scoring.PSC17_CUTOFFS == {
        "internalizing": 5,
        "attention": 7,
        "externalizing": 7,
        "total": 15,
    }


def test_all_never_scores_zero_and_screens_negative():
    answers = {link: "0" for link, _t, _c in FORM}
    assert by_code(scoring.score("psc17", answers)) == {
        "internalizing": (0, False),
        "attention": (0, False),
        "externalizing": (0, False),
        "total": (0, False),
    }


def test_all_often_scores_the_maximum():
    answers = {link: "2" for link, _t, _c in FORM}
    assert by_code(scoring.score("psc17", answers)) == {
        "internalizing": (10, True),
        "attention": (10, True),
        "externalizing": (14, True),
        "total": (34, True),
    }


def test_a_hand_worked_child_just_at_and_below_the_cutoffs():
    # Internalizing: sad 2 + hopeless 1 + down-on-self 1 + less-fun 1 + worries 0 = 5 (≥ 5: +)
    # Attention: fidgety 2 + daydreams 1 + concentrating 2 + motor 1 + distracted 0 = 6 (−)
    # Externalizing: fights 2, rules 2, teases 1, blames 1, the rest 0 = 6 (−)
    # Total 5 + 6 + 6 = 17 (≥ 15: +)
    answers = {link: "0" for link, _t, _c in FORM}
    answers |= {"sad": "2", "hopeless": "1", "down-on-self": "1", "less-fun": "1"}
    answers |= {"fidgety": "2", "daydreams": "1", "concentrating": "2", "motor": "1"}
    answers |= {"fights": "2", "rules": "2", "teases": "1", "blames-others": "1"}
    assert by_code(scoring.score("psc17", answers)) == {
        "internalizing": (5, True),
        "attention": (6, False),
        "externalizing": (6, False),
        "total": (17, True),
    }
    answers["worries"] = "0"
    answers["takes-things"] = "1"  # externalizing 7: at its cut-off
    assert by_code(scoring.score("psc17", answers))["externalizing"] == (7, True)


def test_an_unanswered_or_odd_item_is_not_scored():
    answers = {link: "1" for link, _t, _c in FORM}
    del answers["worries"]
    assert scoring.score("psc17", answers) is None
    assert scoring.score("psc17", {**answers, "worries": "3"}) is None
    assert scoring.score("parent_intake", {}) is None


def test_spanish_texts_replace_every_english_one():
    spanish = reading.questionnaire_definition("psc17", "es")
    english = reading.questionnaire_definition("psc17", "en")
    assert spanish["title"] == "Lista de síntomas pediátricos (PSC-17)"
    items = questionnaires.questions(spanish)
    assert items[1]["text"] == "Se siente triste, infeliz"
    assert [o for _c, o in reading._options(items[0])] == ["Nunca", "Algunas veces", "Seguido"]
    assert questionnaires.questions(english)[1]["text"] == "Feels sad, unhappy"
    for en, es in zip(questionnaires.questions(english), items, strict=True):
        assert en["text"] != es["text"]
    assert [g["text"] for g in spanish["item"]] == [
        "Preguntas 1 a 6",
        "Preguntas 7 a 12",
        "Preguntas 13 a 17",
    ]
