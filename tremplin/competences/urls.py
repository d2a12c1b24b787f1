from django.urls import path

from . import views

app_name = "competences"
urlpatterns = [
    path("competences/", views.competence_map, name="map"),
    path("competences/ecarts/", views.gap_list, name="gap_list"),
    path("competences/metiers/", views.job_list, name="job_list"),
    path("competences/metiers/<int:pk>/", views.job_requirements, name="job_requirements"),
    path("agents/<int:pk>/competences/", views.agent_profile, name="agent_profile"),
    path(
        "agents/<int:pk>/competences/observation/",
        views.add_observation,
        name="add_observation",
    ),
    path(
        "agents/<int:pk>/competences/export/",
        views.agent_profile_export,
        name="agent_profile_export",
    ),
]
