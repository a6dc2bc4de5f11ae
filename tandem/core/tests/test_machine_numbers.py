"""Numbers a browser reads are never localized: a template that puts a variable into an
SVG drawing or an inline style does it inside ``{% localize off %}``; a number field's
value goes through ``|unlocalize``.

In Spanish, ``{{ y }}`` writes "198,5": a browser reads no number there, and the dot,
the line or the bar is gone. Each chart is also drawn and parsed in every language by its
app's tests (``test_charts_in_every_language``, ``test_growth_chart_in_every_language``).
"""

import re
from pathlib import Path

import tandem
from tandem.core.testing.text import found

TEMPLATES = sorted(Path(tandem.__file__).parent.glob("**/templates/**/*.html"))
LOCALIZE_OFF = re.compile(r"{%\s*localize off\s*%}(.*?){%\s*endlocalize\s*%}", re.DOTALL)
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
STYLE = re.compile(r'style="[^"]*{{')
# A number field's value is read by the browser: "2,5" shows an empty field.
NUMBER_INPUT = re.compile(r"<input\b[^>]*number[^>]*>")
VALUE = re.compile(r'value="{{(?![^}]*\|unlocalize)[^}]*}}"')


def _unlocalized_spans(text: str) -> list[tuple[int, int]]:
    return [match.span(1) for match in LOCALIZE_OFF.finditer(text)]


def _inside(span: tuple[int, int], blocks: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in blocks)


def test_svg_and_style_variables_are_drawn_with_localization_off() -> None:
    offenders = []
    for path in TEMPLATES:
        text = path.read_text()
        blocks = _unlocalized_spans(text)
        for match in (*SVG.finditer(text), *STYLE.finditer(text)):
            if "{{" in match.group() and not _inside(match.span(), blocks):
                offenders.append(f"{path.relative_to(Path(tandem.__file__).parent)}")
    assert not offenders, f"numbers for the browser would be localized in: {offenders}"


def test_number_fields_take_their_value_unlocalized() -> None:
    offenders = []
    for path in TEMPLATES:
        text = path.read_text()
        blocks = _unlocalized_spans(text)
        for match in NUMBER_INPUT.finditer(text):
            if VALUE.search(match.group()) and not _inside(match.span(), blocks):
                offenders.append(f"{path.relative_to(Path(tandem.__file__).parent)}")
    assert not offenders, f"a number field's value would be localized in: {offenders}"


def test_the_check_sees_a_chart_drawn_with_localization_on() -> None:
    drawn = '<svg viewBox="0 0 4 4"><circle cx="{{ x }}"/></svg>'
    safe = "{% localize off %}" + drawn + "{% endlocalize %}"
    assert not _inside(found(SVG, drawn).span(), _unlocalized_spans(drawn))
    assert _inside(found(SVG, safe).span(), _unlocalized_spans(safe))
    assert len(TEMPLATES) > 100 and any(p.name == "_chart.html" for p in TEMPLATES)
    field = '<input type="number" name="minutes" value="{{ minutes }}">'
    assert VALUE.search(found(NUMBER_INPUT, field).group())
    assert not VALUE.search(field.replace("minutes }}", "minutes|unlocalize }}"))
