"""Read the SVG charts of a page the way a browser would, for tests.

Every number a machine reads must parse as a plain number: a decimal comma
("198,5", what Spanish formatting writes) makes a browser drop the dot or the line.
"""

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import tinyhtml5

SVG = "{http://www.w3.org/2000/svg}"
# Attributes holding one number.
NUMBER_ATTRIBUTES = (
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "width",
    "height",
    "stroke-width",
    "font-size",
    "fill-opacity",
)
# Attributes holding a list of numbers separated by spaces.
LIST_ATTRIBUTES = ("viewBox", "stroke-dasharray")
NUMBER = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)(e-?\d+)?$")
# How many numbers each path command takes (a command may repeat its numbers).
PATH_ARITY = {"m": 2, "l": 2, "t": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "a": 7, "z": 0}
STYLE_NUMBER = re.compile(r"\d,\d")


@dataclass
class Chart:
    """One drawn chart: its element and the counts a test asserts."""

    element: Element

    def all(self, tag: str) -> list[Element]:
        return list(self.element.iter(SVG + tag))

    @property
    def dots(self) -> list[Element]:
        return self.all("circle")

    def texts(self) -> list[str]:
        return ["".join(t.itertext()).strip() for t in self.all("text")]

    def titles(self) -> list[str]:
        """The tooltips of the dots and bars (a ``<title>`` inside each)."""
        return [
            "".join(t.itertext()).strip()
            for shape in (*self.all("circle"), *self.all("rect"))
            for t in shape.iter(SVG + "title")
        ]


def _plain(attribute: str, value: str) -> bool:
    """Whether an attribute's numbers are all plain (True for attributes without numbers)."""
    if attribute in NUMBER_ATTRIBUTES:
        return bool(NUMBER.match(value.strip().removesuffix("%")))
    if attribute in LIST_ATTRIBUTES:
        return all(NUMBER.match(v) for v in value.split())
    if attribute == "points":
        pairs = [pair.split(",") for pair in value.split()]
        return all(len(p) == 2 and all(NUMBER.match(n) for n in p) for p in pairs)
    if attribute == "d":
        return _plain_path(value)
    if attribute == "transform":
        arguments = re.findall(r"\(([^)]*)\)", value)
        return all(NUMBER.match(n) for args in arguments for n in args.split())
    return True


def _plain_path(value: str) -> bool:
    """Each command of a path has whole sets of plain numbers ("M48,198,5" has three)."""
    for command, numbers in re.findall(r"([A-Za-z])([^A-Za-z]*)", value.strip()):
        arity = PATH_ARITY.get(command.lower())
        found = re.findall(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?", numbers)
        if arity is None or (arity and (not found or len(found) % arity)) or (not arity and found):
            return False
    return True


def charts_in(html: str) -> list[Chart]:
    """Every chart of a page (an ``<svg>`` with a role, not the legend's swatches).

    Fails when any SVG number on the page, a ``style`` or a ``data-*`` attribute
    holds a decimal comma or is not a plain number.
    """
    tree = tinyhtml5.parse(html)
    problems: list[str] = []
    for element in tree.iter():
        svg = isinstance(element.tag, str) and element.tag.startswith(SVG)
        for attribute, value in element.attrib.items():
            machine = attribute == "style" or attribute.startswith("data-")
            if (svg and not _plain(attribute, value)) or (machine and STYLE_NUMBER.search(value)):
                problems.append(f"<{element.tag.split('}')[-1]} {attribute}={value[:60]!r}>")
    assert not problems, "numbers a browser cannot read: " + "; ".join(problems[:10])
    return [Chart(svg) for svg in tree.iter(SVG + "svg") if svg.get("role") == "img"]
