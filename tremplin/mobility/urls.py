from django.urls import path

from . import views

app_name = "mobility"
urlpatterns = [
    path("", views.home, name="home"),
    path("postes/", views.position_list, name="positions"),
    path("postes/export/", views.position_export, name="position_export"),
    path("postes/nouveau/", views.position_create, name="position_create"),
    path("postes/<int:pk>/modifier/", views.position_edit, name="position_edit"),
    path("postes/<int:pk>/candidats/", views.candidates, name="candidates"),
    path(
        "postes/<int:pk>/candidats/<int:agent_pk>/parcours/",
        views.pathway,
        name="pathway",
    ),
    path(
        "postes/<int:pk>/candidats/<int:agent_pk>/construire/",
        views.build_pathway,
        name="build_pathway",
    ),
    path("agents/<int:pk>/postes/", views.agent_positions, name="agent_positions"),
    path("agents/<int:pk>/souhaits/", views.wish_add, name="wish_add"),
    path("metiers-accessibles/", views.my_jobs, name="my_jobs"),
    path("dossiers/", views.file_list, name="files"),
    path("dossiers/nouveau/", views.file_form, name="file_create"),
    path("dossiers/<int:pk>/", views.file_detail, name="file_detail"),
    path("dossiers/<int:pk>/modifier/", views.file_form, name="file_edit"),
    path("dossiers/<int:pk>/heures/", views.use_hours, name="use_hours"),
    path("dossiers/<int:pk>/mises-en-situation/", views.placement_add, name="placement_add"),
    path("mobilites/", views.move_list, name="moves"),
    path("mobilites/export/", views.move_export, name="move_export"),
    path("mobilites/nouvelle/", views.move_create, name="move_create"),
]
