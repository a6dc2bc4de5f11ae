"""Pages of the Assessments tab: evaluations, questionnaires, scores, milestones and growth.

Each page names its action (``rules.py``): ``permits`` hides it from roles the rule
never admits, ``child_for`` finds the child (404 unseen; a form the member may not use
is 404 on GET, 403 on POST).
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from tandem.access import MemberRequest, child_for, not_found, permits
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors
from tandem.exports.pages import pdf_export

from . import actions, charts, reading, reading_growth, summary_document
from .access import (
    evaluations_of,
    get_evaluation,
    get_one,
    growth_of,
    instruments_for,
    milestone_checks_of,
    responses_of,
    scores_of,
    with_evaluation,
)
from .forms import EvaluationForm, GrowthForm, ScoreForm
from .models import Evaluation, MilestoneAnswer
from .rules import EDIT, GROWTH_RECORD, SUMMARY, VIEW


class HtmxMemberRequest(MemberRequest):
    """A member's request through django-htmx's middleware (a type, never instantiated)."""

    htmx: HtmxDetails


def _posted(request: MemberRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _editable_evaluation(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> tuple[Child, Evaluation]:
    child = child_for(request, child_id, EDIT)
    evaluation = get_evaluation(request.membership, child, evaluation_id)
    log_access(request, [child])
    return child, evaluation


# --- The tab -------------------------------------------------------------------


@require_GET
@permits(VIEW)
def index(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Evaluations, the growth chart and the latest milestones summary."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    measurements = list(growth_of(membership, child).order_by("measured_on", "created_at"))
    latest_check = with_evaluation(milestone_checks_of(membership, child), membership).first()
    context = {
        "child": child,
        "tab": "assessments",
        "evaluations": evaluations_of(membership, child).select_related("therapist__user"),
        "measurements": [reading_growth.describe_growth(m, child) for m in reversed(measurements)],
        "charts": charts.growth_charts(child, measurements),
        "milestones": reading.milestone_summary(latest_check) if latest_check else None,
        "milestone_check": latest_check,
        **summary_document.may_change(request.membership, child),
    }
    return render(request, "assessments/index.html", context)


# --- Evaluations ---------------------------------------------------------------


@permits(EDIT)
def evaluation_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Start an evaluation (editors)."""
    membership = request.membership
    child = child_for(request, child_id, EDIT)
    log_access(request, [child])
    initial = {
        "discipline": membership.discipline or "other",
        "evaluated_on": clock.today(),
        "strengths": child.strengths,
        "interests": child.interests,
    }
    form = EvaluationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = actions.create_evaluation(membership, child, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The evaluation was started."))
            return redirect(evaluation.get_absolute_url())
    context = {"form": form, "child": child, "tab": "assessments"}
    return render(request, "assessments/evaluation_form.html", context)


@permits(EDIT)
def evaluation_edit(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> HttpResponse:
    """Edit an evaluation; a save based on an older version is refused (409)."""
    child, evaluation = _editable_evaluation(request, child_id, evaluation_id)
    form = EvaluationForm(_posted(request), instance=evaluation)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_evaluation(
                evaluation,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect(evaluation.get_absolute_url())
    context = {
        "form": form,
        "child": child,
        "tab": "assessments",
        "evaluation": evaluation,
        "conflict": conflict,
    }
    return render(
        request, "assessments/evaluation_form.html", context, status=409 if conflict else 200
    )


def _summary_context(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> dict[str, Any]:
    """Everything the summary page shows; families get the plain register."""
    child = child_for(request, child_id, SUMMARY)
    evaluation = get_evaluation(request.membership, child, evaluation_id)
    log_access(request, [child])
    return summary_document.summary_data(request.membership, child, evaluation)


@require_GET
@permits(SUMMARY)
def evaluation(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> HttpResponse:
    """The evaluation summary (staff: everything; families: a final evaluation's summary)."""
    context = _summary_context(request, child_id, evaluation_id)
    context["family_choices"] = reading.questionnaire_choices()
    return render(request, "assessments/evaluation.html", context)


@require_GET
@permits(SUMMARY)
def evaluation_pdf(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> HttpResponse:
    """The same summary as a PDF, made by the task worker from the same template (see
    tandem/exports/pages.py: this page says it is being made, then hands it over)."""
    child = child_for(request, child_id, SUMMARY)
    evaluation = get_evaluation(request.membership, child, evaluation_id)
    params = {"evaluation_id": str(evaluation.pk)}
    return pdf_export(request, child, summary_document.KIND, params, title=_("Evaluation"))


# --- Questionnaires ------------------------------------------------------------


@permits(EDIT)
def questionnaire(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID, questionnaire: str
) -> HttpResponse:
    """Fill a questionnaire rendered from its definition; errors are shown per question."""
    membership = request.membership
    child, evaluation = _editable_evaluation(request, child_id, evaluation_id)
    definition = reading.questionnaire_definition(questionnaire)
    if definition is None:
        raise not_found()
    existing = (
        responses_of(membership, child)
        .filter(evaluation=evaluation, questionnaire=questionnaire)
        .first()
    )
    answers = existing.answers if existing else {}
    errors: dict[str, list[str]] = {}
    conflict = None
    if request.method == "POST":
        answers = reading.answers_from_post(definition, request.POST)
        status = "in-progress" if "save_draft" in request.POST else "completed"
        try:
            version = int(request.POST.get("version") or 0)
        except ValueError:
            version = 0
        try:
            actions.save_questionnaire_response(
                evaluation,
                membership,
                questionnaire=questionnaire,
                answers=answers,
                status=status,
                expected_version=version,
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            messages.success(request, _("The answers were saved."))
            return redirect(evaluation.get_absolute_url())
    context = {
        "child": child,
        "tab": "assessments",
        "evaluation": evaluation,
        "definition": definition,
        "sections": reading.questionnaire_sections(definition, answers, errors),
        "general_errors": [m for k, msgs in errors.items() if k in ("", "__all__") for m in msgs],
        "has_errors": bool(errors),
        "version": conflict.current_version if conflict else (existing.version if existing else 0),
        "conflict": conflict,
    }
    status_code = 409 if conflict else 200
    return render(request, "assessments/questionnaire.html", context, status=status_code)


# --- Standardized scores -------------------------------------------------------


@permits(EDIT)
def scores(
    request: HtmxMemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> HttpResponse:
    """Enter standardized scores; the subtest choices follow the chosen instrument."""
    membership = request.membership
    child, evaluation = _editable_evaluation(request, child_id, evaluation_id)
    actions.ensure_instruments(membership.organization)
    instruments = instruments_for(membership).filter(is_active=True)
    chosen_id = request.POST.get("instrument") or request.GET.get("instrument")
    instrument = None
    if chosen_id:
        try:
            instrument = instruments.filter(pk=chosen_id).first()
        except ValidationError:
            instrument = None
    initial = {"instrument": instrument} if instrument else {}
    form = ScoreForm(
        _posted(request), instruments=instruments, instrument=instrument, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_score(evaluation, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The score was added."))
            return redirect(f"{request.path}?instrument={form.cleaned_data['instrument'].pk}")
    context = {
        "child": child,
        "tab": "assessments",
        "evaluation": evaluation,
        "form": form,
        "instrument": instrument,
        "scores": scores_of(membership, child).filter(evaluation=evaluation),
    }
    if request.htmx:
        return render(request, "assessments/scores.html#score-form", context)
    return render(request, "assessments/scores.html", context)


# --- Milestones ----------------------------------------------------------------


@permits(EDIT)
def milestones(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID
) -> HttpResponse:
    """The CDC checklist for the child's age (corrected under two when born early)."""
    membership = request.membership
    child, evaluation = _editable_evaluation(request, child_id, evaluation_id)
    existing = milestone_checks_of(membership, child).filter(evaluation=evaluation).first()
    pick = reading.checklist_for(child, evaluation.evaluated_on)
    answers: dict[str, str] = dict(existing.answers) if existing else {}
    errors: dict[str, list[str]] = {}
    conflict = None
    if request.method == "POST":
        answers = {
            item["id"]: request.POST[f"m-{item['id']}"]
            for item in pick.items
            if request.POST.get(f"m-{item['id']}")
        }
        try:
            version = int(request.POST.get("version") or 0)
        except ValueError:
            version = 0
        try:
            actions.save_milestone_check(
                evaluation,
                checklist_months=pick.months,
                corrected_age=pick.corrected,
                answers=answers,
                expected_version=version,
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The milestones were saved."))
            return redirect(
                "assessments:milestones", child_id=child.id, evaluation_id=evaluation.id
            )
    context = {
        "child": child,
        "tab": "assessments",
        "evaluation": evaluation,
        "pick": pick,
        "domains": reading.checklist_domains(pick, answers, errors),
        "summary": reading.not_yet_summary(pick, answers),
        "choices": MilestoneAnswer.choices,
        "errors": errors,
        "version": conflict.current_version if conflict else (existing.version if existing else 0),
        "conflict": conflict,
    }
    return render(request, "assessments/milestones.html", context, status=409 if conflict else 200)


# --- Growth --------------------------------------------------------------------


@permits(GROWTH_RECORD)
def growth_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Record a growth measurement; its centiles and z-scores are shown on the tab."""
    membership = request.membership
    child = child_for(request, child_id, GROWTH_RECORD)
    log_access(request, [child])
    evaluation = None
    evaluation_id = request.POST.get("evaluation") or request.GET.get("evaluation")
    if evaluation_id:
        evaluation = get_one(evaluations_of(membership, child), evaluation_id)
    form = GrowthForm(_posted(request), initial={"measured_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            measurement = actions.record_growth(child, evaluation=evaluation, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            described = reading_growth.describe_growth(measurement, child)
            messages.success(request, reading_growth.growth_message(described))
            return redirect("assessments:index", child_id=child.id)
    context = {"form": form, "child": child, "tab": "assessments", "evaluation": evaluation}
    return render(request, "assessments/growth_form.html", context)
