"""HR side of the diagnostic, mounted at /diagnostic/campagnes/ in the "diagnostic"
namespace (shared with the agent side: names here start with campaign_ or bank_)."""

from django.urls import path

from . import views_hr

urlpatterns = [
    path("", views_hr.campaign_list, name="campaign_list"),
    path("nouvelle/", views_hr.campaign_create, name="campaign_create"),
    path("banque/", views_hr.bank_stats, name="bank_stats"),
    path("<int:pk>/", views_hr.campaign_detail, name="campaign_detail"),
    path("<int:pk>/modifier/", views_hr.campaign_edit, name="campaign_edit"),
    path("<int:pk>/etat/", views_hr.campaign_status, name="campaign_status"),
    path("<int:pk>/inviter/", views_hr.campaign_invite, name="campaign_invite"),
    path("<int:pk>/relancer/", views_hr.campaign_remind, name="campaign_remind"),
    path("<int:pk>/courriers/", views_hr.campaign_letters, name="campaign_letters"),
    path("<int:pk>/participants/", views_hr.campaign_participants, name="campaign_participants"),
]
