"""Coverage goal pages: who opens what, figures in the user's scope (the direction sees
counts, never names), creating and editing with every bad input refused on its field,
the history, and a list whose query count does not grow with agents or goals."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory
from tests.training.test_goals import make_module, step
from tremplin.accounts.enums import Role
from tremplin.competences.models import Competence
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.training.enums import GoalPopulation
from tremplin.training.models import CoverageGoal, FragilitySegment

VIEWERS = {Role.HR, Role.ADMIN, Role.ADVISOR, Role.DIRECTION}
EDITORS = {Role.HR, Role.ADMIN}


def today():
    return timezone.localdate()


def in_days(days):
    return today() + dt.timedelta(days=days)


def make_goal(**fields):
    defaults = {
        "name": "Tous à la Fresque",
        "population": GoalPopulation.ALL,
        "starts_on": in_days(-30),
        "deadline": in_days(365),
    }
    return CoverageGoal.objects.create(**(defaults | fields))


@pytest.fixture
def fresque(db):
    return make_module()


def page(client, url, **params):
    """The page's text, entities decoded and white space collapsed."""
    response = client.get(url, params)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_goal_page_for_every_role(world, fresque, client):
    mine = make_goal(module=fresque, population=GoalPopulation.UNIT, unit=world.dir_a)
    pages = [
        (reverse("training:goal_list"), VIEWERS),
        (reverse("training:goal_detail", args=[mine.pk]), VIEWERS),
        (reverse("training:goal_create"), EDITORS),
        (reverse("training:goal_edit", args=[mine.pk]), EDITORS),
    ]
    failures = []
    for url, allowed in pages:
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in allowed) != (status == 200) or status not in (200, 403):
                failures.append(f"{url} as {role}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_others_cannot_create_or_edit(world, fresque, client):
    mine = make_goal(module=fresque)
    data = {
        "name": "Autre",
        "module": fresque.pk,
        "population": GoalPopulation.ALL,
        "starts_on": today().isoformat(),
        "deadline": in_days(100).isoformat(),
        "priority": 1,
    }
    for role in set(Role) - EDITORS:
        client.force_login(world.users[role])
        assert client.post(reverse("training:goal_create"), data).status_code == 403, role
        edit = client.post(reverse("training:goal_edit", args=[mine.pk]), data)
        assert edit.status_code == 403, role
    assert list(CoverageGoal.objects.values_list("name", flat=True)) == ["Tous à la Fresque"]


@pytest.mark.django_db
def test_scoped_hr_cannot_edit_a_goal_for_everybody_nor_see_another_units_goal(
    world, fresque, client
):
    for_all = make_goal(module=fresque)
    other = make_goal(
        name="Direction B", module=fresque, population=GoalPopulation.UNIT, unit=world.dir_b
    )
    client.force_login(world.users[Role.HR])
    assert client.get(reverse("training:goal_edit", args=[for_all.pk])).status_code == 403
    assert client.get(reverse("training:goal_detail", args=[for_all.pk])).status_code == 200
    assert client.get(reverse("training:goal_detail", args=[other.pk])).status_code == 404
    assert "Direction B" not in page(client, reverse("training:goal_list"))
    client.force_login(world.users[Role.ADMIN])
    assert client.get(reverse("training:goal_edit", args=[for_all.pk])).status_code == 200


# --- Figures in scope -----------------------------------------------------------------------


@pytest.mark.django_db
def test_direction_sees_counts_of_its_scope_and_no_names(world, fresque, client):
    goal = make_goal(module=fresque)
    a1a0 = world.agents[("Équipe A1a", "ville")]
    step(a1a0, fresque, done_on=in_days(-5))
    step(world.agents[("Direction B", "ville")], fresque, done_on=in_days(-5))
    client.force_login(world.users[Role.DIRECTION])
    detail = page(client, reverse("training:goal_detail", args=[goal.pk]))
    # Direction A: 4 agents, one reached; Direction B is outside the scope.
    assert "Agents concernés" in detail
    assert "(25 %)" in detail
    assert "Direction A" in detail and "Service A2" in detail
    assert "Direction B" not in detail
    listing = page(client, reverse("training:goal_list"))
    for agent in world.agents.values():
        assert agent.first_name not in detail and agent.first_name not in listing
        assert agent.matricule not in detail and agent.matricule not in listing


@pytest.mark.django_db
def test_unscoped_viewer_sees_every_unit(world, fresque, client):
    goal = make_goal(module=fresque)
    client.force_login(world.users[Role.ADVISOR])
    detail = page(client, reverse("training:goal_detail", args=[goal.pk]))
    assert "Direction A" in detail and "Direction B" in detail


@pytest.mark.django_db
def test_list_shows_the_warning_when_the_deadline_will_be_missed(world, fresque, client):
    make_goal(module=fresque, deadline=in_days(60))
    client.force_login(world.users[Role.ADMIN])
    listing = page(client, reverse("training:goal_list"))
    # 6 agents, nobody trained, nobody lately: 0 % at the deadline; 6 seats in 2 months.
    assert "À ce rythme, 0 % des agents au" in listing
    assert "il faudrait 4 places par mois" in listing
    assert "En retard" in listing


@pytest.mark.django_db
def test_list_hides_goals_no_longer_followed_unless_asked(world, fresque, client):
    make_goal(name="Ancien objectif", module=fresque, active=False)
    client.force_login(world.users[Role.ADMIN])
    assert "Ancien objectif" not in page(client, reverse("training:goal_list"))
    assert "Ancien objectif" in page(client, reverse("training:goal_list"), tous="1")


@pytest.mark.django_db
def test_detail_drills_down_into_a_unit(world, fresque, client):
    goal = make_goal(module=fresque)
    client.force_login(world.users[Role.ADMIN])
    detail = page(client, reverse("training:goal_detail", args=[goal.pk]), unit=world.serv_a1.pk)
    table = detail[detail.index("<table") :]
    assert "Équipe A1a" in table
    assert "Direction B" not in table and "Service A2" not in table


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_agents_or_goals(
    world, fresque, client, django_assert_max_num_queries
):
    client.force_login(world.users[Role.DIRECTION])
    make_goal(module=fresque)
    with django_assert_max_num_queries(10):
        page(client, reverse("training:goal_list"))
    segment = FragilitySegment.objects.create(name="Jamais mesurés", never_measured=True)
    search = Competence.objects.get(code="1.1")
    for i in range(6):
        make_goal(name=f"Niveau {i}", competence=search, level=2)
        make_goal(
            name=f"Groupe {i}", module=fresque, population=GoalPopulation.SEGMENT, segment=segment
        )
        make_goal(
            name=f"Unité {i}", module=fresque, population=GoalPopulation.UNIT, unit=world.dir_a
        )
    for _ in range(20):
        AgentFactory(unit=world.serv_a2)
    with django_assert_max_num_queries(10):
        listing = page(client, reverse("training:goal_list"))
    assert "Groupe 5" in listing and "Niveau 5" in listing


# --- Creating and editing -------------------------------------------------------------------


def goal_data(**changes):
    data = {
        "name": "Tous les agents à la Fresque",
        "module": "",
        "competence": "",
        "level": "",
        "population": GoalPopulation.ALL,
        "unit": "",
        "segment": "",
        "starts_on": today().isoformat(),
        "deadline": in_days(400).isoformat(),
        "priority": "1",
        "active": "on",
    }
    return data | changes


@pytest.mark.django_db
def test_create_a_module_goal_then_edit_it_with_its_history(world, fresque, client):
    client.force_login(world.users[Role.ADMIN])
    response = client.post(reverse("training:goal_create"), goal_data(module=fresque.pk))
    goal = CoverageGoal.objects.get()
    assert response["Location"] == reverse("training:goal_detail", args=[goal.pk])
    assert (goal.module, goal.priority, goal.unit) == (fresque, 1, None)
    response = client.post(
        reverse("training:goal_edit", args=[goal.pk]),
        goal_data(module=fresque.pk, deadline="2032-03-01", priority="2"),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.deadline == dt.date(2032, 3, 1)
    entries = AuditEntry.objects.filter(target_type="training.coveragegoal", target_id=str(goal.pk))
    assert {e.action for e in entries} == {AuditAction.CREATE, AuditAction.UPDATE}
    detail = page(client, reverse("training:goal_detail", args=[goal.pk]))
    assert "Historique" in detail
    assert "Échéance : " in detail and "→ 1er mars 2032" in detail
    assert "La Fresque du Climat" in detail  # the module by name in the history


@pytest.mark.django_db
def test_create_a_level_goal_for_a_segment(world, client):
    segment = FragilitySegment.objects.create(name="Jamais mesurés", never_measured=True)
    search = Competence.objects.get(code="1.1")
    client.force_login(world.users[Role.ADMIN])
    response = client.post(
        reverse("training:goal_create"),
        goal_data(
            competence=search.pk,
            level="2",
            population=GoalPopulation.SEGMENT,
            segment=segment.pk,
            unit=world.dir_a.pk,  # not a unit goal: not kept
        ),
    )
    assert response.status_code == 302
    goal = CoverageGoal.objects.get()
    assert (goal.competence, goal.level, goal.segment, goal.unit) == (search, 2, segment, None)


BAD_GOALS = [
    ("both", {"module": "FRESQUE", "competence": "SEARCH", "level": "2"}, "module", "pas les deux"),
    ("nothing", {}, "module", "Choisissez un module à suivre"),
    ("no level", {"competence": "SEARCH"}, "level", "Indiquez le niveau à atteindre"),
    ("no competence", {"level": "2"}, "competence", "Choisissez la compétence"),
    ("past", {"module": "FRESQUE", "deadline": "PAST"}, "deadline", "Cette date est passée"),
    (
        "before start",
        {"module": "FRESQUE", "starts_on": "LATER", "deadline": "SOON"},
        "deadline",
        "L'échéance doit venir après le début.",
    ),
    (
        "unit missing",
        {"module": "FRESQUE", "population": GoalPopulation.UNIT},
        "unit",
        "Choisissez l'unité concernée.",
    ),
    (
        "segment missing",
        {"module": "FRESQUE", "population": GoalPopulation.SEGMENT},
        "segment",
        "Choisissez le groupe concerné.",
    ),
    ("no name", {"module": "FRESQUE", "name": ""}, "name", "Donnez un nom à l'objectif."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "changes", "field", "message"), BAD_GOALS, ids=[b[0] for b in BAD_GOALS]
)
def test_bad_goal_is_refused_on_its_field(world, fresque, client, case, changes, field, message):
    values = {
        "FRESQUE": fresque.pk,
        "SEARCH": Competence.objects.get(code="1.1").pk,
        "PAST": in_days(-1).isoformat(),
        "LATER": in_days(100).isoformat(),
        "SOON": in_days(50).isoformat(),
    }
    data = goal_data(**{k: values.get(v, v) for k, v in changes.items()})
    client.force_login(world.users[Role.ADMIN])
    response = client.post(reverse("training:goal_create"), data)
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert f'id="id_{field}-erreur"' in content, case
    assert message in content, case
    assert not CoverageGoal.objects.exists()


@pytest.mark.django_db
def test_editing_an_overdue_goal_keeps_its_past_deadline(world, fresque, client):
    goal = make_goal(module=fresque, starts_on=in_days(-400), deadline=in_days(-10))
    client.force_login(world.users[Role.ADMIN])
    response = client.post(
        reverse("training:goal_edit", args=[goal.pk]),
        goal_data(
            module=fresque.pk,
            starts_on=goal.starts_on.isoformat(),
            deadline=goal.deadline.isoformat(),
            active="",
        ),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert not goal.active


@pytest.mark.django_db
def test_scoped_hr_targets_only_units_of_their_scope(world, fresque, client):
    client.force_login(world.users[Role.HR])
    form = page(client, reverse("training:goal_create"))
    assert "Service A1" in form and "Direction B" not in form
    for changes, field in [
        ({"population": GoalPopulation.ALL}, "population"),
        ({"population": GoalPopulation.FIELD}, "population"),
        ({"population": GoalPopulation.UNIT, "unit": world.dir_b.pk}, "unit"),
    ]:
        response = client.post(
            reverse("training:goal_create"), goal_data(module=fresque.pk, **changes)
        )
        content = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert f'id="id_{field}-erreur"' in content, changes
    assert "Choisissez une unité de votre périmètre." in content
    assert not CoverageGoal.objects.exists()
    response = client.post(
        reverse("training:goal_create"),
        goal_data(module=fresque.pk, population=GoalPopulation.UNIT, unit=world.serv_a1.pk),
    )
    assert response.status_code == 302
    goal = CoverageGoal.objects.get()
    assert goal.unit == world.serv_a1
    assert client.get(reverse("training:goal_edit", args=[goal.pk])).status_code == 200
