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
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import QueryDict

from tandem.access import allows
from tandem.accounts.models import Membership
from tandem.fhir.access import readable_children, rows_for
from tandem.fhir.auth import Caller, scopes_for
from tandem.fhir.base import Context, Spec, instant
from tandem.fhir.outcome import bad_request
from tandem.fhir.registry import SPECS
from tandem.fhir.search import filters

from .models import BulkExport

BATCH = 500
CHILDREN_PER_PART = 25
SYSTEM_SCOPE = "system/*.read"


class Cancelled(Exception):
    """The job was cancelled (or expired) while it was being written."""


def bulk_scopes(membership: Membership) -> frozenset[str]:
    """The member's FHIR scopes, and ``system/*.read`` for those who may export the clinic."""
    scopes = scopes_for(membership)
    if allows(membership, "bulkdata.system"):
        scopes |= {SYSTEM_SCOPE}
    return scopes


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
    params: QueryDict,
    out: IO[bytes],
    progress: Callable[[int, int], None],
) -> int:
    """Write the rows of each part (narrowed by the search ``params``) as NDJSON, a batch
    at a time; ``progress(written, estimated total)`` after each (it raises ``Cancelled``
    to stop). Return how many resources were written."""
    written = 0
    wanted = filters(params, spec.params)
    for number, part in enumerate(parts):
        rows = part()
        offset = 0
        while True:
            # The parameters go to the type's paging too: a type whose resources are not
            # all ``rows`` (Observation: growth and goal data) narrows the others alike.
            page = spec.page(rows.filter(wanted), spec.order, offset, BATCH, params)
            # A fresh context per batch: what a mapper loads once, it loads for this batch.
            context = Context(
                membership=caller.membership, clinical=caller.membership.is_staff_member
            )
            out.write(b"".join(_line(spec.render(item, context)) for item in page.items))
            written += len(page.items)
            offset += BATCH
            share = (number + min(offset, page.total) / max(page.total, 1)) / len(parts)
            progress(written, max(written, round(written / share)) if share else 0)
            if offset >= page.total or not page.items:
                break
    return written


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
    files = []
    for done, name in enumerate(types):
        spec = SPECS[name]
        if job.since is not None and "_lastUpdated" not in spec.params:
            continue  # a type with no update time (a catalogue): nothing known to change
        parts, children = parts_of(caller, spec, group)
        params = bounds(spec, job.since, job.transaction_time)

        def step(rows_done: int, rows_total: int, t: str = name, d: int = done) -> None:
            progress(t, d, rows_done, rows_total)

        with tempfile.TemporaryFile() as out:
            count = write_type(caller, spec, parts, params, out, step)
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
