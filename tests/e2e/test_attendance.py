"""Attendance in Chromium: an advisor marks the sheet on a tablet with the keyboard only
and closes it; the agent downloads their attestation on a phone. Axe and no horizontal
overflow on each page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import SiteFactory
from tests.training.test_pathway_views import module
from tremplin.accounts.enums import Role
from tremplin.planning.enums import RegistrationStatus, SessionStatus
from tremplin.planning.models import Registration, Room, Session, Trainer
from tremplin.training.enums import TrainerKind

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_advisor_marks_on_a_tablet_and_the_agent_gets_the_attestation(
    live_server, page, phone, world, login, check_page
):
    m = module("messagerie", "Ma messagerie")
    trainer = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    room = Room.objects.create(site=SiteFactory(name="Hôtel de ville"), name="Salle A", capacity=8)
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    session = Session.objects.create(
        module=m, starts_at=start, ends_at=start + dt.timedelta(hours=2), room=room, capacity=8
    )
    session.trainers.add(trainer)
    agent = world.users[Role.AGENT].agent  # last name "A20"
    colleague = world.agents[("Équipe A1a", "ville")]  # "A1a0": first on the sheet
    for someone in (agent, colleague):
        Registration.objects.create(
            session=session, agent=someone, status=RegistrationStatus.REGISTERED
        )

    page.set_viewport_size({"width": 800, "height": 1280})
    login(page, "advisor", None)
    page.goto(f"{live_server.url}/seances/{session.pk}/emargement/")
    first = page.get_by_role("group", name=colleague.full_name)
    second = page.get_by_role("group", name=agent.full_name)
    first.get_by_role("radio", name="Présent").focus()
    page.keyboard.press("ArrowRight")  # moves to "Absent" and ticks it
    page.keyboard.press("Tab")  # the next agent's group
    page.keyboard.press("Space")  # "Présent"
    expect(first.get_by_role("radio", name="Absent")).to_be_checked()
    expect(second.get_by_role("radio", name="Présent")).to_be_checked()
    check_page(page, "conseiller-emargement-tablette")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Enregistrer")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Clore la feuille")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Feuille close : 1 présent sur 2.")).to_be_visible()
    check_page(page, "conseiller-emargement-close")
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    page.goto(f"{live_server.url}/seances/absences/")
    expect(page.get_by_role("cell", name="100 %")).to_be_visible()  # the colleague
    check_page(page, "conseiller-absences")

    login(phone, "agent", None)
    phone.goto(f"{live_server.url}/seances/mes-seances/")
    link = phone.get_by_role("link", name="Mon attestation (PDF)")
    expect(link).to_be_visible()
    check_page(phone, "agent-mes-seances-attestation")
    response = phone.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
