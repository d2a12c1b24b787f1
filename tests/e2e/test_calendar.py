"""Calendars and resource pages in Chromium: HR adds an absence to a trainer with the
keyboard and finds it on the trainer's week; the month on a 360 px phone is a list of
days; axe and the width on each page."""

import datetime as dt

import pytest
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from playwright.sync_api import expect

from tests.factories import SiteFactory
from tests.planning.test_registrations import at, monday
from tests.training.test_pathway_views import module
from tremplin.planning import calendar
from tremplin.planning.enums import SessionStatus
from tremplin.planning.models import ContinuityRule, Room, Session, Trainer, TrainerAvailability
from tremplin.training.enums import TrainerKind

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def french_day(day: dt.date) -> str:
    return capfirst(date_format(day, "l j F"))


def test_absence_on_the_week_and_the_month_on_a_phone(
    live_server, page, phone, world, login, check_page
):
    m = module("messagerie", "Ma messagerie")
    room = Room.objects.create(
        site=SiteFactory(name="Maison des services"), name="Salle Bleue", capacity=8
    )
    trainer = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    trainer.modules.add(m)
    TrainerAvailability.objects.create(
        trainer=trainer, weekday=1, starts_at=dt.time(9), ends_at=dt.time(12)
    )
    ContinuityRule.objects.create(unit=world.team_a1a, max_absent_percent=50)
    start = at(monday(), 9)
    for days, status in ((0, SessionStatus.PLANNED), (1, SessionStatus.CANCELLED)):
        session = Session.objects.create(
            module=m,
            starts_at=start + dt.timedelta(days=days),
            ends_at=start + dt.timedelta(days=days, hours=2),
            room=room,
            capacity=6,
            status=status,
        )
        session.trainers.add(trainer)
    absent_on = start.date() + dt.timedelta(days=2)

    login(page, "hr", None)
    page.goto(f"{live_server.url}/seances/formateurs/")
    check_page(page, "rh-formateurs")
    page.get_by_role("link", name="Nadia Conseil", exact=True).click()
    check_page(page, "rh-formateur")
    # A bad absence first: the end before the start.
    page.get_by_label("Absent du").fill(absent_on.isoformat())
    page.get_by_label("au (inclus)").fill((absent_on - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Motif").fill("Congés")
    page.get_by_role("button", name="Ajouter l'absence").click()
    expect(page.get_by_text("La fin de l'absence doit venir après son début.")).to_be_visible()
    check_page(page, "rh-formateur-absence-erreur")
    page.get_by_label("au (inclus)").fill(absent_on.isoformat())
    page.get_by_label("au (inclus)").press("Enter")
    expect(page.get_by_text(f"Absence enregistrée du {absent_on:%d/%m/%Y}")).to_be_visible()

    page.get_by_role("link", name="Modifier").click()
    check_page(page, "rh-formateur-modifier")

    week = calendar.week_param(calendar.week_start(start.date()))
    page.goto(f"{live_server.url}/seances/calendrier/formateur/{trainer.pk}/?semaine={week}")
    day = page.locator("section").filter(has_text="Congés")
    expect(day).to_have_count(1)
    expect(day.get_by_role("heading")).to_have_text(french_day(absent_on))
    expect(day.get_by_text("Absence", exact=True)).to_be_visible()
    expect(page.locator("del", has_text="Ma messagerie")).to_be_visible()
    expect(page.get_by_text("Annulée")).to_be_visible()
    check_page(page, "rh-calendrier-formateur-semaine")
    page.get_by_role("link", name="Voir le mois").click()
    expect(page.get_by_role("table")).to_be_visible()
    check_page(page, "rh-calendrier-formateur-mois")
    page.get_by_role("link", name="Ma messagerie").first.click()
    expect(page.get_by_role("heading", name="Ma messagerie")).to_be_visible()

    page.goto(f"{live_server.url}/seances/salles/")
    check_page(page, "rh-salles")
    page.get_by_role("link", name="Nouvelle salle").click()
    page.get_by_label("Site").select_option(label="Maison des services")
    page.get_by_label("Nom").fill("Salle Bleue")
    page.get_by_label("Places").fill("0")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Une salle a au moins 1 place.")).to_be_visible()
    expect(page.get_by_text("a déjà une salle « Salle Bleue »")).to_be_visible()
    check_page(page, "rh-salle-erreur")
    page.goto(f"{live_server.url}/seances/continuite/")
    check_page(page, "rh-continuite")
    page.goto(f"{live_server.url}/seances/continuite/nouvelle/")
    check_page(page, "rh-continuite-nouvelle")
    page.goto(f"{live_server.url}/seances/continuite/")
    page.get_by_role("link", name="Périodes sans formation").click()
    page.get_by_label("Nom").fill("Vacances de Noël")
    page.locator("#id_starts_on").fill("2030-12-21")
    page.locator("#id_ends_on").fill("2030-12-20")
    page.get_by_role("button", name="Ajouter la période").press("Enter")
    expect(page.get_by_text("La fin doit venir après le début.")).to_be_visible()
    check_page(page, "rh-periodes-erreur")
    page.locator("#id_ends_on").fill("2031-01-05")
    page.get_by_role("button", name="Ajouter la période").press("Enter")
    expect(page.get_by_role("rowheader", name="Vacances de Noël")).to_be_visible()
    check_page(page, "rh-periodes")

    login(phone, "advisor", None)
    month = calendar.month_param(start.date().replace(day=1))
    phone.goto(f"{live_server.url}/seances/calendrier/?mois={month}")
    expect(phone.get_by_role("table")).to_be_hidden()
    expect(phone.get_by_role("heading", name=french_day(start.date()))).to_be_visible()
    expect(phone.get_by_role("link", name="Ma messagerie").first).to_be_visible()
    check_page(phone, "conseiller-calendrier-mois-telephone")
    phone.get_by_role("link", name="Voir par semaine").click()
    check_page(phone, "conseiller-calendrier-semaine-telephone")
