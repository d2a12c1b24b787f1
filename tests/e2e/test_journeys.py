import re

import pytest
from playwright.sync_api import expect

from tremplin.accounts.enums import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible_on_a_phone(live_server, phone, check_page):
    phone.goto(f"{live_server.url}/compte/connexion/")
    check_page(phone, "connexion-telephone")


def test_wrong_password_shows_a_french_error_then_lockout(
    live_server, page, world, login, check_page
):
    for _ in range(5):
        login(page, "hr", "mauvais")
    expect(page.get_by_role("heading", name="Compte bloqué pour un moment")).to_be_visible()
    check_page(page, "compte-bloque")


@pytest.mark.parametrize(
    "role, pages",
    [
        (Role.AGENT, ["/", "/agents/moi/"]),
        (Role.MANAGER, ["/", "/organisation/", "/agents/"]),
        (Role.ADVISOR, ["/", "/agents/", "/compte/kiosque/ouvrir/?q=Nom"]),
        (Role.HR, ["/", "/organisation/", "/agents/", "/identites/", "/imports/agents/"]),
        (Role.MOBILITY, ["/", "/agents/"]),
        (Role.DIRECTION, ["/", "/organisation/", "/identites/"]),
        (Role.ADMIN, ["/", "/journal/", "/agents/"]),
    ],
)
def test_each_role_logs_in_and_browses(live_server, page, world, login, check_page, role, pages):
    login(page, world.users[role].username, None)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, f"{path}: {response.status}"
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"
        check_page(page, f"{role}-{slug}")


def test_agent_detail_from_the_list_with_keyboard(live_server, page, world, login, check_page):
    login(page, "hr", None)
    page.goto(f"{live_server.url}/agents/")
    page.get_by_label("Nom ou matricule").fill("A1a")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    link = page.get_by_role("link", name=re.compile("A1A0"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("A1A0")
    check_page(page, "rh-fiche-agent")


def test_kiosk_session_for_an_agent_on_a_shared_tablet(
    live_server, browser, page, world, login, check_page
):
    login(page, "advisor", None)
    page.goto(f"{live_server.url}/compte/kiosque/ouvrir/")
    page.get_by_label("Nom ou matricule de l'agent").fill("A20")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name=re.compile("Ouvrir une session")).first.click()
    code = page.locator(".tp-code").inner_text().strip()
    assert re.fullmatch(r"\d{6}", code)
    check_page(page, "conseiller-code-kiosque")

    tablet = browser.new_context(viewport={"width": 800, "height": 1280}, locale="fr-FR").new_page()
    tablet.goto(f"{live_server.url}/compte/kiosque/")
    check_page(tablet, "tablette-code")
    tablet.get_by_label("Code donné par le conseiller").fill(code)
    tablet.get_by_role("button", name="Commencer").click()
    expect(tablet.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    check_page(tablet, "tablette-accueil-agent")
    tablet.get_by_role("button", name="J'ai fini").click()
    expect(tablet.get_by_role("heading", name="Bienvenue")).to_be_visible()
    tablet.context.close()
