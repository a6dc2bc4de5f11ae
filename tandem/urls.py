"""Tandem's URL map: each app owns its routes; the API lives under /api/v1/."""

from django.conf import settings
from django.urls import include, path

from tandem.api_v1 import api
from tandem.collaborators import views as collaborator_views
from tandem.core import views as core_views

urlpatterns = [
    path("", collaborator_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("tandem.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("children/", include("tandem.children.urls")),
    path("children/", include("tandem.assessments.urls")),
    path("children/", include("tandem.plans.urls")),
    path("children/", include("tandem.schoolplans.urls")),
    path("children/", include("tandem.notes.urls")),
    path("children/", include("tandem.progress.urls")),
    path("children/", include("tandem.homeprogram.urls")),
    path("children/", include("tandem.messaging.urls")),
    path("children/", include("tandem.childmode.urls")),
    path("children/", include("tandem.ratings.urls")),
    path("children/", include("tandem.timeline.urls")),
    path("children/", include("tandem.records.urls")),
    path("appointments/", include("tandem.appointments.urls")),
    path("today/", include("tandem.today.urls")),
    path("intake/", include("tandem.intake.urls")),
    path("imports/", include("tandem.imports.urls")),
    path("", include("tandem.groups.urls")),
    path("", include("tandem.billing.urls")),
    path("notifications/", include("tandem.notifications.urls")),
    path("consent/", include("tandem.consent.urls")),
    path("consent/", include("tandem.collaborators.urls")),
    path("resources/", include("tandem.resources.urls")),
    path("audit/", include("tandem.audit.urls")),
    path("emergency/", include("tandem.breakglass.urls")),
    path("api/v1/", api.urls),
    path("fhir/R4/", include("tandem.fhir.urls")),
    path("clinic/bulk-exports/", include("tandem.bulkdata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tandem.offline.urls")),  # /sw.js, /manifest.webmanifest, /offline/
]

if settings.TANDEM_BENCH:  # `make bench` only: the floor endpoint (tandem/bench/views.py)
    from tandem.bench import views as bench_views

    urlpatterns.append(path("bench/floor", bench_views.floor, name="bench_floor"))

handler404 = "tandem.core.views.not_found"
handler403 = "tandem.core.views.forbidden"
