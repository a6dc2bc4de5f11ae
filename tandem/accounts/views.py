"""People pages: the admin's directory and invitations, accepting one, preferences."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from tandem.core.access import member_required, not_found
from tandem.core.redirects import local_next

from . import access, actions
from .forms import InviteForm, MembershipForm, PreferencesForm, SetPasswordForm
from .models import Invitation, Role, hash_secret

PEOPLE_PAGE_SIZE = 50


@require_GET
@member_required(Role.ADMIN)
def people(request: HttpRequest) -> HttpResponse:
    """The organization's members and open invitations."""
    membership = request.membership  # type: ignore[attr-defined]
    role = request.GET.get("role", "")
    members = access.members_visible_to(membership).order_by(
        "role", "user__last_name", "user__email"
    )
    if role in Role.values:
        members = members.filter(role=role)
    page = Paginator(members, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    invitations = (
        access.invitations_visible_to(membership)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("membership__user")[:50]
    )
    context = {"page": page, "invitations": invitations, "role": role, "roles": Role.choices}
    return render(request, "accounts/people.html", context)


@member_required(Role.ADMIN)
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a person by email with a role."""
    membership = request.membership  # type: ignore[attr-defined]
    form = InviteForm(
        request.POST or None,
        therapists=access.therapists_of(membership),
        existing=access.members_visible_to(membership),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.invite_person(
            by=membership,
            email=data["email"],
            role=data["role"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            discipline=data["discipline"],
            licence=data["licence"],
            supervisor=data["supervisor"],
            title=data["title"],
        )
        messages.success(
            request, _("An invitation was sent to %(email)s.") % {"email": data["email"]}
        )
        return redirect("accounts:people")
    return render(request, "accounts/invite.html", {"form": form})


@member_required(Role.ADMIN)
def person(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    """One member: role, discipline, licence, supervisor, active or not."""
    membership = request.membership  # type: ignore[attr-defined]
    member = access.get_member(membership, membership_id)
    form = MembershipForm(
        request.POST or None, instance=member, therapists=access.therapists_of(membership)
    )
    if request.method == "POST" and form.is_valid():
        if member.pk == membership.pk and (
            form.cleaned_data["role"] != Role.ADMIN or not form.cleaned_data["is_active"]
        ):
            messages.error(request, _("You cannot remove your own admin role."))
        else:
            form.save()
            messages.success(request, _("Saved."))
            return redirect("accounts:people")
    return render(request, "accounts/person.html", {"member": member, "form": form})


@require_POST
@member_required(Role.ADMIN)
def revoke_invitation(request: HttpRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = access.get_invitation(request.membership, invitation_id)  # type: ignore[attr-defined]
    actions.revoke_invitation(invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:people")


@sensitive_post_parameters("password1", "password2")
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link, choose a password, and be signed in."""
    invitation = (
        Invitation.objects.select_related("organization", "membership__user")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if invitation is None or not invitation.is_usable():
        raise not_found()
    user = invitation.membership.user
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        user = actions.accept_invitation(invitation, password=form.cleaned_data["password1"])
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Welcome to Tandem."))
        return redirect("home")
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form}
    )


@member_required()
def preferences(request: HttpRequest) -> HttpResponse:
    """The person's name and language (guardians choose English or Spanish here)."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)  # confirm in the language just chosen
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
@member_required()
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language in one tap and come back to the same page."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return redirect(local_next(request, "/"))
