"""Callers for the API tests: any persona over a session, staff over a personal token."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, Membership, TokenScope

PREFIX = "/api/v1"


class Api:
    """A test client that speaks JSON to /api/v1/."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = headers or {}

    def get(self, path: str, params: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
        return self.client.get(PREFIX + path, params or {}, headers=self.headers)

    def send(self, method: str, path: str, data: Any = None):  # type: ignore[no-untyped-def]
        body = "" if data is None else json.dumps(data, default=str)
        return self.client.generic(
            method, PREFIX + path, body, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, data: Any = None):  # type: ignore[no-untyped-def]
        return self.send("POST", path, data)

    def patch(self, path: str, data: Any = None):  # type: ignore[no-untyped-def]
        return self.send("PATCH", path, data)

    def delete(self, path: str):  # type: ignore[no-untyped-def]
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


@pytest.fixture
def api_as(client_as) -> Callable[..., Api]:  # type: ignore[no-untyped-def]
    """Return a function giving an API caller for a member (session, or ``token=True``)."""

    def _api_as(membership: Membership, *, token: bool = False) -> Api:
        if token:
            return Api(Client(), bearer(make_token(membership)))
        return Api(client_as(membership))

    return _api_as


@pytest.fixture
def anonymous() -> Api:
    return Api(Client())
