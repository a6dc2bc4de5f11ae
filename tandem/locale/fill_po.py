"""Fill a .po file from a JSON dictionary (English → Spanish); the dictionary is the source.

Usage: python tandem/locale/fill_po.py tandem/locale/es/LC_MESSAGES/django.po tandem/locale/es.json

Every entry whose English is in the dictionary takes the dictionary's Spanish, plural
forms included (the singular from the msgid's entry, every other form from the
msgid_plural's; where the English is the same in both, the msgid's entry is a list:
["singular", "plural"]). The guesses ``makemessages`` marks fuzzy are never kept: msgfmt would
leave them out of the .mo, and a guess is often wrong ("with %(name)s" guessed from
"Hello %(name)s"). Nor is a translation the dictionary does not hold: the file once kept
such guesses ("Sign in" read "Cerrar sesión", sign out), so only the dictionary counts.
The script prints the msgids it could not translate.
"""

import json
import re
import sys
from pathlib import Path

import polib


def plural_count(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match[1]) if match else 2


def fill(po_path: Path, dictionary: dict[str, str | list[str]]) -> list[str]:
    """Translate the file in place; return the msgids left without a translation."""
    po = polib.pofile(str(po_path), wrapwidth=79)
    forms = plural_count(po)
    missing: list[str] = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(range(forms), "") if entry.msgid_plural else {}
        if entry.msgid_plural:
            one, many = dictionary.get(entry.msgid), dictionary.get(entry.msgid_plural)
            if isinstance(one, list):  # English alike in both forms: ["singular", "plural"]
                one, many = one
            if one is not None and many is not None:
                entry.msgstr_plural = {0: one, **dict.fromkeys(range(1, forms), many)}
            elif not all(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        elif entry.msgctxt and isinstance(dictionary.get(f"{entry.msgctxt}\x04{entry.msgid}"), str):
            # pgettext: the key is "context\u0004English", as gettext keys it
            entry.msgstr = str(dictionary[f"{entry.msgctxt}\x04{entry.msgid}"])
        elif isinstance(dictionary.get(entry.msgid), str):
            entry.msgstr = str(dictionary[entry.msgid])
        else:  # not in the dictionary: whatever the file held was never reviewed
            entry.msgstr = ""
            missing.append(entry.msgid)
    po.save()
    return missing


if __name__ == "__main__":
    po_file, dictionary_path = Path(sys.argv[1]), Path(sys.argv[2])
    for msgid in fill(po_file, json.loads(dictionary_path.read_text())):
        print("MISSING:", json.dumps(msgid, ensure_ascii=False))
