"""The plans routers on an API object of its own, signed in and erring like /api/v1/.

The project's API object (tandem/api) mounts the same routers; these tests need not
wait for it and do not depend on what else it mounts.
"""

from django.urls import include, path
from ninja import NinjaAPI

from tandem.api import errors
from tandem.api.auth import signed_in
from tandem.plans import api_goal_bank, api_goals
from tandem.plans.api import router

api = NinjaAPI(urls_namespace="plans_test_api", auth=signed_in())
errors.install(api)
api.add_router("/", router)
api.add_router("/", api_goals.router)
api.add_router("/", api_goal_bank.router)

urlpatterns = [path("api/v1/", api.urls), path("", include("tandem.urls"))]
