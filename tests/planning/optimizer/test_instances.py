import datetime as dt
from collections import Counter

from tremplin.planning.optimizer import instances
from tremplin.planning.optimizer.bound import capacity_bound
from tremplin.planning.optimizer.greedy import greedy


def test_same_agents_and_seed_give_the_same_problem():
    assert instances.generate(600, 1) == instances.generate(600, 1)
    assert instances.generate(600, 1) != instances.generate(600, 2)


def test_shaped_like_the_demo_at_6000_agents():
    problem = instances.generate(6000, 1)
    groups = problem.demand
    assert sum(g.count for g in groups if g.module_id == 14) == 6000  # everyone: the Fresque
    assert len({agent for g in groups for agent in g.agent_ids}) == 6000
    assert len(groups) < 6000 / 2  # agents alike are aggregated
    assert len({r.site_id for r in problem.rooms} | {g.site_id for g in groups}) == 25
    assert Counter(t.name.rsplit(" ", 1)[0] for t in problem.trainers) == {
        "Conseiller numérique": 3,
        "Animateur Fresque": 2,
        "Prestataire": 1,
    }
    first_steps = {g.agent_ids for g in groups if g.weight == 3 and g.earliest is None}
    far = sum(len(agents) for agents in first_steps)
    assert 0.35 * 6000 < far < 0.5 * 6000
    assert any(g.team_id is not None for g in groups) and problem.teams
    assert all(
        8 <= len({a for g in groups if g.team_id == t.id for a in g.agent_ids}) <= 40
        for t in problem.teams
    )
    assert len(problem.modules) >= 16


def test_working_days_of_2027_without_public_holidays():
    slots = instances.generate(600, 1).slots
    days = {slot.day for slot in slots}
    assert dt.date(2027, 7, 14) not in days and dt.date(2027, 3, 29) not in days
    assert all(day.isoweekday() <= 5 for day in days)
    assert [slot.index for slot in slots] == list(range(len(slots)))
    assert 245 <= len(days) <= 255


def test_seats_before_the_deadlines_are_scarcer_than_demand():
    problem = instances.generate(600, 1)
    demand = sum(g.weight * g.count for g in problem.demand)
    bound = capacity_bound(problem)
    assert bound < 0.95 * demand  # even a perfect plan leaves demand unserved
    assert greedy(problem).served < bound
