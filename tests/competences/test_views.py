"""Pages per role: rendered for the roles that may see them, refused for the others;
what each role reads there; forms; query counts on the lists."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.competences.helpers import measure
from tests.factories import AgentFactory
from tremplin.accounts import perms
from tremplin.accounts.enums import Role
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Competence, Evidence, JobRequirement, ProfileEntry
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry

pytestmark = pytest.mark.django_db
ALL = set(Role)
STAFF = ALL - {Role.AGENT}


def pages(gw):
    return [
        (reverse("competences:map"), STAFF),
        (reverse("competences:gap_list"), {Role.HR, Role.ADMIN, Role.MANAGER, Role.MOBILITY}),
        (reverse("competences:job_list"), STAFF),
        (reverse("competences:job_requirements", args=[gw.field_job.pk]), STAFF),
        # A20 is the agent user's own record, in HR's scope, outside the manager's team.
        (
            reverse("competences:agent_profile", args=[gw.a20.pk]),
            {Role.AGENT, Role.HR, Role.MOBILITY, Role.ADVISOR, Role.ADMIN},
        ),
        (
            reverse("competences:agent_profile_export", args=[gw.a20.pk]) + "?format=csv",
            {Role.AGENT, Role.HR, Role.MOBILITY, Role.ADVISOR, Role.ADMIN},
        ),
        # A1a1 reports to the manager.
        (
            reverse("competences:agent_profile", args=[gw.a1a1.pk]),
            {Role.MANAGER, Role.HR, Role.MOBILITY, Role.ADVISOR, Role.ADMIN},
        ),
        (
            reverse("competences:agent_profile", args=[gw.b0.pk]),
            {Role.MOBILITY, Role.ADVISOR, Role.ADMIN},
        ),
    ]


def test_every_page_for_every_role(gaps_world, client):
    failures = []
    for url, allowed in pages(gaps_world):
        for role, user in gaps_world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in allowed) != (status == 200) or status not in (200, 403):
                failures.append(f"{url} as {role}: {status}")
    assert not failures, "\n".join(failures)


def test_anonymous_is_sent_to_login(gaps_world, client):
    for url, _allowed in pages(gaps_world):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "predicate, allowed",
    [
        (perms.can_list_competence_gaps, {Role.HR, Role.ADMIN, Role.MANAGER, Role.MOBILITY}),
        (perms.can_view_competence_map, STAFF),
        (perms.can_view_job_requirements, STAFF),
        (perms.can_edit_job_requirements, {Role.HR, Role.ADMIN}),
    ],
)
def test_predicates_per_role(world, predicate, allowed):
    assert {role for role, user in world.users.items() if predicate(user)} == allowed


def test_observation_predicate_follows_role_and_scope(gaps_world):
    users = gaps_world.users
    allowed = {
        role for role, user in users.items() if perms.can_record_observation(user, gaps_world.a20)
    }
    assert allowed == {Role.ADVISOR, Role.ADMIN}
    advisor = users[Role.ADVISOR]
    advisor.agent = gaps_world.b1
    advisor.save()
    assert not perms.can_record_observation(advisor, gaps_world.b1)


def test_menu_entry(gaps_world, client):
    client.force_login(gaps_world.users[Role.DIRECTION])
    assert reverse("competences:map") in client.get(reverse("core:home")).content.decode()
    client.force_login(gaps_world.users[Role.AGENT])
    assert reverse("competences:map") not in client.get(reverse("core:home")).content.decode()


# --- What each role reads -----------------------------------------------------------------


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_agent_reads_their_profile_in_plain_words_on_their_page(gaps_world, client):
    client.force_login(gaps_world.users[Role.AGENT])  # A20: 2.1 = 2 (met), 4.1 = 0 (gap)
    page = text_of(client.get(reverse("organisation:my_page")))
    assert "Mes compétences numériques" in page
    assert "Vous savez déjà" in page
    assert (
        "<strong>Échanger avec les autres : messages, appels, visio</strong> : débutant (2 sur 8)."
        in page
    )
    assert "À apprendre pour votre métier" in page
    assert "Vous : pas encore appris (0 sur 8). Votre métier demande : débutant (1 sur 8)." in page
    # No framework jargon for the agent.
    assert "Novice" not in page and "4.1" not in page and "Sécuriser" not in page


def test_an_agent_never_measured_is_told_so(gaps_world, client):
    agent = gaps_world.b1
    user = gaps_world.users[Role.AGENT]
    user.agent = agent
    user.save()
    client.force_login(user)
    page = text_of(client.get(reverse("organisation:agent_detail", args=[agent.pk])))
    assert "Pas encore mesuré" in page
    assert (
        "Utiliser des tableaux et des chiffres</strong>. Votre métier demande : débutant (2 sur 8)."
        in page
    )


def test_staff_see_a_summary_on_the_agent_page(gaps_world, client):
    client.force_login(gaps_world.users[Role.HR])
    page = text_of(client.get(reverse("organisation:agent_detail", args=[gaps_world.a21.pk])))
    assert "Sous le niveau demandé : 1" in page
    assert reverse("competences:agent_profile", args=[gaps_world.a21.pk]) in page


def test_the_profile_page_shows_levels_sources_weights_and_history(gaps_world, client):
    agent = gaps_world.a21
    measure(agent, "1.3", 3, source=EvidenceSource.ADVISOR, on=dt.date(2025, 6, 1))
    client.force_login(gaps_world.users[Role.HR])
    response = client.get(reverse("competences:agent_profile", args=[agent.pk]))
    page = response.content.decode()
    assert "Indépendant 3" in page  # 3.1 estimated 2.5
    assert "estimé 2,5 ± 0,5" in page
    # 1.3: Pix 1 (sd 0.5, 83 days older: v = 0.25 + 0.5 × 83/365 = 0.364, w = 2.75) and the
    # advisor's 3 (w = 1): level = (2.75 × 1 + 3) / 3.75 = 1.53, rounded 2: the gap is closed.
    entry = ProfileEntry.objects.get(agent=agent, competence__code="1.3")
    assert entry.level == Decimal("1.53")
    assert "Écart : 1 niveau" not in page
    weights = {
        e.source: e.weight for e in response.context["evidence"] if e.competence.code == "1.3"
    }
    assert weights == {"pix": 73, "advisor": 27}
    assert "Niveaux précédents" in page
    assert AuditEntry.objects.filter(action=AuditAction.READ, target_id=str(agent.pk)).exists()


def test_direction_sees_figures_without_names(gaps_world, client):
    client.force_login(gaps_world.users[Role.DIRECTION])
    page = client.get(reverse("competences:map")).content.decode()
    assert "Direction A" in page
    assert "moins de 5 agents mesurés" in page
    # Direction A has 1 or 2 measured agents per competence: no figure is shown.
    assert "%<span" not in page and "1/1" not in page and "1/2" not in page
    for agent in (gaps_world.a1a0, gaps_world.a20, gaps_world.a21):
        assert agent.last_name not in page
    assert reverse("competences:gap_list") not in page


def test_heat_map_page_is_an_accessible_table_with_its_figures(gaps_world, client):
    client.force_login(gaps_world.users[Role.ADMIN])
    response = client.get(reverse("competences:map"))
    page = response.content.decode()
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert '<td class="tp-heat-4">\n        100 %<span class="tp-heat-count">1/1</span>' in page
    assert "67 %" in page  # total of 2.1
    assert "Tableau des données" in page
    assert "4 niveaux mesurés sur 8 (50 %) sont sous le niveau demandé" in text_of(response)
    drilled = client.get(reverse("competences:map"), {"unit": gaps_world.world.dir_a.pk})
    assert [row.label for row in drilled.context["heat"].rows] == ["Service A1", "Service A2"]


def test_gap_list_page(gaps_world, client):
    client.force_login(gaps_world.users[Role.HR])
    response = client.get(reverse("competences:gap_list"))
    assert [agent.last_name for agent, _found in response.context["rows"]] == ["A1a0", "A20", "A21"]
    page = response.content.decode()
    assert "3 agents" in page
    assert "niveau 1, demandé 2" in page
    response = client.get(reverse("competences:gap_list"), {"show": "unmeasured"})
    assert [a.last_name for a, _ in response.context["rows"]] == ["A1a1"]


def test_gap_list_query_count_does_not_grow_with_agents(gaps_world, client):
    client.force_login(gaps_world.users[Role.ADMIN])
    url = reverse("competences:gap_list")
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"show": "both"})
    world = gaps_world.world
    for i in range(30):
        agent = AgentFactory(unit=world.serv_a2, job=gaps_world.office_job, last_name=f"Y{i}")
        measure(agent, "1.3", 0)
        measure(agent, "3.1", 1)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, {"show": "both"})
    assert response.context["page"].paginator.count == 36
    assert len(large) == len(small) <= 12


def test_heat_map_query_count_does_not_grow_with_agents(gaps_world, client):
    client.force_login(gaps_world.users[Role.ADMIN])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("competences:map"))
    for i in range(30):
        agent = AgentFactory(unit=gaps_world.world.dir_b, job=gaps_world.field_job)
        measure(agent, "2.1", i % 4)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("competences:map"))
    assert len(large) == len(small) <= 12


# --- Forms --------------------------------------------------------------------------------


def requirement_data(levels: dict[str, str]) -> dict[str, str]:
    codes = dict(Competence.objects.values_list("code", "pk"))
    return {f"c{pk}": levels.get(code, "") for code, pk in codes.items()}


def test_hr_edits_what_a_job_requires(gaps_world, client):
    client.force_login(gaps_world.users[Role.HR])
    url = reverse("competences:job_requirements", args=[gaps_world.field_job.pk])
    form_page = client.get(url).content.decode()
    assert "<legend" in form_page and "4.1 Sécuriser l’environnement numérique" in form_page
    # 2.1 stays 2, 4.1 goes from 1 to 2, 5.1 is added; nothing else.
    response = client.post(url, requirement_data({"2.1": "2", "4.1": "2", "5.1": "1"}))
    assert response.status_code == 302
    assert dict(
        JobRequirement.objects.filter(job=gaps_world.field_job).values_list(
            "competence__code", "level"
        )
    ) == {"2.1": 2, "4.1": 2, "5.1": 1}
    audited = AuditEntry.objects.filter(target_type="competences.jobrequirement")
    assert set(audited.values_list("action", flat=True)) == {
        AuditAction.CREATE,
        AuditAction.UPDATE,
    }
    client.post(url, requirement_data({"2.1": "2"}))
    assert JobRequirement.objects.filter(job=gaps_world.field_job).count() == 1
    assert audited.filter(action=AuditAction.DELETE).count() == 2


def test_a_bad_required_level_is_refused_in_french(gaps_world, client):
    client.force_login(gaps_world.users[Role.ADMIN])
    url = reverse("competences:job_requirements", args=[gaps_world.field_job.pk])
    response = client.post(url, requirement_data({"2.1": "12"}))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert JobRequirement.objects.get(job=gaps_world.field_job, competence__code="2.1").level == 2


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DIRECTION, Role.ADVISOR, Role.MOBILITY])
def test_only_hr_and_admin_may_change_requirements(gaps_world, client, role):
    client.force_login(gaps_world.users[role])
    url = reverse("competences:job_requirements", args=[gaps_world.field_job.pk])
    assert client.post(url, requirement_data({})).status_code == 403
    assert JobRequirement.objects.filter(job=gaps_world.field_job).count() == 2


def test_advisor_records_an_observation(gaps_world, client):
    advisor = gaps_world.users[Role.ADVISOR]
    client.force_login(advisor)
    url = reverse("competences:add_observation", args=[gaps_world.b1.pk])
    response = client.post(
        url,
        {
            "competence": Competence.objects.get(code="1.3").pk,
            "level": "2",
            "observed_on": "2025-05-02",
            "note": "Remplit seul un tableau simple.",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(agent=gaps_world.b1)
    assert (evidence.source, evidence.level, evidence.author) == (
        EvidenceSource.ADVISOR,
        2,
        advisor,
    )
    assert ProfileEntry.objects.get(agent=gaps_world.b1).level == 2


def test_an_observation_in_the_future_is_refused_in_french(gaps_world, client):
    client.force_login(gaps_world.users[Role.ADVISOR])
    url = reverse("competences:add_observation", args=[gaps_world.b1.pk])
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client.post(
        url,
        {"competence": Competence.objects.get(code="1.3").pk, "level": "", "observed_on": tomorrow},
    )
    page = response.content.decode()
    assert "La date ne peut pas être dans le futur." in page
    assert "Ce champ est obligatoire." in page
    assert 'aria-invalid="true"' in page
    assert not Evidence.objects.filter(agent=gaps_world.b1).exists()


@pytest.mark.parametrize("role", [Role.HR, Role.MANAGER, Role.MOBILITY, Role.AGENT])
def test_other_roles_cannot_record_an_observation(gaps_world, client, role):
    client.force_login(gaps_world.users[role])
    url = reverse("competences:add_observation", args=[gaps_world.a1a1.pk])
    data = {
        "competence": Competence.objects.get(code="1.3").pk,
        "level": "2",
        "observed_on": "2025-05-02",
    }
    assert client.post(url, data).status_code == 403
    assert Evidence.objects.filter(agent=gaps_world.a1a1).count() == 1  # the Pix of the fixture


# --- Exports ------------------------------------------------------------------------------


def test_profile_export_csv(gaps_world, client):
    client.force_login(gaps_world.users[Role.HR])
    url = reverse("competences:agent_profile_export", args=[gaps_world.a21.pk])
    response = client.get(url, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == (
        "\ufeffMatricule;Nom;Prénom;Code;Compétence;Niveau estimé;Niveau;"
        "Incertitude (écart-type);Niveau demandé;État;Source principale;"
        "Date de la dernière observation"
    )
    matricule = gaps_world.a21.matricule
    first = gaps_world.a21.first_name
    assert (
        lines[1]
        == f"{matricule};A21;{first};1.3;Traiter des données;1;Novice 1;0,5;2;Écart;Pix (import);10/03/2025"
    )
    assert lines[2] == (
        f"{matricule};A21;{first};3.1;Développer des documents textuels;2,5;Indépendant 3;0,5;3;"
        "Niveau atteint;Diagnostic Tremplin;10/03/2025"
    )
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, target_id=str(gaps_world.a21.pk)
    ).exists()


def test_profile_export_xlsx(gaps_world, client):
    client.force_login(gaps_world.users[Role.ADMIN])
    url = reverse("competences:agent_profile_export", args=[gaps_world.b0.pk])
    response = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3:6] == ("Code", "Compétence", "Niveau estimé")
    assert rows[1][3] == "2.1" and rows[1][5] == 0 and rows[1][9] == "Écart"
    assert rows[2][3] == "4.1" and rows[2][5] is None and rows[2][9] == "Non mesuré"
