"""A queued task's effect, done once however often the task runs.

The code that queues a task which sends something passes ``new_key()``; the task calls
``claim`` before it sends and stops when the claim is already taken. See
``models.TaskClaim``.
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from .idempotency import RETENTION
from .models import TaskClaim


def new_key() -> str:
    """A key for one enqueue of a task."""
    return uuid.uuid4().hex


def claim(organization_id: str | uuid.UUID, scope: str, key: str) -> bool:
    """Take the claim on ``key``: True the first time, False on every later run.

    A task queued before tasks carried keys (``key`` empty) is not claimed: it runs.
    """
    if not key:
        return True
    try:
        with transaction.atomic():
            TaskClaim.objects.create(organization_id=organization_id, scope=scope, key=key)
    except IntegrityError:
        return False
    return True


def prune(now: datetime.datetime | None = None) -> int:
    """Delete claims older than the idempotency keys' ``RETENTION``; return how many."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = TaskClaim.objects.filter(created_at__lt=cutoff).delete()
    return deleted
