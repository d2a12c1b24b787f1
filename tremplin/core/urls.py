from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("journal/", views.audit_list, name="audit"),
    path("taches/<int:pk>/", views.job_status, name="job_status"),
]
