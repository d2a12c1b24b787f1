"""The planner in Chromium: HR launches a run with the keyboard, reads the figures and
the goals, opens the proposed sessions on a calendar (week and month), fixes one from
there, accepts; axe on each page, the calendar at 360 px too."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import AgentFactory, JobFactory, OrgUnitFactory, SiteFactory
from tests.training.test_pathway_views import module, pathway_for
from tremplin.organisation.enums import WorkKind
from tremplin.planning.models import Registration, Room, Session, Trainer
from tremplin.training.enums import GoalPopulation, StepStatus, TrainerKind
from tremplin.training.models import CoverageGoal

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_hr_plans_reviews_fixes_and_accepts(live_server, page, world, login, check_page):
    site = SiteFactory(city="Rennes")
    m = module("messagerie", "Ma messagerie")
    m.group_min, m.group_max = 2, 4
    m.save()
    Room.objects.create(site=site, name="Salle A", capacity=6)
    trainer = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    trainer.modules.add(m)
    field = JobFactory(work_kind=WorkKind.FIELD)
    # A team in HR's scope (direction A), with its own goal.
    team = OrgUnitFactory(name="Équipe cantine", parent=world.dir_a)
    for _ in range(6):
        agent = AgentFactory(site=site, job=field, unit=team)
        pathway_for(agent, m, status=StepStatus.VALIDATED)

    CoverageGoal.objects.create(
        name="Messagerie pour tous",
        module=m,
        population=GoalPopulation.UNIT,
        unit=team,
        starts_on=timezone.localdate(),
        deadline=timezone.localdate() + dt.timedelta(days=60),
    )

    login(page, "hr", None)
    page.goto(f"{live_server.url}/seances/planning/")
    check_page(page, "rh-calcul-planning")
    start = timezone.localdate() + dt.timedelta(days=7)
    page.locator("#id_starts_on").fill(start.isoformat())
    page.locator("#id_ends_on").fill((start + dt.timedelta(days=28)).isoformat())
    page.get_by_label("Temps de calcul au plus (secondes)").fill("10")
    page.get_by_role("button", name="Calculer le planning").press("Enter")
    expect(page.get_by_role("heading", name="Les chiffres")).to_be_visible()
    expect(page.get_by_text("6 agents, 6 étapes")).to_be_visible()
    expect(page.get_by_role("heading", name="Les objectifs avec ce planning")).to_be_visible()
    expect(page.get_by_text("Atteint", exact=True)).to_be_visible()
    check_page(page, "rh-planning-propose")
    page.get_by_role("link", name="Voir le calendrier des séances proposées").click()
    expect(page.get_by_role("heading", name="Calendrier proposé")).to_be_visible()
    check_page(page, "rh-planning-calendrier-semaine")
    page.get_by_role("link", name="Ma messagerie").first.click()
    expect(page.get_by_role("table", name="Les agents placés dans cette séance")).to_be_visible()
    check_page(page, "rh-planning-seance-proposee")
    page.go_back()
    page.get_by_role("link", name="Voir le mois").click()
    expect(page.get_by_text("séances proposées", exact=False).first).to_be_visible()
    check_page(page, "rh-planning-calendrier-mois")
    page.set_viewport_size({"width": 360, "height": 800})
    check_page(page, "rh-planning-calendrier-mois-360")
    page.get_by_role("button", name="Fixer").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Séance fixée et créée")).to_be_visible()
    expect(page.get_by_role("heading", name="Calendrier proposé")).to_be_visible()
    assert Session.objects.filter(locked=True).count() == 1
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Retour aux chiffres du planning").click()
    page.get_by_role("button", name="Accepter le planning").click()
    expect(page.get_by_text("Planning accepté")).to_be_visible()
    assert Registration.objects.count() == 6
