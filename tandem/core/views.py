"""Landing, health check and error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tandem.accounts.models import Role
from tandem.consent.access import shared_with
from tandem.core.access import member_required, membership_of


@member_required()
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own home."""
    membership = membership_of(request)
    assert membership is not None  # member_required
    role = membership.role
    if role in (Role.ADMIN, Role.THERAPIST, Role.FRONT_DESK, Role.BILLING):
        return redirect("children:caseload")
    if role == Role.GUARDIAN:
        return redirect("children:family_home")
    # Collaborators: the children a family shares with them, while the consent lasts.
    context = {"shared": shared_with(membership)}
    return render(request, "core/collaborator_home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer load balancers: the app runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exception) or "Forbidden."}, status=403)
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)
