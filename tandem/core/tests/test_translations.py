"""The Spanish catalogue is complete, free of guesses, compiled, and keeps its placeholders.

``make messages`` regenerates it (makemessages, then ``tandem/locale/fill_po.py`` from
``tandem/locale/es.json``, then compilemessages); these tests fail when a string was added
without its Spanish, or the compiled .mo was not committed with the .po.
"""

import json
import re
from pathlib import Path

import polib
import pytest

from tandem.locale.fill_po import fill

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def live(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in catalogue if not entry.obsolete and entry.msgid]


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_string_has_its_spanish_and_none_is_a_fuzzy_guess(catalogue: polib.POFile) -> None:
    fuzzy = [entry.msgid for entry in live(catalogue) if entry.fuzzy]
    untranslated = [e.msgid for e in live(catalogue) if not all(translations(e))]

    assert fuzzy == []
    assert untranslated == []


def test_every_translation_is_the_reviewed_one_in_the_dictionary(catalogue: polib.POFile) -> None:
    """A translation only the .po holds was never reviewed: the catalogue once kept old
    guesses, such as "Sign in" as "Cerrar sesión" (sign out) on the sign-in page."""
    dictionary = json.loads((LOCALE / "es.json").read_text())
    unreviewed = [
        entry.msgid
        for entry in live(catalogue)
        if not entry.msgid_plural
        and dictionary.get(f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid)
        != entry.msgstr
    ]
    assert unreviewed == []


def test_translations_keep_the_placeholders_of_the_english(catalogue: polib.POFile) -> None:
    wrong = []
    for entry in live(catalogue):
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in translations(entry):
            if set(PLACEHOLDER.findall(text)) != wanted and not (
                entry.msgid_plural and set(PLACEHOLDER.findall(text)) < wanted
            ):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file(catalogue: polib.POFile) -> None:
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(MO))}

    stale = []
    for entry in live(catalogue):
        built = compiled.get((entry.msgctxt, entry.msgid))
        if built is None or translations(built) != translations(entry):
            stale.append(entry.msgid)
    assert stale == [], "run make messages and commit the .mo"


def test_fill_replaces_fuzzy_guesses_and_fills_every_plural_form(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"\n'
        "\n"
        "#, fuzzy, python-format\n"
        '#| msgid "Hello %(name)s"\n'
        'msgid "with %(name)s"\n'
        'msgstr "Hola, %(name)s"\n'
        "\n"
        "#, python-format\n"
        'msgid "%(n)s new message"\n'
        'msgid_plural "%(n)s new messages"\n'
        'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n'
        "\n"
        "#, python-format\n"
        'msgid "%(n)s not yet met"\n'
        'msgid_plural "%(n)s not yet met"\n'
        'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n'
        "\n"
        'msgid "Not in the dictionary"\n'
        'msgstr ""\n'
    )
    dictionary: dict[str, str | list[str]] = {
        "with %(name)s": "con %(name)s",
        "%(n)s new message": "%(n)s mensaje nuevo",
        "%(n)s new messages": "%(n)s mensajes nuevos",
        "%(n)s not yet met": ["%(n)s sin lograr", "%(n)s sin lograr aún"],
    }

    missing = fill(po, dictionary)

    filled = {entry.msgid: entry for entry in polib.pofile(str(po))}
    assert missing == ["Not in the dictionary"]
    assert filled["with %(name)s"].msgstr == "con %(name)s"
    assert not filled["with %(name)s"].fuzzy
    assert filled["%(n)s new message"].msgstr_plural == {
        0: "%(n)s mensaje nuevo",
        1: "%(n)s mensajes nuevos",
        2: "%(n)s mensajes nuevos",
    }
    assert filled["%(n)s not yet met"].msgstr_plural[2] == "%(n)s sin lograr aún"


def test_the_dictionary_is_valid_json_without_empty_translations() -> None:
    dictionary = json.loads((LOCALE / "es.json").read_text())

    def empty(value: str | list[str]) -> bool:
        if isinstance(value, list):  # a plural whose English is alike in both forms
            return len(value) != 2 or any(empty(form) for form in value)
        return not value.strip()

    assert [key for key, value in dictionary.items() if empty(value)] == []
