"""The annual training plan and the Rapport social unique: figures counted by hand on the
dataset of reports_data (read its docstring first), exports parsed back, access
per role."""

import csv
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.steering import reports_data as dataset
from tremplin.accounts.enums import Role
from tremplin.steering import reports

D = Decimal

reports_world = dataset.reports_world  # the fixture, shared with the other tests


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) absent: the PDF's text is not read back.")
    done = subprocess.run(  # noqa: S603 (our own PDF, a fixed program found on PATH)
        [pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def row_of(plan, code):
    return next(r for r in plan.rows if r.module.code == code)


# --- Training plan ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_training_plan_figures_for_the_whole_collectivite(reports_world):
    w = reports_world
    plan = reports.training_plan(w.world.users[Role.ADMIN], w.year)
    assert [r.module.code for r in plan.rows] == [
        "bureautique",
        "fresque",
        "messagerie",
        "securite",
    ]

    mail = row_of(plan, "messagerie")
    # Concerned: A1a0 (C, done this year) and A1a1 (B, validated); A21's step is cancelled
    # and B0's was done the year before.
    assert mail.by_category() == [0, 1, 1, 0] and mail.agents == 2
    # S1 held and S4 planned (S0 is last year's); seats 8 + 6; present at S1: 4.
    assert (mail.sessions_planned, mail.sessions_held, mail.seats) == (1, 1, 14)
    assert mail.attendances == 4
    assert mail.planned_hours == D("4.0")  # 2 h × 2 agents
    assert mail.held_hours == D("8.0")  # 2 h × 4 present
    assert mail.cost == D("0") and mail.provider == reports.Provider.INTERNAL

    office = row_of(plan, "bureautique")
    # A1a0 (C, done), A1a1 (B, done), A20 (C, proposed); S5 is cancelled.
    assert office.by_category() == [0, 1, 2, 0] and office.agents == 3
    assert (office.sessions_planned, office.sessions_held, office.seats) == (0, 1, 12)
    assert office.attendances == 2  # A20 was excused
    assert office.planned_hours == D("21.0")  # 7 h × 3
    assert office.cost == D("450")  # 150 € × 3
    assert office.provider == reports.Provider.CNFPT
    assert office.provider_label == "CNFPT"
    assert office.goals == ["Bureautique pour tous"]

    security = row_of(plan, "securite")
    assert security.by_category() == [1, 0, 0, 1] and security.agents == 2  # A21 (A), B1 (—)
    assert security.provider == reports.Provider.OTHER
    assert security.provider_label == "Autre organisme (Cabinet Sûr)"
    assert security.planned_hours == D("7.0") and security.cost == D("160")

    fresque = row_of(plan, "fresque")
    assert fresque.agents == 0 and fresque.provider == reports.Provider.INTERNAL
    assert fresque.goals == ["Fresque pour tous"]

    totals = plan.totals
    assert totals["by_category"] == [1, 2, 3, 1]
    assert totals["agents"] == 7
    assert (totals["sessions_planned"], totals["sessions_held"], totals["seats"]) == (1, 3, 36)
    assert totals["attendances"] == 8
    assert totals["planned_hours"] == D("32.0")  # 4 + 21 + 7
    assert totals["held_hours"] == D("29.0")  # 8 + 14 + 7
    assert totals["cost"] == D("610")  # 0 + 450 + 160
    # Distinct: A1a0, A1a1, A20, A21, B1.
    assert plan.agents_concerned == 5


@pytest.mark.django_db
def test_training_plan_is_scoped_and_filtered_by_employer(reports_world):
    w = reports_world
    hr = w.world.users[Role.HR]  # direction A: not B0 nor B1
    plan = reports.training_plan(hr, w.year)
    assert row_of(plan, "securite").by_category() == [1, 0, 0, 0]
    assert row_of(plan, "messagerie").attendances == 3  # B0 is out of scope
    assert plan.agents_concerned == 4
    # Sessions are the collectivité's, whoever attends them.
    assert row_of(plan, "messagerie").seats == 14

    admin = w.world.users[Role.ADMIN]
    plan = reports.training_plan(admin, w.year, employer=w.world.metro)
    # Métropole: A1a1 (B), A21 (A), B1 (—).
    assert row_of(plan, "bureautique").by_category() == [0, 1, 0, 0]
    assert row_of(plan, "securite").by_category() == [1, 0, 0, 1]
    assert plan.agents_concerned == 3


@pytest.mark.django_db
def test_training_plan_xlsx_parsed_back(client, reports_world):
    w = reports_world
    client.force_login(w.world.users[Role.HR])
    response = client.get(reverse("steering:training_plan_xlsx"), {"annee": w.year})
    assert response.status_code == 200
    assert f"plan-de-formation-{w.year}.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Présentation", f"Plan {w.year}"]
    assert workbook["Présentation"]["A2"].value == f"Plan de formation {w.year}"
    rows = list(workbook[f"Plan {w.year}"].iter_rows(values_only=True))
    assert list(rows[0]) == reports.PLAN_HEADERS
    by_title = {row[0]: dict(zip(reports.PLAN_HEADERS, row, strict=True)) for row in rows[1:]}
    office = by_title["Bureautique"]
    assert office["Organisme"] == "CNFPT"
    assert office["Agents concernés catégorie C"] == 2
    assert office["Agents concernés (total)"] == 3
    assert office["Heures de formation prévues"] == 21
    assert office["Coût estimé (€)"] == 450
    assert office["Objectifs servis"] == "Bureautique pour tous"
    total = by_title["Total"]
    # HR's scope (direction A): mail 2 + office 3 + security 1 (A21) = 6 agents,
    # cost 0 + 450 + 80 = 530 €.
    assert total["Agents concernés (total)"] == 6
    assert total["Coût estimé (€)"] == 530


@pytest.mark.django_db
def test_training_plan_pdf_has_cover_figures_and_page_numbers(client, reports_world):
    w = reports_world
    client.force_login(w.world.users[Role.ADMIN])
    response = client.get(reverse("steering:training_plan_pdf"), {"annee": w.year})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"Plan de formation {w.year}" in text
    assert w.world.collectivite.name in text
    assert "Bureautique pour tous" in text
    assert "Cabinet Sûr" in text
    assert "610,00" in text  # the total estimated cost
    assert "Page 1 sur" in text and "Page 2 sur" in text


# --- Rapport social unique -------------------------------------------------------------------


def figures(line):
    return (
        line.days_cnfpt,
        line.days_other,
        line.days_internal,
        line.days_coaching,
        line.days_total,
        line.hours_total,
        line.agents,
    )


@pytest.mark.django_db
def test_rsu_by_category_gender_and_provider(reports_world):
    w = reports_world
    rsu = reports.rsu_indicators(w.world.users[Role.ADMIN], w.year)
    a, b, c, unknown = rsu.by_category
    # A: A21, mail 2 h (internal) + security 3 h 30 (other) = 330 min.
    assert figures(a) == (D("0.0"), D("0.5"), D("0.3"), D("0.0"), D("0.8"), D("5.5"), 1)
    # B: A1a1, office 7 h (CNFPT); S0 was last year, S1 absent.
    assert figures(b) == (D("1.0"), D("0.0"), D("0.0"), D("0.0"), D("1.0"), D("7.0"), 1)
    # C: A1a0 mail 2 h + office 7 h, A20 mail 2 h + coaching 1 h, B0 mail 2 h.
    # Internal 2 + 2 + 1 + 2 = 7 h = 1 day; CNFPT 7 h; coaching 1 h = 0.1 day.
    assert figures(c) == (D("1.0"), D("0.0"), D("1.0"), D("0.1"), D("2.0"), D("14.0"), 3)
    # Category not given: B1, security 3 h 30 (other) + coaching 1 h.
    assert figures(unknown) == (D("0.0"), D("0.5"), D("0.1"), D("0.1"), D("0.6"), D("4.5"), 1)
    # Total: CNFPT 14 h, other 7 h, internal 10 h (coaching 2 h): 31 h = 4.4 days, 6 agents.
    assert figures(rsu.total) == (D("2.0"), D("1.0"), D("1.4"), D("0.3"), D("4.4"), D("31.0"), 6)

    women, men, other, not_given = rsu.by_gender
    # Women: A1a0 (2 h internal + 7 h CNFPT), A20 (2 h + 1 h coaching), B1 (3 h 30 + 1 h).
    assert figures(women) == (D("1.0"), D("0.5"), D("0.9"), D("0.3"), D("2.4"), D("16.5"), 3)
    # Men: A1a1 (7 h CNFPT), B0 (2 h internal).
    assert figures(men) == (D("1.0"), D("0.0"), D("0.3"), D("0.0"), D("1.3"), D("9.0"), 2)
    assert figures(other)[-1] == 0
    assert figures(not_given) == (D("0.0"), D("0.5"), D("0.3"), D("0.0"), D("0.8"), D("5.5"), 1)
    assert not any(line.hidden for line in rsu.by_category)


@pytest.mark.django_db
def test_rsu_says_gender_not_given_when_the_sirh_has_none(reports_world):
    w = reports_world
    w.a1a0.__class__.objects.update(gender="")
    rsu = reports.rsu_indicators(w.world.users[Role.ADMIN], w.year)
    assert rsu.by_gender is None
    assert ["Sexe", "non fourni par le SIRH", *[""] * 7] in reports.rsu_table(rsu)


@pytest.mark.django_db
def test_rsu_hides_small_lines_from_the_direction(client, reports_world):
    w = reports_world
    client.force_login(w.world.users[Role.DIRECTION])
    response = client.get(reverse("steering:rsu_csv"), {"annee": w.year})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == reports.RSU_HEADERS
    lines = {(r[0], r[1]): r[2:] for r in rows[1:]}
    # Direction A: A21 (A), A1a1 (B), A1a0 and A20 (C): each line under 5 agents.
    assert lines[("Catégorie", "Catégorie A")] == ["moins de 5 agents"] * 7
    assert lines[("Catégorie", "Catégorie C")] == ["moins de 5 agents"] * 7
    # The total stays: CNFPT 14 h (A1a0, A1a1), other 3 h 30 (A21), internal 7 h (mail
    # 2 h for A1a0, A20 and A21, coaching 1 h for A20): 24 h 30 = 3.5 days, 4 agents.
    assert lines[("Total", "Total")] == ["2,0", "0,5", "1,0", "0,1", "3,5", "24,5", "4"]


@pytest.mark.django_db
def test_rsu_page_and_xlsx_for_hr(client, reports_world, django_assert_max_num_queries):
    w = reports_world
    client.force_login(w.world.users[Role.HR])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("steering:rsu"), {"annee": w.year})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Un jour = 7 heures" in page
    assert "<caption" in page and 'scope="row"' in page
    assert "Moins de 5" not in page  # HR sees every line

    response = client.get(reverse("steering:rsu_xlsx"), {"annee": w.year})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == reports.RSU_HEADERS
    by_group = {(r[0], r[1]): r[2:] for r in rows[1:]}
    # HR's scope, category C: A1a0 (2 h + 7 h CNFPT), A20 (2 h + 1 h coaching).
    assert by_group[("Catégorie", "Catégorie C")] == (1.0, 0.0, 0.7, 0.1, 1.7, 12.0, 2)
    assert by_group[("Sexe", "Femmes")] == (1.0, 0.0, 0.7, 0.1, 1.7, 12.0, 2)
    assert by_group[("Total", "Total")][-1] == 4


# --- Pages and access ------------------------------------------------------------------------


REPORT_URLS = [
    "steering:reports",
    "steering:training_plan_xlsx",
    "steering:training_plan_pdf",
    "steering:rsu",
    "steering:rsu_csv",
    "steering:rsu_xlsx",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", REPORT_URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTION, 200),
        (Role.HR, 200),
        (Role.ADMIN, 200),
        (Role.AGENT, 403),
        (Role.MANAGER, 403),
        (Role.ADVISOR, 403),
        (Role.MOBILITY, 403),
    ],
)
def test_reports_access_per_role(client, world, name, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse(name)).status_code == status


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("steering:reports"))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


@pytest.mark.django_db
def test_reports_page_links_carry_year_and_employer(client, reports_world):
    w = reports_world
    client.force_login(w.world.users[Role.ADMIN])
    response = client.get(
        reverse("steering:reports"), {"annee": w.year, "employeur": w.world.metro.pk}
    )
    page = response.content.decode()
    query = f"annee={w.year}&amp;employeur={w.world.metro.pk}"
    assert f"{reverse('steering:training_plan_pdf')}?{query}" in page
    assert f"{reverse('steering:rsu_csv')}?{query}" in page
    assert 'name="employeur"' in page


@pytest.mark.django_db
def test_employer_filter_hidden_for_a_single_employer_user(client, reports_world):
    from tests.factories import user_with_role

    w = reports_world
    hr_city = user_with_role(Role.HR, employer=w.world.city)
    client.force_login(hr_city)
    page = client.get(reverse("steering:reports")).content.decode()
    assert 'name="employeur"' not in page and 'name="annee"' in page


@pytest.mark.django_db
def test_bad_year_falls_back_to_the_current_year_with_an_error(client, world):
    client.force_login(world.users[Role.HR])
    response = client.get(reverse("steering:reports"), {"annee": "1900"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sélectionnez un choix valide" in page
    assert 'aria-invalid="true"' in page
