"""The coaching log in Chromium: an advisor logs a group coaching with the keyboard
(a typo in a matricule first), finds it in the list and in the activity figures; the
form and the figures on a 360 px phone; axe on each page."""

import pytest
from playwright.sync_api import expect

from tremplin.planning.models import CoachingEntry, CoachingTheme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def press(locator, key):
    locator.focus()
    locator.press(key)


def test_an_advisor_logs_a_group_coaching(live_server, page, phone, world, login, check_page):
    CoachingTheme.objects.get_or_create(name="Démarches en ligne")
    CoachingTheme.objects.get_or_create(name="Messagerie et agenda")
    first = world.agents[("Service A2", "ville")]
    second = world.agents[("Équipe A1a", "ville")]

    login(page, "advisor", None)
    page.goto(f"{live_server.url}/accompagnements/")
    check_page(page, "conseiller-accompagnements-vide")
    press(page.get_by_role("link", name="Noter un accompagnement"), "Enter")
    expect(page.get_by_role("heading", name="Noter un accompagnement")).to_be_visible()

    press(page.get_by_role("radio", name="45 min"), "Space")
    press(page.get_by_role("radio", name="Sur un site de la collectivité"), "Space")
    page.get_by_label("Site", exact=True).select_option(label=world.site.name)
    matricules = page.get_by_label("Matricules des agents")
    matricules.focus()
    page.keyboard.type(f"{first.matricule}, 999999")
    press(page.get_by_role("checkbox", name="Démarches en ligne"), "Space")
    press(page.get_by_role("checkbox", name="Messagerie et agenda"), "Space")
    press(page.get_by_role("radio", name="En partie autonome"), "Space")
    press(page.get_by_role("button", name="Enregistrer"), "Enter")
    expect(page.get_by_text("Matricule « 999999 » : aucun agent en poste")).to_be_visible()
    assert not CoachingEntry.objects.exists()
    check_page(page, "conseiller-accompagnement-erreur")

    matricules = page.get_by_label("Matricules des agents")
    matricules.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{first.matricule}\n{second.matricule}")
    press(page.get_by_role("button", name="Enregistrer"), "Enter")
    expect(page.get_by_text("Accompagnement enregistré.")).to_be_visible()
    expect(page.get_by_text(first.full_name)).to_be_visible()
    expect(page.get_by_text(second.full_name)).to_be_visible()
    check_page(page, "conseiller-accompagnement")

    page.goto(f"{live_server.url}/accompagnements/")
    expect(page.get_by_text("(2 agents)")).to_be_visible()
    check_page(page, "conseiller-accompagnements")
    press(page.get_by_role("link", name="Activité en chiffres"), "Enter")
    expect(page.get_by_text("0,8 heure")).to_be_visible()  # 45 minutes
    themes = page.get_by_role("table", name="Accompagnements et heures par thème")
    expect(themes.get_by_role("rowheader", name="Démarches en ligne")).to_be_visible()
    check_page(page, "conseiller-activite")

    login(phone, "advisor", None)
    phone.goto(f"{live_server.url}/accompagnements/nouveau/")
    check_page(phone, "conseiller-accompagnement-telephone")
    phone.goto(f"{live_server.url}/accompagnements/activite/")
    check_page(phone, "conseiller-activite-telephone")
