from django.urls import path

from . import views, views_family

app_name = "assessments"
E = "<uuid:child_id>/assessments/<uuid:evaluation_id>"
urlpatterns = [
    path("<uuid:child_id>/assessments/", views.index, name="index"),
    path("<uuid:child_id>/assessments/new/", views.evaluation_new, name="new"),
    path(f"{E}/", views.evaluation, name="evaluation"),
    path(f"{E}/pdf/", views.evaluation_pdf, name="evaluation_pdf"),
    path(f"{E}/edit/", views.evaluation_edit, name="edit"),
    path(f"{E}/questionnaires/<slug:questionnaire>/", views.questionnaire, name="questionnaire"),
    path(f"{E}/scores/", views.scores, name="scores"),
    path(f"{E}/milestones/", views.milestones, name="milestones"),
    path("<uuid:child_id>/assessments/growth/new/", views.growth_new, name="growth_new"),
    path(f"{E}/ask-family/", views_family.ask_family, name="ask_family"),
    # The family's side: the questionnaires they were asked to fill.
    path("<uuid:child_id>/questionnaires/", views_family.family_list, name="family_list"),
    path(
        "<uuid:child_id>/questionnaires/<uuid:form_id>/",
        views_family.family_fill,
        name="family_fill",
    ),
]
