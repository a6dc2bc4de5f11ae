"""The background work page: tasks an administrator should know of (stuck or failed)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.core.taskqueue import stuck_tasks

from .gate import member_required
from .models import Role


@require_GET
@member_required(Role.ADMIN)
def task_queue(request: HttpRequest) -> HttpResponse:
    """Emails and other background tasks running or waiting too long, and recent failures.

    Only each task's name and times are shown, never its arguments or traceback (the
    queue is the server's, shared by the clinics on it)."""
    stuck = stuck_tasks(timezone.now())
    stale_minutes = int(settings.TASK_STALE_AFTER.total_seconds() // 60)
    context = {"stuck": stuck, "stale_minutes": stale_minutes}
    return render(request, "accounts/task_queue.html", context)
