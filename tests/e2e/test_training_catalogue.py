"""HR works on the catalogue in Chromium: list and filters, a module's page, the form
with its outcomes and prerequisites used with the keyboard, a cycle refused on its
field, retirement; and a manager reads the catalogue on a 360 px phone. axe on each page.

A browser test (tests/e2e: marker e2e, run by `make test` after the main suite).
"""

import pytest
from playwright.sync_api import expect

from tests.training.test_catalogue_views import make_module
from tremplin.training.models import Module

pytestmark = [
    # serialized_rollback: the CRCN framework comes from a data migration.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def press(locator, key="Enter"):
    locator.focus()
    locator.press(key)


def test_hr_edits_the_catalogue(live_server, page, phone, world, login, check_page):
    messagerie = make_module("messagerie", "Ma messagerie", outcomes=[("2.1", 0, 2)])
    make_module("visio", "Les réunions en visio", outcomes=[("2.1", 2, 3)], requires=[messagerie])
    make_module("fresque", "Fresque du Climat", trainer_kind="fresque", group_max=16)

    login(page, "hr", None)
    page.goto(f"{live_server.url}/formation/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des formations")
    check_page(page, "rh-catalogue-liste")
    page.get_by_label("Formateur").select_option("fresque")
    press(page.get_by_role("button", name="Filtrer"))
    expect(page.get_by_role("row")).to_have_count(2)
    check_page(page, "rh-catalogue-liste-filtree")

    page.goto(f"{live_server.url}/formation/catalogue/{messagerie.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma messagerie")
    expect(page.get_by_role("link", name="Les réunions en visio")).to_be_visible()
    check_page(page, "rh-catalogue-module")

    press(page.get_by_role("link", name="Modifier"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier le module")
    check_page(page, "rh-catalogue-formulaire")
    page.get_by_label("Module à suivre avant").first.select_option(label="Les réunions en visio")
    press(page.get_by_role("button", name="Enregistrer"))
    expect(
        page.get_by_text("« Ma messagerie » → « Les réunions en visio » → « Ma messagerie »")
    ).to_be_visible()
    field = page.get_by_label("Module à suivre avant").first
    expect(field).to_have_attribute("aria-invalid", "true")
    check_page(page, "rh-catalogue-formulaire-boucle")

    field.select_option(label="—")
    page.get_by_label("Intitulé").fill("Ma messagerie au travail")
    press(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma messagerie au travail")
    expect(page.get_by_text("Ma messagerie → Ma messagerie au travail")).to_be_visible()

    press(page.get_by_role("link", name="Retirer du catalogue"))
    check_page(page, "rh-catalogue-retirer")
    press(page.get_by_role("button", name="Retirer du catalogue"))
    expect(page.get_by_text("Retiré du catalogue", exact=True)).to_be_visible()
    assert not Module.objects.get(pk=messagerie.pk).active

    login(phone, "manager", None)
    phone.goto(f"{live_server.url}/formation/catalogue/")
    check_page(phone, "encadrant-catalogue-telephone")
    phone.goto(f"{live_server.url}/formation/catalogue/{messagerie.pk}/")
    check_page(phone, "encadrant-catalogue-module-telephone")
