"""Equipment in Chromium: HR hands a phone over with the keyboard (forgetting the charter
first), the stock, the needs queue, renewal and footprint pages; the agent's « Mon
matériel » on a 360 px phone; axe on each page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.equipment.factories import DeviceFactory
from tremplin.accounts.enums import Role
from tremplin.equipment.models import DeviceNeed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def footprint_references(transactional_db):
    """Browser tests end with a flush, which also empties the footprint references that
    migration 0002 loaded: load them again when they are missing."""
    import importlib

    from django.apps import apps

    from tremplin.equipment.models import FootprintReference

    if not FootprintReference.objects.exists():
        migration = importlib.import_module(
            "tremplin.equipment.migrations.0002_footprint_references"
        )
        migration.add_references(apps, None)


def press(locator, key):
    locator.focus()
    locator.press(key)


def test_hr_hands_a_phone_over_and_the_agent_sees_it(
    live_server, page, phone, world, login, check_page
):
    agent_user = world.users[Role.AGENT]
    device = DeviceFactory(model_name="Galaxy XCover 6")
    DeviceFactory(
        model_name="Vieux modèle",
        purchase_date=TODAY - dt.timedelta(days=1000),
        expected_end_of_life=TODAY + dt.timedelta(days=20),
    )
    DeviceNeed.open_for(
        agent=world.agents[("Service A2", "metropole")],
        kind="smartphone",
        reason="no_device",
        by=world.users[Role.HR],
    )

    login(page, "hr", None)
    page.goto(f"{live_server.url}/equipement/")
    expect(page.get_by_role("heading", name="Matériel", exact=True)).to_be_visible()
    check_page(page, "rh-materiel-stock")
    press(page.get_by_role("link", name="Smartphone Galaxy XCover 6"), "Enter")
    check_page(page, "rh-materiel-appareil")
    press(page.get_by_role("link", name="Remettre l'appareil"), "Enter")
    page.get_by_label("Matricule de l'agent").fill(agent_user.agent.matricule)
    press(page.get_by_role("button", name="Remettre l'appareil"), "Enter")
    expect(page.get_by_text("L'agent doit accepter la charte d'utilisation")).to_be_visible()
    check_page(page, "rh-materiel-remise-erreur")
    press(page.get_by_role("checkbox", name="L'agent a lu et accepte la charte"), "Space")
    press(page.get_by_role("button", name="Remettre l'appareil"), "Enter")
    expect(page.get_by_text("Faites signer le reçu de remise")).to_be_visible()
    expect(page.get_by_role("link", name="Reçu de remise (PDF)")).to_be_visible()
    check_page(page, "rh-materiel-remis")
    device.refresh_from_db()
    assert device.holder_id == agent_user.agent_id

    # The agent signs on the tablet (here with the mouse): nothing drawn is refused.
    press(page.get_by_role("link", name="Signer sur la tablette").first, "Enter")
    expect(page.get_by_role("heading", name="Signer le reçu de remise")).to_be_visible()
    check_page(page, "rh-materiel-signature")
    page.get_by_role("button", name="Valider la signature").click()
    expect(page.get_by_text("La signature n'a pas été reçue.")).to_be_visible()
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 60)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 60 + (step % 3) * 20)
    page.mouse.up()
    page.get_by_role("button", name="Valider la signature").click()
    expect(page.get_by_text("Signature enregistrée")).to_be_visible()
    allocation = device.allocations.get()
    assert allocation.handover_signature.startswith("data:image/png;base64,")

    page.goto(f"{live_server.url}/equipement/demandes/")
    expect(page.get_by_text("1 demande en attente")).to_be_visible()
    check_page(page, "rh-materiel-demandes")
    page.goto(f"{live_server.url}/equipement/a-renouveler/")
    expect(page.get_by_text("1 appareil à renouveler")).to_be_visible()
    check_page(page, "rh-materiel-renouveler")
    page.goto(f"{live_server.url}/equipement/empreinte/")
    expect(page.get_by_text("+1 an sur 2 smartphones")).to_be_visible()
    check_page(page, "rh-materiel-empreinte")
    page.goto(f"{live_server.url}/equipement/import/")
    check_page(page, "rh-materiel-import")

    login(phone, "agent", None)
    phone.goto(f"{live_server.url}/equipement/")
    expect(phone.get_by_role("heading", name="Mon smartphone")).to_be_visible()
    expect(phone.get_by_text("Galaxy XCover 6")).to_be_visible()
    check_page(phone, "agent-mon-materiel")


def test_manager_and_direction_pages_on_a_phone(live_server, phone, world, login, check_page):
    hr = world.users[Role.HR]
    DeviceFactory(model_name="Téléphone équipe").allocate(
        agent=world.agents[("Équipe A1a", "metropole")], on=TODAY, by=hr, charter_accepted=True
    )
    login(phone, "manager", None)
    phone.goto(f"{live_server.url}/equipement/")
    expect(phone.get_by_role("heading", name="Matériel de mon équipe")).to_be_visible()
    expect(phone.get_by_text("Téléphone équipe")).to_be_visible()
    check_page(phone, "encadrant-materiel-equipe")
    press(phone.get_by_role("link", name="Demander un appareil pour un agent"), "Enter")
    expect(phone.get_by_role("heading", name="Demander un appareil pour un agent")).to_be_visible()
    check_page(phone, "encadrant-materiel-demande")
    phone.context.clear_cookies()
    login(phone, "direction", None)
    phone.goto(f"{live_server.url}/equipement/")
    expect(phone.get_by_text("+1 an sur 1 smartphone")).to_be_visible()
    check_page(phone, "direction-materiel-empreinte")
