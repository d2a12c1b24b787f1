from django.urls import include, path

app_name = "diagnostic"
urlpatterns = [
    path("", include("tremplin.diagnostic.urls_agent")),
    path("campagnes/", include("tremplin.diagnostic.urls_hr")),
    path("pix/", include("tremplin.diagnostic.urls_pix")),
]
