"""Where a coverage goal stands, checked against figures computed by hand: population,
reached, pace over the last 90 days, projection at the deadline, seats per month still
needed; per unit; the demand the planning optimizer reads; the demo goals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import AgentFactory, OrgUnitFactory, UserFactory
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Competence, ProfileEntry
from tremplin.organisation.enums import UnitKind
from tremplin.training import demo_goals, goals
from tremplin.training.enums import (
    GoalPopulation,
    ModuleFormat,
    StepOrigin,
    StepStatus,
    TrainerKind,
)
from tremplin.training.models import CoverageGoal, FragilitySegment, Module, Pathway, PathwayStep

TODAY = dt.date(2025, 1, 1)


def make_module(code="fresque-du-climat", title="La Fresque du Climat"):
    return Module.objects.create(
        code=code,
        title=title,
        objective="Comprendre le climat.",
        format=ModuleFormat.WORKSHOP,
        duration_minutes=180,
        trainer_kind=TrainerKind.FRESQUE,
    )


def step(agent, module, status=StepStatus.DONE, done_on=None):
    pathway, _ = Pathway.objects.get_or_create(agent=agent, target_job=None)
    return PathwayStep.objects.create(
        pathway=pathway,
        module=module,
        position=pathway.steps.count() + 1,
        origin=StepOrigin.GOAL,
        reason="Objectif de la collectivité.",
        status=status,
        done_on=done_on,
    )


def profile(agent, code, level, measured_on):
    return ProfileEntry.objects.create(
        agent=agent,
        competence=Competence.objects.get(code=code),
        level=Decimal(str(level)),
        sd=Decimal("0.5"),
        measured_on=measured_on,
        evidence_count=1,
        main_source=EvidenceSource.PIX,
        computed_at=timezone.now(),
    )


def goal(**fields):
    defaults = {
        "name": "Objectif",
        "population": GoalPopulation.ALL,
        "starts_on": dt.date(2024, 9, 1),
        "deadline": dt.date(2025, 7, 1),
    }
    return CoverageGoal.objects.create(**(defaults | fields))


@pytest.fixture
def hand(db):
    """Ten present agents in « Direction C » (six in service C1, four in C2); two agents
    elsewhere and one who left, to be ignored.

    Module goal: a1 done 200 days ago, a2 10 days ago, a3 89 days ago (last day of the
    90-day window): 3 reached, 2 recently. a4's step is only validated, a5 did another
    module, the agent who left and the one elsewhere did the module: none counts.
    Level goal (1.1 level 2): a1 at 2 measured 5 days ago, a2 at 1.6 (reads 2) measured
    100 days ago: 2 reached, 1 recently. a3 at 1.4 (reads 1), a4 at 3 in 1.2: not reached.
    """
    direction = OrgUnitFactory(name="Direction C", kind=UnitKind.DIRECTION)
    c1 = OrgUnitFactory(name="Service C1", parent=direction)
    c2 = OrgUnitFactory(name="Service C2", parent=direction)
    elsewhere = OrgUnitFactory(name="Direction D", kind=UnitKind.DIRECTION)
    agents = [AgentFactory(unit=c1 if i < 6 else c2) for i in range(10)]
    a1, a2, a3, a4, a5 = agents[0], agents[1], agents[6], agents[2], agents[3]
    left = AgentFactory(unit=c1, departure_date=dt.date(2024, 12, 1))
    outsiders = [AgentFactory(unit=elsewhere) for _ in range(2)]
    fresque = make_module()
    other = make_module("visio", "Les réunions en visio")
    step(a1, fresque, done_on=TODAY - dt.timedelta(days=200))
    step(a2, fresque, done_on=TODAY - dt.timedelta(days=10))
    step(a3, fresque, done_on=TODAY - dt.timedelta(days=89))
    step(a4, fresque, status=StepStatus.VALIDATED)
    step(a5, other, done_on=TODAY - dt.timedelta(days=3))
    step(left, fresque, done_on=TODAY - dt.timedelta(days=3))
    step(outsiders[0], fresque, done_on=TODAY - dt.timedelta(days=3))
    profile(a1, "1.1", 2, TODAY - dt.timedelta(days=5))
    profile(a2, "1.1", 1.6, TODAY - dt.timedelta(days=100))
    profile(a3, "1.1", 1.4, TODAY - dt.timedelta(days=1))
    profile(a4, "1.2", 3, TODAY - dt.timedelta(days=1))
    admin = UserFactory(username="root", is_superuser=True)
    return {
        "direction": direction,
        "c1": c1,
        "c2": c2,
        "agents": agents,
        "reached": {a1.pk, a2.pk, a3.pk},
        "fresque": fresque,
        "admin": admin,
    }


def module_goal(hand, **fields):
    return goal(
        module=hand["fresque"],
        population=GoalPopulation.UNIT,
        unit=hand["direction"],
        **fields,
    )


@pytest.mark.django_db
def test_module_goal_figures_computed_by_hand(hand):
    [p] = goals.progress_of([module_goal(hand)], hand["admin"], TODAY)
    assert (p.population, p.reached, p.recent) == (10, 3, 2)
    assert p.share == 30
    # 2 agents in 90 days: 2 × 30.4375 / 90 = 0.68 per month.
    assert p.pace_label == "0,7"
    # 181 days left: 3 + floor(2 × 181 / 90) = 3 + 4 = 7 agents, 70 %.
    assert p.days_left == 181
    assert (p.projected, p.projected_share) == (7, 70)
    # 7 left in 181 / 30.4375 = 5.95 months: 1.18 a month, so 2 seats.
    assert p.seats_per_month == 2
    assert p.status == "late"
    assert p.warning == (
        "À ce rythme, 70 % des agents au 1er juillet 2025 : il faudrait 2 places par mois."
    )


@pytest.mark.django_db
def test_a_far_deadline_at_the_same_pace_is_on_track(hand):
    [p] = goals.progress_of([module_goal(hand, deadline=dt.date(2032, 3, 1))], hand["admin"], TODAY)
    # 2,616 days left: 3 + floor(2 × 2616 / 90) = 61 agents, capped at the 10 concerned.
    assert (p.projected, p.projected_share) == (10, 100)
    assert p.status == "on_track"
    assert p.warning == ""
    assert p.seats_per_month == 1  # 7 agents over 85.9 months


@pytest.mark.django_db
def test_level_goal_figures_computed_by_hand(hand):
    search = Competence.objects.get(code="1.1")
    g = goal(
        competence=search,
        level=2,
        population=GoalPopulation.UNIT,
        unit=hand["direction"],
        deadline=dt.date(2025, 4, 1),
    )
    [p] = goals.progress_of([g], hand["admin"], TODAY)
    assert (p.population, p.reached, p.recent) == (10, 2, 1)
    # 90 days left: 2 + floor(1 × 90 / 90) = 3, 30 %; 8 left over 2.96 months: 3 a month.
    assert (p.projected_share, p.seats_per_month) == (30, 3)
    assert p.warning == (
        "À ce rythme, 30 % des agents au 1er avril 2025 : il faudrait que 3 agents par mois "
        "atteignent le niveau."
    )


@pytest.mark.django_db
def test_past_deadline_says_how_many_are_left(hand):
    [p] = goals.progress_of(
        [module_goal(hand, deadline=dt.date(2024, 12, 20))], hand["admin"], TODAY
    )
    assert p.status == "overdue"
    assert p.seats_per_month is None
    assert p.warning == (
        "Échéance passée le 20 décembre 2024 : 30 % des agents ont atteint l'objectif, "
        "il en reste 7."
    )


@pytest.mark.django_db
def test_figures_per_unit_add_up_the_tree(hand):
    table = goals.progress_by_unit(module_goal(hand), hand["admin"], TODAY)
    rows = {row.label: row for group in table.groups for row in [group, *group.children]}
    assert (rows["Direction C"].population, rows["Direction C"].reached) == (10, 3)
    assert (rows["Service C1"].population, rows["Service C1"].reached) == (6, 2)
    assert (rows["Service C2"].population, rows["Service C2"].reached) == (4, 1)
    assert rows["Service C2"].recent == 1  # a3, on the window's first day
    assert "Direction D" not in rows  # nobody of the population there: hidden
    assert table.total.population == 10


@pytest.mark.django_db
def test_many_goals_are_counted_in_one_query(hand, django_assert_num_queries):
    many = [module_goal(hand, name=f"Objectif {i}") for i in range(8)]
    hand["admin"]._assignment_cache = []
    with django_assert_num_queries(1):
        progress = goals.progress_of(many, hand["admin"], TODAY)
    assert {p.reached for p in progress} == {3}


@pytest.mark.django_db
def test_segment_population_counts_the_segment_agents(hand):
    segment = FragilitySegment.objects.create(name="Jamais mesurés", never_measured=True)
    g = goal(module=hand["fresque"], population=GoalPopulation.SEGMENT, segment=segment)
    [p] = goals.progress_of([g], hand["admin"], TODAY)
    # Present agents without a profile: the 10 minus a1, a2, a3, a4, plus the 2 elsewhere.
    assert p.population == 8
    assert p.reached == 1  # the outsider who did the Fresque


@pytest.mark.django_db
def test_demand_lists_agents_not_reached_yet_most_urgent_first(hand):
    late = module_goal(hand, name="Urgent", priority=1)
    module_goal(hand, name="Passé", deadline=dt.date(2024, 12, 31))
    module_goal(hand, name="Plus suivi", active=False)
    search = goal(name="Niveau", competence=Competence.objects.get(code="1.1"), level=2, priority=3)
    demand = goals.demand(TODAY)
    assert [d.goal_id for d in demand] == [late.pk, search.pk]
    first = demand[0]
    assert first.module_id == hand["fresque"].pk
    assert first.deadline == dt.date(2025, 7, 1) and first.priority == 1
    expected = {a.pk for a in hand["agents"]} - hand["reached"]
    assert set(first.agent_ids) == expected and len(expected) == 7
    assert demand[1].module_id is None and demand[1].level == 2
    # All 12 present agents, minus a1 and a2 at level 2.
    assert len(demand[1].agent_ids) == 10


def test_french_dates():
    assert goals.french_date(dt.date(2032, 3, 1)) == "1er mars 2032"
    assert goals.french_date(dt.date(2025, 8, 15)) == "15 août 2025"


# --- Demo -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_goals_use_the_catalogue_modules():
    fresque = make_module()
    responsible = make_module("numerique-responsable", "Numérique responsable")
    today = dt.date(2026, 5, 31)
    counts = demo_goals.seed(seed=1, today=today)
    assert counts == {"groupes": 2, "objectifs": 3}
    by_name = {g.name: g for g in CoverageGoal.objects.all()}
    climate = by_name["Tous les agents ont fait la Fresque du Climat avant la fin du mandat"]
    assert (climate.module, climate.deadline, climate.priority) == (
        fresque,
        dt.date(2032, 3, 1),
        1,
    )
    office = by_name[
        "Les gros utilisateurs du numérique ont suivi Numérique responsable en 18 mois"
    ]
    assert office.module == responsible and office.population == GoalPopulation.OFFICE
    assert office.deadline == dt.date(2027, 11, 30)  # 18 months on, last day of November
    level = by_name["Tous les agents de terrain au niveau 2 en 1.1 (recherche d'information)"]
    assert (level.competence.code, level.level, level.population) == ("1.1", 2, "field")
    assert level.deadline == dt.date(2028, 5, 31)
    far = FragilitySegment.objects.get(name="Éloignés du numérique")
    assert far.match == "any" and far.no_active_identity and far.never_measured
    assert far.low_level == 2
    field = FragilitySegment.objects.get(name="Terrain jamais formé")
    assert field.match == "all" and field.field_job and field.never_trained
    # Running it again adds nothing.
    demo_goals.seed(seed=1, today=today)
    assert CoverageGoal.objects.count() == 3 and FragilitySegment.objects.count() == 2


@pytest.mark.django_db
def test_demo_goals_without_the_catalogue_skip_the_module_goals():
    counts = demo_goals.seed(seed=1, today=dt.date(2026, 5, 31))
    assert counts == {
        "groupes": 2,
        "objectifs": 1,
        "objectifs non créés (module absent du catalogue)": 2,
    }
    assert CoverageGoal.objects.get().competence.code == "1.1"


@pytest.mark.django_db
def test_demo_finds_modules_by_title_when_codes_differ():
    fresque = make_module("fresque", "Atelier Fresque du Climat")
    demo_goals.seed(seed=1, today=dt.date(2026, 5, 31))
    assert CoverageGoal.objects.filter(module=fresque).exists()
