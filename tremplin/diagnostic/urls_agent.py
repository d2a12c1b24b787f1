"""The agent's side of the diagnostic, mounted at /diagnostic/ (see views_agent)."""

from django.urls import path

from . import views_agent as views

urlpatterns = [
    path("code/<str:code>/", views.open_by_code, name="agent_code"),
    path("a-bientot/", views.goodbye, name="agent_goodbye"),
    path("fermer/", views.end_code_session, name="agent_end_code_session"),
    path("<int:pk>/", views.welcome, name="agent_welcome"),
    path("<int:pk>/commencer/", views.start, name="agent_start"),
    path("<int:pk>/question/", views.question, name="agent_question"),
    path("<int:pk>/reponse/<int:position>/", views.feedback, name="agent_feedback"),
    path("<int:pk>/pause/", views.pause, name="agent_pause"),
    path("<int:pk>/resultat/", views.result, name="agent_result"),
]
