from django.urls import path

from . import views_pathways as views

urlpatterns = [
    path("", views.pathway_list, name="pathway_list"),
    path("mon-parcours/", views.my_pathway, name="my_pathway"),
    path("valider/", views.bulk_validate, name="bulk_validate"),
    path("agent/<int:pk>/", views.pathway_detail, name="pathway_detail"),
    path("agent/<int:pk>/etape/<int:step_pk>/", views.step_action, name="step_action"),
    path("agent/<int:pk>/etape/<int:step_pk>/deplacer/", views.move_step, name="move_step"),
    path("agent/<int:pk>/ajouter/", views.add_step, name="add_step"),
    path("agent/<int:pk>/recalculer/", views.regenerate, name="regenerate"),
]
