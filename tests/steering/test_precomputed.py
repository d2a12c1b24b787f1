"""Stored figures: the page reads back what was computed a few minutes ago (and says
when), « Recalculer » and age refresh them, no scope reads another's, the downloads show
the page's figures, `refresh_dashboard` computes the default views ahead."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import AgentFactory
from tests.steering.dashboard_data import PERIOD, build
from tremplin.accounts.enums import Role
from tremplin.steering.models import ComputedBoard


@pytest.fixture
def data(world):
    return build(world)


def _newcomer(world):
    """One more agent in Direction A, arrived before the period."""
    employer = world.agents[("Service A2", "ville")].employer
    return AgentFactory(unit=world.dir_a, employer=employer, arrival_date=dt.date(2020, 1, 1))


def _agents(client, query=PERIOD) -> int:
    return client.get("/pilotage/", query).context["board"].headline.agents


def test_the_page_reads_back_its_figures_and_says_when(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    assert _agents(client) == 6
    _newcomer(world)
    response = client.get("/pilotage/", PERIOD)
    assert response.context["board"].headline.agents == 6  # as computed a moment ago
    page = response.content.decode()
    computed = timezone.localtime(ComputedBoard.objects.get().computed_at)
    assert f"à {computed:%H} h {computed:%M}" in page
    assert "Ils datent de 15 minutes au plus." in page
    assert "Recalculer maintenant" in page


def test_recalculer_computes_again_and_keeps_the_filters(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    _agents(client)
    _newcomer(world)
    response = client.post("/pilotage/?start=2026-01-01&end=2026-06-30")
    assert response.status_code == 302
    assert response.url == "/pilotage/?start=2026-01-01&end=2026-06-30"
    assert _agents(client) == 7
    assert ComputedBoard.objects.count() == 1  # the same view, replaced


def test_figures_older_than_the_setting_are_computed_again(world, data, client, settings):
    client.force_login(world.users[Role.ADMIN])
    _agents(client)
    _newcomer(world)
    ComputedBoard.objects.update(computed_at=timezone.now() - dt.timedelta(minutes=16))
    assert _agents(client) == 7
    settings.TREMPLIN_DASHBOARD_MINUTES = 30
    ComputedBoard.objects.update(computed_at=timezone.now() - dt.timedelta(minutes=16))
    _newcomer(world)
    assert _agents(client) == 7  # 16 minutes is recent enough now


def test_zero_minutes_computes_every_page_and_stores_nothing(world, data, client, settings):
    settings.TREMPLIN_DASHBOARD_MINUTES = 0
    client.force_login(world.users[Role.ADMIN])
    assert _agents(client) == 6
    _newcomer(world)
    response = client.get("/pilotage/", PERIOD)
    assert response.context["board"].headline.agents == 7
    assert "Ils datent" not in response.content.decode()
    assert not ComputedBoard.objects.exists()


def test_no_scope_reads_another_scope_figures(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    assert _agents(client) == 6
    client.force_login(world.users[Role.DIRECTION])
    response = client.get("/pilotage/", PERIOD)
    assert [row.label for row in response.context["board"].units.rows] == ["Direction A"]
    assert response.context["board"].headline.agents == 4
    # Another filter is another view too.
    client.force_login(world.users[Role.ADMIN])
    assert _agents(client, {**PERIOD, "unit": world.dir_b.pk}) == 2
    assert ComputedBoard.objects.count() == 3


def test_downloads_show_the_figures_of_the_page(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    _agents(client)
    _newcomer(world)
    response = client.get("/pilotage/tableaux/unites.csv", PERIOD)
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows["Total de votre périmètre"][1] == "6"


def test_unreadable_stored_figures_are_computed_again(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    _agents(client)
    ComputedBoard.objects.update(figures=b"not a pickle")
    _newcomer(world)
    assert _agents(client) == 7


def test_refresh_dashboard_computes_each_default_view_ahead(world, data, client):
    old = ComputedBoard.objects.create(
        key="x" * 64, computed_at=timezone.now() - dt.timedelta(days=2), seconds=1, figures=b""
    )
    out = io.StringIO()
    call_command("refresh_dashboard", stdout=out)
    # The administrator counts everybody; HR (limited to Direction A here) and the
    # direction count the same agents, but small cells are hidden from the direction only.
    assert "3 vue(s) du tableau de bord calculée(s)" in out.getvalue()
    assert "1 ancienne(s) supprimée(s)" in out.getvalue()
    assert not ComputedBoard.objects.filter(pk=old.pk).exists()
    _newcomer(world)
    client.force_login(world.users[Role.DIRECTION])
    board = client.get("/pilotage/").context["board"]
    assert board.headline.agents == 4  # computed ahead, before the newcomer
    client.force_login(world.users[Role.ADMIN])
    assert client.get("/pilotage/").context["board"].headline.agents == 6


def test_refresh_dashboard_refuses_when_nothing_is_stored(db, settings):
    settings.TREMPLIN_DASHBOARD_MINUTES = 0
    with pytest.raises(CommandError, match="calculé à chaque page"):
        call_command("refresh_dashboard")


def test_figures_stored_by_older_code_are_not_read(world, data, client, monkeypatch):
    """A deploy that changes the stored dataclasses' fields changes the keys."""
    from tremplin.steering import precomputed

    assert "below" in precomputed.FORMAT and "autonomous" in precomputed.FORMAT
    client.force_login(world.users[Role.ADMIN])
    _agents(client)
    _newcomer(world)
    monkeypatch.setattr(precomputed, "FORMAT", precomputed.FORMAT + "|new_field")
    assert _agents(client) == 7
