"""The dashboard's pages and the reports' downloads live in two url modules so that
each part reads on its own."""

from .urls_dashboard import urlpatterns as dashboard_urls
from .urls_reports import urlpatterns as report_urls

app_name = "steering"
urlpatterns = dashboard_urls + report_urls
