"""The access log, as the pages below it write to it: the children's and consent's.

Every view of a child's record goes to the access log (``tandem.audit``). Audit sits
above these apps (its rows point at children, its version browser asks the access
kernel), so their pages log through this hook, which audit fills at start-up
(``AuditConfig.ready`` registers ``audit.actions.log_access``); the apps above audit
call ``audit.actions.log_access`` themselves. Logging before audit registered is an
error, never a silent gap in the log.
"""

from collections.abc import Iterable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from .models import Child

VIEW = "view"  # audit.models.AccessLog.Action
LIST = "list"


class Writer(Protocol):
    def __call__(
        self, request: HttpRequest, children: Iterable[Child], *, action: str, route: str
    ) -> None: ...


_writers: list[Writer] = []


def register(writer: Writer) -> None:
    """Set the function that writes the access log (audit's, once per process)."""
    _writers[:] = [writer]


def log_access(
    request: HttpRequest, children: Iterable[Child], *, action: str = VIEW, route: str = ""
) -> None:
    """Record that the requesting user saw these children's records."""
    if not _writers:
        raise ImproperlyConfigured("The access log has no writer: is tandem.audit installed?")
    _writers[0](request, children, action=action, route=route)
