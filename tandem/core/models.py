"""Building blocks shared by every domain model."""

import datetime
import uuid
from collections.abc import Iterable
from typing import Any, NoReturn

from django.db import models

from . import clock


class TandemModel(models.Model):
    """A record with a UUID as its public identifier and creation/update times.

    ``save(at=…)`` writes the record as of that moment instead of now: its creation time
    (when new), its update time and the date of the version it adds to its history. The
    demo uses it to write months of record through the apps' actions, which pass on their
    own ``at=``; without it, both times are now, as with ``auto_now_add`` / ``auto_now``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, at: datetime.datetime | None = None, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if self._state.adding and at is not None:
            self.created_at = at
        if update_fields is None or "updated_at" in update_fields:
            self.updated_at = at or clock.now()  # auto_now, unless written as of ``at``
        if at is None:
            super().save(*args, **kwargs)
            return
        # django-simple-history dates the version it records (post_save) with this.
        self._history_date = at
        try:
            super().save(*args, **kwargs)
        finally:
            del self._history_date


class NoBulkWriteQuerySet(models.QuerySet):
    """A queryset for versioned clinical records: bulk writes would skip the history.

    Change such records one at a time through the app's actions so that each
    change keeps a version (who, when, what).
    """

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError(
            f"{self.model.__name__} is versioned: change records through its actions, "
            "not queryset.update()."
        )

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> NoReturn:
        raise TypeError(
            f"{self.model.__name__} is versioned: change records through its actions, "
            "not bulk_update()."
        )


class IdempotencyKey(models.Model):
    """A write already done for a key its client sent, and the answer it got.

    A client (the note editor per tap, a family's form per submission, an API
    caller's ``Idempotency-Key`` header) names each write with a key of its own.
    The first request with a key claims it and does the write in the same
    transaction; a retry or a simultaneous duplicate finds the claim and gets the
    stored answer, so nothing is counted twice. Keys belong to one member and one
    kind of write (``scope``); they are pruned after ``idempotency.RETENTION``.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE)
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE)
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    response_status = models.PositiveSmallIntegerField(default=0)
    response_type = models.CharField(max_length=100, blank=True)
    response_location = models.CharField(max_length=2000, blank=True)
    response_body = models.TextField(blank=True)

    class Meta:
        constraints = [
            # One write per key: a concurrent duplicate fails here and replays the first.
            models.UniqueConstraint(
                fields=["membership", "scope", "key"], name="idempotency_key_once"
            ),
        ]
        indexes = [
            # Pruning deletes by age.
            models.Index(fields=["created_at"], name="idempotency_key_created"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class TaskClaim(models.Model):
    """A queued task's one-time effect (an email), claimed before it is done.

    A task can run again: a worker killed after the work and before the task's own
    record is requeued by ``task_upkeep``. The code that queues a task that sends
    something gives it a key of its own; the task claims the key (a row with a unique
    constraint) before it sends, and a second run finds the claim and sends nothing.
    A worker killed between the claim and the send loses that one email: at most once,
    as the reminders. Claims are pruned with the idempotency keys.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE)
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scope", "key"], name="task_claim_once"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="task_claim_created")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
