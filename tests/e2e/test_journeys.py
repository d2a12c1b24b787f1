import re

import pytest
from playwright.sync_api import expect

from tremplin.accounts.enums import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible_on_a_phone(live_server, phone, check_page):
    phone.goto(f"{live_server.url}/compte/connexion/")
    check_page(phone, "connexion-telephone")


def test_the_collectivite_name_reads_white_on_its_colour(live_server, page, world):
    # axe reported nothing when the name was drawn in the header's own colour.
    page.goto(f"{live_server.url}/compte/connexion/")
    brand = page.locator(".tp-brand")
    expect(brand).to_have_text(re.compile("Test"))
    assert brand.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"


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


SIRH_CSV = (
    "\ufeffMatricule;Nom;Prénom;Direction;Service;Équipe;Métier;Catégorie;Site;Responsable\r\n"
    "7001;Le Guen;Maëlle;Direction A;Service A1;Équipe A1a;Aide-soignante;C;EHPAD du Parc;7002\r\n"
    "7002;Bréhat;Yann;Direction A;Service A1;;Cadre de santé;A;EHPAD du Parc;\r\n"
)


def test_hr_imports_a_sirh_file_and_finds_the_agents(
    live_server, page, world, login, check_page, tmp_path
):
    login(page, "hr", None)
    page.get_by_role("link", name="Imports").click()
    check_page(page, "rh-import-depot")

    bad = tmp_path / "mauvais.csv"
    bad.write_text(SIRH_CSV.replace(";C;", ";D;"), encoding="utf-8")
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_label("Employeur des agents du fichier").select_option(label="Ville")
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("alert")).to_contain_text("rien n'a été enregistré")
    expect(page.locator("#erreurs-import")).to_contain_text("Catégorie")
    check_page(page, "rh-import-erreurs")

    good = tmp_path / "agents.csv"
    good.write_text(SIRH_CSV, encoding="utf-8")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_label("Employeur des agents du fichier").select_option(label="Ville")
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification du fichier")
    check_page(page, "rh-import-apercu")
    page.get_by_role("button", name="Enregistrer ces changements").click()
    expect(page.locator("[role=status]").last).to_contain_text("Import terminé", timeout=30_000)
    check_page(page, "rh-import-termine")

    page.goto(f"{live_server.url}/agents/?q=7001")
    expect(page.get_by_role("link", name=re.compile("LE GUEN Maëlle"))).to_be_visible()


def test_hr_identity_pages(live_server, page, world, login, check_page):
    login(page, "hr", None)
    page.get_by_role("link", name="Identités numériques", exact=True).click()
    check_page(page, "rh-identites-couverture")
    for path, name in [
        ("/identites/agents/", "rh-identites-liste"),
        ("/identites/comptes-a-creer/", "rh-identites-export"),
        ("/identites/import/", "rh-identites-import"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, path
        check_page(page, name)


def test_agent_pages_on_a_phone(live_server, phone, world, login, check_page):
    login(phone, "agent", None)
    check_page(phone, "agent-telephone-accueil")
    phone.get_by_role("link", name="Voir ma fiche").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ma fiche")
    check_page(phone, "agent-telephone-fiche")


def test_hr_pages_on_a_phone(live_server, phone, world, login, check_page):
    login(phone, "hr", None)
    for path in ["/organisation/", "/agents/", "/identites/", "/imports/agents/"]:
        phone.goto(f"{live_server.url}{path}")
        check_page(phone, "rh-telephone" + path.replace("/", "-").rstrip("-"))
