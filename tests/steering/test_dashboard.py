"""The page and its downloads: scope, drill-down, the same figures as indicators, query
count independent of the number of units."""

import csv
import io

import openpyxl
import pytest

from tests.factories import AgentFactory, OrgUnitFactory
from tests.steering.dashboard_data import PERIOD, build
from tremplin.accounts.enums import Role
from tremplin.core.models import AuditEntry


@pytest.fixture
def data(world):
    return build(world)


def test_direction_sees_only_its_subtree(world, data, client):
    client.force_login(world.users[Role.DIRECTION])
    response = client.get("/pilotage/", PERIOD)
    board = response.context["board"]
    assert [row.label for row in board.units.rows] == ["Direction A"]
    assert board.headline.agents == 4
    # Four agents: the shares are not shown to a figure-only role.
    assert "moins de 5" in response.content.decode()


def test_direction_cannot_open_a_unit_outside_its_scope(world, data, client):
    client.force_login(world.users[Role.DIRECTION])
    response = client.get("/pilotage/", {**PERIOD, "unit": world.dir_b.pk})
    assert response.context["board"] is None
    assert "Sélectionnez un choix valide" in response.content.decode()
    export = client.get("/pilotage/tableaux/unites.csv", {"unit": world.dir_b.pk})
    assert export.status_code == 302


def test_drill_down_links_and_breadcrumbs(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    page = client.get("/pilotage/", PERIOD).content.decode()
    assert f"unit={world.dir_a.pk}" in page
    response = client.get("/pilotage/", {**PERIOD, "unit": world.serv_a1.pk})
    labels = [label for label, _url in response.context["crumbs"]]
    assert labels == ["Pilotage", "Direction A", "Service A1"]
    assert [row.label for row in response.context["board"].units.rows] == ["Équipe A1a"]


def test_csv_export_has_the_page_figures(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    response = client.get("/pilotage/tableaux/unites.csv", PERIOD)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Unité", "Agents", "Identité numérique active", "Identité numérique (%)"]
    by_unit = {row[0]: row for row in rows[1:]}
    assert by_unit["Direction A"][1:4] == ["4", "1", "25"]
    assert by_unit["Total de votre périmètre"][1:4] == ["6", "2", "33"]
    assert by_unit["Direction A"][-1] == "3,0"  # hours, decimal comma
    assert AuditEntry.objects.filter(
        action="export", summary__contains="Indicateurs par unité"
    ).exists()


def test_xlsx_export_of_training(world, data, client):
    client.force_login(world.users[Role.ADMIN])
    response = client.get("/pilotage/tableaux/formation.xlsx", PERIOD)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Heures de formation (séances et accompagnements)"] == 7.5
    assert values["Séances faites"] == 2
    assert values["Taux de remplissage (%)"] == 25
    assert values["Absences non excusées"] == 1


def test_bad_period_is_explained(world, client):
    client.force_login(world.users[Role.ADMIN])
    response = client.get("/pilotage/", {"start": "2026-06-01", "end": "2026-01-01"})
    assert "La fin de la période précède son début." in response.content.decode()


def _count_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get("/pilotage/", PERIOD).status_code == 200


def test_query_count_does_not_grow_with_units(world, data, client, django_assert_max_num_queries):
    client.force_login(world.users[Role.ADMIN])
    _count_queries(client, django_assert_max_num_queries, 40)
    for i in range(30):
        unit = OrgUnitFactory(name=f"Service {i}", parent=world.dir_b)
        AgentFactory(unit=unit, employer=world.city)
    _count_queries(client, django_assert_max_num_queries, 40)


def test_chart_coordinates_are_svg_numbers_in_french(world, data, client):
    """French number formatting writes « 252,5 »: a browser then draws nothing. The
    figures printed beside the bars stay French."""
    import re

    client.force_login(world.users[Role.ADMIN])
    page = client.get("/pilotage/", PERIOD).content.decode()
    assert page.count("<svg") >= 3
    svg = "".join(re.findall(r"<svg.*?</svg>", page, flags=re.S))
    assert not re.search(r'\b(?:x|y|x1|x2|y1|y2|width|height|points|d|viewBox)="[^"]*\d,\d', svg)
    assert re.search(r'x="\d+(\.\d+)?"', svg)


def test_a_tables_download_computes_that_table_only(
    world, data, client, django_assert_max_num_queries
):
    client.force_login(world.users[Role.ADMIN])
    client.get("/pilotage/tableaux/parcours.csv", PERIOD)  # warm caches
    # Session, user, roles, scope, the pathway states, the audit entry: not the whole board.
    with django_assert_max_num_queries(10):
        response = client.get("/pilotage/tableaux/parcours.csv", PERIOD)
    assert b"Propos" in b"".join(response.streaming_content)


def test_goals_xlsx_keeps_numbers_and_dates(world, data, client):
    import datetime as dt

    client.force_login(world.users[Role.ADMIN])
    response = client.get("/pilotage/tableaux/objectifs.xlsx", PERIOD)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert isinstance(row[header.index("Rythme (agents par mois)")], int | float)
    assert isinstance(row[header.index("Échéance")], dt.datetime)
    text = b"".join(client.get("/pilotage/tableaux/objectifs.csv", PERIOD).streaming_content)
    assert row[header.index("Échéance")].strftime("%d/%m/%Y").encode() in text
