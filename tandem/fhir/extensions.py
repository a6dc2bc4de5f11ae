"""What other apps add to the FHIR endpoint, registered from their ``ready()``.

Bulk Data ``$export`` (tandem.bulkdata) builds on this app's mappers; its routes and its
lines of the CapabilityStatement are registered here, so this app never imports it."""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern

Declare = Callable[[dict[str, Any]], dict[str, Any]]

# Routes under /fhir/R4/ served before the reads (``Patient/$export`` is no Patient id).
PATTERNS: list[URLPattern] = []
# Each gets the CapabilityStatement and returns it with its own interactions declared.
DECLARERS: list[Declare] = []


def extend(*, patterns: list[URLPattern], declare: Declare) -> None:
    """Serve ``patterns`` under /fhir/R4/ and let ``declare`` add them to the statement."""
    PATTERNS.extend(p for p in patterns if p not in PATTERNS)
    if declare not in DECLARERS:
        DECLARERS.append(declare)
