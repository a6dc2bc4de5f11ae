"""The family's questionnaires: the team asks, a guardian fills them on their phone.

``ask_family`` is the therapist's button on the evaluation; ``family_list`` and
``family_fill`` are the guardian's pages (``assessments.family_fill``: the child's
guardians with legal authority; 404 for anyone else, a write included). The fill page
shows one section per screen; every move (next, back, save and finish later) keeps the
screen's answers as a draft, the last screen's "send" completes and locks the
questionnaire.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, child_for, not_found, permits
from tandem.audit.actions import log_access
from tandem.core.idempotency import idempotent

from . import family, reading
from .access import family_forms_of, get_evaluation, get_family_form
from .models import ResponseStatus
from .rules import EDIT, FAMILY_FILL

MOVES = ("next", "back", "later", "send")


@require_POST
@permits(EDIT)
@idempotent("assessments.ask_family")
def ask_family(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> HttpResponse:
    """Ask the child's family to fill a questionnaire for this evaluation."""
    child = child_for(request, child_id, EDIT)
    evaluation = get_evaluation(request.membership, child, evaluation_id)
    log_access(request, [child])
    try:
        family.ask_family(evaluation, request.membership, request.POST.get("questionnaire", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The family will find the questionnaire on their pages."))
    return redirect(evaluation.get_absolute_url())


@require_GET
@permits(FAMILY_FILL)
def family_list(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The questionnaires the team asked the family to fill about this child."""
    child = child_for(request, child_id, FAMILY_FILL, hide=True)
    log_access(request, [child])
    language = get_language() or ""
    forms = []
    for response in family_forms_of(request.membership, child).select_related("evaluation"):
        definition = reading.questionnaire_definition(response.questionnaire, language) or {}
        forms.append({"response": response, "title": definition.get("title", "")})
    context = {
        "child": child,
        "due": [f for f in forms if f["response"].status == ResponseStatus.IN_PROGRESS],
        "sent": [f for f in forms if f["response"].status == ResponseStatus.COMPLETED],
    }
    return render(request, "assessments/family_list.html", context)


def _step(raw: Any, count: int) -> int:
    try:
        step = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(step, 1), count)


def _first_step_with(sections: list[dict[str, Any]], keys: set[str]) -> int | None:
    for number, section in enumerate(sections, start=1):
        if keys & {q["id"] for q in section["questions"]}:
            return number
    return None


@permits(FAMILY_FILL)
@idempotent("assessments.family_fill")
def family_fill(request: MemberRequest, child_id: uuid.UUID, form_id: uuid.UUID) -> HttpResponse:
    """One screen of a questionnaire the family was asked to fill."""
    membership = request.membership
    child = child_for(request, child_id, FAMILY_FILL, hide=True)
    response = get_family_form(membership, child, form_id)
    log_access(request, [child])
    language = get_language() or ""
    definition = reading.questionnaire_definition(response.questionnaire, language)
    if definition is None:
        raise not_found()
    here = reverse("assessments:family_fill", args=[child.id, response.id])
    done = reverse("assessments:family_list", args=[child.id])
    answers = dict(response.answers)
    sections = reading.questionnaire_sections(definition, answers, {})
    step = _step(request.POST.get("step") or request.GET.get("step"), len(sections))
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and response.status == ResponseStatus.COMPLETED:
        messages.info(request, _("These answers were already sent to the team. Thank you!"))
        return redirect(done)
    if request.method == "POST":
        move = request.POST.get("move", "next")
        move = move if move in MOVES else "next"
        section = [q["id"] for q in sections[step - 1]["questions"]]
        posted = reading.answers_from_post(definition, request.POST)
        mine = {k: v for k, v in posted.items() if k in section}
        saved = False
        try:
            response = family.save_family_answers(
                response, membership, section=section, answers=mine, language=language
            )
            saved = True
            if move == "send":
                family.send_family_answers(response, membership)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            answers = {**{k: v for k, v in answers.items() if k not in section}, **mine}
            if saved:
                # Saved, but not complete: show the first screen with a question left.
                step = _first_step_with(sections, set(errors)) or step
        else:
            if move == "send":
                messages.success(request, _("Thank you! Your answers were sent to the team."))
                return redirect(done)
            if move == "later":
                messages.success(
                    request,
                    _("Your answers are saved. You can come back and finish any time."),
                )
                return redirect(done)
            target = step - 1 if move == "back" else step + 1
            return redirect(f"{here}?step={_step(target, len(sections))}")
    sections = reading.questionnaire_sections(definition, answers, errors)
    context = {
        "child": child,
        "response": response,
        "definition": definition,
        "sent": response.status == ResponseStatus.COMPLETED,
        "rows": reading.questionnaire_rows([response], language)[0]["rows"],
        "section": sections[step - 1],
        "step": step,
        "steps": len(sections),
        "errors": errors,
        "general_errors": [m for k, msgs in errors.items() if k in ("", "__all__") for m in msgs],
        "here": here,
        "done": done,
    }
    return render(request, "assessments/family_fill.html", context)
