from django.urls import path

from . import identity_views, import_views, views

app_name = "organisation"
urlpatterns = [
    path("organisation/", views.org_tree, name="tree"),
    path("agents/", views.agent_list, name="agent_list"),
    path("agents/moi/", views.my_page, name="my_page"),
    path("agents/<int:pk>/", views.agent_detail, name="agent_detail"),
    path("identites/", identity_views.identities, name="identities"),
    path("identites/agents/", identity_views.identity_list, name="identity_list"),
    path("identites/comptes-a-creer/", identity_views.identity_export, name="identity_export"),
    path(
        "identites/comptes-a-creer/demander/",
        identity_views.identity_mark_requested,
        name="identity_mark_requested",
    ),
    path("identites/import/", identity_views.identity_import, name="identity_import"),
    path(
        "identites/import/appliquer/",
        identity_views.identity_import_apply,
        name="identity_import_apply",
    ),
    path("imports/agents/", import_views.import_agents, name="import_agents"),
    path(
        "imports/agents/colonnes/",
        import_views.import_agents_mapping,
        name="import_agents_mapping",
    ),
    path(
        "imports/agents/verification/",
        import_views.import_agents_preview,
        name="import_agents_preview",
    ),
    path("imports/agents/annuler/", import_views.import_agents_cancel, name="import_agents_cancel"),
    path(
        "imports/agents/avancement/<int:pk>/",
        import_views.import_agents_job,
        name="import_agents_job",
    ),
]
