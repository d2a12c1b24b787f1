import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.competences.helpers import measure
from tests.factories import AgentFactory
from tests.mobility.factories import DAY, FileFactory, PositionFactory
from tremplin.accounts.enums import Role
from tremplin.competences.models import Competence, JobRequirement
from tremplin.mobility import access
from tremplin.mobility.enums import PositionStatus
from tremplin.mobility.models import Move, Position, PositionRequirement, RedeploymentFile, Wish
from tremplin.training.enums import ModuleFormat, TrainerKind
from tremplin.training.models import Module, ModuleOutcome, Pathway
from tremplin.training.pathways import refresh_for_agents

# Session, user, roles, branding, then the page's fixed bulk reads, whatever the agents.
QUERIES = 15


@pytest.fixture
def setting(world):
    """An office position needing 3.1 at level 3; the agents of the world measured."""
    code = dict(Competence.objects.values_list("code", "pk"))
    office = world.agents[("Équipe A1a", "metropole")].job
    office.family = "Administration"
    office.save()
    JobRequirement.objects.create(job=office, competence_id=code["3.1"], level=3)
    position = PositionFactory(job=office, unit=world.serv_a2, site=world.site, category="C")
    ready = world.agents[("Service A2", "ville")]
    close = world.agents[("Direction B", "ville")]
    far = world.agents[("Équipe A1a", "ville")]
    for agent in world.agents.values():
        agent.category = "C"
        agent.save()
    measure(ready, "3.1", 3)
    measure(close, "3.1", 2)
    measure(far, "3.1", 1)
    Wish.objects.create(agent=close, family="Administration")
    spreadsheet = Module.objects.create(
        code="tableur",
        title="Le tableur",
        objective="Faire un tableau simple.",
        format=ModuleFormat.GROUP,
        duration_minutes=420,
        trainer_kind=TrainerKind.ADVISOR,
    )
    ModuleOutcome.objects.create(
        module=spreadsheet, competence_id=code["3.1"], level_from=1, level_to=3
    )
    return world, position, ready, close, far


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_candidates_ranked_and_explained(setting, django_assert_max_num_queries):
    world, position, ready, close, far = setting
    client = client_for(world.users[Role.MOBILITY])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("mobility:candidates", args=[position.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    names = [agent.pk for agent, _fit, _modules in rows]
    assert names.index(ready.pk) < names.index(close.pk) < names.index(far.pk)
    fit = next(f for a, f, _m in rows if a.pk == close.pk)
    assert fit.explanation == (
        "manque 1 niveau en 3.1 ; ~7 h de formation ; même site ; a exprimé ce souhait"
    )
    assert "a exprimé ce souhait" in response.text


@pytest.mark.django_db
def test_candidates_query_count_does_not_grow_with_agents(setting, django_assert_max_num_queries):
    world, position, *_ = setting
    client = client_for(world.users[Role.MOBILITY])
    client.get(reverse("mobility:candidates", args=[position.pk]))  # warm caches
    with django_assert_max_num_queries(QUERIES):
        client.get(reverse("mobility:candidates", args=[position.pk]))
    AgentFactory.create_batch(30, unit=world.serv_a2, site=world.site, category="C")
    client.get(reverse("mobility:candidates", args=[position.pk]))  # new employers: branding
    with django_assert_max_num_queries(QUERIES):
        client.get(reverse("mobility:candidates", args=[position.pk]))


@pytest.mark.django_db
def test_build_pathway_reuses_the_training_generator(setting):
    world, position, _ready, close, _far = setting
    client = client_for(world.users[Role.MOBILITY])
    response = client.post(reverse("mobility:build_pathway", args=[position.pk, close.pk]))
    assert response.status_code == 302
    pathway = Pathway.objects.get(agent=close, target_job=position.job)
    assert [s.module.code for s in pathway.steps.all()] == ["tableur"]
    page = client.get(response.url)
    assert "Durée prévue : 7 h de formation, en 1 module." in page.text


@pytest.mark.django_db
def test_pathway_aims_at_the_positions_own_levels_too(setting):
    """The position asks 1.3 at level 2 beyond its job: the pathway has the module that
    brings it, keeps it after a refresh on new evidence, and says when the position's
    levels changed since it was built."""
    world, position, ready, _close, _far = setting
    code = dict(Competence.objects.values_list("code", "pk"))
    mail = Module.objects.create(
        code="courriel",
        title="Le courriel",
        objective="Écrire un courriel.",
        format=ModuleFormat.GROUP,
        duration_minutes=180,
        trainer_kind=TrainerKind.ADVISOR,
    )
    ModuleOutcome.objects.create(module=mail, competence_id=code["1.3"], level_from=0, level_to=2)
    PositionRequirement.objects.create(position=position, competence_id=code["1.3"], level=2)
    measure(ready, "1.3", 1)
    client = client_for(world.users[Role.MOBILITY])
    response = client.post(reverse("mobility:build_pathway", args=[position.pk, ready.pk]))
    pathway = Pathway.objects.get(agent=ready, target_job=position.job)
    assert pathway.extra_levels == {"1.3": 2}
    assert [s.module.code for s in pathway.steps.all()] == ["courriel"]
    page = client.get(response.url)
    assert "ceux propres à ce poste" in page.text and "1.3 niveau 2" in page.text
    assert "Durée prévue : 3 h de formation, en 1 module." in page.text

    # New evidence on another competence: the refresh still aims at the position's level.
    refresh_for_agents([ready.pk])
    assert [s.module.code for s in pathway.steps.open()] == ["courriel"]

    PositionRequirement.objects.filter(position=position).update(level=3)
    assert "mettez-le à jour" in client.get(response.url).text
    client.post(reverse("mobility:build_pathway", args=[position.pk, ready.pk]))
    pathway.refresh_from_db()
    assert pathway.extra_levels == {"1.3": 3}
    assert "mettez-le à jour" not in client.get(response.url).text
    # No module reaches level 3 in 1.3: said on the page, not hidden.
    assert "Pas de module au catalogue pour" in client.get(response.url).text


@pytest.mark.django_db
def test_agent_sees_reachable_jobs_only_once_opened(setting):
    world, position, ready, *_ = setting
    agent_user = world.users[Role.AGENT]
    assert agent_user.agent_id == ready.pk
    agent_client = client_for(agent_user)
    assert agent_client.get(reverse("mobility:my_jobs")).status_code == 403
    mobility = client_for(world.users[Role.MOBILITY])
    page = mobility.get(reverse("mobility:agent_positions", args=[ready.pk]))
    assert "Ouvrir la page à l'agent" in page.text
    mobility.post(reverse("mobility:agent_positions", args=[ready.pk]), {"open": "1"})
    assert access.reachable_jobs_opened(ready.pk)
    response = agent_client.get(reverse("mobility:my_jobs"))
    assert response.status_code == 200
    assert [p.pk for p, _learn in response.context["rows"]] == [position.pk]
    assert response.context["rows"][0][1] == []  # ready: nothing to learn
    assert "Rien : vous avez déjà le niveau demandé." in response.text
    assert f'href="{reverse("mobility:home")}"' in agent_client.get(reverse("core:home")).text
    assert agent_client.get(reverse("mobility:home")).url == reverse("mobility:my_jobs")


@pytest.mark.django_db
def test_create_position_with_an_extra_requirement(world):
    client = client_for(world.users[Role.MOBILITY])
    job = world.agents[("Équipe A1a", "metropole")].job
    competence = Competence.objects.get(code="1.3")
    data = {
        "job": job.pk,
        "unit": world.serv_a2.pk,
        "site": world.site.pk,
        "category": "B",
        "starts_on": "2026-09-01",
        "status": PositionStatus.OPEN,
        "description": "",
        "extra-TOTAL_FORMS": "2",
        "extra-INITIAL_FORMS": "0",
        "extra-0-competence": competence.pk,
        "extra-0-level": "4",
        "extra-1-competence": "",
        "extra-1-level": "",
    }
    response = client.post(reverse("mobility:position_create"), data)
    assert response.status_code == 302
    position = Position.objects.get()
    assert [(r.competence.code, r.level) for r in position.extra_requirements.all()] == [("1.3", 4)]
    bad = {**data, "extra-0-level": ""}
    response = client.post(reverse("mobility:position_create"), bad)
    assert response.status_code == 200
    assert "Indiquez le niveau demandé." in response.text
    assert Position.objects.count() == 1


@pytest.mark.django_db
def test_file_form_refuses_a_ppr_over_one_year(world):
    client = client_for(world.users[Role.MOBILITY])
    agent = world.agents[("Service A2", "ville")]
    data = {
        "agent": agent.pk,
        "restriction": "Pas de station debout prolongée",
        "opened_on": "2026-03-01",
        "ppr_starts_on": "2026-03-01",
        "ppr_ends_on": "2027-03-15",
        "cpf_hours_carried": "0",
        "hours_used": "0",
        "status": "open",
    }
    response = client.post(reverse("mobility:file_create"), data)
    assert response.status_code == 200
    assert "La PPR dure un an au plus." in response.text
    assert not RedeploymentFile.objects.exists()
    response = client.post(reverse("mobility:file_create"), {**data, "ppr_ends_on": "2027-02-28"})
    assert response.status_code == 302
    assert RedeploymentFile.objects.get().agent == agent


@pytest.mark.django_db
def test_hours_beyond_balance_refused_in_french(world):
    client = client_for(world.users[Role.MOBILITY])
    file = FileFactory(agent=world.agents[("Service A2", "ville")])
    response = client.post(reverse("mobility:use_hours", args=[file.pk]), {"hours": "30"})
    assert response.status_code == 400
    assert "Il reste 25 h : impossible d&#x27;en utiliser 30." in response.text
    file.refresh_from_db()
    assert file.hours_used == 0
    client.post(reverse("mobility:use_hours", args=[file.pk]), {"hours": "10"})
    file.refresh_from_db()
    assert file.hours_balance == 15


@pytest.mark.django_db
def test_placement_outside_the_ppr_refused(world):
    client = client_for(world.users[Role.MOBILITY])
    file = FileFactory(agent=world.agents[("Service A2", "ville")])
    response = client.post(
        reverse("mobility:placement_add", args=[file.pk]),
        {
            "unit": world.serv_a1.pk,
            "starts_on": (DAY - dt.timedelta(days=10)).isoformat(),
            "ends_on": DAY.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "La mise en situation doit tenir dans les dates de la PPR." in response.text
    assert not file.placements.exists()


@pytest.mark.django_db
def test_record_a_move_fills_the_position(setting):
    world, position, ready, *_ = setting
    client = client_for(world.users[Role.ADMIN])
    response = client.post(
        reverse("mobility:move_create"),
        {"agent": ready.pk, "position": position.pk, "moved_on": "2026-06-01"},
    )
    assert response.status_code == 302
    move = Move.objects.get()
    assert (move.to_job, move.from_job) == (position.job, ready.job)
    position.refresh_from_db()
    assert position.status == PositionStatus.FILLED
    page = client.get(reverse("mobility:moves"))
    assert str(ready) in page.text
    # An administrator can link no file: the field is not even offered.
    assert "file" not in client.get(reverse("mobility:move_create")).context["form"].fields


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MOBILITY, Role.ADMIN])
def test_mobility_pages_render(setting, role):
    world, position, ready, *_ = setting
    client = client_for(world.users[role])
    for url in [
        reverse("mobility:positions"),
        reverse("mobility:positions") + "?status=all",
        reverse("mobility:position_create"),
        reverse("mobility:position_edit", args=[position.pk]),
        reverse("mobility:agent_positions", args=[ready.pk]) + "?tous=1",
        reverse("mobility:pathway", args=[position.pk, ready.pk]),
        reverse("mobility:moves"),
        reverse("mobility:move_create"),
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("mobility:home")).status_code == 302


@pytest.mark.django_db
def test_file_pages_render_for_the_mobility_role(world):
    client = client_for(world.users[Role.MOBILITY])
    file = FileFactory(agent=world.agents[("Service A2", "ville")], doctor_opinion=True)
    for url in [
        reverse("mobility:home"),
        reverse("mobility:files"),
        reverse("mobility:file_create"),
        reverse("mobility:file_detail", args=[file.pk]),
        reverse("mobility:file_edit", args=[file.pk]),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    page = client.get(reverse("mobility:file_detail", args=[file.pk]))
    assert "Reste : 175 h" in page.text  # 25 h CPF + 150 h on the doctor's opinion


@pytest.mark.django_db
def test_note_a_wish_and_refuse_an_empty_one(setting):
    world, position, ready, *_ = setting
    client = client_for(world.users[Role.MOBILITY])
    url = reverse("mobility:wish_add", args=[ready.pk])
    response = client.post(url, {"job": "", "family": ""})
    assert response.status_code == 400
    assert "Indiquez un métier ou une famille de métiers." in response.text
    assert not Wish.objects.filter(agent=ready).exists()
    assert client.post(url, {"family": "Administration"}).status_code == 302
    fits = client.get(reverse("mobility:candidates", args=[position.pk])).context["rows"]
    assert next(f for a, f, _m in fits if a.pk == ready.pk).wished


@pytest.mark.django_db
def test_positions_and_moves_exported_as_the_lists_show_them(setting):
    """CSV as French Excel reads it and XLSX, audited; a move's export never says it
    ended a redeployment file."""
    import csv
    import io

    from openpyxl import load_workbook

    from tremplin.core.models import AuditEntry

    world, position, ready, _close, _far = setting
    code = dict(Competence.objects.values_list("code", "pk"))
    PositionRequirement.objects.create(position=position, competence_id=code["1.3"], level=2)
    PositionFactory(status=PositionStatus.FILLED)  # not in the default (open) list
    file = FileFactory(agent=ready)
    Move.objects.create(
        agent=ready, from_job=ready.job, to_job=position.job, position=position,
        moved_on=DAY, file=file,
    )  # fmt: skip
    client = client_for(world.users[Role.MOBILITY])

    response = client.get(reverse("mobility:position_export"))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Métier" and len(rows) == 2
    assert rows[1][0] == position.job.title
    assert rows[1][5] == position.starts_on.strftime("%d/%m/%Y")
    assert rows[1][7] == "1.3 niveau 2"
    every = client.get(reverse("mobility:position_export") + "?status=all&format=xlsx")
    sheet = load_workbook(io.BytesIO(every.content)).active
    assert sheet.max_row == 3

    moves = b"".join(client.get(reverse("mobility:move_export")).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(moves.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][:2] == [ready.matricule, f"{ready.last_name.upper()} {ready.first_name}"]
    assert rows[1][5] == DAY.strftime("%d/%m/%Y")
    assert "reclassement" not in moves.lower() and "dossier" not in moves.lower()
    assert AuditEntry.objects.filter(action="export", target_type="mobility.mobilites").exists()
    assert AuditEntry.objects.filter(action="export", target_type="mobility.postes").count() == 2

    for role in (Role.HR, Role.DIRECTION, Role.MANAGER, Role.AGENT):
        other = client_for(world.users[role])
        assert other.get(reverse("mobility:move_export")).status_code == 403
        assert other.get(reverse("mobility:position_export")).status_code == 403
