"""The stored-XSS corpus, the form filler that writes it, and the detector that looks for it.

Every payload, if it ever reached a page as markup rather than text, would make an element
carrying ``data-xss`` (or an event handler, a ``javascript:`` link, an htmx attribute …).
``live_markup(html)`` parses a page as a browser does (tinyhtml5, an HTML5 parser) and lists
every such element; the browser tests (``browser_tests/test_stored_xss.py``) look for the
same in Chromium and also listen for dialogs and Content-Security-Policy violations.

``fill_and_post`` writes through a real form: it fetches the page, finds the form, puts a
payload in every free-text field (text, search, tel, url, email inputs and textareas, within
their ``maxlength``), keeps every other field as the page had it (or as the caller says),
and posts it. A field the form refuses a payload for (``aria-invalid``) is filled with a
plain value and posted again: a refusal is safe, and is recorded as such.

The tests in this module check the detector itself: a detector that sees nothing would
make every other test pass.
"""

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

import tinyhtml5
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.utils.html import escape

from tandem.core import clock
from tandem.core.testing.types import Response

# Each at most 90 characters: with its field's tag it fits a 100-character name.
PAYLOADS = [
    '<script data-xss>alert("xss")</script>',
    '<img src=x data-xss onerror=alert("xss")>',
    "<svg data-xss onload=alert('xss')>",
    '"><img src=x data-xss onerror=alert("xss")>',
    "'><svg data-xss onload=alert('xss')>",
    'javascript:alert("xss")',
    '{{ 7|add:7 }}{% now "Y" %}{{ request.user.email }}',
    '<div data-xss hx-get="/?xss" hx-trigger="load">h</div>',
    "<b data-xss hx-on:click=\"alert('xss')\">h</b>",
    '</textarea><img src=x data-xss onerror=alert("xss")>',
    '</style><script data-xss>alert("xss")</script>',
    '</title><svg data-xss onload=alert("xss")>',
    '</script><script data-xss>alert("xss")</script>',
    '[link](javascript:alert("xss")) **bold** <https://evil.example>',
    "<a data-xss href=\"javascript:alert('xss')\">x</a>",
    '<iframe data-xss srcdoc="<script>alert(1)</script>">',
    '<details data-xss open ontoggle=alert("xss")>',
    '<svg><a data-xss xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "&lt;img src=x data-xss onerror=alert(1)&gt; &amp;lt;",
    "\u202eexe.png\u202c \u200b\u2066<bdo data-xss dir=rtl>xss</bdo>\u2069",
    '<meta data-xss http-equiv=refresh content="0;url=javascript:alert(1)">',
    '<base data-xss href="//evil.example/">',
    "<style data-xss>body{display:none}</style>",
    '<input data-xss autofocus onfocus=alert("xss")>',
    '<script data-xss src="/static/vendor/htmx.min.js"></script>',
]
assert all(len(p) <= 90 for p in PAYLOADS)

# Web addresses: each must be refused by a link field, or kept from becoming a link.
BAD_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]
# A link field gets a real web address carrying a payload in its query.
LINK_PAYLOAD = 'https://example.org/xss?q="><svg/data-xss/onload=alert(1)>'
# An email field gets a quoted local part, which Django's validator accepts.
EMAIL_PAYLOAD = '"<svg/data-xss/onload=alert(1)>{tag}"@example.org'

TEXT_INPUTS = {"text", "search", "tel", "url", "email", ""}
NOT_POSTED = {"password", "file"}  # a password is nobody's payload; files: test_uploads*.py
TAG = re.compile(r"xq\d{3}")


# --- What a page shows: live markup, and text ---------------------------------------------


def parse(html: str) -> Element:
    return tinyhtml5.parse(html, namespace_html_elements=False)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def live_markup(html: str) -> list[str]:
    """Every element of the page that a stored payload could have made live: a ``data-xss``
    element, an event handler, a ``javascript:`` or ``data:`` link, an inline script or one
    not from /static/, a frame, a ``<base>``, a refresh, an htmx attribute naming ``xss``."""
    found = []
    for element in parse(html).iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        attributes = {_local(name): value for name, value in element.attrib.items()}
        why = _why_live(tag, attributes, element.text or "")
        if why:
            found.append(f"<{tag} {attributes}>: {why}")
    return found


def _why_live(tag: str, attributes: dict[str, str], text: str) -> str:
    if "data-xss" in attributes:
        return "an element made by a payload"
    for name, value in attributes.items():
        if name.startswith("on"):
            return f"an event handler ({name})"
        plain = re.sub(r"[\s\x00-\x1f]", "", value).lower()
        linked = name in {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
        if linked and plain.startswith(("javascript:", "vbscript:", "data:text/html")):
            return f"a script link ({name})"
        htmx = name.startswith(("hx-", "data-hx-"))
        if htmx and (
            "?xss" in value or "alert(" in value or name.startswith(("hx-on", "data-hx-on"))
        ):
            return f"an htmx attribute ({name})"
    if tag == "script":
        source = attributes.get("src", "")
        inert = attributes.get("type") == "application/json"
        if not inert and not source.startswith("/static/"):
            return "a script that is not one of Tandem's files"
        if source and "xss" in text.lower():
            return "a script with a payload"
    if tag in {"iframe", "frame", "object", "embed", "base"}:
        return f"a <{tag}>"
    if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
        return "a refresh"
    return ""


def page_text(html: str) -> str:
    """The page's text as a reader gets it (whitespace folded), title and form values
    included (a payload in an edit form is shown as the field's value)."""
    root = parse(html)
    parts: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        if tag in {"script", "style"}:
            if element.tail:
                parts.append(element.tail)
            continue
        if tag == "input" and element.get("value"):
            parts.append(element.get("value", ""))
        if element.text:
            parts.append(element.text)
        if element.tail:
            parts.append(element.tail)
    return fold(" ".join(parts))


def fold(text: str) -> str:
    return " ".join(text.split())


# --- The values written ---------------------------------------------------------------------


@dataclass
class Written:
    """One field written through a form: its tag (unique, in the value), where, and what."""

    tag: str
    surface: str
    field: str
    value: str
    payloads: list[str]
    refused: bool = False  # the form refused every payload for it (safe, and noted)


@dataclass
class Corpus:
    """Everything written, to look for on the pages afterwards."""

    written: list[Written] = field(default_factory=list)
    counter: itertools.count = field(default_factory=itertools.count)
    # (surface, field) of every field a form refused a payload for (then written plainly)
    refusals: list[tuple[str, str]] = field(default_factory=list)
    # Records the surfaces made, for the ones after them (a plan for its goals …).
    ids: dict[str, Any] = field(default_factory=dict)

    def note(self, surface: str, name: str, value: str, *, tag: str | None = None) -> None:
        """Record a field written another way (a signature's typed name, a file's field)."""
        self.written.append(Written(tag or self.new_tag(), surface, name, value, [value]))

    def new_tag(self) -> str:
        return f"xq{next(self.counter):03d}"

    def value_for(self, kind: str, max_length: int | None, index: int) -> tuple[str, str, list]:
        """(tag, value, payloads) for a field of this kind and length."""
        tag = self.new_tag()
        if kind == "url":
            return tag, f"{LINK_PAYLOAD}&{tag}", [LINK_PAYLOAD]
        if kind == "email":
            value = EMAIL_PAYLOAD.format(tag=tag)
            return tag, value, [value]
        limit = max_length or 100_000
        if kind == "textarea":
            chosen: list[str] = []
            # Start at a different payload in each field, so that short textareas differ.
            for payload in PAYLOADS[index % len(PAYLOADS) :] + PAYLOADS[: index % len(PAYLOADS)]:
                if len("\n".join([tag, *chosen, payload])) <= limit:
                    chosen.append(payload)
            return tag, "\n".join([tag, *chosen]), chosen
        payload = PAYLOADS[index % len(PAYLOADS)]
        value = f"{tag} {payload}"
        if len(value) > limit:  # a very short field: what fits of a small payload
            payload = "<b data-xss>x</b>"[: max(limit - len(tag) - 1, 0)]
            value = f"{tag} {payload}"[:limit]
        return tag, value, [payload]

    @property
    def payload_count(self) -> int:
        return sum(len(w.payloads) for w in self.written if not w.refused)


def stored_tags() -> set[str]:
    """Every tag found in any text column of the database (JSON included)."""
    found: set[str] = set()
    text_fields = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        for column in model._meta.concrete_fields:
            if not isinstance(column, text_fields):
                continue
            rows = model._base_manager.annotate(_t=Cast(column.name, models.TextField()))
            for value in rows.filter(_t__contains="xq").values_list("_t", flat=True):
                found.update(TAG.findall(value))
    return found


# --- Filling a real form ----------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # "textarea", "select", "checkbox", "radio", or an input type
    value: str
    max_length: int | None
    required: bool
    options: list[str] = field(default_factory=list)
    checked: bool = False


def _forms(root: Element) -> list[Element]:
    return [
        f
        for f in root.iter("form")
        if (f.get("method") or "get").lower() == "post" or f.get("hx-post")
    ]


def form_fields(form: Element) -> list[FormField]:
    fields: list[FormField] = []
    for element in form.iter():
        name = element.get("name")
        if not isinstance(element.tag, str) or not name or element.get("disabled") is not None:
            continue
        tag = element.tag
        limit = element.get("maxlength")
        max_length = int(limit) if limit else None
        required = element.get("required") is not None
        if tag == "textarea":
            fields.append(FormField(name, "textarea", element.text or "", max_length, required))
        elif tag == "select":
            options = [o.get("value", (o.text or "").strip()) for o in element.iter("option")]
            chosen = [
                o.get("value", (o.text or "").strip())
                for o in element.iter("option")
                if o.get("selected") is not None
            ]
            kind = "select-multiple" if element.get("multiple") is not None else "select"
            # Nothing chosen: the browser sends the first option; a required field gets
            # the first real choice instead.
            first = [o for o in options if o] if required else options
            if required and not any(chosen):
                chosen = []
            for value in chosen or ([] if kind == "select-multiple" else first[:1]):
                fields.append(FormField(name, kind, value, None, required, options))
            if not chosen and kind == "select-multiple":
                fields.append(FormField(name, kind, "", None, required, options))
        elif tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                continue
            checked = element.get("checked") is not None
            value = element.get("value", "")
            if required and not value:  # what a person would type in an empty required field
                if kind == "number":
                    value = _middle(element.get("min"), element.get("max"))
                else:
                    value = {"date": clock.today().isoformat(), "time": "10:00"}.get(kind, "")
            fields.append(FormField(name, kind, value, max_length, required, [], checked))
    return fields


def _middle(low: str | None, high: str | None) -> str:
    """A number inside a field's bounds, e.g. 5 on a 1–10 scale."""
    low_n, high_n = float(low or 1), float(high or max(float(low or 1), 10))
    return str(int(max(low_n, min(high_n, (low_n + high_n) // 2))))


def _plain(kind: str, original: str) -> str:
    """A value any form accepts for a field that refused a payload."""
    if original:
        return original
    return {"email": "someone@example.org", "url": "https://example.org/", "tel": "555 0100"}.get(
        kind, "plain words"
    )


def _field_errors(html: str) -> set[str]:
    root = parse(html)
    return {e.get("name", "") for e in root.iter() if e.get("aria-invalid") == "true"} - {""}


def fill_and_post(
    client: Client,
    corpus: Corpus,
    surface: str,
    url: str,
    *,
    data: dict[str, Any] | None = None,
    leave: Iterable[str] = (),
    form_has: str | None = None,
    action: str | None = None,
    post_to: str | None = None,
    headers: dict[str, str] | None = None,
    ok: Iterable[int] = (302, 303),
) -> Response:
    """Open ``url``, put payloads in the free-text fields of its post form (the one posting
    to ``action``, or with a field named ``form_has``, else the one with the most text
    fields), set ``data`` over the rest, post it (to ``post_to``: a button's formaction)
    and check it was accepted (an ``ok`` status). Fields named in ``leave`` keep their
    value. A form that answers 200 when it accepts (``ok=(200,)``) cannot show a refusal
    here: ``stored_tags`` finds it. Returns the response of the accepted post."""
    page = client.get(url, headers=headers or {})
    assert page.status_code == 200, f"{surface}: GET {url} answered {page.status_code}"
    root = parse(page.content.decode())
    forms = _forms(root)
    if action:
        forms = [f for f in forms if action in (f.get("action"), f.get("hx-post"))]
    if form_has:
        forms = [f for f in forms if any(e.get("name") == form_has for e in f.iter())]
    assert forms, f"{surface}: no post form at {url}"
    form = max(forms, key=lambda f: sum(1 for x in form_fields(f) if _is_text(x)))
    action = post_to or form.get("action") or form.get("hx-post") or url
    fields = form_fields(form)
    leave = set(leave) | set(data or {})
    posted: dict[str, Any] = {}
    mine: dict[str, tuple[FormField, Written]] = {}
    text_index = len(corpus.written)
    for item in fields:
        if _is_text(item) and item.name not in leave:
            kind = "textarea" if item.kind == "textarea" else item.kind
            tag, value, payloads = corpus.value_for(kind, item.max_length, text_index)
            text_index += 1
            written = Written(tag, surface, item.name, value, payloads)
            mine[item.name] = (item, written)
            posted[item.name] = value
        elif item.kind in {"checkbox", "radio"}:
            if item.checked:
                posted.setdefault(item.name, [])
                posted[item.name].append(item.value or "on")
        elif item.kind == "select-multiple":
            posted.setdefault(item.name, [])
            if item.value:
                posted[item.name].append(item.value)
        elif item.kind in NOT_POSTED:
            continue
        else:
            posted[item.name] = item.value
    for item in fields:  # a required choice of radio buttons, none chosen: the first
        if item.kind == "radio" and item.required and item.name not in posted:
            posted[item.name] = item.value
    posted.update(data or {})
    posted = {k: v for k, v in posted.items() if v is not None}
    while True:
        response = client.post(action, posted, headers=headers or {})
        body = response.content.decode(errors="replace") if not response.streaming else ""
        if response.status_code in set(ok):
            break
        errors = _field_errors(body)
        refused = {name for name in errors & set(mine) if not mine[name][1].refused}
        assert response.status_code == 200 and refused, (
            f"{surface}: POST {action} answered {response.status_code}; "
            f"errors on {sorted(errors)}\n{_errors_text(body)}"
        )
        for name in refused:
            item, written = mine[name]
            written.refused = True
            posted[name] = _plain(item.kind, item.value)
    for name, (_item, written) in mine.items():
        corpus.written.append(written)
        if written.refused:
            corpus.refusals.append((surface, name))
    return response


def _is_text(item: FormField) -> bool:
    return item.kind == "textarea" or item.kind in TEXT_INPUTS


def _errors_text(html: str) -> str:
    root = parse(html)
    texts = [
        fold(" ".join(e.itertext()))
        for e in root.iter()
        if "errorlist" in (e.get("class") or "") or e.get("role") == "alert"
    ]
    return "\n".join(texts)[:2000]


# --- The detector detects ---------------------------------------------------------------------


def test_every_payload_is_found_when_it_is_live_markup() -> None:
    """Unescaped, each payload (but the text-only ones) makes live markup the detector sees;
    escaped, none does, and the page's text shows it whole."""
    text_only = {
        'javascript:alert("xss")',
        '{{ 7|add:7 }}{% now "Y" %}{{ request.user.email }}',
        '[link](javascript:alert("xss")) **bold** <https://evil.example>',
        "&lt;img src=x data-xss onerror=alert(1)&gt; &amp;lt;",
    }
    for payload in PAYLOADS:
        for context in (
            "<p>{}</p>",
            '<input value="{}">',
            "<input value='{}'>",
            "<textarea>{}</textarea>",
            "<title>{}</title>",
        ):
            raw = f"<!doctype html><html><head></head><body>{context.format(payload)}</body></html>"
            safe = raw.replace(payload, escape(payload))
            assert live_markup(safe) == [], (payload, context)
            assert fold(payload) in page_text(safe), (payload, context)
        if payload not in text_only:
            breaking = [
                c
                for c in ("<p>{}</p>", '<input value="{}">', "<textarea>{}</textarea>")
                if live_markup(f"<body>{c.format(payload)}</body>")
            ]
            assert breaking, f"the detector misses {payload!r} in every context"


def test_a_link_field_payload_and_bad_links_are_seen() -> None:
    for link in BAD_LINKS:
        html = f'<body><a href="{escape(link)}">x</a></body>'
        if link.strip().lower().startswith(("javascript", "java\t", "data:", "vbscript")):
            assert live_markup(html), link
    assert live_markup(f'<body><a href="{escape(LINK_PAYLOAD)}">x</a></body>') == []
