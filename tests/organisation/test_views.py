import pytest
from django.urls import reverse

from tests.factories import AgentFactory, IdentityFactory
from tremplin.accounts.enums import Role
from tremplin.organisation.enums import IdentityStatus


def names(response):
    return {str(a) for a in response.context["page"]}


@pytest.mark.django_db
def test_hr_list_is_scoped_and_filterable(world, client):
    client.force_login(world.users[Role.HR])
    url = reverse("organisation:agent_list")
    assert len(names(client.get(url))) == 4  # direction A only
    in_team = client.get(url, {"unit": world.team_a1a.pk})
    assert {a.unit for a in in_team.context["page"]} == {world.team_a1a}
    by_category = client.get(url, {"category": "B"})
    assert names(by_category) == set()
    outside_unit = client.get(url, {"unit": world.dir_b.pk})
    assert "unit" in outside_unit.context["form"].errors  # not a choice for this user


@pytest.mark.django_db
def test_search_by_name_or_matricule(world, client):
    client.force_login(world.users[Role.ADMIN])
    agent = world.agents[("Service A2", "metropole")]
    url = reverse("organisation:agent_list")
    assert names(client.get(url, {"q": agent.matricule})) == {str(agent)}
    assert str(agent) in names(client.get(url, {"q": agent.last_name.lower()}))


@pytest.mark.django_db
def test_filter_by_identity_status_counts_missing_rows_as_none(world, client):
    IdentityFactory(agent=world.agents[("Service A2", "ville")], status=IdentityStatus.ACTIVE)
    client.force_login(world.users[Role.ADMIN])
    url = reverse("organisation:agent_list")
    assert len(names(client.get(url, {"identity": "active"}))) == 1
    assert len(names(client.get(url, {"identity": "none"}))) == 5


@pytest.mark.django_db
def test_departed_agents_hidden_unless_asked(world, client):
    import datetime as dt

    gone = world.agents[("Direction B", "ville")]
    gone.departure_date = dt.date(2024, 6, 30)
    gone.save()
    client.force_login(world.users[Role.ADMIN])
    url = reverse("organisation:agent_list")
    assert str(gone) not in names(client.get(url))
    assert str(gone) in names(client.get(url, {"departed": "on"}))


@pytest.mark.django_db
def test_agent_list_query_count_does_not_grow_with_agents(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.users[Role.ADMIN])
    for _ in range(60):
        AgentFactory(unit=world.serv_a2, employer=world.city)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organisation:agent_list"))
    assert len(response.context["page"]) == 50


@pytest.mark.django_db
def test_org_tree_counts_whole_subtrees(world, client):
    IdentityFactory(agent=world.agents[("Équipe A1a", "ville")])
    client.force_login(world.users[Role.DIRECTION])  # scoped to direction A
    response = client.get(reverse("organisation:tree"))
    (root,) = response.context["roots"]
    assert (root.name, root.total, root.with_identity, root.coverage) == ("Direction A", 4, 1, 25)
    service_a1 = next(u for u in root.child_list if u.name == "Service A1")
    assert service_a1.total == 2
    page = response.content.decode()
    assert "Direction B" not in page
    assert "Voir les agents" not in page  # direction sees counts, not names


@pytest.mark.django_db
def test_home_cards_answer_each_role(world, client):
    client.force_login(world.users[Role.HR])
    titles = [c["title"] for c in client.get(reverse("core:home")).context["cards"]]
    assert "Importer depuis le SIRH" in titles and "Journal d'audit" not in titles
    client.force_login(world.users[Role.AGENT])
    page = client.get(reverse("core:home")).content.decode()
    assert "Voir ma fiche" in page


@pytest.mark.django_db
def test_the_filtered_list_exports_as_csv_and_xlsx_and_is_audited(world, client):
    import io

    from openpyxl import load_workbook

    from tremplin.core.models import AuditEntry

    client.force_login(world.users[Role.HR])
    url = reverse("organisation:agent_list")
    response = client.get(url, {"unit": world.team_a1a.pk, "format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeffMatricule;Nom;Prénom;Employeur;Unité")
    assert len(lines) == 3  # the two agents of team A1a, nobody outside HR's scope
    assert all("Équipe A1a" in line for line in lines[1:])
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert workbook.active.max_row == 5  # header + the four agents of direction A
    assert AuditEntry.objects.filter(action="export", target_type="organisation.agent").count() == 2
