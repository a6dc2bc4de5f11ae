"""The billing pages of the insurance part (included by ``urls.py``)."""

from django.urls import path

from . import views_insurance as views

urlpatterns = [
    path("billing/payers/", views.payers, name="payers"),
    path("billing/payers/<uuid:payer_id>/", views.payer, name="payer"),
    path("children/<uuid:child_id>/billing/policies/new/", views.policy_new, name="policy_new"),
    path(
        "children/<uuid:child_id>/billing/policies/<uuid:policy_id>/",
        views.policy,
        name="policy",
    ),
    path(
        "children/<uuid:child_id>/billing/authorizations/new/",
        views.authorization_new,
        name="authorization_new",
    ),
    path(
        "children/<uuid:child_id>/billing/authorizations/<uuid:authorization_id>/",
        views.authorization,
        name="authorization",
    ),
    path("children/<uuid:child_id>/authorizations/", views.authorizations, name="authorizations"),
]
