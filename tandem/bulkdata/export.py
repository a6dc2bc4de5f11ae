"""Writing a bulk export: each type's rows, batch by batch, one NDJSON line per resource.

The rows are the FHIR API's for the member who asked (``tandem.fhir.access``: the
kernel decides which children's records of each type they read; the app's reader gives
the rows) and every resource is the type's own mapper's (``tandem.fhir.registry``): a
type added to the registry is exported without a change here. Batches of ``BATCH`` rows
are read with the type's own paging (``Spec.page``) and written to a temporary file,
then saved into the media storage: memory holds one batch, whatever the clinic's size.
"""

import datetime
import json
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import QueryDict

from tandem.accounts.models import Membership
from tandem.fhir.access import readable_children, rows_for
from tandem.fhir.auth import SYSTEM_SCOPE as SYSTEM_SCOPE  # the scope is auth's
from tandem.fhir.auth import Caller, ceiling
from tandem.fhir.base import Context, Spec, instant
from tandem.fhir.elements import bulk_elements, for_type, subset
from tandem.fhir.outcome import FhirError, bad_request
from tandem.fhir.registry import SPECS
from tandem.fhir.search import CONTROL, filters

from .models import BulkExport

BATCH = 500
CHILDREN_PER_PART = 25


class Cancelled(Exception):
    """The job was cancelled (or expired) while it was being written."""


def bulk_scopes(membership: Membership) -> frozenset[str]:
    """The member's FHIR scopes, and ``system/*.read`` for those who may export the clinic
    (``tandem.fhir.auth.ceiling``: a token's own scopes are checked at its kick-off)."""
    return ceiling(membership)


def level_types(level: str) -> list[str]:
    """The types an export of this level holds: every type served for the clinic's export;
    the types of a child's record (the Patient compartment) for Patient and Group."""
    if level == BulkExport.Level.SYSTEM:
        return list(SPECS)
    return [name for name, spec in SPECS.items() if spec.actions is not None]


def asked_types(level: str, raw: str | None) -> list[str]:
    """``_type``'s types, in the registry's order (400 on one not served at this level)."""
    if raw is None:
        return []
    allowed = level_types(level)
    names = [name.strip() for name in raw.split(",")]
    for name in names:
        if name not in allowed:
            raise bad_request(
                f"_type: '{name}' is not a type this export holds (use {', '.join(allowed)})."
            )
    return [name for name in allowed if name in names]


def bounds(spec: Spec, since: datetime.datetime | None, until: datetime.datetime) -> QueryDict:
    """``_lastUpdated`` for rows changed since ``_since`` and not after the transaction
    time (empty for a type without the parameter: exported whole, or not at all with
    ``_since``)."""
    query = QueryDict(mutable=True)
    if "_lastUpdated" in spec.params:
        query.appendlist("_lastUpdated", f"le{instant(until)}")
        if since is not None:
            query.appendlist("_lastUpdated", f"ge{instant(since)}")
    return query


# Between two queries of ``_typeFilter``'s comma list: a comma before the next "Type?".
_NEXT_QUERY = re.compile(r",(?=[A-Z][A-Za-z]*\?)")
# Search parameters that are no filter (paging, includes, the shape of the answer).
NOT_FILTERS = (*CONTROL, "_since", "_type")


def type_filters(raw: list[str], types: list[str]) -> dict[str, list[QueryDict]]:
    """``_typeFilter``'s queries by type (each ``Type?parameters``, the FHIR search's own
    parameters, checked by its parsing): 400 on a type the export does not hold or a
    parameter the type's search does not take. A type's queries are or-ed."""
    found: dict[str, list[QueryDict]] = {}
    for value in raw:
        for query in _NEXT_QUERY.split(value):
            kind, mark, search = query.strip().partition("?")
            if not mark or not search.strip("&"):
                raise bad_request(f"_typeFilter: '{query}' is not a query (Type?parameters).")
            if kind not in types:
                raise bad_request(
                    f"_typeFilter: '{kind}' is not a type this export holds "
                    f"(use {', '.join(types)})."
                )
            params = QueryDict(search)
            for name in params:
                if name in NOT_FILTERS:
                    raise bad_request(f"_typeFilter: '{name}' is not a search filter.")
            spec = SPECS[kind]
            try:
                filters(params, spec.params)
            except FhirError as error:
                raise bad_request(f"_typeFilter '{query}': {error.message}") from error
            found.setdefault(kind, []).append(params)
    return found


def _within(bounds: QueryDict, query: QueryDict) -> QueryDict:
    """A ``_typeFilter`` query within the export's ``_lastUpdated`` bounds (and-ed)."""
    both = bounds.copy()
    for name, values in query.lists():
        for value in values:
            both.appendlist(name, value)
    return both


@dataclass
class Written:
    """One type's file: its storage name, resources and bytes, and the children it holds."""

    type: str
    name: str
    count: int
    size: int
    children: set[Any] = field(default_factory=set)


def parts_of(
    caller: Caller, spec: Spec, group: set[Any] | None
) -> tuple[list[Callable[[], Any]], set[Any]]:
    """The type's rows for the caller, in parts of at most ``CHILDREN_PER_PART`` children
    (narrowed to a group's children), each read when its turn comes, and those children.
    A type that is no child's record (the staff, the clinic) is one part.

    Paging a part costs what a part holds, whatever the clinic's size: a type's own
    paging may sort all its rows up to the page's end (the database keeps them in memory:
    Observation's union of growth and goal data on SQLite), so one part of the whole
    clinic would grow with it. A part's reader is called just before it is paged (a
    type's reader may set up what its paging reads: Observation's goal data)."""
    if spec.actions is None:
        return [lambda: rows_for(caller, spec)[0]], set()
    children = {child.pk for child in readable_children(caller, spec)}
    if group is not None:
        children &= group
    ordered = sorted(children)
    chunks = [ordered[n : n + CHILDREN_PER_PART] for n in range(0, len(ordered), CHILDREN_PER_PART)]
    return [partial(spec.rows, caller.membership, chunk) for chunk in chunks or [[]]], children


def write_type(
    caller: Caller,
    spec: Spec,
    parts: list[Callable[[], Any]],
    queries: list[QueryDict],
    out: IO[bytes],
    progress: Callable[[int, int], None],
    elements: frozenset[str] | None = None,
) -> int:
    """Write the rows of each part found by any of the search ``queries`` (the bounds
    alone, or each ``_typeFilter`` query within them: or-ed) as NDJSON, a batch at a
    time, cut to ``elements``; ``progress(written, estimated total)`` after each (it
    raises ``Cancelled`` to stop). Return how many resources were written.

    Each query is a pass over the part; a row an earlier query of the pass also finds is
    left to it (the earlier queries are asked again with ``_id`` of the batch's ids), so
    each resource is written once and memory holds one batch."""
    written = 0
    steps = len(parts) * len(queries)
    for number, part in enumerate(parts):
        rows = part()
        for nth, params in enumerate(queries):
            wanted = filters(params, spec.params)
            offset = 0
            while True:
                # The parameters go to the type's paging too: a type whose resources are
                # not all ``rows`` (Observation: growth and goal data) narrows the others.
                page = spec.page(rows.filter(wanted), spec.order, offset, BATCH, params)
                # A fresh context per batch: what a mapper loads once, it loads per batch.
                context = Context(
                    membership=caller.membership, clinical=caller.membership.is_staff_member
                )
                found = [spec.render(item, context) for item in page.items]
                if nth and found:
                    before = _found_before(spec, rows, queries[:nth], found, context)
                    found = [r for r in found if r["id"] not in before]
                out.write(b"".join(_line(subset(r, elements)) for r in found))
                written += len(found)
                offset += BATCH
                done = number * len(queries) + nth + min(offset, page.total) / max(page.total, 1)
                share = done / steps
                progress(written, max(written, round(written / share)) if share else 0)
                if offset >= page.total or not page.items:
                    break
    return written


def _found_before(
    spec: Spec,
    rows: Any,
    earlier: list[QueryDict],
    batch: list[dict[str, Any]],
    context: Context,
) -> set[str]:
    """The ids of the batch that an earlier query also finds (and so has written)."""
    found: set[str] = set()
    ids = ",".join(r["id"] for r in batch)
    for params in earlier:
        asked = params.copy()
        asked.appendlist("_id", ids)
        wanted = filters(asked, spec.params)
        offset = 0
        while True:
            page = spec.page(rows.filter(wanted), spec.order, offset, BATCH, asked)
            found |= {spec.render(item, context)["id"] for item in page.items}
            offset += BATCH
            if offset >= page.total or not page.items:
                break
    return found


def _line(resource: dict[str, Any]) -> bytes:
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def job_folder(organization_id: Any, job_id: Any) -> str:
    return f"bulkdata/{organization_id}/{job_id}"


def storage_name(job: BulkExport, resource_type: str) -> str:
    return f"{job_folder(job.organization_id, job.pk)}/{resource_type}.ndjson"


def write_all(
    job: BulkExport,
    caller: Caller,
    types: Iterable[str],
    group: set[Any] | None,
    progress: Callable[[str, int, int, int], None],
    saved: list[str],
) -> list[Written]:
    """Write every type's file; ``saved`` collects the storage names as they are saved
    (the caller deletes them if the job is cancelled half-way)."""
    assert job.transaction_time is not None
    filters_by_type = type_filters(job.type_filters, list(types))
    element_names = bulk_elements(job.elements, list(types)) if job.elements else None
    files = []
    for done, name in enumerate(types):
        spec = SPECS[name]
        if job.since is not None and "_lastUpdated" not in spec.params:
            continue  # a type with no update time (a catalogue): nothing known to change
        parts, children = parts_of(caller, spec, group)
        params = bounds(spec, job.since, job.transaction_time)
        queries = [_within(params, q) for q in filters_by_type.get(name, [])] or [params]
        elements = for_type(element_names, name)

        def step(rows_done: int, rows_total: int, t: str = name, d: int = done) -> None:
            progress(t, d, rows_done, rows_total)

        with tempfile.TemporaryFile() as out:
            count = write_type(caller, spec, parts, queries, out, step, elements)
            if not count:
                continue  # no file for a type with nothing to export
            size = out.tell()
            out.seek(0)
            stored = default_storage.save(storage_name(job, name), File(out))
        saved.append(stored)
        files.append(Written(name, stored, count, size, children))
    return files


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def delete_folder(folder: str) -> None:
    """Delete every file under the job's folder, whatever its ``output`` says (a job
    killed half-way recorded none of the files it saved)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return  # nothing was ever saved there
    delete_files(f"{folder}/{name}" for name in files)
    for inner in folders:
        delete_folder(f"{folder}/{inner}")
