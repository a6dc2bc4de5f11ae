"""The project's URL map with the progress routes first and the progress API mounted.

Used by this app's tests only while the project does not route them yet (the children
app's placeholder Progress tab is matched before ``progress:index``; the API router is
mounted by the API owner). Once it does, conftest.py stops using this module.
"""

from django.urls import include, path
from ninja import NinjaAPI

from tandem import urls as project
from tandem.progress.api import router

api = NinjaAPI(title="progress test API", urls_namespace="progress_test_api")
api.add_router("/", router, url_name_prefix="progress_test")

urlpatterns = [
    path("children/", include("tandem.progress.urls")),
    path("api/v1/", api.urls),
    *project.urlpatterns,
]
