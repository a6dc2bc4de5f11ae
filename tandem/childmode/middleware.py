"""Keep a device in child mode on child mode's own pages until the adult leaves it.

Runs after the accounts middlewares, so ``request.membership`` is known and an ended
staff session has already been signed out (which ends child mode with it).
"""

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import lock

# Open while locked: child mode's own pages (under this route's path) and static files.
OPEN_PREFIXES = ("/static/", "/healthz")
API_PREFIX = "/api/"


class ChildModeMiddleware:
    """While the session is locked to a child, every other page leads back to child mode."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        locked = lock.locked_to(request) if request.user.is_authenticated else None
        if locked is None:
            return self.get_response(request)
        membership = getattr(request, "membership", None)
        if membership is None or membership.id != locked[1]:
            # The adult who opened child mode is no longer the one signed in (their
            # membership ended): end the whole session rather than guess.
            logout(request)
            return redirect("account_login")
        home = reverse("childmode:home")
        if request.path.startswith((home, *OPEN_PREFIXES)):
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            detail = "Child mode is on. A grown-up must leave child mode first."
            return JsonResponse({"detail": detail}, status=403)
        return redirect(home)
