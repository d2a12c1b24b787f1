from django.urls import path

from . import views_attendance

# Included at the root of the "planning" namespace (/seances/).
urlpatterns = [
    path("<int:pk>/emargement/", views_attendance.attendance_sheet, name="attendance_sheet"),
    path(
        "<int:pk>/emargement/sans-inscription/",
        views_attendance.attendance_walk_in,
        name="attendance_walk_in",
    ),
    path(
        "<int:pk>/emargement.pdf",
        views_attendance.attendance_sheet_pdf,
        name="attendance_sheet_pdf",
    ),
    path("absences/", views_attendance.no_shows, name="no_shows"),
    path(
        "inscriptions/<int:registration_pk>/attestation.pdf",
        views_attendance.attestation_pdf,
        name="attestation",
    ),
]
