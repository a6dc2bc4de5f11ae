"""The access log: every view of a child's record, kept and never edited."""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organization
from tandem.children.models import Child

from .pages import page_name


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    """Access-log rows are written once; the app has no way to change or remove them."""

    def children_shown(self) -> set[uuid.UUID]:
        """Every child these rows showed: each row's own, and each list's."""
        shown: set[uuid.UUID] = set()
        for child_id, listed in self.values_list("child_id", "child_ids"):
            shown.update([child_id] if child_id else [uuid.UUID(hex=h) for h in listed.split()])
        return shown

    def about(self, child: Child) -> "AccessLogQuerySet":
        """Rows about one child: its own, and the lists that showed it."""
        return self.filter(Q(child=child) | Q(child__isnull=True, child_ids__contains=child.pk.hex))

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("The access log cannot be changed.")

    def delete(self) -> NoReturn:
        raise TypeError("The access log cannot be deleted through the app.")


class AccessLog(models.Model):
    """Who looked at which child's record, on which page or endpoint, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        EXPORT = "export", _("Exported")
        # A signed-in member asked for a child's record and got a 404 or 403: out of
        # their scope, or no such record. ``child`` is set only for the clinic's own child.
        REFUSED = "refused", _("Refused")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # One child's record; empty for a list (the caseload, the API's children list), whose
    # one row names every child it showed in ``child_ids`` (space-separated hex ids).
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child_ids = models.TextField(blank=True, default="")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.VIEW)
    route = models.CharField(max_length=200, help_text=_("URL name or API operation."))
    path = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Who looked at this child?" and "what did this person look at?"
            models.Index(fields=["organization", "child", "-at"]),
            models.Index(fields=["organization", "user", "-at"]),
        ]

    def __str__(self) -> str:
        about = self.child_id or f"{len(self.listed_ids)} children"
        return f"{self.user_id} {self.action} {about} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Access-log rows cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Access-log rows cannot be deleted through the app.")

    @property
    def page(self) -> str:
        """The page or endpoint as people read it ("Child record", not a route name)."""
        return page_name(self.route)

    @property
    def listed_ids(self) -> list[str]:
        """The hex ids of the children a list row showed."""
        return self.child_ids.split()
