"""Browser checks of the competences pages in Chromium: axe finds nothing, nothing
overflows a 360 px phone, the observation form works with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "username, paths",
    [
        (
            "hr",
            [
                "/competences/",
                "/competences/ecarts/?show=both",
                "/competences/metiers/",
                "/competences/metiers/{field_job}/",
                "/agents/{a21}/competences/",
                "/agents/{a21}/",
            ],
        ),
        ("direction", ["/competences/", "/competences/metiers/{field_job}/"]),
        ("manager", ["/competences/", "/competences/ecarts/"]),
    ],
)
def test_pages_pass_axe(live_server, page, gaps_world, login, check_page, username, paths):
    login(page, username, None)
    for path in paths:
        url = path.format(field_job=gaps_world.field_job.pk, a21=gaps_world.a21.pk)
        response = page.goto(f"{live_server.url}{url}")
        assert response.ok, f"{url}: {response.status}"
        slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")
        check_page(page, f"competences-{username}-{slug}")


def test_the_agent_reads_their_profile_on_a_phone(
    live_server, phone, gaps_world, login, check_page
):
    login(phone, "agent", None)
    phone.goto(f"{live_server.url}/agents/moi/")
    expect(phone.get_by_role("heading", name="Mes compétences numériques")).to_be_visible()
    expect(phone.get_by_text("Vous savez déjà")).to_be_visible()
    check_page(phone, "competences-agent-fiche-telephone")
    phone.get_by_role("link", name="Voir le détail de mes compétences").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes compétences numériques")
    check_page(phone, "competences-agent-detail-telephone")


def test_heat_map_on_a_phone(live_server, phone, gaps_world, login, check_page):
    login(phone, "hr", None)
    phone.goto(f"{live_server.url}/competences/")
    phone.get_by_text("Tableau des données").click()
    check_page(phone, "competences-carte-telephone")


def test_advisor_notes_an_observation_with_the_keyboard(
    live_server, page, gaps_world, login, check_page
):
    login(page, "advisor", None)
    page.goto(f"{live_server.url}/agents/{gaps_world.b1.pk}/competences/")
    competence = page.get_by_role("combobox", name="Compétence")
    competence.focus()
    competence.select_option(label="1.3 Traiter des données")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the date keeps today; leave the level empty
    page.get_by_role("button", name="Enregistrer l'observation").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".invalid-feedback")).to_contain_text("Ce champ est obligatoire.")
    check_page(page, "competences-observation-erreur")
    page.get_by_label("Niveau observé").select_option(value="2")
    page.get_by_role("button", name="Enregistrer l'observation").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[role=status]")).to_contain_text("Observation enregistrée")
    observations = page.get_by_role("region", name="Observations (tableau)")
    expect(observations.get_by_role("cell", name="Observation d'un conseiller")).to_be_visible()
    check_page(page, "competences-observation-enregistree")
