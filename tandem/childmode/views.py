"""Child mode's pages: the adult starts it, the child uses it, the adult leaves it.

While the session is locked (see ``lock`` and ``middleware``) the child's pages find
the child in the session, never in the URL, so nothing the child taps can lead to
another record. The staff page ``choices`` shows what the child picked.
"""

import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, not_found, permits
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core.files import open_or_404
from tandem.core.uploads import stored_content_type

from . import actions, lock
from .access import home_activity
from .forms import ChoiceForm, EnterForm, ExitForm
from .reading import choice_board, goal_cards, recent_choices
from .rules import OPEN, READ_CHOICES, VIEW


def _locked_child(request: MemberRequest) -> Child | None:
    """The child this session is locked to, while the adult still sees them (``VIEW``);
    None when child mode is off or the adult no longer may."""
    locked = lock.locked_to(request)
    if locked is None:
        return None
    try:
        return child_for(request, locked[0], VIEW)
    except (Http404, PermissionDenied):
        return None


def _leave_for_good(request: MemberRequest) -> HttpResponse:
    """The adult may no longer see the child (e.g. left the team): end the whole session."""
    logout(request)
    return redirect("account_login")


@require_GET
@permits(VIEW)
def start(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The adult's page before handing over the device: what child mode shows, how to leave."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    context = {
        "child": child,
        "tab": "childmode",
        "may_open": allows(membership, OPEN, child=child),
        "may_read_choices": allows(membership, READ_CHOICES, child=child),
        "goals": goal_cards(membership, child),
        "board": choice_board(membership, child),
        "form": EnterForm(initial={"child": child.id}),
    }
    return render(request, "childmode/start.html", context)


@require_POST
@permits(OPEN)
def enter(request: MemberRequest) -> HttpResponse:
    """Lock this signed-in session to the child's child mode."""
    if lock.locked_to(request) is not None:
        return redirect("childmode:home")
    form = EnterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the child whose child mode to open."))
        return redirect("home")
    child = child_for(request, form.cleaned_data["child"], OPEN)
    actions.enter(request, child, request.membership)
    return redirect("childmode:home")


@require_GET
@never_cache
@permits(VIEW)
def home(request: MemberRequest) -> HttpResponse:
    """The child's page: my goals with stars and a growing plant, and the choice board."""
    if lock.locked_to(request) is None:
        return redirect("home")
    child = _locked_child(request)
    if child is None:
        return _leave_for_good(request)
    membership = request.membership
    log_access(request, [child])
    context = {
        "child": child,
        "goals": goal_cards(membership, child),
        "board": choice_board(membership, child),
    }
    return render(request, "childmode/home.html", context)


@require_POST
@permits(VIEW)
def choose(request: MemberRequest) -> HttpResponse:
    """Record what the child picked on the board, then say it back to them."""
    if lock.locked_to(request) is None:
        return redirect("home")
    child = _locked_child(request)
    if child is None:
        return _leave_for_good(request)
    form = ChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tap a picture to choose."))
        return redirect("childmode:home")
    try:
        choice = actions.record_choice(
            request.membership,
            child,
            source=form.cleaned_data["source"],
            label=form.cleaned_data["label"],
            home_activity_id=form.cleaned_data["home_activity_id"],
        )
    except (ValidationError, Http404):
        messages.error(request, _("Tap a picture to choose."))
    else:
        said = _("You chose: %(label)s. Great choice!") % {"label": choice.label}
        messages.success(request, said)
    return redirect("childmode:home")


@require_GET
@permits(VIEW)  # type: ignore[arg-type]  # a FileResponse; the kernel's View wants HttpResponse
def picture(request: MemberRequest) -> HttpResponseBase:
    """The picture of a home activity on the child's board (``?activity=<id>``)."""
    if lock.locked_to(request) is None:
        return redirect("home")
    child = _locked_child(request)
    if child is None:
        return _leave_for_good(request)
    activity = home_activity(request.membership, child, request.GET.get("activity", ""))
    handout = getattr(activity, "handout", None)
    if not handout or not getattr(activity, "handout_is_image", False):
        raise not_found()
    handle = open_or_404(handout)
    content_type = stored_content_type(handle)  # from the bytes, never from the name
    if content_type is None or not content_type.startswith("image/"):
        handle.close()
        raise not_found()
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@sensitive_post_parameters("password")
@never_cache
@permits(VIEW)
def leave(request: MemberRequest) -> HttpResponse:
    """Leaving child mode needs the adult: their password, a few wrong tries at most."""
    if lock.locked_to(request) is None:
        return redirect("home")
    child = _locked_child(request)
    if child is None:
        return _leave_for_good(request)
    form = ExitForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if lock.exit_is_cooling_down(request):
            form.add_error(None, _("Too many tries. Please wait five minutes, then try again."))
            status = 429
        elif valid and request.user.check_password(form.cleaned_data["password"]):
            actions.leave(request, child)
            messages.success(request, _("Child mode is off."))
            return redirect("childmode:start", child_id=child.id)
        else:
            lock.note_exit_failure(request)
            if valid:
                form.add_error("password", _("That is not the password of this account."))
    return render(request, "childmode/exit.html", {"child": child, "form": form}, status=status)


@require_GET
@permits(READ_CHOICES)
def choices(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """For the team before the next session: what the child chose in child mode."""
    membership = request.membership
    child = child_for(request, child_id, READ_CHOICES)
    log_access(request, [child])
    recent, last_session = recent_choices(membership, child)
    context = {
        "child": child,
        "tab": "childmode",
        "choices": recent,
        "last_session": last_session,
        "may_open": allows(membership, OPEN, child=child),
    }
    return render(request, "childmode/choices.html", context)
