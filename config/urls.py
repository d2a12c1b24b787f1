from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Tremplin — administration"
admin.site.site_title = "Tremplin"

urlpatterns = [
    path("", include("tremplin.core.urls")),
    path("compte/", include("tremplin.accounts.urls")),
    path("", include("tremplin.organisation.urls")),
    path("", include("tremplin.competences.urls")),
    path("diagnostic/", include("tremplin.diagnostic.urls")),
    path("formation/", include("tremplin.training.urls")),
    path("seances/", include("tremplin.planning.urls")),
    path("accompagnements/", include("tremplin.planning.urls_coaching")),
    path("equipement/", include("tremplin.equipment.urls")),
    path("mobilite/", include("tremplin.mobility.urls")),
    path("pilotage/", include("tremplin.steering.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
