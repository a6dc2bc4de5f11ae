"""Form errors of the note editor: an action's errors on the form they concern, and
the lines the autosave status shows."""

from typing import Any

from django.core.exceptions import ValidationError


def apply_errors(forms: list[Any], exc: ValidationError) -> None:
    """Show an action's errors on the form they concern (goal data keys are ``goal_id.field``)."""
    by_prefix = {str(f.entry.goal_id): f for f in forms[1:]}
    messages_ = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for key, errors in messages_.items():
        form, name = forms[0], key
        if key and "." in key:
            goal_id, name = key.split(".", 1)
            form = by_prefix.get(goal_id, forms[0])
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


def error_lines(form: Any, data_forms: list[Any]) -> list[str]:
    lines: list[str] = []
    for f in (form, *data_forms, *([form.abc] if getattr(form, "abc", None) is not None else [])):
        goal = getattr(getattr(f, "entry", None), "goal", None)
        for name, errors in f.errors.items():
            label = f.fields[name].label if name in f.fields else ""
            where = " · ".join(str(p) for p in (goal.statement[:60] if goal else "", label) if p)
            lines.extend(f"{where}: {e}" if where else str(e) for e in errors)
    return lines
