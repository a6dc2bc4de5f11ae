"""The shipped questionnaires: FHIR-shaped definitions, loading, and answer validation."""

import pytest
from django.http import QueryDict

from tandem.assessments import questionnaires, reading

SHIPPED = ("parent_intake", "psc17", "sensory_behaviour")
ALLOWED_TYPES = {"group", "display", "string", "text", "boolean", "integer", "choice", "date"}


def all_items(items):
    for item in items:
        yield item
        yield from all_items(item.get("item", []))


def complete_answers(definition):
    """An acceptable answer to every question (the first option, the lowest number …)."""
    answers = {}
    for item in questionnaires.questions(definition):
        kind = item["type"]
        if kind == "choice":
            code = questionnaires.option_codes(item)[0]
            answers[item["linkId"]] = [code] if item.get("repeats") else code
        elif kind == "integer":
            low, _high = questionnaires.bounds(item)
            answers[item["linkId"]] = int(low or 0)
        elif kind == "boolean":
            answers[item["linkId"]] = False
        elif kind == "date":
            answers[item["linkId"]] = "2024-05-01"
        else:
            answers[item["linkId"]] = "Some words."
    return answers


@pytest.fixture
def intake():
    return questionnaires.load("parent_intake")


@pytest.fixture
def sensory():
    return questionnaires.load("sensory_behaviour")


# --- The definitions ---------------------------------------------------------------


def test_the_app_lists_exactly_the_shipped_questionnaires():
    assert questionnaires.available() == SHIPPED
    assert reading.QUESTIONNAIRES == SHIPPED


@pytest.mark.parametrize("slug", SHIPPED)
def test_each_shipped_questionnaire_is_a_fhir_questionnaire(slug):
    definition = questionnaires.load(slug)
    assert definition["resourceType"] == "Questionnaire"
    assert definition["status"] == "active"
    assert definition["url"].startswith("https://") and definition["name"] and definition["title"]
    assert questionnaires.check_definition(definition) == []
    link_ids = [item["linkId"] for item in all_items(definition["item"])]
    assert len(link_ids) == len(set(link_ids))
    for item in all_items(definition["item"]):
        assert item["type"] in ALLOWED_TYPES, item["linkId"]
        assert item["text"], item["linkId"]
        if item["type"] == "group":
            assert item["item"], item["linkId"]
        if item["type"] == "choice":
            assert item["answerOption"], item["linkId"]
            for option in item["answerOption"]:
                assert set(option) == {"valueCoding"}
                assert {"code", "display"} <= set(option["valueCoding"])
        for ext in item.get("extension", []):
            # a url and one value (its "_value…" element carries the value's translations)
            assert ext["url"].startswith("http")
            assert len([k for k in ext if not k.startswith("_")]) == 2


def test_parent_intake_covers_the_interview_topics(intake):
    groups = {item["linkId"] for item in intake["item"] if item["type"] == "group"}
    assert {
        "pregnancy-birth",
        "development",
        "health",
        "routines",
        "sleep",
        "feeding",
        "play",
        "school",
        "family",
        "child-loves",
    } <= groups
    required = {q["linkId"] for q in questionnaires.questions(intake) if q.get("required")}
    assert {"concerns", "priorities", "loves"} <= required


def test_sensory_scale_items_run_from_one_to_five_in_each_sense(sensory):
    groups = {item["linkId"]: item for item in sensory["item"]}
    for sense in ("touch", "movement", "sound", "sight", "taste-smell", "body-awareness"):
        scales = [q for q in groups[sense]["item"] if q["type"] == "integer"]
        assert len(scales) >= 4, sense
        for item in scales:
            assert questionnaires.bounds(item) == (1, 5)
            assert item["required"] is True
    free_text = [q for q in questionnaires.questions(sensory) if q["type"] == "text"]
    assert free_text and not any(q.get("required") for q in free_text)


def test_scale_items_render_as_five_labelled_radios(sensory):
    sections = reading.questionnaire_sections(sensory, {"touch-messy": 4}, {})
    touch = next(s for s in sections if s["title"] == "Touch")
    first = touch["questions"][0]
    assert first["widget"] == "radios"
    assert [code for code, _label in first["options"]] == ["1", "2", "3", "4", "5"]
    assert first["chosen"] == ["4"] and "almost never" in first["help"]


def test_an_unknown_or_unsafe_slug_is_a_lookup_error():
    for slug in ("nope", "../instruments", "parent_intake.json", "", "Parent_Intake"):
        with pytest.raises(LookupError):
            questionnaires.load(slug)
    assert reading.questionnaire_definition("nope") is None


def test_changing_a_loaded_definition_does_not_change_the_shipped_one(intake):
    intake["item"].clear()
    intake["title"] = "changed"
    again = questionnaires.load("parent_intake")
    assert again["title"] == "Parent interview" and again["item"]


def test_check_definition_names_what_is_wrong():
    broken = {
        "resourceType": "Patient",
        "status": "final",
        "item": [
            {"linkId": "a", "text": "A", "type": "string"},
            {"linkId": "a", "text": "A again", "type": "string"},
            {"text": "No id", "type": "string"},
            {"linkId": "b", "text": "B", "type": "rainbow"},
            {"linkId": "c", "text": "C", "type": "choice"},
            {"linkId": "g", "text": "G", "type": "group", "required": True},
        ],
    }
    problems = " | ".join(questionnaires.check_definition(broken))
    for expected in (
        "resourceType",
        "url is missing",
        "status",
        "linkId a is used twice",
        "an item has no linkId",
        "unknown type 'rainbow'",
        "choice c has no answerOption",
        "group g has no items",
        "g cannot be required",
    ):
        assert expected in problems


# --- Validation --------------------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
def test_a_complete_set_of_answers_is_accepted(slug):
    definition = questionnaires.load(slug)
    assert questionnaires.validate(definition, complete_answers(definition), require_all=True) == {}


def test_unknown_link_ids_and_items_without_answers_are_reported(intake):
    problems = questionnaires.validate(intake, {"shoe-size": "12", "about": "x", "intro": "y"})
    assert problems == {
        "shoe-size": "This is not a question of this questionnaire.",
        "about": "This item takes no answer.",
        "intro": "This item takes no answer.",
    }


def test_wrong_types_are_reported_per_question(intake):
    problems = questionnaires.validate(
        intake,
        {
            "pregnancy-concerns": "yes",
            "birth-weeks": "thirty",
            "sleep-hours": 9.5,
            "walked-months": True,
            "concerns": 42,
            "birth-special-care": False,
        },
    )
    assert problems == {
        "pregnancy-concerns": "Answer yes or no.",
        "birth-weeks": "Enter a whole number.",
        "sleep-hours": "Enter a whole number.",
        "walked-months": "Enter a whole number.",
        "concerns": "Enter text.",
    }


def test_an_option_not_in_the_list_is_refused(intake):
    problems = questionnaires.validate(
        intake,
        {
            "respondent": "neighbour",
            "hearing": ["no_concerns"],
            "help-areas": ["fine_motor", "astrology"],
            "mealtime-difficulties": ["few_foods", "few_foods"],
        },
    )
    assert problems == {
        "respondent": "Choose one of the options given.",
        "hearing": "Give one answer only.",
        "help-areas": "Choose one of the options given.",
        "mealtime-difficulties": "Each answer can be given only once.",
    }
    ok = {"respondent": "grandparent", "help-areas": ["fine_motor", "feeding"]}
    assert questionnaires.validate(intake, ok) == {}


def test_integers_outside_their_bounds_are_refused(intake, sensory):
    assert questionnaires.validate(sensory, {"touch-messy": 6, "sound-busy": 0}) == {
        "touch-messy": "Enter a number from 1 to 5.",
        "sound-busy": "Enter a number from 1 to 5.",
    }
    assert questionnaires.validate(sensory, {"touch-messy": 1, "sound-busy": 5}) == {}
    assert questionnaires.validate(intake, {"birth-weeks": 21}) == {
        "birth-weeks": "Enter a number from 22 to 44."
    }


def test_free_text_has_a_length_limit(intake):
    assert questionnaires.validate(intake, {"allergies": "x" * 500}) == {}
    problems = questionnaires.validate(intake, {"allergies": "x" * 501})
    assert problems == {"allergies": "Keep this under 500 characters."}


def test_dates_must_be_iso_dates():
    definition = {"item": [{"linkId": "seen", "text": "Seen on", "type": "date"}]}
    for good in ("2024-02-29", "2024-02", "2024"):
        assert questionnaires.validate(definition, {"seen": good}) == {}
    for bad in ("2023-02-29", "29/02/2024", "2024-13", 20240229):
        assert questionnaires.validate(definition, {"seen": bad}) == {
            "seen": "Enter a date as YYYY-MM-DD."
        }


def test_required_questions_are_needed_only_to_complete(intake):
    answers = {"concerns": "Tantrums at bedtime.", "priorities": ""}
    assert questionnaires.validate(intake, answers, require_all=False) == {}
    problems = questionnaires.validate(intake, answers, require_all=True)
    required = {q["linkId"] for q in questionnaires.questions(intake) if q.get("required")}
    assert set(problems) == required - {"concerns"}
    assert problems["priorities"] == "This question needs an answer."
    assert "allergies" not in problems  # optional


def test_a_wrong_answer_to_a_required_question_keeps_its_own_message(intake):
    problems = questionnaires.validate(intake, {"respondent": "robot"}, require_all=True)
    assert problems["respondent"] == "Choose one of the options given."


def test_answers_posted_from_the_form_validate(intake):
    post = QueryDict(mutable=True)
    post.update(
        {
            "respondent": "parent",
            "concerns": "  Speech  ",
            "birth-timing": "early",
            "birth-weeks": "33",
            "pregnancy-concerns": "false",
            "birth-special-care": "true",
            "lost-skills": "false",
            "priorities": "Ask for help with words.",
            "loves": "Trains",
        }
    )
    post.setlist("help-areas", ["communication", "play"])
    answers = reading.answers_from_post(intake, post)
    assert answers["birth-weeks"] == 33 and answers["birth-special-care"] is True
    assert answers["help-areas"] == ["communication", "play"]
    assert questionnaires.validate(intake, answers, require_all=True) == {}


def test_reading_turns_problems_into_a_validation_error_by_link_id(intake):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        reading.validate_answers(intake, {"birth-weeks": 50}, require_all=False)
    assert caught.value.message_dict == {"birth-weeks": ["Enter a number from 22 to 44."]}
