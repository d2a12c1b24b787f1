from django.urls import path

from . import views_reports

urlpatterns = [
    path("rapports/", views_reports.reports_home, name="reports"),
    path(
        "rapports/plan-de-formation.xlsx",
        views_reports.training_plan_xlsx,
        name="training_plan_xlsx",
    ),
    path(
        "rapports/plan-de-formation.pdf", views_reports.training_plan_pdf, name="training_plan_pdf"
    ),
    path("rapports/rsu/", views_reports.rsu, name="rsu"),
    path("rapports/rsu.csv", views_reports.rsu_csv, name="rsu_csv"),
    path("rapports/rsu.xlsx", views_reports.rsu_xlsx, name="rsu_xlsx"),
    path(
        "livret/agents/<int:agent_pk>.pdf",
        views_reports.training_record,
        name="training_record",
    ),
    path("livret/mon-livret.pdf", views_reports.my_training_record, name="my_training_record"),
]
