"""Equipment pages per role, the allocate / return flows with their receipts, lists'
query counts, exports."""

import csv
import datetime as dt
import html
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.equipment.factories import DeviceFactory, KioskTabletFactory
from tests.factories import AgentFactory
from tremplin.accounts.enums import Role
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.equipment.charter import CHARTER_PARAGRAPHS
from tremplin.equipment.enums import DeviceState, NeedStatus, RepairOutcome
from tremplin.equipment.models import Allocation, Device, DeviceNeed, FootprintReference
from tremplin.equipment.views_allocation import receipt_context

TODAY = timezone.localdate()
ALL = set(Role)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def equipped(world):
    """A phone held by an agent of Service A2 (HR's scope), one held by the manager's
    report, one held in Direction B (outside HR's scope), one in stock, one retired."""
    hr = world.users[Role.HR]
    world.inside = world.agents[("Service A2", "metropole")]
    world.report = world.agents[("Équipe A1a", "metropole")]
    world.outside = world.agents[("Direction B", "ville")]
    world.held = DeviceFactory(model_name="Phone Inside")
    world.held_allocation = world.held.allocate(
        agent=world.inside, on=TODAY - dt.timedelta(days=10), by=hr, charter_accepted=True
    )
    world.team_device = DeviceFactory(model_name="Phone Team")
    world.team_device.allocate(agent=world.report, on=TODAY, by=hr, charter_accepted=True)
    world.outside_device = DeviceFactory(model_name="Phone Outside")
    world.outside_device.allocate(agent=world.outside, on=TODAY, by=hr, charter_accepted=True)
    world.stock = DeviceFactory(model_name="Phone Stock")
    world.retired = DeviceFactory(model_name="Phone Retired")
    world.retired.retire(on=TODAY, by=hr)
    return world


# --- Access per role -----------------------------------------------------------------------


HR_PAGES = [
    "equipment:stock",
    "equipment:needs",
    "equipment:repairs",
    "equipment:renewal",
    "equipment:import",
    "equipment:device_create",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", HR_PAGES)
def test_hr_pages_per_role(world, client, url_name):
    for role, user in world.users.items():
        client.force_login(user)
        response = client.get(reverse(url_name))
        expected = 200 if role in (Role.HR, Role.ADMIN) else 403
        assert response.status_code == expected, (role, url_name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name, allowed",
    [
        ("equipment:footprint", {Role.HR, Role.ADMIN, Role.DIRECTION}),
        ("equipment:team", {Role.MANAGER}),
        ("equipment:need_create", {Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER}),
        ("equipment:mine", ALL),
    ],
)
def test_other_pages_per_role(world, client, url_name, allowed):
    for role, user in world.users.items():
        client.force_login(user)
        response = client.get(reverse(url_name))
        assert response.status_code == (200 if role in allowed else 403), role


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("equipment:stock"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_home_sends_each_role_to_its_page(world, client):
    expected = {
        Role.HR: "equipment:stock",
        Role.MANAGER: "equipment:team",
        Role.DIRECTION: "equipment:footprint",
        Role.ADVISOR: "equipment:need_create",
        Role.AGENT: "equipment:mine",
    }
    for role, url_name in expected.items():
        client.force_login(world.users[role])
        response = client.get(reverse("equipment:home"))
        assert response["Location"] == reverse(url_name), role
    client.force_login(world.users[Role.MOBILITY])
    assert client.get(reverse("equipment:home")).status_code == 403


@pytest.mark.django_db
def test_menu_shows_materiel(world, client):
    client.force_login(world.users[Role.HR])
    assert 'href="/equipement/"' in client.get(reverse("core:home")).content.decode()


# --- Stock ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stock_is_scoped_for_hr(equipped, client):
    client.force_login(equipped.users[Role.HR])
    page = text(client.get(reverse("equipment:stock")))
    assert "Phone Inside" in page and "Phone Stock" in page and "Phone Team" in page
    assert "Phone Outside" not in page
    client.force_login(equipped.users[Role.ADMIN])
    assert "Phone Outside" in text(client.get(reverse("equipment:stock")))


@pytest.mark.django_db
def test_stock_filters(equipped, client):
    client.force_login(equipped.users[Role.HR])
    page = text(client.get(reverse("equipment:stock"), {"state": DeviceState.RETIRED}))
    assert "Phone Retired" in page and "Phone Stock" not in page
    page = text(client.get(reverse("equipment:stock"), {"q": equipped.inside.last_name}))
    assert "Phone Inside" in page and "Phone Stock" not in page
    page = text(client.get(reverse("equipment:stock"), {"kind": "tablet"}))
    assert "Aucun appareil ne correspond." in page


@pytest.mark.django_db
def test_stock_list_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    hr = world.users[Role.HR]
    client.force_login(hr)
    for i in range(40):
        agent = AgentFactory(employer=world.city, unit=world.serv_a2, site=world.site)
        device = DeviceFactory(site=world.site)
        if i % 2:
            device.allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("equipment:stock"))
    assert response.status_code == 200
    assert text(response).count('href="/equipement/appareils/') == 40


@pytest.mark.django_db
def test_device_page_shows_history_and_footprint(equipped, client):
    client.force_login(equipped.users[Role.HR])
    page = text(client.get(reverse("equipment:device_detail", args=[equipped.held.pk])))
    assert equipped.inside.full_name in page
    assert "kg CO₂e par an" in page
    assert "Reprendre l'appareil" in page
    # Outside the HR officer's scope: refused.
    response = client.get(reverse("equipment:device_detail", args=[equipped.outside_device.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_device_create_refuses_a_duplicate_imei(equipped, client):
    client.force_login(equipped.users[Role.HR])
    response = client.post(
        reverse("equipment:device_create"),
        {
            "kind": "smartphone",
            "model_name": "Doublon",
            "imei": equipped.stock.imei,
            "purchase_date": (TODAY - dt.timedelta(days=3)).isoformat(),
            "condition": "new",
        },
    )
    assert response.status_code == 200
    assert f"Un autre appareil a déjà l'IMEI {equipped.stock.imei}." in text(response)
    assert not Device.objects.filter(model_name="Doublon").exists()


# --- Allocate / return ---------------------------------------------------------------------


@pytest.mark.django_db
def test_allocate_flow_needs_the_charter(equipped, client):
    hr = equipped.users[Role.HR]
    client.force_login(hr)
    url = reverse("equipment:allocate", args=[equipped.stock.pk])
    page = text(client.get(url))
    assert CHARTER_PARAGRAPHS[0] in page
    agent = equipped.agents[("Service A2", "ville")]
    data = {"agent": agent.matricule, "starts_on": TODAY.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "L'agent doit accepter la charte d'utilisation" in text(response)
    assert not Allocation.objects.filter(device=equipped.stock).exists()
    response = client.post(url, {**data, "charter_accepted": "on"})
    assert response.status_code == 302
    equipped.stock.refresh_from_db()
    assert equipped.stock.holder == agent and equipped.stock.state == DeviceState.ALLOCATED


@pytest.mark.django_db
def test_allocate_to_an_agent_outside_scope_is_refused(equipped, client):
    client.force_login(equipped.users[Role.HR])
    response = client.post(
        reverse("equipment:allocate", args=[equipped.stock.pk]),
        {
            "agent": equipped.outside.matricule,
            "starts_on": TODAY.isoformat(),
            "charter_accepted": "on",
        },
    )
    assert "Aucun agent présent de votre périmètre n'a ce matricule." in text(response)
    assert not Allocation.objects.filter(device=equipped.stock).exists()


@pytest.mark.django_db
def test_allocating_a_retired_device_shows_why(equipped, client):
    client.force_login(equipped.users[Role.HR])
    agent = equipped.agents[("Service A2", "ville")]
    response = client.post(
        reverse("equipment:allocate", args=[equipped.retired.pk]),
        {"agent": agent.matricule, "starts_on": TODAY.isoformat(), "charter_accepted": "on"},
    )
    assert "Cet appareil est réformé : il ne peut plus être attribué." in text(response)


@pytest.mark.django_db
def test_kiosk_tablet_is_shared_on_a_site(world, client):
    client.force_login(world.users[Role.HR])
    tablet = KioskTabletFactory()
    response = client.post(
        reverse("equipment:allocate", args=[tablet.pk]),
        {"site": world.site.pk, "starts_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    tablet.refresh_from_db()
    assert tablet.state == DeviceState.SHARED and tablet.site == world.site


@pytest.mark.django_db
def test_return_flow_and_receipts(equipped, client):
    client.force_login(equipped.users[Role.HR])
    allocation = equipped.held_allocation
    # No return receipt before the return.
    response = client.get(reverse("equipment:return_receipt", args=[allocation.pk]))
    assert response.status_code == 302
    url = reverse("equipment:return_device", args=[allocation.pk])
    response = client.post(
        url, {"ends_on": TODAY.isoformat(), "return_condition": "worn", "return_note": ""}
    )
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.ends_on == TODAY
    # A second return: nothing changes, the page says when it was returned.
    response = client.get(url, follow=True)
    assert f"Cet appareil a déjà été rendu le {TODAY:%d/%m/%Y}." in text(response)
    for name in ("handover_receipt", "return_receipt"):
        response = client.get(reverse(f"equipment:{name}", args=[allocation.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and len(response.content) > 5000
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.EXPORT, target_type="equipment.allocation"
        ).count()
        == 2
    )


@pytest.mark.django_db
def test_receipt_text_names_the_agent_device_and_charter(equipped):
    allocation = equipped.held_allocation
    page = render_to_string(
        "equipment/pdf/receipt.html", {**receipt_context(allocation, "remise"), "branding": {}}
    )
    page = html.unescape(page)
    assert "Reçu de remise d'un appareil" in page
    assert equipped.inside.last_name.upper() in page
    assert equipped.held.imei in page
    assert CHARTER_PARAGRAPHS[-1] in page
    assert "Signature de l'agent" in page
    assert f"REM-{allocation.pk:06d}" in page


@pytest.mark.django_db
def test_receipts_refused_outside_hr(equipped, client):
    for role in (Role.MANAGER, Role.AGENT, Role.DIRECTION, Role.ADVISOR):
        client.force_login(equipped.users[role])
        url = reverse("equipment:handover_receipt", args=[equipped.held_allocation.pk])
        assert client.get(url).status_code in (403, 404), role


# --- Needs ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_need_queue_and_allocate_from_it(world, client, django_assert_max_num_queries):
    hr = world.users[Role.HR]
    field_agent = world.agents[("Service A2", "ville")]
    client.force_login(world.users[Role.ADVISOR])
    response = client.post(
        reverse("equipment:need_create"),
        {"agent": field_agent.matricule, "kind": "smartphone", "reason": "advisor", "note": ""},
    )
    assert response.status_code == 302
    need = DeviceNeed.objects.get()
    assert need.requested_by == world.users[Role.ADVISOR]
    office_agents = [AgentFactory(employer=world.city, unit=world.serv_a2) for _ in range(10)]
    for agent in office_agents:
        DeviceNeed.open_for(agent=agent, kind="smartphone", reason="no_device", by=hr)
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        page = text(client.get(reverse("equipment:needs")))
    # The field agent's need (medium priority) comes before the office agents' older ones.
    assert page.index(str(field_agent)) < page.index(str(office_agents[0]))
    url = reverse("equipment:need_allocate", args=[need.pk])
    assert "Aucun appareil de ce type n'est disponible" in text(client.get(url))
    device = DeviceFactory()
    response = client.post(
        url, {"device": device.pk, "starts_on": TODAY.isoformat(), "charter_accepted": "on"}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.SERVED and need.allocation.device == device


@pytest.mark.django_db
def test_manager_asks_only_for_their_team(world, client):
    client.force_login(world.users[Role.MANAGER])
    outsider = world.agents[("Service A2", "ville")]
    response = client.post(
        reverse("equipment:need_create"),
        {"agent": outsider.matricule, "kind": "smartphone", "reason": "no_device"},
    )
    assert "Aucun agent présent de votre périmètre" in text(response)
    assert not DeviceNeed.objects.exists()


# --- Agent and manager ---------------------------------------------------------------------


@pytest.mark.django_db
def test_agent_sees_their_device_and_the_charter(equipped, client):
    agent_user = equipped.users[Role.AGENT]
    device = DeviceFactory(model_name="Phone Agent")
    device.allocate(
        agent=agent_user.agent, on=TODAY, by=equipped.users[Role.HR], charter_accepted=True
    )
    client.force_login(agent_user)
    page = text(client.get(reverse("equipment:mine")))
    assert "Mon smartphone" in page and "Phone Agent" in page
    assert CHARTER_PARAGRAPHS[0] in page
    assert "Phone Inside" not in page
    assert client.get(reverse("equipment:device_detail", args=[device.pk])).status_code == 200
    response = client.get(reverse("equipment:device_detail", args=[equipped.held.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_agent_without_device_is_told_who_to_ask(world, client):
    client.force_login(world.users[Role.AGENT])
    assert "Parlez-en à votre responsable" in text(client.get(reverse("equipment:mine")))


@pytest.mark.django_db
def test_manager_sees_the_devices_of_their_team_only(equipped, client):
    client.force_login(equipped.users[Role.MANAGER])
    page = text(client.get(reverse("equipment:team")))
    assert "Phone Team" in page
    assert "Phone Inside" not in page and "Phone Stock" not in page
    detail = client.get(reverse("equipment:device_detail", args=[equipped.team_device.pk]))
    assert detail.status_code == 200 and "Reprendre l'appareil" not in text(detail)


# --- Repairs, renewal, footprint -----------------------------------------------------------


@pytest.mark.django_db
def test_repair_flow(equipped, client):
    client.force_login(equipped.users[Role.HR])
    url = reverse("equipment:repair_create", args=[equipped.held.pk])
    response = client.post(url, {"problem": "", "requested_on": TODAY.isoformat()})
    assert "Ce champ est obligatoire." in text(response)
    client.post(url, {"problem": "Écran cassé", "requested_on": TODAY.isoformat()})
    repair = equipped.held.repairs.get()
    assert "Écran cassé" in text(client.get(reverse("equipment:repairs")))
    response = client.post(
        reverse("equipment:repair_close", args=[repair.pk]),
        {"outcome": RepairOutcome.REPAIRED, "returned_on": TODAY.isoformat(), "cost": "49,90"},
    )
    assert response.status_code == 302
    equipped.held.refresh_from_db()
    assert equipped.held.state == DeviceState.ALLOCATED


@pytest.mark.django_db
def test_renewal_proposes_extension_first(world, client):
    client.force_login(world.users[Role.HR])
    device = DeviceFactory(
        purchase_date=TODAY - dt.timedelta(days=1000),
        expected_end_of_life=TODAY + dt.timedelta(days=30),
    )
    DeviceFactory()  # bought a year ago: not due
    page = text(client.get(reverse("equipment:renewal")))
    assert "1 appareil à renouveler" in page and "Prolonger d'un an" in page
    response = client.post(
        reverse("equipment:extend", args=[device.pk]), {"next": "https://ailleurs.example/"}
    )
    assert response["Location"] == reverse("equipment:renewal")
    device.refresh_from_db()
    assert device.expected_end_of_life > TODAY + dt.timedelta(days=360)


@pytest.mark.django_db
def test_footprint_page_and_reference_edit(equipped, client):
    client.force_login(equipped.users[Role.DIRECTION])
    page = text(client.get(reverse("equipment:footprint")))
    assert "+1 an sur 4 smartphones" in page
    assert "ADEME" in page
    reference = FootprintReference.objects.get(kind="smartphone")
    edit = reverse("equipment:reference_edit", args=[reference.pk])
    assert client.get(edit).status_code == 403
    client.force_login(equipped.users[Role.HR])
    response = client.post(edit, {"manufacturing_kg": "-1", "expected_years": "3", "source": "x"})
    assert "supérieure ou égale à 0.1" in text(response) or "supérieure ou égale à 0,1" in text(
        response
    )
    response = client.post(
        edit, {"manufacturing_kg": "70", "expected_years": "4", "source": "Fabricant, 2026"}
    )
    assert response.status_code == 302
    reference.refresh_from_db()
    assert reference.expected_years == 4


# --- Exports -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stock_exports_neutralise_formulas(equipped, client):
    DeviceFactory(model_name='=HYPERLINK("http://x")')
    client.force_login(equipped.users[Role.HR])
    response = client.get(reverse("equipment:stock"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][0] == "Type"
    models = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in models
    assert "Phone Outside" not in models  # outside the scope
    response = client.get(reverse("equipment:stock"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == len(rows)
    response = client.get(reverse("equipment:allocation_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 5).value == "Matricule"
    assert sheet.max_row == 1 + Allocation.objects.visible_to(equipped.users[Role.HR]).count()


@pytest.mark.django_db
def test_handover_receipt_fits_on_one_sheet(equipped):
    import weasyprint

    from tremplin.core.context_processors import branding

    allocation = equipped.held_allocation
    for signed in (False, True):
        if signed:
            allocation.sign(moment="remise", data_url=tiny_png_data_url())
        page = render_to_string(
            "equipment/pdf/receipt.html",
            {**branding(None), **receipt_context(allocation, "remise")},
        )
        document = weasyprint.HTML(string=page, base_url="http://testserver/").render()
        # The facts, the charter and both signature boxes on one sheet.
        assert len(document.pages) == 1, signed


@pytest.mark.django_db
def test_agent_history_for_hr_and_manager_within_scope(equipped, client):
    url = reverse("equipment:agent_devices", args=[equipped.report.pk])
    for role, expected in (
        (Role.HR, 200),
        (Role.MANAGER, 200),
        (Role.ADMIN, 200),
        (Role.ADVISOR, 403),
        (Role.DIRECTION, 403),
        (Role.AGENT, 403),
    ):
        client.force_login(equipped.users[role])
        assert client.get(url).status_code == expected, role
    client.force_login(equipped.users[Role.MANAGER])
    page = text(client.get(url))
    assert "Phone Team" in page
    outside = reverse("equipment:agent_devices", args=[equipped.inside.pk])
    assert client.get(outside).status_code == 403


@pytest.mark.django_db
def test_bad_return_and_retire_inputs_show_french_errors(equipped, client):
    client.force_login(equipped.users[Role.HR])
    allocation = equipped.held_allocation
    response = client.post(
        reverse("equipment:return_device", args=[allocation.pk]),
        {"ends_on": (TODAY - dt.timedelta(days=30)).isoformat(), "return_condition": "good"},
    )
    assert "La date de retour précède la date de remise" in text(response)
    allocation.refresh_from_db()
    assert allocation.ends_on is None
    response = client.post(
        reverse("equipment:retire", args=[equipped.held.pk]), {"on": TODAY.isoformat()}
    )
    assert f"Cet appareil est encore attribué à {equipped.inside}" in text(response)
    equipped.held.refresh_from_db()
    assert equipped.held.state == DeviceState.ALLOCATED
    response = client.post(reverse("equipment:retire", args=[equipped.stock.pk]), {"on": "hier"})
    assert "Saisissez une date valide." in text(response)


@pytest.mark.django_db
def test_second_phone_through_the_page_asks_why(equipped, client):
    client.force_login(equipped.users[Role.HR])
    url = reverse("equipment:allocate", args=[equipped.stock.pk])
    data = {
        "agent": equipped.inside.matricule,
        "starts_on": TODAY.isoformat(),
        "charter_accepted": "on",
    }
    response = client.post(url, data)
    assert "Indiquez pourquoi il lui en faut un second." in text(response)
    assert 'aria-invalid="true"' in text(response)
    response = client.post(url, {**data, "second_device_reason": "Astreinte de nuit"})
    assert response.status_code == 302
    assert equipped.inside.device_allocations.filter(ends_on=None).count() == 2


@pytest.mark.django_db
def test_stock_shows_devices_to_get_back_from_departed_agents(equipped, client):
    equipped.inside.departure_date = TODAY - dt.timedelta(days=2)
    equipped.inside.save()
    client.force_login(equipped.users[Role.HR])
    page = text(client.get(reverse("equipment:stock")))
    assert "1 appareil chez des agents partis : à récupérer" in page
    page = text(client.get(reverse("equipment:stock"), {"departed": "on"}))
    assert "Phone Inside" in page and "Phone Team" not in page


def tiny_png_data_url() -> str:
    """A 40×10 white PNG, as the signature pad sends it."""
    import base64
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * 40 for _ in range(10))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 10, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.mark.django_db
def test_signing_the_receipt_on_the_tablet(equipped, client):
    client.force_login(equipped.users[Role.HR])
    allocation = equipped.held_allocation
    url = reverse("equipment:sign_handover", args=[allocation.pk])
    page = text(client.get(url))
    assert CHARTER_PARAGRAPHS[0] in page and 'id="signature-pad"' in page
    response = client.post(url, {"signature": ""})
    assert "La signature n'a pas été reçue." in text(response)
    response = client.post(url, {"signature": "data:image/png;base64,PHN2Zz4="})
    assert "La signature n'a pas été reçue." in text(response)
    allocation.refresh_from_db()
    assert not allocation.handover_signature
    signature = tiny_png_data_url()
    assert client.post(url, {"signature": signature}).status_code == 302
    allocation.refresh_from_db()
    assert allocation.handover_signature == signature and allocation.handover_signed_at
    # The audit log says the signature changed, never keeps the drawing.
    entry = AuditEntry.objects.filter(target_type="equipment.allocation").first()
    assert entry.changes["handover_signature"] == ["", "••••"]
    receipt = render_to_string(
        "equipment/pdf/receipt.html", {**receipt_context(allocation, "remise"), "branding": {}}
    )
    assert f'src="{signature}"' in receipt and "Signé sur la tablette le" in receipt
    response = client.get(reverse("equipment:handover_receipt", args=[allocation.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # Nothing to sign on return before the device comes back.
    response = client.post(
        reverse("equipment:sign_return", args=[allocation.pk]), {"signature": signature}
    )
    assert "L'appareil n'a pas encore été rendu : rien à signer." in text(response)
    client.force_login(equipped.users[Role.MANAGER])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_agent_page_links_to_their_devices_for_hr_only(client, world):
    from django.urls import reverse

    agent = world.agents[("Équipe A1a", "ville")]
    link = reverse("equipment:agent_devices", args=[agent.pk])
    client.force_login(world.users[Role.HR])
    assert (
        link in client.get(reverse("organisation:agent_detail", args=[agent.pk])).content.decode()
    )
    client.force_login(world.users[Role.ADVISOR])
    page = client.get(reverse("organisation:agent_detail", args=[agent.pk]))
    assert page.status_code == 200 and link not in page.content.decode()
