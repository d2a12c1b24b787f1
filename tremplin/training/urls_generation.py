"""Bulk pathway generation and pathway templates, mounted at /formation/generation/ in
the "training" namespace."""

from django.urls import path

from . import views_generation as views

urlpatterns = [
    path("", views.generation, name="generation"),
    path("taches/<int:pk>/", views.generation_job, name="generation_job"),
    path("parcours-types/", views.template_list, name="template_list"),
    path("parcours-types/nouveau/", views.template_create, name="template_create"),
    path("parcours-types/<int:pk>/", views.template_edit, name="template_edit"),
    path("parcours-types/<int:pk>/appliquer/", views.template_apply, name="template_apply"),
    path("parcours-types/<int:pk>/supprimer/", views.template_delete, name="template_delete"),
]
