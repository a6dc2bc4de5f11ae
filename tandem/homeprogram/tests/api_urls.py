"""The home program routers on an API object of its own, signed in and erring like /api/v1/."""

from django.urls import include, path
from ninja import NinjaAPI

from tandem.api import errors
from tandem.api.auth import signed_in
from tandem.homeprogram import api_observations, api_practice
from tandem.homeprogram.api import router

api = NinjaAPI(urls_namespace="homeprogram_test_api", auth=signed_in())
errors.install(api)
api.add_router("/", router)
api.add_router("/", api_practice.router)
api.add_router("/", api_observations.router)

urlpatterns = [path("api/v1/", api.urls), path("", include("tandem.urls"))]
