"""The billing pages of the fees part (included by ``urls.py``)."""

from django.urls import path

from . import views_fees, views_fees_documents

urlpatterns = [
    # The clinic's fees (billing.manage).
    path("billing/fees/", views_fees.fees, name="fees"),
    path("billing/sliding-scale/", views_fees.sliding_scale, name="sliding_scale"),
    path("billing/profile/", views_fees.profile, name="profile"),
    path("billing/charges.csv", views_fees_documents.clinic_charges_csv, name="clinic_charges_csv"),
    # A child's household and documents (billing.household, billing.view, billing.family).
    path("children/<uuid:child_id>/billing/household/", views_fees.household, name="household"),
    path(
        "children/<uuid:child_id>/billing/charges.csv",
        views_fees_documents.charges_csv,
        name="charges_csv",
    ),
    path(
        "children/<uuid:child_id>/billing/superbill/",
        views_fees_documents.superbill,
        name="superbill",
    ),
    path(
        "children/<uuid:child_id>/billing/superbill.pdf",
        views_fees_documents.superbill_pdf,
        name="superbill_pdf",
    ),
    # The family's fees page and its documents (billing.family).
    path("children/<uuid:child_id>/fees/", views_fees.family, name="family"),
    path(
        "children/<uuid:child_id>/fees/statement.pdf",
        views_fees_documents.statement_pdf,
        name="statement_pdf",
    ),
    path("children/<uuid:child_id>/fees/estimate/", views_fees_documents.estimate, name="estimate"),
    path(
        "children/<uuid:child_id>/fees/estimate.pdf",
        views_fees_documents.estimate_pdf,
        name="estimate_pdf",
    ),
]
