from django.urls import path

from . import views_coaching as views

app_name = "coaching"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("nouveau/", views.entry_create, name="create"),
    path("activite/", views.activity, name="activity"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/modifier/", views.entry_edit, name="edit"),
    path("<int:pk>/supprimer/", views.entry_delete, name="delete"),
]
