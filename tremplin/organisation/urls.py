from django.urls import path

from . import identity_views, import_views, views

app_name = "organisation"
urlpatterns = [
    path("organisation/", views.org_tree, name="tree"),
    path("agents/", views.agent_list, name="agent_list"),
    path("agents/moi/", views.my_page, name="my_page"),
    path("agents/<int:pk>/", views.agent_detail, name="agent_detail"),
    path("identites/", identity_views.identities, name="identities"),
    path("imports/agents/", import_views.import_agents, name="import_agents"),
]
