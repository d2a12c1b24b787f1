from django.urls import path

from . import (
    views,
    views_agent,
    views_allocation,
    views_footprint,
    views_import,
    views_needs,
    views_repairs,
)

app_name = "equipment"
urlpatterns = [
    path("", views.home, name="home"),
    path("stock/", views.stock, name="stock"),
    path("ajouter/", views.device_create, name="device_create"),
    path("appareils/<int:pk>/", views.device_detail, name="device_detail"),
    path("appareils/<int:pk>/modifier/", views.device_edit, name="device_edit"),
    path("appareils/<int:pk>/remettre/", views_allocation.allocate, name="allocate"),
    path("appareils/<int:pk>/reparer/", views_repairs.repair_create, name="repair_create"),
    path("appareils/<int:pk>/reformer/", views_repairs.retire, name="retire"),
    path("appareils/<int:pk>/prolonger/", views_repairs.extend, name="extend"),
    path("attributions/export/", views.allocation_export, name="allocation_export"),
    path("attributions/<int:pk>/reprendre/", views_allocation.return_device, name="return_device"),
    path(
        "attributions/<int:pk>/recu-remise.pdf",
        views_allocation.handover_receipt,
        name="handover_receipt",
    ),
    path(
        "attributions/<int:pk>/recu-retour.pdf",
        views_allocation.return_receipt,
        name="return_receipt",
    ),
    path(
        "attributions/<int:pk>/signer-remise/",
        views_allocation.sign_handover,
        name="sign_handover",
    ),
    path("attributions/<int:pk>/signer-retour/", views_allocation.sign_return, name="sign_return"),
    path("demandes/", views_needs.needs, name="needs"),
    path("demandes/nouvelle/", views_needs.need_create, name="need_create"),
    path("demandes/<int:pk>/equiper/", views_allocation.need_allocate, name="need_allocate"),
    path("demandes/<int:pk>/annuler/", views_needs.need_cancel, name="need_cancel"),
    path("reparations/", views_repairs.repairs, name="repairs"),
    path("reparations/<int:pk>/retour/", views_repairs.repair_close, name="repair_close"),
    path("a-renouveler/", views_repairs.renewal, name="renewal"),
    path("empreinte/", views_footprint.footprint, name="footprint"),
    path(
        "empreinte/references/<int:pk>/",
        views_footprint.reference_edit,
        name="reference_edit",
    ),
    path("mon-materiel/", views_agent.mine, name="mine"),
    path("mon-equipe/", views_agent.team, name="team"),
    path("agents/<int:pk>/", views_agent.agent_devices, name="agent_devices"),
    path("import/", views_import.inventory_import_view, name="import"),
    path("import/appliquer/", views_import.inventory_import_apply, name="import_apply"),
]
