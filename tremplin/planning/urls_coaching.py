from django.urls import path

from . import views_coaching as views

app_name = "coaching"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("nouveau/", views.entry_create, name="create"),
    path("activite/", views.activity, name="activity"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<int:pk>/", views.theme_edit, name="theme_edit"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/modifier/", views.entry_edit, name="edit"),
    path("<int:pk>/supprimer/", views.entry_delete, name="delete"),
]
