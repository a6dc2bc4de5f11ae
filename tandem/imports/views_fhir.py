"""``POST /imports/fhir/Bundle``: a FHIR client's import (JSON in, OperationOutcome out).

A Bundle (transaction or collection) of Patient, RelatedPerson and Condition, sent with
an admin's personal API token that may write (``Authorization: Bearer tdm_…``) or an
admin's session (with its CSRF token). It is checked whole; any problem answers 400
(invalid) or 422 (refused against the clinic) with one issue per problem and nothing
written; else it is written at once, in one transaction, and the answer's issues say
what became of each Patient (created, updated, unchanged). Importing it again finds
each child by its identifier: nothing new. A larger caseload goes through the upload
page, which the worker imports.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from tandem.access import allows, permits
from tandem.accounts.models import Membership
from tandem.api.auth import token_for
from tandem.core import clock
from tandem.core.access import Conflict

from .checking import plan
from .fhirbundle import Issue, read
from .writing import write

MAX_PATIENTS = 500
CONTENT_TYPE = "application/fhir+json; charset=utf-8"


@require_http_methods(["POST"])
@csrf_exempt
def fhir_bundle(request: HttpRequest) -> HttpResponseBase:
    """Import a Bundle sent by a token's holder or a signed-in admin (see the module)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return _by_session(request)
    scheme, _sep, raw = header.partition(" ")
    token = token_for(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        return _outcome(401, [_error("login", "", _("This API token is not valid."))])
    if not token.can_write or not allows(token.membership, "imports.run"):
        refusal = _("Only a clinic admin's token that may write can import.")
        return _outcome(403, [_error("forbidden", "", refusal)])
    return _import(token.membership, request)


@csrf_protect
@permits("imports.run")
def _by_session(request: HttpRequest) -> HttpResponseBase:
    if not (request.content_type or "").endswith("json"):
        return redirect("imports:index")  # a browser's form: the upload page takes files
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return _import(membership, request)


fhir_bundle.member_roles = _by_session.member_roles  # type: ignore[attr-defined]
fhir_bundle.access_action = "imports.run"  # type: ignore[attr-defined]


def _import(by: Membership, request: HttpRequest) -> HttpResponse:
    text = request.body.decode("utf-8", errors="replace")
    bundle = read(text, today=clock.today_for(by.organization))
    if bundle.issues:
        return _outcome(400, [_error("invalid", i.expression, i.message) for i in bundle.issues])
    if len(bundle.children) > MAX_PATIENTS:
        message = _("More than %(count)s Patients: use the import page.") % {"count": MAX_PATIENTS}
        return _outcome(413, [_error("too-costly", "Bundle.entry", message)])
    planned = plan(by, bundle.children)
    refused = [
        Issue(f"Bundle.entry[{p.incoming.row}].resource", message)
        for p in planned
        for message in p.incoming.messages
    ]
    if refused:
        return _outcome(422, [_error("business-rule", i.expression, i.message) for i in refused])
    try:
        write(by, planned)
    except ValidationError as exc:
        # A value the records refuse that the dry run let through: nothing was written.
        refusal = "; ".join(exc.messages)
        return _outcome(422, [_error("business-rule", "", refusal)])
    except (DatabaseError, Conflict, ValueError):
        # Another import or edit wrote the same child meanwhile: nothing was written.
        message = _("The clinic changed while importing: nothing was written. Send it again.")
        return _outcome(409, [_error("conflict", "", message)])
    return _outcome(
        200,
        [
            {
                "severity": "information",
                "code": "informational",
                "diagnostics": p.outcome,
                "expression": [f"Bundle.entry[{p.incoming.row}].resource"],
            }
            for p in planned
        ],
    )


def _error(code: str, expression: str, message: str) -> dict[str, Any]:
    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": message}
    if expression:
        issue["expression"] = [expression]
    return issue


def _outcome(status: int, issues: list[dict[str, Any]]) -> HttpResponse:
    body = {"resourceType": "OperationOutcome", "issue": issues}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
