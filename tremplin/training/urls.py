from django.urls import include, path

from . import views_pathways

app_name = "training"
urlpatterns = [
    path("", views_pathways.home, name="home"),
    path("catalogue/", include("tremplin.training.urls_catalogue")),
    path("objectifs/", include("tremplin.training.urls_goals")),
    path("parcours/", include("tremplin.training.urls_pathways")),
    path("generation/", include("tremplin.training.urls_generation")),
]
