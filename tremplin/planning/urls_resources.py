"""Calendars and resource pages, included at the root of the "planning" namespace."""

from django.urls import path

from . import views_calendar, views_resources

urlpatterns = [
    path("calendrier/", views_calendar.overall_calendar, name="calendar"),
    path("calendrier/mon-planning/", views_calendar.my_calendar, name="my_calendar"),
    path(
        "calendrier/formateur/<int:pk>/",
        views_calendar.trainer_calendar,
        name="trainer_calendar",
    ),
    path("calendrier/salle/<int:pk>/", views_calendar.room_calendar, name="room_calendar"),
    path("calendrier/site/<int:pk>/", views_calendar.site_calendar, name="site_calendar"),
    path("formateurs/", views_resources.trainer_list, name="trainer_list"),
    path("formateurs/nouveau/", views_resources.trainer_create, name="trainer_create"),
    path("formateurs/<int:pk>/", views_resources.trainer_detail, name="trainer_detail"),
    path("formateurs/<int:pk>/modifier/", views_resources.trainer_edit, name="trainer_edit"),
    path(
        "formateurs/<int:pk>/absences/ajouter/",
        views_resources.absence_add,
        name="trainer_absence_add",
    ),
    path(
        "formateurs/<int:pk>/absences/<int:absence_pk>/supprimer/",
        views_resources.absence_delete,
        name="trainer_absence_delete",
    ),
    path("salles/", views_resources.room_list, name="room_list"),
    path("salles/nouvelle/", views_resources.room_create, name="room_create"),
    path("salles/<int:pk>/modifier/", views_resources.room_edit, name="room_edit"),
    path("continuite/", views_resources.rule_list, name="rule_list"),
    path("continuite/nouvelle/", views_resources.rule_create, name="rule_create"),
    path("continuite/<int:pk>/modifier/", views_resources.rule_edit, name="rule_edit"),
    path("continuite/<int:pk>/supprimer/", views_resources.rule_delete, name="rule_delete"),
    path("fermetures/", views_resources.closed_period_list, name="closed_period_list"),
    path(
        "fermetures/<int:pk>/supprimer/",
        views_resources.closed_period_delete,
        name="closed_period_delete",
    ),
]
