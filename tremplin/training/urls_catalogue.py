"""The catalogue, mounted at /formation/catalogue/ in the "training" namespace (shared
with goals and pathways: names here start with catalogue_)."""

from django.urls import path

from . import views_catalogue as views

urlpatterns = [
    path("", views.catalogue_list, name="catalogue_list"),
    path("nouveau/", views.catalogue_create, name="catalogue_create"),
    path("<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path("<int:pk>/modifier/", views.catalogue_edit, name="catalogue_edit"),
    path("<int:pk>/retirer/", views.catalogue_retire, name="catalogue_retire"),
    path("<int:pk>/remettre/", views.catalogue_restore, name="catalogue_restore"),
    path("<int:pk>/supprimer/", views.catalogue_delete, name="catalogue_delete"),
]
