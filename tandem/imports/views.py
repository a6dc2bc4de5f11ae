"""The clinic admin's import pages: upload (dry run at once), the report, the import."""

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, permits, visible_children
from tandem.children.access_log import LIST, log_access
from tandem.core import clock

from . import actions, csvfile, export
from .access import get_run, runs_of
from .checking import CREATE, REFUSED, UNCHANGED, UPDATE
from .forms import ImportForm, UploadForm
from .models import ImportRun
from .tasks import progress_key
from .views_fhir import fhir_bundle as fhir_bundle

__all__ = ["caseload_csv", "fhir_bundle", "index", "run", "template"]
EXPORT = "export"  # audit.models.AccessLog.Action (audit sits above the children's hook)
WORKING = (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)


@require_http_methods(["GET", "POST"])
@permits("imports.run")
def index(request: MemberRequest) -> HttpResponse:
    """Upload a caseload (CSV or FHIR Bundle): it is checked at once, nothing written."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = actions.check(
            request.membership,
            form.cleaned_data["kind"],
            upload.read(),
            filename=upload.name or "",
            system=form.cleaned_data["identifier_system"].strip(),
        )
        return redirect("imports:run", import_run_id=run.pk)
    runs = (
        runs_of(request.membership)
        .defer("content", "report")
        .select_related("started_by__user")[:10]
    )
    return render(request, "imports/index.html", {"form": form, "runs": runs})


@require_http_methods(["GET"])
@permits("imports.run")
def template(request: MemberRequest) -> HttpResponse:
    """The CSV template: the columns, and one example row."""
    response = HttpResponse(csvfile.template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tandem-caseload-template.csv"'
    return response


@require_http_methods(["GET"])
@permits("imports.run")
def caseload_csv(request: MemberRequest) -> StreamingHttpResponse:
    """The clinic's caseload in the template's columns, streamed: the import reads it back
    (into this clinic: every row already there; into another: the same children)."""
    membership = request.membership
    children = visible_children(membership).filter(archived_at__isnull=True)
    log_access(request, children.only("id", "organization_id"), action=EXPORT)
    response = StreamingHttpResponse(
        export.lines(export.rows(membership)), content_type="text/csv; charset=utf-8"
    )
    today = clock.today_for(membership.organization).isoformat()
    response["Content-Disposition"] = f'attachment; filename="tandem-caseload-{today}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@permits("imports.run")
def run(request: MemberRequest, import_run_id: str) -> HttpResponse:
    """The dry run's report, row by row; the import's progress once asked for."""
    current = get_run(request.membership, import_run_id)
    if request.method == "POST":
        form = ImportForm(request.POST)
        valid_only = form.is_valid() and form.cleaned_data["valid_only"]
        try:
            actions.queue(current, valid_only=valid_only)
        except actions.CannotImport:
            messages.error(
                request,
                _(
                    "Nothing was imported: some rows are refused. Fix the file, or choose "
                    "to import the valid rows only."
                ),
            )
        return redirect("imports:run", import_run_id=current.pk)
    context = _context(current)
    if request.htmx:
        return render(request, "imports/_status.html", context)
    shown = {pk for row in current.report for pk in row.get("existing", [])}
    if shown:  # the report names children already in the clinic (and their birth dates)
        children = visible_children(request.membership).filter(pk__in=shown)
        log_access(request, children, action=LIST)
    return render(request, "imports/run.html", context)


def _context(current: ImportRun) -> dict[str, object]:
    from django.core.cache import caches

    counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REFUSED: 0}
    for row in current.report:
        counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
    done = current.done
    if current.status in WORKING:
        try:
            done = caches["progress"].get(progress_key(current.pk)) or 0
        except OSError:  # var/progress unreadable (another system user): no count, no 500
            done = 0
    return {
        "run": current,
        # Problems are stored translated, but for the prune's (stored in English).
        "problems": [_(problem) for problem in current.problems],
        "counts": counts,
        "working": current.status in WORKING,
        "done": done,
        "may_import": current.status == ImportRun.Status.CHECKED,
        "rows": current.report,
        "form": ImportForm(),
    }
