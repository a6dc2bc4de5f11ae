"""Every refusal as JSON: the access layer's and the actions' exceptions mapped to 4xx.

- Http404 → 404 ``{"detail": "Not found."}`` (outsiders learn nothing);
- PermissionDenied → 403 (may read, may not change);
- Conflict → 409 with the record's ``current_version``;
- Django ValidationError (a model's full_clean) → 422 ``{"detail": {field: [messages]}}``;
- ninja's own: malformed JSON → 400, schema errors → 422, no credentials → 401;
- a body over Django's upload limits (form fields or JSON beyond
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``) → 413; files have their own limits (a 422).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from tandem.core.access import Conflict

NOT_FOUND = "Not found."
FORBIDDEN = "You may not do this."
TOO_LARGE = "The request is too large."


def install(api: NinjaAPI) -> None:
    """Register Tandem's exception handlers on an API object."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, {"detail": NOT_FOUND})

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, {"detail": str(exc) or FORBIDDEN})

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        body = {"detail": str(exc), "current_version": exc.current_version}
        return respond(request, 409, body)

    @api.exception_handler(RequestDataTooBig)
    @api.exception_handler(TooManyFieldsSent)
    def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 413, {"detail": TOO_LARGE})

    @api.exception_handler(DjangoValidationError)
    def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return respond(request, 422, {"detail": detail})
