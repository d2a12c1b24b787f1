"""Mobility in Chromium: the mobility officer reads the candidates of a position with the
reasons, builds a pathway, opens a redeployment file (error on the field first), records
hours; the agent reads « Métiers accessibles » on a phone once opened. Axe on each page,
keyboard for the forms, 360 px for the agent."""

import pytest
from playwright.sync_api import expect

from tests.competences.helpers import measure
from tests.mobility.factories import FileFactory, PositionFactory
from tremplin.competences.models import Competence, JobRequirement
from tremplin.training.enums import ModuleFormat, TrainerKind
from tremplin.training.models import Module, ModuleOutcome

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_mobility_officer_and_agent(live_server, page, phone, world, login, check_page):
    code = dict(Competence.objects.values_list("code", "pk"))
    office = world.agents[("Équipe A1a", "metropole")].job
    JobRequirement.objects.create(job=office, competence_id=code["3.1"], level=3)
    position = PositionFactory(job=office, unit=world.serv_a2, site=world.site, category="C")
    agent = world.agents[("Service A2", "ville")]  # the demo login "agent"
    for someone in world.agents.values():
        someone.category = "C"
        someone.save()
    measure(agent, "3.1", 2)
    module = Module.objects.create(
        code="tableur",
        title="Le tableur",
        objective="Faire un tableau simple.",
        format=ModuleFormat.GROUP,
        duration_minutes=420,
        trainer_kind=TrainerKind.ADVISOR,
    )
    ModuleOutcome.objects.create(module=module, competence_id=code["3.1"], level_from=1, level_to=3)
    FileFactory(agent=world.agents[("Direction B", "ville")])

    login(page, "mobility", None)
    page.goto(f"{live_server.url}/mobilite/postes/")
    check_page(page, "mobilite-postes")
    page.goto(f"{live_server.url}/mobilite/postes/{position.pk}/candidats/")
    # Known to be one level short comes before never measured, who is to be measured first.
    rows = page.get_by_role("row")
    expect(rows.nth(1)).to_contain_text(agent.last_name)
    expect(rows.nth(1)).to_contain_text("manque 1 niveau en 3.1")
    expect(rows.nth(2)).to_contain_text("À mesurer d'abord (diagnostic ou Pix) : 3.1")
    check_page(page, "mobilite-candidats")
    page.goto(f"{live_server.url}/mobilite/dossiers/")
    check_page(page, "mobilite-dossiers")
    page.get_by_role("link", name="Ouvrir un dossier").first.click()
    check_page(page, "mobilite-dossier-nouveau")

    page.goto(f"{live_server.url}/mobilite/agents/{agent.pk}/postes/")
    check_page(page, "mobilite-agent-postes")
    page.get_by_role("button", name="Ouvrir la page à l'agent").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    login(phone, "agent", None)
    phone.goto(f"{live_server.url}/mobilite/metiers-accessibles/")
    expect(phone.get_by_text("Le tableur").first).to_be_visible()
    check_page(phone, "agent-metiers-accessibles-telephone")
