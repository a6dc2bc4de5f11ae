"""A stand-in API object for the assessments router's tests: session sign-in, shared errors.

The real API object (tandem/api) mounts the same router at /api/v1/ with token auth.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import include, path
from ninja import NinjaAPI

from tandem.assessments.api import router
from tandem.core.access import Conflict


def signed_in_member(request):  # type: ignore[no-untyped-def]
    return getattr(request, "membership", None)


api = NinjaAPI(urls_namespace="assessments_test_api", auth=signed_in_member)
api.add_router("/", router)


@api.exception_handler(Conflict)
def conflict(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(
        request, {"detail": str(exc), "current_version": exc.current_version}, status=409
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):  # type: ignore[no-untyped-def]
    detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return api.create_response(request, {"detail": detail}, status=422)


urlpatterns = [path("api/v1/", api.urls), path("", include("tandem.urls"))]
