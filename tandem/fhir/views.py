"""The FHIR R4 endpoints: metadata, read and search (``application/fhir+json``).

Every error is an OperationOutcome: 400 for an unknown type or search parameter or a
malformed value, 401 without a caller, 404 for what is not there or not theirs to see.
Every read and every search is in the access log (one row per answer, naming the
children it showed). ``_elements`` cuts the read or matched resources down
(``elements.py``).
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from tandem.children.access_log import log_access

from . import elements, include
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


def _context(caller: Caller, request: HttpRequest) -> Context:
    return Context(
        membership=caller.membership,
        clinical=caller.membership.is_staff_member,
        site=request.build_absolute_uri("/").rstrip("/"),
    )


def _spec(resource_type: str) -> Spec:
    spec = SPECS.get(resource_type)
    if spec is None:
        raise bad_request(
            f"'{resource_type}' is not a resource type this server serves (see {', '.join(SPECS)})."
        )
    return spec


def _shown(spec: Spec, children: dict[Any, Any], items: list[Any]) -> dict[Any, Any]:
    """The children these rows of the type concern."""
    shown: dict[Any, Any] = {}
    if spec.child_attr is None:
        return shown
    for item in items:
        row = item[0] if isinstance(item, tuple) else item
        child = children.get(getattr(row, spec.child_attr))
        if child is not None:
            shown[child.pk] = child
    return shown


def _log(request: HttpRequest, shown: dict[Any, Any]) -> None:
    if shown:
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
    _log(request, _shown(spec, children, [found]))
    resource = elements.subset(spec.render(found, _context(caller, request)), _elements(request))
    headers: dict[str, str] = {}
    if "versionId" in resource.get("meta", {}):
        headers["ETag"] = f'W/"{resource["meta"]["versionId"]}"'
    return fhir_response(resource, 200, **headers)


def _elements(request: HttpRequest) -> frozenset[str] | None:
    return elements.asked(request.GET)


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
    wanted_includes = include.asked(request.GET, spec.type)
    page = spec.page(rows.filter(wanted), spec.order, offset, count, request.GET)
    shown = _shown(spec, children, page.items)
    context = _context(caller, request)
    links = [{"relation": "self", "url": _url(request, offset)}]
    if offset + count < page.total:
        links.append({"relation": "next", "url": _url(request, offset + count)})
    if offset > 0:
        links.append({"relation": "previous", "url": _url(request, max(offset - count, 0))})
    base = request.build_absolute_uri("/fhir/R4/")
    entries: list[dict[str, Any]] = []
    for item in page.items:
        resource = spec.render(item, context)
        entries.append(
            {
                "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
        )
    wanted_elements = _elements(request)
    matched: list[dict[str, Any]] = [entry["resource"] for entry in entries]
    for entry in entries:  # ``_include`` looks in the whole resources (``matched``)
        entry["resource"] = elements.subset(entry["resource"], wanted_elements)
    if wanted_includes:
        seen = {(r["resourceType"], r["id"]) for r in matched}
        refs = include.references(matched, wanted_includes)
        for resource in _included(caller, refs, context, shown):
            if (resource["resourceType"], resource["id"]) in seen:
                continue
            seen.add((resource["resourceType"], resource["id"]))
            entries.append(
                {
                    "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                    "resource": resource,
                    "search": {"mode": "include"},
                }
            )
    _log(request, shown)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
    }
    if entries:
        bundle["entry"] = entries
    return fhir_response(bundle)


def _included(
    caller: Caller, refs: dict[str, list[str]], context: Context, shown: dict[Any, Any]
) -> list[dict[str, Any]]:
    """The resources referred to that the caller may read, each through its own type's
    readers (what they may not see is left out); ``shown`` gains their children."""
    found = []
    for kind, pks in refs.items():
        spec = SPECS.get(kind)
        if spec is None or not caller.may_read(kind):
            continue
        keys = []
        for pk in pks:
            try:
                keys.append(uuid.UUID(pk))
            except ValueError:
                continue
        rows, children = rows_for(caller, spec)
        items = list(rows.filter(pk__in=keys).order_by(*spec.order)) if keys else []
        shown.update(_shown(spec, children, items))
        found += [spec.render(item, context) for item in items]
    return found


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


def fixed_read_view(resource_type: str, resource_id: str, roles: frozenset[str]) -> View:
    def read_fixed(request: HttpRequest) -> HttpResponse:
        return read(request, resource_type, resource_id)

    return _get_only(read_fixed, roles)


def unknown_type(request: HttpRequest, resource_type: str = "", rest: str = "") -> HttpResponse:
    caller_of(request)
    if not resource_type:
        raise bad_request("Name a resource type: /fhir/R4/<Type> or /fhir/R4/<Type>/<id>.")
    _spec(resource_type)
    raise not_found()


unknown = _get_only(unknown_type, frozenset())
