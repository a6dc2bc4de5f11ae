"""Fill empty msgstr entries of a .po file from a JSON dictionary (English → Spanish).

Usage: python tandem/locale/fill_po.py tandem/locale/es/LC_MESSAGES/django.po tandem/locale/es.json
Entries already translated are kept; the script prints the msgids still missing.
"""

import json
import re
import sys
from pathlib import Path


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines)


def _quote(text: str) -> str:
    parts = re.split(r"(?<=\n)", text)
    if len(parts) == 1:
        return json.dumps(text, ensure_ascii=False)
    return '""\n' + "\n".join(json.dumps(p, ensure_ascii=False) for p in parts if p)


def fill(po_path: Path, dictionary: dict[str, str]) -> list[str]:
    lines = po_path.read_text().splitlines()
    out: list[str] = []
    missing: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("msgid "):
            msgid_lines = [line[6:]]
            i += 1
            while i < len(lines) and lines[i].startswith('"'):
                msgid_lines.append(lines[i])
                i += 1
            msgid = _unquote(msgid_lines)
            out.append("msgid " + msgid_lines[0])
            out.extend(msgid_lines[1:])
            if i < len(lines) and lines[i].startswith("msgstr "):
                msgstr_lines = [lines[i][7:]]
                i += 1
                while i < len(lines) and lines[i].startswith('"'):
                    msgstr_lines.append(lines[i])
                    i += 1
                current = _unquote(msgstr_lines)
                if msgid and not current:
                    translated = dictionary.get(msgid)
                    if translated is None:
                        missing.append(msgid)
                        translated = ""
                    out.append("msgstr " + _quote(translated))
                else:
                    out.append("msgstr " + msgstr_lines[0])
                    out.extend(msgstr_lines[1:])
            continue
        out.append(line)
        i += 1
    text = "\n".join(out) + "\n"
    text = text.replace("#, fuzzy\n", "")
    po_path.write_text(text)
    return missing


if __name__ == "__main__":
    po, dictionary_path = Path(sys.argv[1]), Path(sys.argv[2])
    left = fill(po, json.loads(dictionary_path.read_text()))
    for msgid in left:
        print("MISSING:", json.dumps(msgid, ensure_ascii=False))
