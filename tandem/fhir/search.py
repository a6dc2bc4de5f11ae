"""Search parameters: parsing, checking (400 on anything unknown or malformed) and filters.

Kinds: ``token`` (exact codes, comma = or), ``date`` (prefixes eq, lt, le, gt, ge on a
date or an instant, precision year / month / day / second), ``reference``
(``Patient/<id>`` or a bare id). Repeating a parameter ands its values.
"""

import base64
import binascii
import datetime
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from .outcome import bad_request

DEFAULT_COUNT = 20
MAX_COUNT = 100
# Parameters every search takes, besides each type's own.
CONTROL = ("_count", "_format", "_cursor", "_include", "_elements")
FORMATS = ("json", "application/json", "application/fhir+json")
PREFIXES = ("eq", "lt", "le", "gt", "ge")
_DATE = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@dataclass(frozen=True)
class Param:
    """A search parameter: its kind, the field it filters and, for tokens, the codes."""

    kind: str  # "token" | "date" | "reference" | "id"
    field: str
    codes: Mapping[str, Any] | None = None  # token value → stored value (None: as sent)
    instant: bool = False  # a date parameter on a date-time field
    target: str = "Patient"  # the type a reference parameter names
    # A token matched by its own filter (Q); for an ``id``, the id's primary key.
    custom: Callable[[str], Any] | None = None
    # The type the CapabilityStatement declares, when not the kind's (a canonical URL
    # matched as a token is a ``reference`` parameter in FHIR).
    declared: str | None = None


def _range(raw: str, instant: bool) -> tuple[Any, Any]:
    """The [start, end) a FHIR date of some precision covers."""
    match = _DATE.match(raw)
    if not match:
        raise bad_request(f"'{raw}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or an instant).")
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        if hour is not None:
            tz: datetime.tzinfo = timezone.get_current_timezone()
            if zone:
                tz = datetime.datetime.fromisoformat(f"2000-01-01T00:00{zone}").tzinfo or tz
            start_dt = datetime.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz
            )
            step = datetime.timedelta(seconds=1 if second else 60)
            if not instant:
                return start_dt.date(), start_dt.date() + datetime.timedelta(days=1)
            return start_dt, start_dt + step
        start = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise bad_request(f"'{raw}' is not a date that exists.") from exc
    if day:
        end = start + datetime.timedelta(days=1)
    elif month:
        end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    else:
        end = start.replace(year=start.year + 1)
    if instant:
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(start, datetime.time(), tz),
            datetime.datetime.combine(end, datetime.time(), tz),
        )
    return start, end


def date_filter(field: str, value: str, instant: bool) -> Q:
    prefix = value[:2] if value[:2].isalpha() else "eq"
    raw = value[2:] if value[:2].isalpha() else value
    if prefix not in PREFIXES:
        raise bad_request(
            f"The date prefix '{prefix}' is not supported (use {', '.join(PREFIXES)})."
        )
    start, end = _range(raw, instant)
    return {
        "eq": Q(**{f"{field}__gte": start, f"{field}__lt": end}),
        "lt": Q(**{f"{field}__lt": start}),
        "le": Q(**{f"{field}__lt": end}),
        "gt": Q(**{f"{field}__gte": end}),
        "ge": Q(**{f"{field}__gte": start}),
    }[prefix]


def reference_id(value: str, target: str = "Patient") -> uuid.UUID:
    raw = value.split("/", 1)[1] if value.startswith(f"{target}/") else value
    if "/" in raw:
        raise bad_request(f"'{value}' is not a reference to a {target}.")
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise bad_request(f"'{value}' is not a {target} id of this server.") from exc


def _token(name: str, param: Param, value: str) -> Q:
    wanted = Q()
    for code in value.split(","):
        if param.declared not in ("reference", "uri"):  # a canonical's "|" is its version
            code = code.split("|", 1)[1] if "|" in code else code
        if param.custom is not None:
            wanted |= param.custom(code)
            continue
        if param.codes is not None:
            if code not in param.codes:
                known = ", ".join(sorted(param.codes))
                raise bad_request(f"'{code}' is not a value of {name} (use one of: {known}).")
            stored = param.codes[code]
            if isinstance(stored, tuple):
                wanted |= Q(**{f"{param.field}__in": stored})
            else:  # one value: the field may end in a lookup (``pk__isnull``)
                wanted |= Q(**{param.field: stored})
        else:
            wanted |= Q(**{param.field: code})
    return wanted


def _ids(value: str, param: Param) -> list[Any]:
    """The ids an ``_id`` asks for; one that cannot be an id of ours matches nothing."""
    found = []
    for one in value.split(","):
        try:
            found.append(param.custom(one) if param.custom else uuid.UUID(one))
        except ValueError:
            continue
    return found


def filters(params: QueryDict, known: Mapping[str, Param]) -> Q:
    """The filter the query's search parameters ask for (400 on anything unknown)."""
    found = Q()
    for name in params:
        if name in CONTROL:
            continue
        param = known.get(name)
        if param is None:
            names = ", ".join(sorted([*known, *CONTROL]))
            raise bad_request(f"Unknown search parameter '{name}'. Supported here: {names}.")
        for value in params.getlist(name):
            if not value:
                raise bad_request(f"The search parameter '{name}' has no value.")
            if param.kind == "date":
                found &= date_filter(param.field, value, param.instant)
            elif param.kind == "reference":
                found &= Q(**{param.field: reference_id(value, param.target)})
            elif param.kind == "id":
                found &= Q(**{f"{param.field}__in": _ids(value, param)})
            else:
                found &= _token(name, param, value)
    return found


def page_size(params: QueryDict) -> int:
    raw = params.get("_count")
    if raw is None:
        return DEFAULT_COUNT
    if not raw.isdigit() or int(raw) < 1:
        raise bad_request("_count must be a whole number from 1 to 100.")
    return min(int(raw), MAX_COUNT)


def check_format(params: QueryDict) -> None:
    for value in params.getlist("_format"):
        if value not in FORMATS:
            raise bad_request(f"Only JSON is served (_format={value} is not).")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_cursor(params: QueryDict) -> int:
    raw = params.get("_cursor")
    if raw is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise bad_request("This _cursor is not one this server gave.") from exc
    if not (text.startswith("o") and text[1:].isdigit()):
        raise bad_request("This _cursor is not one this server gave.")
    return int(text[1:])
