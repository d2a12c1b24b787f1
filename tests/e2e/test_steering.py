"""The dashboard in Chromium: the admin's whole collectivité with trends, keyboard to the
drill-down link, the direction's page at 360 px and its « Recalculer ». Axe on each
page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.steering.dashboard_data import END, PERIOD, build

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_dashboard_walk(live_server, page, phone, world, login, check_page):
    build(world)
    call_command("snapshot_indicators", "--date", END.isoformat(), "--backfill", "3", verbosity=0)
    query = "&".join(f"{k}={v}" for k, v in PERIOD.items())

    login(page, "admin", None)
    page.goto(f"{live_server.url}/pilotage/?{query}")
    expect(page.get_by_role("heading", name="Tendances, mois par mois")).to_be_visible()
    expect(page.get_by_role("img", name="Couverture mois par mois (en %)")).to_be_visible()
    check_page(page, "pilotage")
    link = page.get_by_role("link", name="Direction A : voir ses sous-unités")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("row", name="Service A1 : voir ses sous-unités")).to_be_visible()
    check_page(page, "pilotage-direction-a")

    login(phone, "direction", None)
    phone.goto(f"{live_server.url}/pilotage/?{query}")
    expect(phone.get_by_text("moins de 5").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_page(phone, "pilotage-360")

    # « Recalculer maintenant » by keyboard: the same filters, figures of this minute.
    button = phone.get_by_role("button", name="Recalculer maintenant")
    button.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    assert phone.url == f"{live_server.url}/pilotage/?{query}"
    expect(phone.get_by_text("Chiffres calculés le")).to_be_visible()
    check_page(phone, "pilotage-360-recalcule")
