"""Registrations in Chromium: the agent picks a date for a validated step of their
pathway on a phone, the manager agrees; the training office moves then cancels the
session. Keyboard only where a user would type; axe and 360 px on each page."""

import pytest
from playwright.sync_api import expect

from tests.factories import user_with_role
from tests.planning.test_registrations import at, make_session, monday
from tests.training.test_pathway_views import module, pathway_for
from tremplin.accounts.enums import Role
from tremplin.training.enums import StepStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_agent_chooses_a_date_and_the_manager_agrees(
    live_server, page, phone, world, login, check_page
):
    m = module("tableur", "Le tableur")
    m.needs_manager_approval = True
    m.save()
    session = make_session(capacity=4, m=m, start=at(monday(), 9))
    report = world.agents[("Équipe A1a", "metropole")]
    user_with_role(Role.AGENT, agent=report, username="lea")
    pathway_for(report, m, status=StepStatus.VALIDATED)

    login(phone, "lea", None)
    phone.goto(f"{live_server.url}/formation/parcours/mon-parcours/")
    check_page(phone, "agent-parcours-choisir-date-telephone")
    phone.get_by_role("link", name="Choisir une date pour Le tableur").click()
    check_page(phone, "agent-choisir-date-telephone")
    phone.get_by_role("button", name="Je choisis cette date").first.press("Enter")
    expect(phone.get_by_text("Votre encadrant doit donner son accord.").first).to_be_visible()
    check_page(phone, "agent-mes-seances-accord-telephone")

    login(page, "manager", None)
    page.goto(f"{live_server.url}/seances/accords/")
    check_page(page, "encadrant-accords")
    page.get_by_role("button", name=f"Accepter l'inscription de {report.full_name}").click()
    expect(page.get_by_text("Accord donné")).to_be_visible()

    phone.goto(f"{live_server.url}/seances/mes-seances/")
    expect(phone.get_by_text("Vous êtes inscrit(e).")).to_be_visible()

    # The training office cancels the session: the agent reads it on the phone.
    page.get_by_role("button", name="Se déconnecter").click()
    login(page, "hr", None)
    page.goto(f"{live_server.url}/seances/{session.pk}/annuler/")
    check_page(page, "rh-annuler-seance")
    page.get_by_label("Pourquoi la séance est annulée").fill("Formatrice malade")
    page.get_by_role("button", name="Annuler la séance").click()
    expect(page.get_by_text("Séance annulée").first).to_be_visible()
    check_page(page, "rh-seance-annulee")
    phone.goto(f"{live_server.url}/seances/mes-seances/")
    expect(phone.get_by_text("Cette séance est annulée.")).to_be_visible()
    check_page(phone, "agent-seance-annulee-telephone")
