"""The vocabulary's helpers other apps call (child mode's choice board, say)."""

import pytest

from tandem.children.interests import (
    Interest,
    clean_tags,
    interests_first,
    labels,
    rank_by_interests,
)

BOARD = ["Button board", "Dinosaur dig", "Bath-time pouring", "Farm animal sounds"]


def test_items_that_speak_of_the_interests_come_first() -> None:
    interests = ["dinosaurs", "water_play"]
    assert rank_by_interests(BOARD, str, interests) == ["Dinosaur dig", "Bath-time pouring"]
    assert interests_first(BOARD, str, interests) == [
        "Dinosaur dig",
        "Bath-time pouring",
        "Button board",
        "Farm animal sounds",
    ]


def test_spanish_words_match_too() -> None:
    assert rank_by_interests(["Juego con agua", "Torre"], str, ["water_play"]) == ["Juego con agua"]


def test_tags_are_cleaned_and_an_unknown_one_is_named() -> None:
    assert clean_tags(["music", "animals", "music"], Interest) == ["animals", "music"]
    with pytest.raises(ValueError, match="zebras"):
        clean_tags(["zebras"], Interest)
    assert labels(["music", "gone"], Interest) == ["Music and singing"]
