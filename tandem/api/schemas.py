"""Schemas shared by the API's routers: strict input, the error bodies, people in brief,
clock times and page offsets."""

import datetime
import uuid
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, WithJsonSchema, model_validator

from tandem.accounts.models import Membership


class InputSchema(Schema):
    """A request body: unknown fields are refused, surrounding spaces dropped, and text
    holding a NUL character refused (PostgreSQL's text cannot hold one: it was a 500)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        if _holds_nul(data):
            raise ValueError("Text may not hold a NUL character (\\u0000).")
        return data


def _holds_nul(data: Any) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_holds_nul(key) or _holds_nul(value) for key, value in data.items())
    if isinstance(data, list | tuple):
        return any(_holds_nul(item) for item in data)
    return False


class ErrorOut(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    current_version: int


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]] | dict[str, list[str]] | list[str]


ERRORS: dict[int, Any] = {
    400: ErrorOut,  # a body that is not JSON, or not the content type declared
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def answers(schema: Any, status: int = 200, *, stale: bool = False) -> dict[int, Any]:
    """An operation's documented answers: ``schema`` with ``status``, a 409 when the change
    was based on a stale version (``stale``), and the API's refusals."""
    return {status: schema, **({409: ConflictOut} if stale else {}), **ERRORS}


class PersonOut(Schema):
    """A member of the organization, named as the clinic knows them."""

    id: uuid.UUID
    name: str


def person(membership: Membership) -> dict[str, Any]:
    return {"id": membership.id, "name": membership.display_name}


def _without_time_zone(value: datetime.time) -> datetime.time:
    if value.tzinfo is not None:
        raise ValueError("Give the clinic's local time, without a time zone.")
    return value


# A time of day on the clinic's clock ("09:30" or "09:30:00"). The database's time columns
# keep no time zone, so a time with one is refused (422) rather than shifted or dropped;
# and the schema says so with a pattern (JSON Schema's "time" format requires a zone).
LocalTime = Annotated[
    datetime.time,
    AfterValidator(_without_time_zone),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?$",
            "description": "A time of day on the clinic's clock, without a time zone",
        }
    ),
]
# The furthest a page may start: beyond it a list is empty anyway, and the database's
# integers end (an offset past 2**63 was a 500 on PostgreSQL).
MAX_OFFSET = 1_000_000
