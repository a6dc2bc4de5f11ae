"""Pages of the Sessions tab: the child's notes, the one-screen editor, signing, addenda.

The editor autosaves drafts with htmx: each change posts the whole form with the
version it was opened on; a stale version answers 409 and nothing is overwritten.
Each post carries an idempotency key (one per tap of a trial counter, which also
carries the prompt level chosen when it was tapped): a retried post saves once.
Without JavaScript the same form saves on submit.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, member, read_only
from tandem.access.views import check, permits
from tandem.accounts.models import Membership
from tandem.audit.actions import log_access
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.idempotency import idempotent
from tandem.core.models import IdempotencyKey
from tandem.plans.wording import reads_clinical

from . import abc_form, actions, copyforward, cosigning, drafting
from .access import (
    active_goals_of,
    appointment_to_document,
    get_note,
    goals_on_note,
    note_for,
    note_goal_data,
    notes_of,
)
from .form_errors import apply_errors, error_lines
from .forms import (
    AddendumForm,
    CosignForm,
    GoalDataForm,
    NewNoteForm,
    NoteForm,
    SendBackForm,
    session_initial,
)
from .models import NoteStatus, SessionNote
from .reading import NoteView, describe_entry, notes_for_index, read_note

PAGE_SIZE = 20


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- Reading ---------------------------------------------------------------------


@require_GET
@permits("notes.view")
def index(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The Sessions tab: the child's notes, newest first, a page at a time."""
    membership = request.membership
    child = child_for(request, child_id, "notes.view")
    log_access(request, [child])
    page = Paginator(notes_for_index(membership, child), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "child": child,
        "tab": "sessions",
        "page": page,
        "can_write": allows(membership, "notes.write", child=child),
    }
    return render(request, "notes/index.html", context)


@require_GET
@permits("notes.view")
def detail(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """A note as it reads: families see signed notes, in plain language."""
    note = note_for(request, child_id, note_id)
    log_access(request, [note.child])
    return _render_detail(request, read_note(request.membership, note))


def _render_detail(
    request: HttpRequest,
    view: NoteView,
    *,
    addendum_form: AddendumForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "child": view.note.child,
        "tab": "sessions",
        "note": view.note,
        "view": view,
        "addendum_form": addendum_form or AddendumForm(),
        "cosign_form": CosignForm(initial={"version": view.note.version}),
        "send_back_form": SendBackForm(initial={"version": view.note.version}),
        "problem": problem,
        "reads_clinical": reads_clinical(member(request)),
    }
    return render(request, "notes/detail.html", context, status=status)


# --- Writing a draft -------------------------------------------------------------


@permits("notes.write")
def new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Start a note for a session, choosing the goals it worked on."""
    membership = request.membership
    child = child_for(request, child_id, "notes.write")
    log_access(request, [child])
    goals = active_goals_of(membership, child)
    wanted = request.POST.get("appointment") or request.GET.get("appointment")
    appointment = appointment_to_document(request.membership, child, wanted)
    initial: dict[str, Any] = {"date": clock.today()}
    if appointment is not None:
        written = (
            notes_of(membership, child)
            .filter(encounter_id=appointment.encounter_id, author=membership)
            .first()
        )
        if written is not None:  # one note per therapist per session: open it
            messages.info(request, _("You have already started the note for this session."))
            return redirect(written.get_absolute_url())
        initial.update(session_initial(appointment.encounter))
    discipline = appointment.encounter.discipline if appointment else membership.discipline
    source = copyforward.last_signed(membership, child, discipline) if discipline else None
    copied = copyforward.initial_from(source, with_session=appointment is None)
    if request.method == "GET":  # the goals due today: the discipline's active goals
        initial.update(copied)
        mine = [g.pk for g in goals if g.discipline == discipline]
        initial["goals"] = mine or [g.pk for g in goals]
    form = NewNoteForm(_posted(request), goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            note = actions.create_note(
                membership,
                child,
                goals=list(form.cleaned_data["goals"]),
                encounter=appointment.encounter if appointment else None,
                **form.changes(),
            )
        except ValidationError as exc:
            apply_errors([form], exc)
        else:
            messages.success(request, _("The note was started. Record the session below."))
            return redirect("notes:edit", child_id=child.id, note_id=note.id)
    context = {
        "child": child,
        "tab": "sessions",
        "form": form,
        "has_goals": bool(goals),
        "appointment": appointment,
        "source": source,
        "copied": copyforward.copied_labels(copied),
    }
    return render(request, "notes/new.html", context)


def _replayed_autosave(
    request: HttpRequest, stored: IdempotencyKey, child_id: uuid.UUID, note_id: uuid.UUID
) -> HttpResponse | None:
    """A retried autosave answers with the note as it is now, not as that save left it.

    The stored answer carries the version and tally of its moment; a retry that
    arrives after later taps have saved would put the old version back into the
    editor (and the next autosave would be refused as a conflict). Other answers
    (redirects, a note since signed or not the member's) are replayed as stored.
    """
    if not _is_htmx(request) or stored.response_status != 200 or stored.response_location:
        return None
    membership = member(request)
    note = note_for(request, child_id, note_id, "notes.write")
    if note.is_locked or not allows(membership, "notes.edit_draft", obj=note):
        return None
    log_access(request, [note.child])
    pressed = request.POST.get("trial", "").partition(":")[0]
    entries = [e for e in note_goal_data(membership, note) if str(e.goal_id) == pressed]
    tallies = [describe_entry(e) for e in entries]
    saved_at = timezone.localtime(note.updated_at)
    context = {"note": note, "saved_at": saved_at, "tallies": tallies}
    return render(request, "notes/_autosave.html", context)


@permits("notes.write")
@idempotent("notes.edit", on_replay=_replayed_autosave)
def edit(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """The one-screen editor of a draft: details, each goal's data, SOAP; autosaved."""
    membership = request.membership
    note = note_for(request, child_id, note_id, "notes.write")
    log_access(request, [note.child])
    if note.is_locked:
        if request.method == "POST":
            return _locked(request, note)
        return _render_detail(request, read_note(membership, note))
    if not allows(membership, "notes.edit_draft", obj=note):
        if request.method == "POST":
            raise read_only()
        return _render_detail(request, read_note(membership, note))
    view = read_note(membership, note)
    form, data_forms = _bind(request, note, view)
    if request.method == "GET":
        return _render_editor(request, view, form, data_forms)
    trial = request.POST.get("trial", "")
    try:
        saved = _save(note, membership, form, data_forms, trial)
    except actions.NoteStateConflict:
        return _locked(request, note)
    except Conflict as exc:
        return _conflict(request, view, form, data_forms, exc)
    except ValidationError as exc:
        apply_errors([form, *data_forms], exc)
        return _invalid(request, view, form, data_forms)
    edit_url = reverse("notes:edit", args=[saved.child_id, saved.id])
    if draft_action := request.POST.get("draft", ""):
        return drafting.draft_into(request, saved, draft_action, edit_url)
    if goal_action := request.POST.get("goal_action", ""):
        return _change_goals(request, saved, goal_action, edit_url)
    if request.POST.get("abc_action", ""):  # add a row or remove one: the editor again
        return abc_form.reload(request, edit_url)
    if _is_htmx(request):
        return _autosaved(request, saved, data_forms, trial)
    messages.success(request, _("The draft was saved."))
    anchor = f"#goal-{trial.partition(':')[0]}" if trial else ""
    return redirect(edit_url + anchor)


def _change_goals(
    request: MemberRequest, note: SessionNote, goal_action: str, edit_url: str
) -> HttpResponse:
    """Add one of the child's active goals (``add``) or take one off the draft (``remove:id``)."""
    membership = request.membership
    kind, _sep, goal_id = goal_action.partition(":")
    goals = list(goals_on_note(membership, note))
    if kind == "add":
        try:
            wanted = request.POST.get("add_goal", "")
            added = active_goals_of(membership, note.child).filter(pk=wanted)
            goals.extend(added[:1])
        except (ValidationError, ValueError):
            pass
    elif kind == "remove":
        goals = [g for g in goals if str(g.id) != goal_id]
    try:
        actions.set_goals(note, membership, expected_version=note.version, goals=goals)
    except Conflict:
        messages.error(
            request, _("The note changed while you were editing it. Check it, then try again.")
        )
    else:
        messages.success(request, _("The goals of this note were updated."))
    if _is_htmx(request):
        response = HttpResponse()
        response["HX-Redirect"] = edit_url
        return response
    return redirect(edit_url)


def _bind(
    request: HttpRequest, note: SessionNote, view: NoteView
) -> tuple[NoteForm, list[GoalDataForm]]:
    data = _posted(request)
    form = NoteForm(data, instance=note)
    form.abc = abc_form.bind(request, note)
    return form, [GoalDataForm(data, entry=entry) for entry in view.entries]


def _save(
    note: SessionNote,
    membership: Membership,
    form: NoteForm,
    data_forms: list[GoalDataForm],
    trial: str = "",
) -> SessionNote:
    """Save the posted draft; raise ValidationError, Conflict or NoteStateConflict."""
    valid = [f.is_valid() for f in (form, *data_forms, form.abc)]
    if not all(valid):
        raise ValidationError({})
    pressed, _sep, what = trial.partition(":")
    goal_data = {
        str(f.entry.goal_id): f.changes(what if str(f.entry.goal_id) == pressed else None)
        for f in data_forms
    }
    saved = actions.update_note(
        note,
        membership,
        expected_version=form.cleaned_data["version"],
        fields=form.changes(),
        goal_data=goal_data,
    )
    return abc_form.save(form.abc, saved, membership)


def _render_editor(
    request: MemberRequest,
    view: NoteView,
    form: NoteForm,
    data_forms: list[GoalDataForm],
    *,
    conflict: Conflict | None = None,
    sign_problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    membership = request.membership
    note = view.note
    on_note = {e.goal_id for e in view.entries}
    addable = [g for g in active_goals_of(membership, note.child) if g.id not in on_note]
    copied = copyforward.in_editor(membership, note, [str(g) for g in on_note])
    copyforward.mark_copied(form, data_forms, copied)
    for entry in view.entries:  # recorded and scored: the goal's card starts folded
        shown: Any = entry
        shown.complete = entry.gas_level is not None and (
            entry.value is not None or entry.goal.measurement_type == "gas_only"
        )
    context = {
        "child": note.child,
        "tab": "sessions",
        "note": note,
        "view": view,
        "form": form,
        "entries": list(zip(view.entries, data_forms, strict=True)),
        "addable": addable,
        "edit_url": reverse("notes:edit", args=[note.child_id, note.id]),
        "conflict": conflict,
        "sign_problems": sign_problems or [],
        "version": conflict.current_version if conflict else note.version,
        "drafts": drafting.beside(request, view),  # after "Draft the note" (?draft=…)
        "copied": copied,
    }
    return render(request, "notes/edit.html", context, status=status)


def _autosaved(
    request: HttpRequest, note: SessionNote, data_forms: list[GoalDataForm], trial: str
) -> HttpResponse:
    """The autosave answer: when and which version was saved, and a pressed counter's tally."""
    pressed, _sep, what = trial.partition(":")
    tallies = []
    for f in data_forms:
        if str(f.entry.goal_id) == pressed:
            f.entry.trials = f.changes(what)["trials"]
            tallies.append(describe_entry(f.entry))
    context = {"note": note, "saved_at": timezone.localtime(), "tallies": tallies}
    return render(request, "notes/_autosave.html", context)


def _invalid(
    request: MemberRequest, view: NoteView, form: NoteForm, data_forms: list[GoalDataForm]
) -> HttpResponse:
    if _is_htmx(request):
        context = {"note": view.note, "errors": error_lines(form, data_forms)}
        return render(request, "notes/_autosave.html", context, status=422)
    return _render_editor(request, view, form, data_forms)


def _conflict(
    request: MemberRequest,
    view: NoteView,
    form: NoteForm,
    data_forms: list[GoalDataForm],
    exc: Conflict,
) -> HttpResponse:
    if _is_htmx(request):
        context = {"note": view.note, "conflict": exc}
        return render(request, "notes/_autosave.html", context, status=409)
    return _render_editor(request, view, form, data_forms, conflict=exc, status=409)


def _locked(request: MemberRequest, note: SessionNote) -> HttpResponse:
    """A change to a signed note: 409, with the note as it was signed."""
    message = _("This note is signed and locked. Add an addendum instead.")
    if _is_htmx(request):
        context = {"note": note, "locked": True, "errors": [message]}
        return render(request, "notes/_autosave.html", context, status=409)
    view = read_note(request.membership, note)
    return _render_detail(request, view, problem=message, status=409)


# --- Signing, co-signing, addenda ------------------------------------------------


@require_POST
@permits("notes.write")
def sign(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """Save the posted draft, then sign it: the note is sealed and locked."""
    membership = request.membership
    note = note_for(request, child_id, note_id, "notes.write")
    log_access(request, [note.child])
    if note.is_locked:
        return _locked(request, note)
    check(request, "notes.sign", obj=note)
    view = read_note(membership, note)
    form, data_forms = _bind(request, note, view)
    try:
        saved = _save(note, membership, form, data_forms)
    except actions.NoteStateConflict:
        return _locked(request, note)
    except Conflict as exc:
        return _conflict(request, view, form, data_forms, exc)
    except ValidationError as exc:
        apply_errors([form, *data_forms], exc)
        return _invalid(request, view, form, data_forms)
    try:
        copyforward.check_read(membership, saved, form.cleaned_data.get("copied_read", False))
        signed = actions.sign_note(saved, membership, expected_version=saved.version)
    except actions.NoteStateConflict:
        return _locked(request, note)
    except Conflict as exc:
        return _conflict(request, view, form, data_forms, exc)
    except ValidationError as exc:
        return _unsignable(request, saved, exc.messages)
    if signed.status == NoteStatus.AWAITING_COSIGN and membership.supervisor is not None:
        messages.success(
            request,
            _("You signed the note. It now waits for %(name)s's co-signature.")
            % {"name": membership.supervisor.display_name},
        )
    else:
        messages.success(request, _("You signed the note. It is now locked."))
    if _is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = signed.get_absolute_url()
        return response
    return redirect(signed.get_absolute_url())


def _unsignable(request: MemberRequest, note: SessionNote, problems: list[str]) -> HttpResponse:
    """The draft was saved, but cannot be signed yet: say what is missing."""
    if _is_htmx(request):
        context = {"note": note, "saved_at": timezone.localtime(), "errors": problems}
        return render(request, "notes/_autosave.html", context, status=422)
    view = read_note(request.membership, note)
    form = NoteForm(instance=note)
    form.abc = abc_form.AbcForm(None, note=note)
    data_forms = [GoalDataForm(entry=entry) for entry in view.entries]
    return _render_editor(request, view, form, data_forms, sign_problems=problems)


@require_POST
@permits("notes.touch")
def cosign(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """The supervising therapist co-signs an assistant's signed note."""
    membership = request.membership
    note = note_for(request, child_id, note_id, "notes.touch")
    log_access(request, [note.child])
    form = CosignForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        cosigning.ensure_awaiting_cosign(note)
        check(request, "notes.cosign", obj=note)
        cosigning.cosign_note(note, membership, expected_version=version)
    except (Conflict, ValidationError) as exc:  # a stale form; the codes no longer fit
        refreshed = read_note(membership, get_note(membership, note.child, note_id))
        if isinstance(exc, ValidationError):
            return _render_detail(request, refreshed, problem=" ".join(exc.messages), status=400)
        return _render_detail(request, refreshed, problem=str(exc), status=409)
    messages.success(request, _("You co-signed the note."))
    if request.POST.get("from") == "queue":
        return redirect("notes:cosign_queue")
    return redirect(note.get_absolute_url())


@require_POST
@permits("notes.addendum")
def addendum(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """Add an addendum to a signed note: who, when, what; the note itself stays as signed."""
    membership = request.membership
    note = note_for(request, child_id, note_id, "notes.addendum")
    log_access(request, [note.child])
    form = AddendumForm(request.POST)
    problem = ""
    if form.is_valid():
        try:
            actions.add_addendum(note, membership, form.cleaned_data["text"])
        except ValidationError as exc:
            problem = " ".join(exc.messages)  # a draft shows no addendum form to show it on
            form.add_error("text", problem)
        else:
            messages.success(request, _("The addendum was added."))
            return redirect(note.get_absolute_url() + "#addenda")
    view = read_note(membership, note)
    return _render_detail(request, view, addendum_form=form, problem=problem)
