"""Coverage goals and fragility segments, mounted at /formation/objectifs/ in the
"training" namespace."""

from django.urls import path

from . import views_goals

urlpatterns = [
    path("", views_goals.goal_list, name="goal_list"),
    path("nouveau/", views_goals.goal_create, name="goal_create"),
    path("<int:pk>/", views_goals.goal_detail, name="goal_detail"),
    path("<int:pk>/modifier/", views_goals.goal_edit, name="goal_edit"),
    path("groupes/", views_goals.segment_list, name="segment_list"),
    path("groupes/nouveau/", views_goals.segment_create, name="segment_create"),
    path("groupes/<int:pk>/", views_goals.segment_detail, name="segment_detail"),
    path("groupes/<int:pk>/modifier/", views_goals.segment_edit, name="segment_edit"),
]
