"""The assessments router on an API object of its own, signed in and erring like /api/v1/.

The project's API object (tandem/api) mounts the same router; these tests do not
depend on what else it mounts. Each operation carries its own check (``permits_api``).
"""

from django.urls import include, path
from ninja import NinjaAPI

from tandem.api import errors
from tandem.api.auth import signed_in
from tandem.assessments.api import router

api = NinjaAPI(urls_namespace="assessments_test_api", auth=signed_in())
errors.install(api)
api.add_router("/", router)

urlpatterns = [path("api/v1/", api.urls), path("", include("tandem.urls"))]
