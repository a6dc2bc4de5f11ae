"""The collaborators router on an API object of its own, signed in and erring like /api/v1/."""

from django.urls import include, path
from ninja import NinjaAPI

from tandem.api import errors
from tandem.api.auth import signed_in
from tandem.collaborators.api import router

api = NinjaAPI(urls_namespace="collaborators_test_api", auth=signed_in())
errors.install(api)
api.add_router("/", router)

urlpatterns = [path("api/v1/", api.urls), path("", include("tandem.urls"))]
