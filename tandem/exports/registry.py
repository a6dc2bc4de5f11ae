"""The kinds of document the worker can make, registered by the apps that own them.

This app sits below progress and assessments: they register a renderer at start-up
(``register("progress.report", action="progress.report", render=…)``) and the worker
finds it by name. A renderer gets a request acting as the member who asked, the child and
the stored parameters, and returns the HTML to print and the file's name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tandem.accounts.request import MemberRequest
from tandem.children.models import Child

Render = Callable[[MemberRequest, Child, dict[str, Any]], tuple[str, str]]


@dataclass(frozen=True)
class Kind:
    name: str
    action: str  # the kernel's action the member must still hold when the worker renders
    render: Render


_KINDS: dict[str, Kind] = {}


def register(name: str, *, action: str, render: Render) -> None:
    if name in _KINDS and _KINDS[name].render is not render:
        raise ValueError(f"export kind {name!r} is registered twice")
    _KINDS[name] = Kind(name, action, render)


def kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(
            f"no export kind {name!r}: is its app's ready() registering it?"
        ) from None
