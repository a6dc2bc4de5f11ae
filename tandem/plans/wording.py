"""A goal in the family's words and the child's: what families, teachers and the child read
instead of the clinical SMART statement.

Each goal has a family wording (plain language, aimed at a grade-6 reading level) and a
child wording ("I can …", shown once the goal is reached), in each language Tandem speaks
(``settings.LANGUAGES``: English and Spanish). The therapist writes them or accepts a draft:
the goal bank's own family text when the goal came from the bank, else a plain sentence for
the goal's area. Readability is measured with ``textstat`` (Flesch–Kincaid grade for
English, Fernández-Huerta for Spanish).
"""

import re
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from textstat.textstat import textstatistics

from .models import Domain

LANGS = ("en", "es")
FAMILY_FIELDS = tuple(f"family_wording_{lang}" for lang in LANGS)
CHILD_FIELDS = tuple(f"child_wording_{lang}" for lang in LANGS)
WORDING_FIELDS = FAMILY_FIELDS + CHILD_FIELDS
# Above these a family wording is saved with a warning (the aim is grade 6; one sentence
# scores noisily, so it is not refused). The family report's test holds the line.
MAX_GRADE_EN = 8.0
MIN_EASE_ES = 70.0  # Fernández-Huerta: 70–80 "fairly easy", 80+ "easy" (about grade 6)

# Drafts for a goal that did not come from the bank, by area: (family, child) per language.
_DRAFTS: dict[str, dict[str, tuple[str, str]]] = {
    Domain.FINE_MOTOR.value: {
        "en": ("{child} is learning to do more with hands and fingers.", "I can use my hands."),
        "es": ("{child} está aprendiendo a hacer más con las manos.", "Puedo usar mis manos."),
    },
    Domain.GROSS_MOTOR.value: {
        "en": ("{child} is learning to move, balance and play more.", "I can move my body."),
        "es": (
            "{child} está aprendiendo a moverse y a tener más equilibrio.",
            "Puedo mover mi cuerpo.",
        ),
    },
    Domain.SELF_CARE.value: {
        "en": ("{child} is learning to do everyday care on their own.", "I can do it by myself."),
        "es": ("{child} está aprendiendo a cuidarse sin ayuda.", "Puedo hacerlo sin ayuda."),
    },
    Domain.SENSORY.value: {
        "en": ("{child} is learning to feel OK with sounds, touch and more.", "I can feel OK."),
        "es": (
            "{child} está aprendiendo a sentirse bien con ruidos y texturas.",
            "Puedo sentirme bien.",
        ),
    },
    Domain.COMMUNICATION.value: {
        "en": ("{child} is learning to talk and to understand more.", "I can say what I want."),
        "es": ("{child} está aprendiendo a hablar y a entender más.", "Puedo decir lo que quiero."),
    },
    Domain.SOCIAL.value: {
        "en": (
            "{child} is learning to play and get along with others.",
            "I can play with friends.",
        ),
        "es": (
            "{child} está aprendiendo a jugar y llevarse bien con otros.",
            "Puedo jugar con amigos.",
        ),
    },
    Domain.EMOTIONAL_REGULATION.value: {
        "en": ("{child} is learning to handle big feelings.", "I can calm down."),
        "es": ("{child} está aprendiendo a manejar las emociones fuertes.", "Puedo calmarme."),
    },
    Domain.FEEDING.value: {
        "en": ("{child} is learning to eat and drink with more ease.", "I can eat well."),
        "es": ("{child} está aprendiendo a comer y beber mejor.", "Puedo comer bien."),
    },
    Domain.PLAY.value: {
        "en": ("{child} is learning new ways to play.", "I can play in new ways."),
        "es": ("{child} está aprendiendo nuevas formas de jugar.", "Puedo jugar de otras formas."),
    },
    Domain.SCHOOL_READINESS.value: {
        "en": ("{child} is getting ready for school.", "I can do school things."),
        "es": ("{child} se está preparando para la escuela.", "Puedo hacer cosas de la escuela."),
    },
}
_GENERIC = {
    "en": ("{child} is learning something new.", "I can do it."),
    "es": ("{child} aprende algo nuevo.", "Puedo hacerlo."),
}

# Syllables by the hyphenation dictionary (pyphen): "en-US" is not textstat's "en", whose
# CMU pronouncing dictionary takes seconds to load on a worker's first goal. The family
# report's test measures with textstat's defaults (CMU) instead.
_EN = textstatistics()
_EN.set_lang("en-US")
_ES = textstatistics()
_ES.set_lang("es")


def grade_en(text: str) -> float:
    """Flesch–Kincaid grade level of an English text (syllables by hyphenation)."""
    return float(_EN.flesch_kincaid_grade(text))


def ease_es(text: str) -> float:
    """Fernández-Huerta reading ease of a Spanish text (higher is easier; 80+ is easy)."""
    return float(_ES.fernandez_huerta(text))


def reader_language() -> str:
    """The reader's language among ``LANGS`` (the active translation)."""
    lang = (get_language() or "en").split("-")[0]
    return lang if lang in LANGS else "en"


def _pick(goal: Any, prefix: str, language: str | None) -> str:
    """The wording in the reader's language only: a Spanish-speaking family is never
    handed the English one (nor the other way round)."""
    lang = language or reader_language()
    return (getattr(goal, f"{prefix}_{lang}", "") or "").strip()


def family_wording(goal: Any, language: str | None = None) -> str:
    """The goal in the family's words, in the reader's language, else a neutral sentence:
    never the clinical statement."""
    return _pick(goal, "family_wording", language) or _(
        "Your therapist is writing this goal in plain words."
    )


def child_wording(goal: Any, language: str | None = None) -> str:
    """The child's "I can …" (empty when the therapist has not written one)."""
    return _pick(goal, "child_wording", language)


# The API's two fields for a goal's words (``for_reader``).
STATEMENT_DOC = (
    "The clinical SMART goal: for the clinical staff (admins, therapists) only; null for "
    "families and collaborators, who read `wording`"
)
WORDING_DOC = "The goal in the family's words, in the reader's language (never the clinical goal)"


def reads_clinical(membership: Any) -> bool:
    """Whether a member reads goals' clinical SMART statements: the clinical staff (admins
    and therapists). Families, collaborators (a teacher, say) and the child read the
    family wording instead, on pages and over the API alike."""
    return bool(getattr(membership, "is_staff_member", False))


def for_reader(goal: Any, clinical: bool) -> dict[str, str | None]:
    """A goal's words for an API reader: ``wording`` (the family's, in the reader's
    language) for everyone, ``statement`` (clinical) for the clinical staff only, else None."""
    return {"statement": goal.statement if clinical else None, "wording": family_wording(goal)}


def drafts(child: Any, domain: str, bank_entry: Any = None) -> dict[str, str]:
    """Suggested wordings by field: the bank entry's family text, else a plain sentence for
    the goal's area; the child's name filled in."""
    name = child.preferred_name or child.first_name
    found: dict[str, str] = {}
    for lang in LANGS:
        family, mine = _DRAFTS.get(domain, _GENERIC)[lang]
        if bank_entry is not None:
            family = getattr(bank_entry, f"family_wording_{lang}", "") or family
            mine = getattr(bank_entry, f"child_wording_{lang}", "") or mine
        found[f"family_wording_{lang}"] = family.replace("{child}", name)
        found[f"child_wording_{lang}"] = mine.replace("{child}", name)
    return found


def _plain(text: str | None) -> str:
    """Letters and digits only, lower case, one space apart: a copy with a comma added or
    a full stop taken away is still a copy."""
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").casefold()).split())


def wording_problems(goal: Any) -> dict[str, str]:
    """What is wrong with a goal's family wordings, by field: a copy of the statement."""
    errors: dict[str, str] = {}
    clinical = _plain(goal.statement)
    for name in WORDING_FIELDS:
        text = _plain(getattr(goal, name, ""))
        if text and text == clinical:
            errors[name] = _(
                "This is the clinical goal. Families never see it: say it in plain words."
            )
    return errors


def readability_warnings(goal: Any) -> list[str]:
    """What a therapist is told after saving a family wording that reads too hard."""
    warnings = []
    english = (goal.family_wording_en or "").strip()
    if english and (grade := grade_en(english)) > MAX_GRADE_EN:
        warnings.append(
            _(
                "The family's words (English) read at about grade %(grade)s. Aim for grade 6: "
                "short sentences, everyday words."
            )
            % {"grade": f"{grade:.0f}"}
        )
    spanish = (goal.family_wording_es or "").strip()
    if spanish and ease_es(spanish) < MIN_EASE_ES:
        warnings.append(
            _(
                "The family's words (Spanish) are hard to read (Fernández-Huerta below "
                "%(ease)s). Use short sentences and everyday words."
            )
            % {"ease": f"{MIN_EASE_ES:.0f}"}
        )
    return warnings
