"""The three refusals every layer raises, from the bottom of the stack.

Outsiders get a 404 (they learn nothing, not even that a record exists); members who
may read but not write get a 403 on writes; a save based on a version that is no
longer current is a ``Conflict`` (409 in the API). Who may do what is the access
kernel's (``tandem.access``, which re-exports ``not_found`` and ``read_only``); these
live here so that ``accounts``, below the kernel, raises the same ones.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class Conflict(Exception):
    """A save was based on a version of the record that is no longer current."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            "Someone else changed this record while you were editing it. "
            "Reload to see their changes, then make yours again."
        )
        self.current_version = current_version


def not_found() -> Http404:
    return Http404("Not found")


def read_only(message: str = "You can see this record but not change it.") -> PermissionDenied:
    return PermissionDenied(message)
