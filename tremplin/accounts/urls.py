from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("kiosque/ouvrir/", views.kiosk_open, name="kiosk_open"),
    path("kiosque/ouvrir/<int:pk>/", views.kiosk_opened, name="kiosk_opened"),
    path("kiosque/", views.kiosk_enter, name="kiosk_enter"),
    path("kiosque/q/<str:token>/", views.kiosk_token, name="kiosk_token"),
    path("kiosque/fin/", views.kiosk_end, name="kiosk_end"),
    path("code-personnel/<int:agent_pk>/", views.login_code_letter, name="login_code_letter"),
]
