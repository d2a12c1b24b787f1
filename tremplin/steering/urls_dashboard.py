from django.urls import path

from . import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path(
        "tableaux/<slug:table>.<str:file_format>",
        views_dashboard.export,
        name="export",
    ),
]
