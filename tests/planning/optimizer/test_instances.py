import datetime as dt
from collections import Counter

from tremplin.planning.optimizer import instances
from tremplin.planning.optimizer.bound import capacity_bound
from tremplin.planning.optimizer.check import check
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


def test_one_year_is_the_problem_earlier_seeds_gave():
    problem = instances.generate(600, 1)
    assert instances.generate(600, 1, years=1) == problem
    # generate(600, 1) as it was before the horizon became an option.
    assert (
        len(problem.demand),
        sum(g.count for g in problem.demand),
        sum(g.weight * g.count for g in problem.demand),
        len(problem.slots),
        len(problem.teams),
    ) == (182, 1334, 2387.0, 508, 7)


def test_a_five_year_mandate_keeps_the_agents_and_gives_a_valid_problem():
    one, five = instances.generate(600, 1), instances.generate(600, 1, years=5)

    def agents(problem):
        return {agent for g in problem.demand for agent in g.agent_ids}

    assert agents(five) == agents(one)
    days = {slot.day for slot in five.slots}
    assert min(days) == dt.date(2027, 1, 4) and max(days) == dt.date(2031, 12, 31)
    assert dt.date(2028, 4, 17) not in days  # Easter Monday 2028
    assert dt.date(2031, 7, 14) not in days and dt.date(2029, 5, 1) not in days
    assert all(day.isoweekday() <= 5 for day in days)
    assert [slot.index for slot in five.slots] == list(range(len(five.slots)))
    # Everyone does the Fresque by the end of the mandate; every year has steps due.
    assert sum(g.count for g in five.demand if g.module_id == 14) == 600
    assert {g.deadline.year for g in five.demand} == set(range(2027, 2032))
    assert all(g.earliest is None or g.earliest <= g.deadline for g in five.demand)
    # Trainers take their weeks off every year.
    assert all({d.year for d in t.absent_days} == set(range(2027, 2032)) for t in five.trainers)
    assert check(five, greedy(five)) == []
