"""Building blocks shared by every domain model."""

import uuid

from django.db import models


class TandemModel(models.Model):
    """A record with a UUID as its public identifier and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NoBulkWriteQuerySet(models.QuerySet):
    """A queryset for versioned clinical records: bulk writes would skip the history.

    Change such records one at a time through the app's actions so that each
    change keeps a version (who, when, what).
    """

    def update(self, **kwargs):  # type: ignore[override]
        raise TypeError(
            f"{self.model.__name__} is versioned: change records through its actions, "
            "not queryset.update()."
        )

    def bulk_update(self, objs, fields, batch_size=None):  # type: ignore[override]
        raise TypeError(
            f"{self.model.__name__} is versioned: change records through its actions, "
            "not bulk_update()."
        )
