"""Sessions in Chromium: an advisor creates a session with the keyboard, HR registers
agents until the waiting list, the agent reads "Mes séances" on a phone; axe and
360 px on each page."""

import pytest
from playwright.sync_api import expect

from tests.factories import SiteFactory
from tests.planning.test_registrations import at, monday
from tests.training.test_pathway_views import module
from tremplin.planning.models import Room, Trainer
from tremplin.training.enums import TrainerKind

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_session_from_creation_to_the_agents_phone(
    live_server, page, phone, world, login, check_page
):
    m = module("messagerie", "Ma messagerie")
    Room.objects.create(site=SiteFactory(name="Hôtel de ville"), name="Salle A", capacity=8)
    trainer = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    trainer.modules.add(m)
    start = at(monday(), 9)

    login(page, "advisor", None)
    page.goto(f"{live_server.url}/seances/")
    check_page(page, "conseiller-seances")
    page.get_by_role("link", name="Nouvelle séance").click()
    page.get_by_label("Module").select_option(label="Ma messagerie")
    page.get_by_label("Début").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Fin").fill(start.replace(hour=8).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Salle").select_option(index=1)
    page.get_by_role("checkbox", name="Nadia Conseil").check()
    page.get_by_label("Places").fill("1")
    page.get_by_label("Participants au minimum pour la tenir").fill("1")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La fin doit venir après le début.")).to_be_visible()
    check_page(page, "conseiller-seance-erreur")
    page.get_by_label("Fin").fill(start.replace(hour=11).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Séance enregistrée.")).to_be_visible()

    agent = world.users["agent"].agent
    other = world.agents[("Équipe A1a", "ville")]
    field = page.get_by_label("Matricule de l'agent")
    field.fill(agent.matricule)
    field.press("Enter")
    expect(page.get_by_text(f"{agent.full_name} est inscrit(e).")).to_be_visible()
    page.get_by_label("Matricule de l'agent").fill(other.matricule)
    page.get_by_label("Matricule de l'agent").press("Enter")
    expect(page.get_by_text("Séance complète")).to_be_visible()
    check_page(page, "conseiller-seance")

    login(phone, "agent", None)
    phone.goto(f"{live_server.url}/seances/mes-seances/")
    expect(phone.get_by_text("Vous êtes inscrit(e).")).to_be_visible()
    check_page(phone, "agent-mes-seances-telephone")
