"""Schemas shared by the API's routers: strict input, the error bodies, people in brief."""

import uuid
from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from tandem.accounts.models import Membership


class InputSchema(Schema):
    """A request body: unknown fields are refused, surrounding spaces dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorOut(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    current_version: int


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]] | dict[str, list[str]] | list[str]


ERRORS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


class PersonOut(Schema):
    """A member of the organization, named as the clinic knows them."""

    id: uuid.UUID
    name: str


def person(membership: Membership) -> dict[str, Any]:
    return {"id": membership.id, "name": membership.display_name}
