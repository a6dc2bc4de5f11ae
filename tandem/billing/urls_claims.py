"""The billing pages of the claims part (included by ``urls.py``): claim files (837P) and
the payers' remittances (835)."""

from django.urls import URLPattern, path

from . import views_claims

urlpatterns: list[URLPattern] = [
    path("billing/claims/", views_claims.claims, name="claims"),
    path("billing/claims/<uuid:batch_id>/", views_claims.batch, name="batch"),
    path("billing/claims/<uuid:batch_id>/837p.txt", views_claims.batch_file, name="batch_file"),
    path("billing/remittances/", views_claims.remittances, name="remittances"),
    path(
        "billing/remittances/<uuid:remittance_id>/",
        views_claims.remittance,
        name="remittance",
    ),
]
