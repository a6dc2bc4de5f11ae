"""The Bulk Data Access endpoints (HL7 Bulk Data IG v2) under /fhir/R4/.

- ``$export``, ``Patient/$export``, ``Group/<id>/$export`` — the kick-off, by GET (the
  parameters in the query) or POST (a ``Parameters`` resource, ``application/fhir+json``;
  ``kickoff.py`` reads both alike): with ``Prefer: respond-async`` (and ``Accept:
  application/fhir+json``, or none), 202 and ``Content-Location`` naming the job's status;
- ``GET $export-status/<job>`` — 202 with ``X-Progress`` and ``Retry-After`` while the
  worker writes, then 200 and the manifest; ``DELETE`` cancels (202) and deletes the files;
- ``GET $export-file/<job>/<Type>.ndjson`` — one file, to the member who asked.

Every error is an OperationOutcome. Another member's job, another clinic's, an expired
or cancelled one: 404. Kick-offs, downloads and cancels are in the access log.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tandem.access import allows
from tandem.fhir.auth import Caller, caller_of
from tandem.fhir.base import instant
from tandem.fhir.outcome import (
    FhirError,
    bad_request,
    error_response,
    fhir_response,
    not_found,
    operation_outcome,
)

from . import actions, audit
from .access import get_job, group_children
from .export import SYSTEM_SCOPE, level_types
from .kickoff import from_parameters, from_query
from .models import BulkExport

View = Callable[..., HttpResponseBase]
RETRY_AFTER = "5"
JSON_TYPES = ("application/fhir+json", "application/json")


def _answers(view: View, roles: frozenset[str], methods: list[str]) -> View:
    """Turn a FhirError (or a reader's 404 / 403) into its OperationOutcome."""

    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except FhirError as error:
            return error_response(error)
        except Http404:
            return error_response(not_found())
        except PermissionDenied:
            return error_response(FhirError(403, "forbidden", "This is not yours to do."))

    wrapped = require_http_methods(methods)(answered)
    wrapped.member_roles = tuple(sorted(roles))  # type: ignore[attr-defined]
    return wrapped


def _check_headers(request: HttpRequest) -> None:
    prefer = [p.strip() for p in request.headers.get("Prefer", "").split(",")]
    if "respond-async" not in prefer:
        raise bad_request("A bulk export is asynchronous: send 'Prefer: respond-async'.")
    accept = request.headers.get("Accept", "application/fhir+json")
    if not any(
        kind.split(";")[0].strip() in ("application/fhir+json", "application/json", "*/*")
        for kind in accept.split(",")
    ):
        raise bad_request("Errors are answered as 'Accept: application/fhir+json'.")
    if request.method == "POST":
        if request.content_type not in JSON_TYPES:
            raise bad_request(
                "A POST kick-off's body is a Parameters resource (application/fhir+json)."
            )
        if request.GET:
            raise bad_request("A POST kick-off's parameters are in its body, not its address.")


def _caller(request: HttpRequest, action: str) -> Caller:
    caller = caller_of(request)
    if not allows(caller.membership, action):
        raise not_found("Bulk export is not within your access.")
    return caller


def kickoff(request: HttpRequest, level: str, group: str = "") -> HttpResponse:
    action = "bulkdata.system" if level == BulkExport.Level.SYSTEM else "bulkdata.export"
    caller = _caller(request, action)
    membership = caller.membership
    if level == BulkExport.Level.SYSTEM and SYSTEM_SCOPE not in caller.scopes:
        raise not_found(f"A system export needs the {SYSTEM_SCOPE} scope.")
    if level == BulkExport.Level.GROUP:
        group_children(membership, group)  # 404 unless the group is the member's to name
    _check_headers(request)
    if request.method == "POST":
        asked = from_parameters(request.body, level, membership)
    else:
        asked = from_query(request.GET, level, membership)
    outside = [t for t in asked.types or level_types(level) if not caller.may_read(t)]
    if outside:  # a token's own scopes narrower than the export (tandem.fhir.auth)
        raise not_found(f"{', '.join(outside)}: not within your access scopes (send _type).")
    try:
        job = actions.kick_off(
            membership,
            level=level,
            group=group,
            asked=asked,
            request_url=request.build_absolute_uri(),
        )
    except actions.TooManyActive:
        error = operation_outcome(
            "throttled", f"You have {actions.MAX_ACTIVE} exports being made: wait for one."
        )
        return fhir_response(error, 429, Retry_After="60")
    audit.log(request, job, "fhir:export")
    status_url = request.build_absolute_uri(
        reverse("fhir:export-status", kwargs={"bulk_status_id": job.pk})
    )
    body = operation_outcome("informational", "The export is being made.", "information")
    return fhir_response(body, 202, Content_Location=status_url)


def status(request: HttpRequest, bulk_status_id: str) -> HttpResponse:
    caller = caller_of(request)
    job = get_job(caller.membership, str(bulk_status_id))
    if request.method == "DELETE":
        actions.cancel(job)
        audit.log(request, job, "fhir:export-cancel")
        body = operation_outcome("informational", "The export was cancelled.", "information")
        return fhir_response(body, 202)
    if job.status in actions.ACTIVE:
        progress = f"{job.percent}%" + (f" ({job.current_type})" if job.current_type else "")
        response = HttpResponse(status=202)
        response["X-Progress"] = progress
        response["Retry-After"] = RETRY_AFTER
        return response
    if job.status == BulkExport.Status.FAILED:
        message = "; ".join(job.errors) or "The export could not be made."
        return fhir_response(operation_outcome("exception", message), 500)
    # The manifest is no FHIR resource: plain JSON (the IG's Content-Type).
    response = HttpResponse(json.dumps(manifest(request, job)), content_type="application/json")
    response["Expires"] = _http_date(job.expires_at)
    return response


def _http_date(value: datetime.datetime | None) -> str:
    from django.utils.http import http_date

    return http_date(value.timestamp()) if value else ""


def manifest(request: HttpRequest, job: BulkExport) -> dict[str, Any]:
    assert job.transaction_time is not None
    output = [
        {
            "type": entry["type"],
            "url": request.build_absolute_uri(
                reverse(
                    "fhir:export-file",
                    kwargs={"bulk_status_id": job.pk, "bulk_file": f"{entry['type']}.ndjson"},
                )
            ),
            "count": entry["count"],
        }
        for entry in job.output
    ]
    return {
        "transactionTime": instant(job.transaction_time),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": output,
        "error": [],
    }


def download(request: HttpRequest, bulk_status_id: str, bulk_file: str) -> FileResponse:
    caller = caller_of(request)
    job = get_job(caller.membership, str(bulk_status_id))
    entry = next(
        (e for e in job.output if f"{e['type']}.ndjson" == bulk_file),
        None,
    )
    if job.status != BulkExport.Status.DONE or entry is None:
        raise not_found("No such file in this export.")
    try:
        stored = default_storage.open(entry["name"], "rb")
    except FileNotFoundError as exc:
        raise not_found("This file is no longer kept.") from exc
    audit.log(request, job, "fhir:export-file", entry["type"])
    response = FileResponse(stored, content_type="application/fhir+ndjson")
    response["Cache-Control"] = "private, no-store"
    return response


def kickoff_view(level: str) -> View:
    from tandem.access import rule_for

    action = "bulkdata.system" if level == BulkExport.Level.SYSTEM else "bulkdata.export"
    roles = frozenset(str(r) for r in rule_for(action).roles)
    if level == BulkExport.Level.GROUP:

        def group_export(request: HttpRequest, bulk_group_id: str) -> HttpResponse:
            return kickoff(request, level, bulk_group_id)

        return _kickoff_methods(group_export, roles)

    def export(request: HttpRequest) -> HttpResponse:
        return kickoff(request, level)

    return _kickoff_methods(export, roles)


def _kickoff_methods(view: View, roles: frozenset[str]) -> View:
    # A POST kick-off carries a Bearer token, not a CSRF token. A browser cannot send
    # another site's POST with ``Prefer`` and a JSON body (both required) without a CORS
    # preflight, which this server never allows.
    wrapped = csrf_exempt(_answers(view, roles, ["GET", "POST"]))
    wrapped.member_roles = tuple(sorted(roles))  # type: ignore[attr-defined]
    return wrapped


def _job_roles() -> frozenset[str]:
    from tandem.access import rule_for

    return frozenset(str(r) for r in rule_for("bulkdata.export").roles)


def status_view() -> View:
    # A FHIR client's DELETE carries a Bearer token, not a CSRF token. A browser cannot
    # send another site's DELETE without a CORS preflight, which this server never allows.
    view = csrf_exempt(_answers(status, _job_roles(), ["GET", "DELETE"]))
    view.member_roles = tuple(sorted(_job_roles()))  # type: ignore[attr-defined]
    return view


def download_view() -> View:
    return _answers(download, _job_roles(), ["GET"])
