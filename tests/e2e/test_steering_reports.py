"""Reports in Chromium: HR opens « Rapports », chooses a year with the keyboard, reaches a
download link with the keyboard and downloads the RSU CSV; the RSU page; the same page
at 360 px. Axe on each page."""

import pytest
from playwright.sync_api import expect

from tests.steering import reports_data as dataset

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

reports_world = dataset.reports_world


def test_reports_page_keyboard_and_phone(
    live_server, page, phone, reports_world, login, check_page
):
    year = reports_world.year
    login(page, "hr", None)
    page.goto(f"{live_server.url}/pilotage/rapports/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapports")
    check_page(page, "rapports")

    page.locator("#id_annee").focus()
    page.keyboard.press("ArrowDown")  # the year before the current one
    page.get_by_role("button", name="Afficher").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rapports {year}")

    link = page.get_by_role("link", name=f"Télécharger le CSV du Rapport social unique {year}")
    # Tab from the « Afficher » button until the CSV link has the focus.
    page.get_by_role("button", name="Afficher").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    expect(link).to_be_focused()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"rsu-formation-{year}.csv"

    page.get_by_role("link", name=f"Voir les chiffres du Rapport social unique {year}").click()
    expect(page.get_by_role("table").first).to_contain_text("Catégorie C")
    check_page(page, "rapports-rsu")

    login(phone, "direction", None)
    phone.goto(f"{live_server.url}/pilotage/rapports/?annee={year}")
    expect(phone.get_by_role("link", name=f"Télécharger le PDF du plan de formation {year}"))
    check_page(phone, "rapports-telephone")
    phone.goto(f"{live_server.url}/pilotage/rapports/rsu/?annee={year}")
    check_page(phone, "rapports-rsu-telephone")


def test_agent_page_with_its_trainings_fits_a_phone(
    live_server, phone, reports_world, login, check_page
):
    """HR opens the agent page on a phone: the « Formations » table (attestation links with
    hidden text) scrolls inside its frame, the page does not scroll sideways, and the
    livret is one tap away."""
    login(phone, "hr", None)
    phone.goto(f"{live_server.url}/agents/{reports_world.a1a0.pk}/")
    expect(phone.get_by_role("link", name="Livret individuel de formation (PDF)")).to_be_visible()
    check_page(phone, "agent-formations-telephone")
