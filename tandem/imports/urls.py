from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("template.csv", views.template, name="template"),
    path("caseload.csv", views.caseload_csv, name="caseload_csv"),
    path("fhir/Bundle", views.fhir_bundle, name="fhir_bundle"),
    path("<uuid:import_run_id>/", views.run, name="run"),
]
