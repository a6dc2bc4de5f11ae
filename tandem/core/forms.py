"""Showing an action's refusal on the form the person filled in."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError


def show_errors(form: Any, exc: ValidationError, rename: Mapping[str, str] | None = None) -> None:
    """Put an action's validation errors on the form: by field where the form has that
    field (``rename`` maps a model field to the form's name for it), else above it."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        target = (rename or {}).get(name, name)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)
