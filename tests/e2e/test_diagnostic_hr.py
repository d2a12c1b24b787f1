"""HR runs a diagnostic campaign in Chromium: create it, open it, invite, print the
letters, follow participation (on a phone too), and read the bank's statistics."""

import re

import pytest
from playwright.sync_api import expect

from tremplin.diagnostic.models import Participation

# serialized_rollback: the CRCN framework comes from a data migration, which the flush
# between transactional tests would otherwise wipe.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_hr_campaign_from_creation_to_letters(live_server, page, phone, world, login, check_page):
    login(page, "hr", None)
    page.get_by_role("link", name="Diagnostic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Campagnes de diagnostic")
    check_page(page, "rh-diagnostic-campagnes")

    page.get_by_role("link", name="Nouvelle campagne").click()
    page.get_by_role("textbox", name="Nom", exact=True).fill("Diagnostic de la direction A")
    page.get_by_label("Message aux agents").fill(
        "Ce questionnaire nous aide à choisir vos formations."
    )
    page.get_by_role("checkbox", name=re.compile("Sécuriser l.environnement")).check()
    page.get_by_role("checkbox", name=re.compile("Interagir")).check()
    page.get_by_label("Unités (et sous-unités)").select_option(label="Direction A")
    page.get_by_label("Ouverture").fill("2025-03-01")
    page.get_by_label("Clôture").fill("2025-02-01")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La clôture doit venir après l'ouverture.")).to_be_visible()
    check_page(page, "rh-diagnostic-formulaire-erreur")
    page.get_by_label("Clôture").fill("2099-12-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic de la direction A")

    page.get_by_role("button", name="Ouvrir la campagne").click()
    expect(page.get_by_text("4 agents de votre périmètre sont concernés")).to_be_visible()
    check_page(page, "rh-diagnostic-campagne")
    page.get_by_role("link", name="Inviter").click()
    check_page(page, "rh-diagnostic-inviter")
    page.get_by_role("button", name="Inviter 4 agents").click()

    # Nobody reads email in this world: four letters, each with its QR code.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Courriers d'invitation")
    expect(page.locator("article.tp-letter")).to_have_count(4)
    expect(page.locator("article.tp-letter svg")).to_have_count(4)
    code = Participation.objects.first().code
    expect(page.get_by_text(re.compile(f"/diagnostic/code/{code}/"))).to_be_visible()
    check_page(page, "rh-diagnostic-courriers")

    login(phone, "manager", None)
    phone.goto(page.url.split("/diagnostic/")[0] + "/diagnostic/campagnes/")
    phone.get_by_role("link", name="Diagnostic de la direction A").click()
    check_page(phone, "encadrant-diagnostic-campagne-telephone")
    phone.get_by_role("link", name=re.compile("Voir la liste des agents invités")).click()
    expect(phone.get_by_text("2 agents")).to_be_visible()
    check_page(phone, "encadrant-diagnostic-participants-telephone")


def test_bank_statistics_page(live_server, page, phone, world, login, check_page):
    from tremplin.diagnostic.bank_loader import load_bank

    load_bank()
    login(page, "admin", None)
    page.goto(f"{live_server.url}/diagnostic/campagnes/banque/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Banque de questions")
    page.get_by_label("Compétence", exact=True).select_option(value="4.1")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("status")).to_contain_text("question")
    check_page(page, "admin-diagnostic-banque")
    login(phone, "admin", None)
    phone.goto(f"{live_server.url}/diagnostic/campagnes/banque/?level=2")
    check_page(phone, "admin-diagnostic-banque-telephone")
