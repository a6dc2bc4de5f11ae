"""What a child loves and is good at, as a small controlled vocabulary of tags.

The tags sit beside the profile's free text (``Child.interests`` / ``Child.strengths``):
the family's and the team's own words stay, the tags make them usable. An interest tag
carries the words that find it in a text (a resource's title, a child-mode choice's label,
in English and Spanish) and a home idea in plain words. Apps above this one match against
them: ``resources.interests`` (the resources page's "Suggested for … interests"), and
any other list through ``rank_by_interests`` (child-mode choices, say).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")
MAX_TAGS = 12  # a profile, not a catalogue


class Interest(models.TextChoices):
    ANIMALS = "animals", _("Animals")
    DINOSAURS = "dinosaurs", _("Dinosaurs")
    MUSIC = "music", _("Music and singing")
    WATER_PLAY = "water_play", _("Water play")
    VEHICLES = "vehicles", _("Cars, trains and vehicles")
    BUILDING = "building", _("Building and blocks")
    DRAWING = "drawing", _("Drawing and painting")
    BOOKS = "books", _("Books and stories")
    SPORTS = "sports", _("Sports and ball games")
    OUTDOORS = "outdoors", _("Being outdoors")
    PUZZLES = "puzzles", _("Puzzles")
    PRETEND_PLAY = "pretend_play", _("Pretend play")
    SCREENS = "screens", _("Screens and tech")
    COOKING = "cooking", _("Cooking and food")
    BUBBLES = "bubbles", _("Bubbles and balloons")
    MOVEMENT = "movement", _("Swinging, jumping, climbing")


class Strength(models.TextChoices):
    VISUAL_LEARNER = "visual_learner", _("Learns by seeing")
    IMITATES_WELL = "imitates_well", _("Copies others well")
    LOVES_ROUTINES = "loves_routines", _("Loves routines")
    SOCIAL = "social", _("Enjoys other people")
    PERSISTENT = "persistent", _("Keeps trying")
    GOOD_MEMORY = "good_memory", _("Remembers well")
    CURIOUS = "curious", _("Curious")
    FUNNY = "funny", _("Good sense of humour")
    GOOD_WITH_HANDS = "good_with_hands", _("Good with hands")
    ACTIVE = "active", _("Loves to move")


@dataclass(frozen=True)
class InterestWords:
    keywords: tuple[str, ...]  # lower case, English and Spanish; matched as substrings
    home_idea: Promise


WORDS: dict[str, InterestWords] = {
    Interest.ANIMALS: InterestWords(
        ("animal", "dog", "cat", "farm", "zoo", "perro", "gato", "granja"),
        _("Feed the toy animals: take turns, name them, make their sounds."),
    ),
    Interest.DINOSAURS: InterestWords(
        ("dinosaur", "dino", "dinosaurio"),
        _("Hide dinosaurs in a tub of rice or sand and dig them out with fingers or a spoon."),
    ),
    Interest.MUSIC: InterestWords(
        ("music", "song", "sing", "rhyme", "música", "musica", "canción", "cancion", "canta"),
        _("Sing a favourite song and pause before the last word for your child to fill in."),
    ),
    Interest.WATER_PLAY: InterestWords(
        ("water", "bath", "splash", "pour", "agua", "baño", "bano"),
        _("At bath time, pour and squeeze: cups, sponges and spray bottles build strong hands."),
    ),
    Interest.VEHICLES: InterestWords(
        ("car", "truck", "train", "vehicle", "bus", "coche", "carro", "camión", "tren"),
        _("Race cars down a ramp: “ready, set … go!” and wait for your child to say “go”."),
    ),
    Interest.BUILDING: InterestWords(
        ("block", "build", "lego", "tower", "bloque", "construi", "torre"),
        _("Build a tower together, one block each, and count as it grows."),
    ),
    Interest.DRAWING: InterestWords(
        ("draw", "paint", "colour", "color", "crayon", "dibuj", "pint"),
        _("Draw with chalk or crayons on a wall-taped sheet: standing up helps the shoulder."),
    ),
    Interest.BOOKS: InterestWords(
        ("book", "story", "read", "libro", "cuento", "leer", "lectura"),
        _("Read a short book together and let your child turn the pages and point."),
    ),
    Interest.SPORTS: InterestWords(
        ("ball", "sport", "kick", "throw", "pelota", "balón", "deporte"),
        _("Roll, throw and kick a ball back and forth, saying “my turn, your turn”."),
    ),
    Interest.OUTDOORS: InterestWords(
        ("outdoor", "park", "garden", "nature", "walk", "parque", "jardín", "naturaleza"),
        _("On a walk, collect three leaves or stones and talk about them at home."),
    ),
    Interest.PUZZLES: InterestWords(
        ("puzzle", "shape", "sort", "rompecabezas", "forma", "clasific"),
        _("Do a simple puzzle: hand one piece at a time so your child asks for the next."),
    ),
    Interest.PRETEND_PLAY: InterestWords(
        ("pretend", "doll", "tea party", "role play", "juego simbólico", "muñec", "imagin"),
        _("Have a pretend picnic: feed the doll, pour the tea, say what each one wants."),
    ),
    Interest.SCREENS: InterestWords(
        ("screen", "tablet", "video", "app", "pantalla", "tableta"),
        _("Watch a short video together and copy the actions or sounds you see."),
    ),
    Interest.COOKING: InterestWords(
        ("cook", "food", "snack", "kitchen", "bak", "cocin", "comida", "merienda"),
        _("Make a snack together: stir, pour and spread, and name each step."),
    ),
    Interest.BUBBLES: InterestWords(
        ("bubble", "balloon", "blow", "burbuja", "globo", "soplar"),
        _("Blow bubbles and wait: let your child ask for “more” before the next ones."),
    ),
    Interest.MOVEMENT: InterestWords(
        ("swing", "jump", "climb", "trampoline", "obstacle", "columpio", "salt", "trepar"),
        _("Make an obstacle course with cushions: over, under, through."),
    ),
}


def clean_tags(values: Iterable[str], choices: type[models.TextChoices]) -> list[str]:
    """The tags in vocabulary order, each once; an unknown one raises ValueError (its value)."""
    wanted = [str(v).strip() for v in values if str(v).strip()]
    known = set(choices.values)
    for value in wanted:
        if value not in known:
            raise ValueError(value)
    return [v for v in choices.values if v in set(wanted)]


def labels(values: Sequence[str], choices: type[models.TextChoices]) -> list[str]:
    """The display labels of stored tags (a tag no longer in the vocabulary is skipped)."""
    names = dict(choices.choices)
    return [str(names[v]) for v in values if v in names]


def keywords_of(interests: Iterable[str]) -> list[str]:
    return [word for tag in interests if tag in WORDS for word in WORDS[tag].keywords]


def matching_interests(text: str, interests: Iterable[str]) -> list[str]:
    """The child's interests a text speaks of (by their words, case-insensitive)."""
    folded = text.casefold()
    return [
        tag for tag in interests if tag in WORDS and any(w in folded for w in WORDS[tag].keywords)
    ]


def rank_by_interests(
    items: Sequence[T], text_of: Callable[[T], str], interests: Sequence[str]
) -> list[T]:
    """The items whose text speaks of one of the interests, most matches first (stable).

    For any list outside this app (child-mode choices: ``text_of=lambda c: c.label``).
    """
    scored = [
        (len(matching_interests(text_of(item), interests)), i, item) for i, item in enumerate(items)
    ]
    return [item for score, _i, item in sorted(scored, key=lambda s: (-s[0], s[1])) if score]


def home_ideas(interests: Iterable[str]) -> list[tuple[str, Promise]]:
    """(label, idea in plain words) for each interest, in vocabulary order."""
    names = dict(Interest.choices)
    return [(str(names[t]), WORDS[t].home_idea) for t in interests if t in WORDS]


def interests_first(
    items: Sequence[T], text_of: Callable[[T], str], interests: Sequence[str]
) -> list[T]:
    """All the items, those speaking of the child's interests first (most matches first),
    the others after in their order: for a choice board (``childmode.reading``)."""
    chosen = rank_by_interests(items, text_of, interests)
    ids = {id(item) for item in chosen}
    return chosen + [item for item in items if id(item) not in ids]
