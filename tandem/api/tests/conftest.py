"""Callers for the API tests: any persona over a session, staff over a personal token."""

import json
from collections.abc import Callable
from typing import Any, TypeAlias

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, Membership, TokenScope
from tandem.core.testing.types import ClientAs, Response

PREFIX = "/api/v1"


class Api:
    """A test client that speaks JSON to /api/v1/."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = headers or {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Response:
        return self.client.get(PREFIX + path, params or {}, headers=self.headers)

    def send(self, method: str, path: str, data: Any = None) -> Response:
        body = "" if data is None else json.dumps(data, default=str)
        return self.client.generic(
            method, PREFIX + path, body, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, data: Any = None) -> Response:
        return self.send("POST", path, data)

    def patch(self, path: str, data: Any = None) -> Response:
        return self.send("PATCH", path, data)

    def delete(self, path: str) -> Response:
        return self.send("DELETE", path)


def make_token(membership: Membership, **fields: Any) -> str:
    """Give a member a personal API token (read and change unless said); return the secret."""
    fields.setdefault("scope", TokenScope.READ_WRITE)
    raw, digest = ApiToken.new_token()
    ApiToken.objects.create(
        membership=membership, name="test", prefix=raw[:12], token_hash=digest, **fields
    )
    return raw


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


# ``api_as(membership, token=False)``: an API caller for a member (session, or a token).
ApiAs: TypeAlias = Callable[..., Api]


@pytest.fixture
def api_as(client_as: ClientAs) -> ApiAs:
    """Return a function giving an API caller for a member (session, or ``token=True``)."""

    def _api_as(membership: Membership, *, token: bool = False) -> Api:
        if token:
            return Api(Client(), bearer(make_token(membership)))
        return Api(client_as(membership))

    return _api_as


@pytest.fixture
def anonymous() -> Api:
    return Api(Client())
