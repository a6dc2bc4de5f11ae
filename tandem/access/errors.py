"""The two refusals: outsiders learn nothing (404); readers may not write (403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def not_found() -> Http404:
    return Http404("Not found")


def read_only(message: str = "You can see this record but not change it.") -> PermissionDenied:
    return PermissionDenied(message)
