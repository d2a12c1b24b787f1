from django.urls import include, path

from . import views, views_agent, views_plan, views_registration

app_name = "planning"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("nouvelle/", views.session_create, name="session_create"),
    path("mes-seances/", views_agent.my_sessions, name="my_sessions"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("<int:pk>/inscrire/", views.register_agent, name="register_agent"),
    path(
        "<int:pk>/inscrire-plusieurs/",
        views_registration.register_several,
        name="register_several",
    ),
    path("<int:pk>/annuler/", views.session_cancel, name="session_cancel"),
    path("<int:pk>/confirmer/", views.session_confirm, name="session_confirm"),
    path("accords/", views_registration.approvals, name="approvals"),
    path(
        "inscriptions/<int:registration_pk>/accepter/",
        views_registration.approve,
        name="approve_registration",
    ),
    path(
        "inscriptions/<int:registration_pk>/refuser/",
        views_registration.refuse,
        name="refuse_registration",
    ),
    path(
        "mes-inscriptions/<int:registration_pk>/annuler/",
        views_registration.cancel_mine,
        name="cancel_mine",
    ),
    path("etape/<int:step_pk>/dates/", views_registration.choose_date, name="choose_date"),
    path("<int:pk>/convocations.pdf", views.convocation_letters, name="convocation_letters"),
    path(
        "<int:pk>/inscriptions/<int:registration_pk>/annuler/",
        views.cancel_registration,
        name="cancel_registration",
    ),
    # The planner: runs, review, lock, accept.
    path("planning/", views_plan.plan_list, name="plan_list"),
    path("planning/<int:pk>/", views_plan.plan_detail, name="plan_detail"),
    path("planning/<int:pk>/calendrier/", views_plan.plan_calendar, name="plan_calendar"),
    path("planning/<int:pk>/seances.<str:kind>", views_plan.plan_export, name="plan_export"),
    path("planning/<int:pk>/arreter/", views_plan.plan_stop, name="plan_stop"),
    path("planning/<int:pk>/relancer/", views_plan.plan_rerun, name="plan_rerun"),
    path("planning/<int:pk>/accepter/", views_plan.plan_accept, name="plan_accept"),
    path("planning/<int:pk>/seance/<int:index>/", views_plan.plan_session, name="plan_session"),
    path("planning/<int:pk>/fixer/<int:index>/", views_plan.plan_lock, name="plan_lock"),
    # Calendars and resource pages (trainers, rooms, continuity rules).
    path("", include("tremplin.planning.urls_resources")),
    # Attendance sheets, no-shows and attestations.
    path("", include("tremplin.planning.urls_attendance")),
]
