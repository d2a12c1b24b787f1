"""Pix pages for HR, mounted at /diagnostic/pix/ in the "diagnostic" namespace (names
start with pix_)."""

from django.urls import path

from . import views_pix

urlpatterns = [
    path("", views_pix.pix_list, name="pix_list"),
    path("nouvelle/", views_pix.pix_create, name="pix_create"),
    path("importer/", views_pix.pix_import_upload, name="pix_import"),
    path("importer/verification/", views_pix.pix_import_preview, name="pix_import_preview"),
    path("importer/annuler/", views_pix.pix_import_cancel, name="pix_import_cancel"),
    path("importer/<int:pk>/", views_pix.pix_import_job, name="pix_import_job"),
    path("<int:pk>/", views_pix.pix_detail, name="pix_detail"),
    path("<int:pk>/modifier/", views_pix.pix_edit, name="pix_edit"),
    path("<int:pk>/agents/", views_pix.pix_agents, name="pix_agents"),
    path("<int:pk>/relancer/", views_pix.pix_remind, name="pix_remind"),
    path("<int:pk>/courriers/", views_pix.pix_letters, name="pix_letters"),
    path("<int:pk>/a-verifier/", views_pix.pix_review, name="pix_review"),
]
