"""People pages: the admin's directory and invitations, accepting one, preferences.

Gated by role (``gate.member_required``: this app sits below the access kernel, and no
page here is about a child): the directory, invitations and changing a member are for
clinic admins; one's own preferences, language and clinic switch, for every member.
"""

import uuid

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from tandem.core.access import not_found
from tandem.core.redirects import local_next

from . import access, actions
from .forms import InviteForm, MembershipForm, PreferencesForm, SetPasswordForm
from .gate import member_required
from .middleware import SESSION_MEMBERSHIP
from .models import Invitation, Role
from .request import MemberRequest
from .request import member as acting

PEOPLE_PAGE_SIZE = 50


@require_GET
@member_required(Role.ADMIN)
def people(request: HttpRequest) -> HttpResponse:
    """The organization's members and open invitations."""
    membership = acting(request)
    role = request.GET.get("role", "")
    members = access.members_visible_to(membership).order_by(
        "role", "user__last_name", "user__email"
    )
    if role in Role.values:
        members = members.filter(role=role)
    page = Paginator(members, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # Until someone accepts, they show as "Invited", by the name the clinic typed.
    invited = {
        invitation.membership_id
        for invitation in access.open_invitations_of(membership, [m.id for m in page.object_list])
    }
    invitations = (
        access.invitations_visible_to(membership)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("membership__user")[:50]
    )
    context = {
        "page": page,
        "invited": invited,
        "invitations": invitations,
        "role": role,
        "roles": Role.choices,
    }
    return render(request, "accounts/people.html", context)


@member_required(Role.ADMIN)
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a person by email with a role."""
    membership = acting(request)
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
    membership = acting(request)
    member = access.get_member(membership, membership_id)
    form = MembershipForm(
        request.POST or None, instance=member, therapists=access.therapists_of(membership)
    )
    invitation = access.open_invitations_of(membership, [member.id]).first()
    if member.is_waiting:
        # The membership starts when the person accepts, not when an admin ticks a box
        # (a disabled field keeps its stored value whatever is posted).
        form.fields["is_active"].disabled = True
        form.fields["is_active"].help_text = _("Starts when the invitation is accepted.")
    if request.method == "POST" and form.is_valid():
        if member.pk == membership.pk and (
            form.cleaned_data["role"] != Role.ADMIN or not form.cleaned_data["is_active"]
        ):
            messages.error(request, _("You cannot remove your own admin role."))
        else:
            form.save()
            messages.success(request, _("Saved."))
            return redirect("accounts:people")
    context = {"member": member, "form": form, "invitation": invitation}
    return render(request, "accounts/person.html", context)


@require_POST
@member_required(Role.ADMIN)
def revoke_invitation(request: MemberRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = access.get_invitation(request.membership, invitation_id)
    actions.revoke_invitation(invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:people")


@sensitive_post_parameters("password1", "password2")
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link: someone new chooses a password and is signed in through
    allauth's stages; someone with an account signs in as usual, then joins."""
    invitation = access.invitation_by_token(token)
    if invitation is None or not invitation.is_usable():
        raise not_found()
    user = invitation.membership.user
    if actions.has_account(user):
        return _join(request, invitation)
    if request.user.is_authenticated:
        raise not_found()  # the link is for someone who has not signed in yet
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.accept_invitation(invitation, password=form.cleaned_data["password1"])
        except actions.InvitationUsed as exc:
            raise not_found() from exc
        # The password just typed counts as this session's sign-in and as a fresh
        # confirmation (no "confirm your password" when setting up the authenticator);
        # allauth's stages run as for any sign-in.
        record_authentication(
            request, user, method="password", email=user.email, reauthenticated=True
        )
        return perform_login(request, Login(user=user, email=user.email))
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form}
    )


def _join(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Someone who already has an account: sign in first (second factor included)."""
    if not request.user.is_authenticated:
        context = {"invitation": invitation, "next": request.get_full_path()}
        return render(request, "accounts/join_invitation.html", context)
    if request.user.pk != invitation.membership.user_id:
        raise not_found()  # not the invited person: the invitation says nothing
    if request.method == "POST":
        try:
            joined = actions.join_by_invitation(invitation, request.user)
        except actions.InvitationUsed as exc:
            raise not_found() from exc
        # From now on they act in the clinic they just joined (Settings switches back).
        request.session[SESSION_MEMBERSHIP] = str(joined.pk)
        messages.success(
            request,
            _("You joined %(org)s.") % {"org": invitation.organization.name},
        )
        return redirect("home")
    return render(
        request, "accounts/join_invitation.html", {"invitation": invitation, "signed_in": True}
    )


@member_required()
def preferences(request: MemberRequest) -> HttpResponse:
    """The person's name and language (guardians choose English or Spanish here)."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)  # confirm in the language just chosen
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:preferences")
    context = {"form": form, "clinics": list(access.own_memberships(request.user))}
    return render(request, "accounts/preferences.html", context)


@require_POST
@member_required()
def switch_clinic(request: MemberRequest) -> HttpResponse:
    """Act as another of one's own active memberships (someone in two clinics). Only the
    person's own memberships are accepted; the second factor is per person, so a staff
    membership still asks for it."""
    chosen = access.own_membership(request.user, request.POST.get("membership", ""))
    if chosen is None:  # not one of theirs (or gone meanwhile): nothing changes
        return redirect("accounts:preferences")
    request.session[SESSION_MEMBERSHIP] = str(chosen.pk)
    messages.success(
        request, _("You are now working in %(org)s.") % {"org": chosen.organization.name}
    )
    return redirect("home")


@require_POST
@member_required()
def switch_language(request: MemberRequest) -> HttpResponse:
    """Switch the interface language in one tap and come back to the same page."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return redirect(local_next(request, "/"))
