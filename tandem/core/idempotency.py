"""Retries are safe: a write named by an idempotency key is done once.

A client names each write with a key of its own: the note editor one per tap and
per autosave, a family's form one per page shown (a hidden ``idempotency_key``
field, ``{% idempotency_field %}``), an API caller an ``Idempotency-Key`` header.
The first request with a key claims it (a row with a unique constraint) and does
its write in the same transaction; the answer is stored with the claim. A retry,
or a duplicate sent at the same moment, fails on the constraint once the first
commits and gets the stored answer: one record, the same response. A refused
write (4xx) gives its key back, so a corrected retry can go through.

Keys belong to one member and one kind of write, and are kept ``RETENTION``
(``manage.py task_upkeep`` deletes older ones; a retry comes within
minutes, a phone that was offline within a day or two).
"""

import datetime
import re
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import BadRequest, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone

from .models import IdempotencyKey

if TYPE_CHECKING:
    from tandem.accounts.models import Membership

FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
RETENTION = datetime.timedelta(days=7)
KEY = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")
MAX_STORED = 200_000  # characters of an answer worth replaying (larger: see OMITTED)
# Stored instead of an answer too large to keep: a retry is told to look again
# (a page is reloaded, an API caller gets a 409) rather than given an empty body.
OMITTED = "tandem:idempotency:answer-not-stored"
ALREADY_DONE = "This request was already processed; fetch the record again."
BAD_KEY = "An idempotency key is 8 to 100 letters, digits, dots, colons, dashes or underscores."


def key_of(request: HttpRequest, *, api: bool = False) -> str:
    """The request's key ("" when it has none); a malformed key is refused."""
    key = request.headers.get(HEADER, "")
    if not key and request.method == "POST":
        key = request.POST.get(FIELD, "")
    key = key.strip()
    if key and not KEY.match(key):
        if api:
            raise ValidationError({HEADER: [BAD_KEY]})
        raise BadRequest(BAD_KEY)
    return key


Replayer = Callable[[IdempotencyKey], HttpResponse | None]


def run_once(
    membership: "Membership",
    scope: str,
    key: str,
    write: Callable[[], HttpResponse],
    on_replay: Replayer | None = None,
    request: HttpRequest | None = None,
) -> HttpResponse:
    """Run ``write`` unless this member already did under ``key``; then replay its answer.

    ``on_replay`` (given the stored key) may answer a retry afresh instead, for an
    answer that carries state later writes have moved on from (the editor's version);
    when it returns None the stored answer is replayed. ``request`` lets the replay of
    an answer too large to store send a page back to itself.
    """
    if not key:
        return write()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(
                    organization_id=membership.organization_id,
                    membership=membership,
                    scope=scope,
                    key=key,
                )
        except IntegrityError:
            claim = None
        if claim is not None:
            response = write()
            _keep(claim, response)
            return response
    stored = IdempotencyKey.objects.filter(
        organization_id=membership.organization_id, membership=membership, scope=scope, key=key
    ).first()
    if stored is None:  # the first attempt was refused and gave its key back
        return run_once(membership, scope, key, write, on_replay, request)
    fresh = on_replay(stored) if on_replay is not None else None
    if fresh is not None:
        fresh["Idempotent-Replayed"] = "true"
        return fresh
    return replay(stored, request)


def _keep(claim: IdempotencyKey, response: HttpResponse) -> None:
    if response.status_code >= 400 or response.streaming:
        claim.delete()
        return
    claim.response_status = response.status_code
    claim.response_type = response.get("Content-Type", "")[:100]
    claim.response_location = (response.get("Location") or response.get("HX-Redirect") or "")[:2000]
    body = response.content.decode(response.charset or "utf-8", errors="replace")
    claim.response_body = body if len(body) <= MAX_STORED else OMITTED
    claim.save(
        update_fields=["response_status", "response_type", "response_location", "response_body"]
    )


def replay(stored: IdempotencyKey, request: HttpRequest | None = None) -> HttpResponse:
    """The answer the first request got (messages it added are not repeated).

    An answer that was too large to store is never replayed as an empty page: an
    API caller gets a 409 saying to fetch the record again; a page is reloaded (the
    same address, with a GET) to show what the first request did.
    """
    omitted = stored.response_body == OMITTED
    if omitted and not stored.response_location:
        response = _not_stored(stored, request)
        response["Idempotent-Replayed"] = "true"
        return response
    response = HttpResponse(
        "" if omitted else stored.response_body,  # a redirect: its address is what counts
        status=stored.response_status,
        content_type=stored.response_type or None,
    )
    if stored.response_location:
        header = "Location" if 300 <= stored.response_status < 400 else "HX-Redirect"
        response[header] = stored.response_location
    response["Idempotent-Replayed"] = "true"
    return response


def _not_stored(stored: IdempotencyKey, request: HttpRequest | None) -> HttpResponse:
    if request is None or stored.response_type.startswith("application/json"):
        return JsonResponse({"detail": ALREADY_DONE}, status=409)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)  # htmx swaps nothing and reloads the page
        response["HX-Refresh"] = "true"
        return response
    return HttpResponseRedirect(request.get_full_path(), status=303)


def idempotent(
    scope: str, on_replay: Callable[..., HttpResponse | None] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Make a page's POST run once per key (put it under ``member_required``).

    ``on_replay(request, stored, *args, **kwargs)`` may answer a retry afresh (see
    ``run_once``); it runs with the view's access checks still to do.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            membership = getattr(request, "membership", None)
            assert membership is not None  # under member_required / permits
            key = key_of(request)
            replayer: Replayer | None = None
            if on_replay is not None:
                replayer = lambda stored: on_replay(request, stored, *args, **kwargs)  # noqa: E731
            return run_once(
                membership, scope, key, lambda: view(request, *args, **kwargs), replayer, request
            )

        return wrapper

    return decorator


def prune(now: datetime.datetime | None = None) -> int:
    """Delete keys older than ``RETENTION``; return how many."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
