"""The filtered audit trail as CSV, streamed: views, refusals and exports first (newest
first), then changes field by field. Times (and dates in changed values) are ISO 8601
with the clinic's offset, numbers plain; a cell a spreadsheet would run as a formula
(= + - @, tab, carriage return) is prefixed with a quote."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

from tandem.accounts.models import Membership

from .models import AccessLog, AccessLogQuerySet

HEADER = [
    "at",
    "person",
    "role",
    "action",
    "child",
    "children_shown",
    "page",
    "route",
    "path",
    "record",
    "field",
    "old",
    "new",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> str:
    """A cell's text, defused if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _iso(at: Any) -> str:
    return timezone.localtime(at).isoformat()


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(
    log: AccessLogQuerySet, changes: Iterable[Any], people: dict[Any, Membership]
) -> Iterator[list[Any]]:
    yield HEADER
    for row in log.iterator(chunk_size=500):
        who = people.get(row.user_id)
        child = row.child.display_name if row.child_id and row.child else ""
        yield [
            _iso(row.at),
            who.display_name if who else str(row.user),
            who.role if who else "",
            row.action,
            child,
            len(row.listed_ids) if not row.child_id else 1 if child else 0,
            row.page,
            row.route,
            row.path,
            "",
            "",
            "",
            "",
        ]
    for change in changes:
        who = people.get(getattr(change.user, "pk", None))
        name = who.display_name if who else (str(change.user) if change.user else "system")
        fields = change.described or [None]
        for field in fields:
            yield [
                _iso(change.at),
                name,
                who.role if who else "",
                f"changed:{change.kind}",
                change.child_name,
                1 if change.child_name else 0,
                "",
                "",
                "",
                f"{change.record} {change.label}".strip(),
                field.label if field else "",
                (field.old_iso or "") if field else "",
                field.new_iso if field else "",
            ]


def stream(
    log: AccessLogQuerySet, changes: Iterable[Any], people: dict[Any, Membership], name: str
) -> StreamingHttpResponse:
    """A streamed CSV answer of these rows (``people``: memberships by user id)."""
    writer = csv.writer(_Echo())
    lines = (writer.writerow([safe(cell) for cell in row]) for row in _rows(log, changes, people))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


__all__ = ["HEADER", "AccessLog", "safe", "stream"]
