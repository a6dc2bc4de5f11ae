"""The billing pages: a session's codes, a child's billing, the clinic's billing pages
(each part's routes in its own module)."""

from django.urls import path

from . import urls_claims, urls_fees, urls_insurance, views

app_name = "billing"
urlpatterns = [
    path("children/<uuid:child_id>/sessions/<uuid:note_id>/codes/", views.codes, name="codes"),
    path("children/<uuid:child_id>/billing/", views.child, name="child"),
    path("children/<uuid:child_id>/billing/payments/", views.payment, name="payment"),
    path("children/<uuid:child_id>/billing/adjustments/", views.adjustment, name="adjustment"),
    path("billing/", views.home, name="home"),
    *urls_insurance.urlpatterns,
    *urls_fees.urlpatterns,
    *urls_claims.urlpatterns,
]
