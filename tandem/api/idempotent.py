"""Idempotent API writes: an ``Idempotency-Key`` header makes a POST run once.

The operation's answer is rendered here as ninja would render it, so that the
stored answer replayed to a retry is the same bytes (see ``tandem.core.idempotency``).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer

from tandem.core import idempotency

from .auth import acting_member

# ``openapi_extra=OPENAPI`` on an operation that uses ``run_once`` declares the header.
OPENAPI: dict[str, Any] = {
    "parameters": [
        {
            "name": idempotency.HEADER,
            "in": "header",
            "required": False,
            "description": (
                "A key of your own for this write (8 to 100 letters, digits, dots, colons, "
                "dashes or underscores). Resending the same request with the same key within "
                "7 days writes nothing again and gets the first answer (header "
                "Idempotent-Replayed: true), or a 409 to fetch the record again when that "
                "answer was too large to keep."
            ),
            "schema": {"type": "string", "pattern": idempotency.KEY.pattern},
        }
    ]
}
RENDERER = JSONRenderer()  # the API's renderer (tandem.api.api uses ninja's default)
CONTENT_TYPE = f"{RENDERER.media_type}; charset={RENDERER.charset}"


def run_once(
    request: HttpRequest,
    scope: str,
    status: int,
    schema: type[Schema],
    write: Callable[[], Any],
) -> HttpResponse:
    """Run ``write`` once per key and answer ``status`` with its result as ``schema``."""
    key = idempotency.key_of(request, api=True)

    def respond() -> HttpResponse:
        data = schema.model_validate(write()).model_dump(by_alias=True)
        content = RENDERER.render(request, data, response_status=status)
        return HttpResponse(content, status=status, content_type=CONTENT_TYPE)

    return idempotency.run_once(acting_member(request), scope, key, respond)
