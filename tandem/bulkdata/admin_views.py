"""The clinic's bulk exports page: every export of the clinic, its status, progress and
files, and a button to cancel it (admins). The page polls itself while one is running."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, permits

from . import actions, audit
from .access import clinic_jobs, get_clinic_job

LISTED = 50


@require_GET
@permits("bulkdata.manage")
def index(request: MemberRequest) -> HttpResponse:
    jobs = list(clinic_jobs(request.membership)[:LISTED])
    running = any(job.status in actions.ACTIVE for job in jobs)
    context = {"jobs": jobs, "running": running}
    template = "bulkdata/index.html#rows" if request.htmx else "bulkdata/index.html"
    return render(request, template, context)


@require_POST
@permits("bulkdata.manage")
def cancel(request: MemberRequest, bulk_job_id: uuid.UUID) -> HttpResponse:
    job = get_clinic_job(request.membership, bulk_job_id)
    if actions.cancel(job):
        audit.log(request, job, "bulkdata:cancel")
        messages.success(request, _("The export was cancelled and its files deleted."))
    return redirect("bulkdata:index")
