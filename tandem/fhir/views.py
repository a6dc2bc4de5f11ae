"""The FHIR R4 endpoints: metadata, read and search (``application/fhir+json``).

Every error is an OperationOutcome: 400 for an unknown type or search parameter or a
malformed value, 401 without a caller, 404 for what is not there or not theirs to see.
Every read and every search is in the access log (one row per answer, naming the
children it showed).
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from tandem.children.access_log import log_access

from .access import rows_for
from .auth import Caller, caller_of
from .base import Context, Spec
from .capability import capability_statement
from .outcome import FhirError, bad_request, error_response, fhir_response, not_found
from .registry import SPECS
from .search import check_format, decode_cursor, encode_cursor, filters, page_size

View = Callable[..., HttpResponse]


def _answers(view: View) -> View:
    """Turn a FhirError into its OperationOutcome."""

    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            check_format(request.GET)
            return view(request, *args, **kwargs)
        except FhirError as error:
            return error_response(error)
        except Http404:  # a reader's own "not found"
            return error_response(not_found())
        except PermissionDenied:
            return error_response(FhirError(403, "forbidden", "This is not yours to do."))

    return answered


def _context(caller: Caller) -> Context:
    return Context(membership=caller.membership, clinical=caller.membership.is_staff_member)


def _spec(resource_type: str) -> Spec:
    spec = SPECS.get(resource_type)
    if spec is None:
        raise bad_request(
            f"'{resource_type}' is not a resource type this server serves (see {', '.join(SPECS)})."
        )
    return spec


def _log(request: HttpRequest, spec: Spec, children: dict[Any, Any], items: list[Any]) -> None:
    if spec.child_attr is None or not items:
        return
    shown: dict[Any, Any] = {}
    for item in items:
        row = item[0] if isinstance(item, tuple) else item
        child = children.get(getattr(row, spec.child_attr))
        if child is not None:
            shown[child.pk] = child
    log_access(request, list(shown.values()))  # route: the view's name (fhir:goal-read …)


def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    caller = caller_of(request)
    spec = _spec(resource_type)
    rows, children = rows_for(caller, spec)
    if spec.fetch is not None:
        found = spec.fetch(rows, resource_id)
    else:
        try:
            found = rows.filter(pk=uuid.UUID(resource_id)).first()
        except ValueError:
            found = None
    if found is None:
        raise not_found()
    _log(request, spec, children, [found])
    resource = spec.render(found, _context(caller))
    headers: dict[str, str] = {}
    if "versionId" in resource.get("meta", {}):
        headers["ETag"] = f'W/"{resource["meta"]["versionId"]}"'
    return fhir_response(resource, 200, **headers)


def _url(request: HttpRequest, offset: int | None) -> str:
    params = request.GET.copy()
    params.pop("_cursor", None)
    if offset:
        params["_cursor"] = encode_cursor(offset)
    query = params.urlencode()
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    caller = caller_of(request)
    spec = _spec(resource_type)
    if not caller.may_read(spec.type):
        raise not_found(f"{spec.type} is not within your access scopes.")
    wanted = filters(request.GET, spec.params)
    count = page_size(request.GET)
    offset = decode_cursor(request.GET)
    rows, children = rows_for(caller, spec)
    page = spec.page(rows.filter(wanted), spec.order, offset, count, request.GET)
    _log(request, spec, children, page.items)
    context = _context(caller)
    links = [{"relation": "self", "url": _url(request, offset)}]
    if offset + count < page.total:
        links.append({"relation": "next", "url": _url(request, offset + count)})
    if offset > 0:
        links.append({"relation": "previous", "url": _url(request, max(offset - count, 0))})
    base = request.build_absolute_uri("/fhir/R4/")
    entries = []
    for item in page.items:
        resource = spec.render(item, context)
        entries.append(
            {
                "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
        )
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
    }
    if entries:
        bundle["entry"] = entries
    return fhir_response(bundle)


def _get_only(view: View, roles: frozenset[str]) -> View:
    wrapped = require_http_methods(["GET"])(_answers(view))
    wrapped.member_roles = tuple(sorted(roles))  # type: ignore[attr-defined]
    return wrapped


def metadata_view() -> View:
    def metadata(request: HttpRequest) -> HttpResponse:
        return fhir_response(capability_statement(request))

    from tandem.accounts.models import Role

    return _get_only(metadata, frozenset(Role.values))


def search_view(resource_type: str, roles: frozenset[str]) -> View:
    def search_type(request: HttpRequest) -> HttpResponse:
        return search(request, resource_type)

    return _get_only(search_type, roles)


def read_view(resource_type: str, param: str, roles: frozenset[str]) -> View:
    def read_one(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return read(request, resource_type, str(kwargs[param]))

    return _get_only(read_one, roles)


def unknown_type(request: HttpRequest, resource_type: str = "", rest: str = "") -> HttpResponse:
    caller_of(request)
    if not resource_type:
        raise bad_request("Name a resource type: /fhir/R4/<Type> or /fhir/R4/<Type>/<id>.")
    _spec(resource_type)
    raise not_found()


unknown = _get_only(unknown_type, frozenset())
