"""Questionnaires a family fills before an evaluation.

The team asks (``ask_family``, for an evaluation not yet final, a questionnaire the team
has not started itself, a child of the questionnaire's ages): the questionnaire becomes
part of the evaluation, marked as the family's to fill, and the child's guardians with
legal authority are told (a notification, and an email as each prefers, with the link).
Such a guardian finds it on their pages
(``questionnaires_due`` is the list a page shows, each with its link), answers it on a
phone one section per screen in their own language, saves as they go
(``save_family_answers``: each screen's answers replace that screen's earlier ones, so a
retry changes nothing) and sends it (``send_family_answers``): then it is complete and
locked, and the therapist reads the answers (and any scores) in the evaluation.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.children.models import Child
from tandem.core import clock
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind

from . import reading
from .models import Evaluation, QuestionnaireResponse, ResponseStatus


def questionnaires_due(membership: Membership) -> list[dict[str, Any]]:
    """What a guardian still has to fill, oldest request first (one query).

    Each item: ``child``, ``title`` (in the active language), ``url`` (the fill page),
    ``started`` (some answers saved), ``evaluation_on`` (the evaluation's date) and
    ``response`` (the record). Not a guardian: an empty list.
    """
    rows = (
        QuestionnaireResponse.objects.for_family(membership)
        .filter(status=ResponseStatus.IN_PROGRESS)
        .select_related("child", "evaluation")
        .order_by("created_at")
    )
    language = get_language() or ""
    titles: dict[str, str] = {}
    due = []
    for row in rows:
        if row.questionnaire not in titles:
            definition = reading.questionnaire_definition(row.questionnaire, language) or {}
            titles[row.questionnaire] = str(definition.get("title", row.questionnaire))
        due.append(
            {
                "child": row.child,
                "title": titles[row.questionnaire],
                "url": reverse("assessments:family_fill", args=[row.child_id, row.pk]),
                "started": bool(row.answers),
                "evaluation_on": row.evaluation.evaluated_on,
                "response": row,
            }
        )
    return due


# The ages a questionnaire is validated for, as (years, months) inclusive: the PSC-17
# from 4 years 0 months to 16 years 11 months (Gardner & Kelleher 1999).
AGE_RANGES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "psc17": ((4, 0), (16, 11)),
}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"questionnaire": message})


def _check_age(evaluation: Evaluation, questionnaire: str, title: str) -> None:
    ages = AGE_RANGES.get(questionnaire)
    if ages is None:
        return
    child = evaluation.child
    age = child.age_on(clock.today_for(child.organization))
    (low_years, low_months), (high_years, high_months) = ages
    if not ((low_years, low_months) <= age <= (high_years, high_months)):
        raise _refuse(
            _(
                "%(questionnaire)s is meant for children from %(low)s to %(high)s years old; "
                "%(child)s is %(age)s."
            )
            % {
                "questionnaire": title,
                "low": low_years,
                "high": high_years,
                "child": child.preferred_name or child.first_name,
                "age": _("%(years)s years %(months)s months") % {"years": age[0], "months": age[1]},
            }
        )


def _as_asked(existing: QuestionnaireResponse) -> QuestionnaireResponse:
    """An answer to the questionnaire is already in the evaluation: the family's own
    request (asked already, nothing changes), else refused."""
    if existing.status == ResponseStatus.COMPLETED:
        raise _refuse(_("This questionnaire is already answered in this evaluation."))
    if not existing.for_family:
        # The team's own draft: the family never sees staff answers.
        raise _refuse(
            _(
                "You have started this questionnaire yourself in this evaluation: finish it "
                "there, or ask the family in a new evaluation."
            )
        )
    return existing


@transaction.atomic
def ask_family(evaluation: Evaluation, by: Membership, questionnaire: str) -> QuestionnaireResponse:
    """Ask the child's family to fill ``questionnaire`` for this evaluation and tell the
    guardians with legal authority (asking again changes nothing and tells no one).

    Refused (ValidationError) for a final evaluation, a child outside the questionnaire's
    ages, and a questionnaire already answered or started by the team in the evaluation.
    """
    definition = reading.questionnaire_definition(questionnaire)
    if definition is None:
        raise _refuse(_("Choose one of the questionnaires."))
    if evaluation.is_final:
        raise _refuse(
            _("This evaluation is final: the family can no longer be asked to fill questionnaires.")
        )
    existing = (
        QuestionnaireResponse.objects.select_for_update()
        .filter(
            organization_id=evaluation.organization_id,
            evaluation=evaluation,
            questionnaire=questionnaire,
        )
        .first()
    )
    if existing is not None:
        return _as_asked(existing)
    _check_age(evaluation, questionnaire, str(definition.get("title", questionnaire)))
    response = QuestionnaireResponse(
        organization_id=evaluation.organization_id,
        child_id=evaluation.child_id,
        evaluation=evaluation,
        questionnaire=questionnaire,
        questionnaire_url=str(definition.get("url", "")),
        questionnaire_version=str(definition.get("version", "")),
        author=by,
        for_family=True,
    )
    try:
        with transaction.atomic():  # a savepoint: an ask at the same moment won
            response.save()
    except IntegrityError:
        winner = QuestionnaireResponse.objects.filter(
            organization_id=evaluation.organization_id,
            evaluation=evaluation,
            questionnaire=questionnaire,
        ).first()
        if winner is None:
            raise  # not the one-response constraint: a real error
        return _as_asked(winner)  # asked already (the other ask tells the family)
    _tell_the_family(response, evaluation.child)
    return response


def _tell_the_family(response: QuestionnaireResponse, child: Child) -> None:
    """Notify the child's guardians with legal authority (those who may fill it), in the
    same transaction as the request: the notices exist only if it commits, and their
    emails are queued when it does (each email is sent once: ``notifications.delivery``
    locks its row). Each reads the words in their own language."""
    guardians = Membership.objects.filter(
        organization_id=child.organization_id,
        role=Role.GUARDIAN,
        is_active=True,
        guardian_links__child=child,
        guardian_links__has_legal_authority=True,
        guardian_links__organization_id=child.organization_id,
    ).select_related("user", "organization")
    notify(
        guardians,
        Kind.QUESTIONNAIRE_ASKED,
        child=child,
        url=reverse("assessments:family_fill", args=[child.pk, response.pk]),
    )


def _open(response: QuestionnaireResponse) -> QuestionnaireResponse:
    current = QuestionnaireResponse.objects.select_for_update().get(
        pk=response.pk, organization_id=response.organization_id
    )
    if current.status == ResponseStatus.COMPLETED:
        raise ValidationError(
            _("These answers were already sent to the team; they can no longer be changed.")
        )
    return current


@transaction.atomic
def save_family_answers(
    response: QuestionnaireResponse,
    by: Membership,
    *,
    section: list[str],
    answers: dict[str, Any],
    language: str = "",
) -> QuestionnaireResponse:
    """Keep one screen's answers as a draft: they replace the earlier answers to the
    questions of ``section`` (a blank leaves none). Nothing changes when one is not
    acceptable (ValidationError by linkId) or when the answers are already these."""
    current = _open(response)
    definition = reading.questionnaire_definition(current.questionnaire) or {}
    merged = {k: v for k, v in current.answers.items() if k not in section}
    merged |= {k: v for k, v in answers.items() if k in section}
    cleaned = reading.validate_answers(definition, merged, require_all=False)
    if cleaned == current.answers:
        return current
    current.answers = cleaned
    current.author = by
    current.language = language[:10]
    current.version += 1
    current.save()
    return current


@transaction.atomic
def send_family_answers(
    response: QuestionnaireResponse, by: Membership, *, at: datetime.datetime | None = None
) -> QuestionnaireResponse:
    """Send the saved answers to the team: every required question must be answered
    (ValidationError by linkId otherwise); then the response is complete and locked."""
    current = _open(response)
    definition = reading.questionnaire_definition(current.questionnaire) or {}
    reading.validate_answers(definition, current.answers, require_all=True)
    current.status = ResponseStatus.COMPLETED
    current.author = by
    current.submitted_at = at or clock.now()
    current.version += 1
    current.save()
    return current
