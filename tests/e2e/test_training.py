"""Pathways, goals and segments in Chromium: the agent reads "Mon parcours" on a phone,
the manager validates their team's steps with the keyboard, HR follows a pathway, the
goals and the segments; axe and 360 px on each page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.training.test_pathway_views import module, pathway_for
from tremplin.training.enums import GoalPopulation, SegmentMatch, StepStatus
from tremplin.training.models import CoverageGoal, FragilitySegment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def training(world):
    mail = module("messagerie", "Ma messagerie")
    visio = module("visio", "Les réunions en visio")
    fresque = module("fresque-du-climat", "La Fresque du Climat", minutes=180)
    agent = world.users["agent"].agent
    report = world.agents[("Équipe A1a", "metropole")]
    pathway_for(agent, mail, visio)
    pathway_for(report, mail, fresque)
    segment = FragilitySegment.objects.create(
        name="Éloignés du numérique", match=SegmentMatch.ANY, no_active_identity=True
    )
    today = dt.date.today()
    CoverageGoal.objects.create(
        name="Tous les agents ont fait la Fresque du Climat",
        module=fresque,
        population=GoalPopulation.ALL,
        starts_on=today - dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=365),
        priority=1,
    )
    return {"report": report, "segment": segment}


def test_the_agent_reads_their_pathway_on_a_phone(live_server, phone, training, login, check_page):
    login(phone, "agent", None)
    expect(phone.get_by_text("Prochaine étape : Ma messagerie")).to_be_visible()
    check_page(phone, "agent-accueil-parcours-telephone")
    phone.get_by_role("link", name="Voir mon parcours").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon parcours")
    expect(phone.get_by_role("heading", name="1. Ma messagerie")).to_be_visible()
    expect(
        phone.get_by_text("Votre encadrant doit d'abord valider cette étape.").first
    ).to_be_visible()
    check_page(phone, "agent-mon-parcours-telephone")


def test_manager_validates_with_the_keyboard(live_server, page, phone, training, login, check_page):
    login(page, "manager", None)
    page.goto(f"{live_server.url}/formation/parcours/")
    check_page(page, "encadrant-parcours")
    name = training["report"].full_name
    box = page.get_by_role("checkbox", name=f"Valider les étapes de {name}")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    button = page.get_by_role("button", name="Valider les étapes proposées des agents cochés")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 étapes validées.")).to_be_visible()
    assert set(training["report"].pathways.get().steps.values_list("status", flat=True)) == {
        StepStatus.VALIDATED
    }
    login(phone, "manager", None)
    phone.goto(f"{live_server.url}/formation/parcours/")
    check_page(phone, "encadrant-parcours-telephone")


def test_hr_follows_a_pathway_goals_and_segments(
    live_server, page, phone, training, login, check_page
):
    login(page, "admin", None)
    page.get_by_role("link", name="Formation", exact=True).click()
    check_page(page, "rh-formation")
    page.get_by_role("link", name="Parcours des agents").click()
    page.get_by_role("link", name=re.compile(training["report"].last_name, re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Parcours de")
    page.get_by_role("button", name="Valider « Ma messagerie »").click()
    expect(page.get_by_text("Étape validée.")).to_be_visible()
    check_page(page, "rh-parcours-agent")
    page.get_by_label("Ajouter un module").select_option(label="Les réunions en visio")
    page.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_text("Ce champ est obligatoire").first).to_be_visible()
    check_page(page, "rh-parcours-ajout-erreur")

    page.goto(f"{live_server.url}/formation/objectifs/")
    expect(page.get_by_text("Tous les agents ont fait la Fresque du Climat")).to_be_visible()
    check_page(page, "rh-objectifs")
    page.get_by_role("link", name="Tous les agents ont fait la Fresque du Climat").click()
    check_page(page, "rh-objectif")
    page.goto(f"{live_server.url}/formation/objectifs/groupes/")
    check_page(page, "rh-groupes")

    login(phone, "direction", None)
    phone.goto(f"{live_server.url}/formation/objectifs/")
    check_page(phone, "direction-objectifs-telephone")


def test_hr_computes_pathways_for_everybody(live_server, page, phone, training, login, check_page):
    login(page, "admin", None)
    page.goto(f"{live_server.url}/formation/generation/")
    check_page(page, "rh-calcul-parcours")
    page.get_by_role("button", name="Compter les agents").click()
    button = page.get_by_role("button", name=re.compile("Calculer les parcours de"))
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_text("Terminé").first).to_be_visible()
    check_page(page, "rh-calcul-parcours-rapport")
    page.goto(f"{live_server.url}/formation/generation/parcours-types/")
    check_page(page, "rh-parcours-types")
    page.goto(f"{live_server.url}/formation/catalogue/")
    check_page(page, "rh-catalogue")
    login(phone, "admin", None)
    phone.goto(f"{live_server.url}/formation/generation/")
    check_page(phone, "rh-calcul-parcours-telephone")
