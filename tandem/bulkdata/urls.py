"""The bulk export routes: the FHIR ones (``FHIR_PATTERNS``, registered with
``tandem.fhir.extensions`` from ``ready()`` and served before the FHIR read routes, so
``Patient/$export`` is not a Patient's id) and the clinic's page listing its exports."""

from django.urls import path

from . import admin_views, views
from .models import BulkExport

app_name = "bulkdata"

FHIR_PATTERNS = [
    path("$export", views.kickoff_view(BulkExport.Level.SYSTEM), name="export"),
    path("Patient/$export", views.kickoff_view(BulkExport.Level.PATIENT), name="patient-export"),
    path(
        "Group/<str:bulk_group_id>/$export",
        views.kickoff_view(BulkExport.Level.GROUP),
        name="group-export",
    ),
    path("$export-status/<str:bulk_status_id>", views.status_view(), name="export-status"),
    path(
        "$export-file/<str:bulk_status_id>/<str:bulk_file>",
        views.download_view(),
        name="export-file",
    ),
]

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<uuid:bulk_job_id>/cancel", admin_views.cancel, name="cancel"),
]
