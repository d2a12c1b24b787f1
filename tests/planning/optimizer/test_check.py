import datetime as dt
from dataclasses import replace

import pytest

from tremplin.planning.optimizer.check import check, served
from tremplin.planning.optimizer.model import (
    AFTERNOON,
    DemandGroup,
    FixedSession,
    Module,
    Plan,
    PlannedSession,
    Room,
    Team,
    Trainer,
)

from . import MONDAY, small_problem


def plan_of(*sessions, unplaced=None):
    return Plan(sessions=list(sessions), unplaced=unplaced or {}, served=0.0, method="test")


def session(slot=0, room=1, trainer=1, module=1, capacity=8, seats=None, fixed_id=None):
    return PlannedSession(
        module_id=module,
        slot_index=slot,
        room_id=room,
        trainer_id=trainer,
        capacity=capacity,
        fixed_id=fixed_id,
        seats={1: 6} if seats is None else seats,
    )


def two_groups(problem, second=None):
    second = second or DemandGroup(id=2, module_id=1, count=6, weight=1.0, site_id=1)
    return replace(problem, demand=(*problem.demand, second))


def test_a_valid_plan_has_no_violation():
    problem = two_groups(small_problem())
    plan = plan_of(session(0), session(1, seats={2: 5}), unplaced={2: (1, "capacity")})
    assert check(problem, plan) == []


def test_trainer_and_room_in_two_sessions_of_one_slot():
    problem = small_problem(
        rooms=(Room(1, 1, 10), Room(2, 1, 10)),
        trainers=(Trainer(1, "A", frozenset({1})), Trainer(2, "B", frozenset({1}))),
    )
    problem = two_groups(problem)
    same_trainer = plan_of(session(0, room=1), session(0, room=2, seats={2: 6}))
    assert any("trainer 1 holds sessions" in e for e in check(problem, same_trainer))
    same_room = plan_of(session(0, trainer=1), session(0, trainer=2, seats={2: 6}))
    assert any("room 1 holds sessions" in e for e in check(problem, same_room))


def test_a_two_slot_module_overlaps_the_next_slot_and_cannot_cross_the_day():
    modules = (Module(1, "Document", slots=2, group_min=4), Module(2, "Visio", group_min=4))
    problem = small_problem(modules=modules, trainers=(Trainer(1, "A", frozenset({1, 2})),))
    problem = two_groups(problem, DemandGroup(id=2, module_id=2, count=6, weight=1.0, site_id=1))
    overlap = plan_of(session(0), session(1, module=2, seats={2: 6}))
    assert any("trainer 1 holds sessions [0, 1] in slot 1" in e for e in check(problem, overlap))
    assert any("not consecutive slots of one day" in e for e in check(problem, plan_of(session(1))))


def test_trainer_unavailable_absent_or_not_running_the_module():
    mornings = Trainer(1, "A", frozenset({1}), available=frozenset({(1, "am")}))
    problem = small_problem(trainers=(mornings,))
    assert any("unavailable or absent" in e for e in check(problem, plan_of(session(1))))
    absent = Trainer(1, "A", frozenset({1}), absent_days=frozenset({MONDAY}))
    problem = small_problem(trainers=(absent,))
    assert any("unavailable or absent" in e for e in check(problem, plan_of(session(0))))
    other = small_problem(trainers=(Trainer(1, "A", frozenset({2})),))
    assert any("does not run this module" in e for e in check(other, plan_of(session(0))))


def test_trainer_maxima_per_day_and_week():
    trainer = Trainer(1, "A", frozenset({1}), max_per_day=1, max_per_week=2)
    groups = tuple(DemandGroup(i, 1, 6, 1.0, 1) for i in range(1, 4))
    problem = small_problem(trainers=(trainer,), demand=groups)
    same_day = plan_of(session(0, seats={1: 6}), session(1, seats={2: 6}))
    assert any("above max_per_day" in e for e in check(problem, same_day))
    three_days = plan_of(*(session(2 * i, seats={i + 1: 6}) for i in range(3)))
    errors = check(problem, three_days)
    assert any("above max_per_week" in e for e in errors)
    assert not any("max_per_day" in e for e in errors)


def test_capacity_room_group_max_and_tables():
    problem = small_problem(rooms=(Room(1, 1, 5),))
    errors = check(problem, plan_of(session(0, capacity=8, seats={1: 5})))
    assert any("capacity 8 above 5" in e for e in errors)
    fresque = Module(1, "Fresque", group_min=4, group_max=8, tables_per_trainer=2)
    big = small_problem(modules=(fresque,), rooms=(Room(1, 1, 30),))
    big = replace(big, demand=(DemandGroup(1, 1, 20, 1.0, 1),))
    assert check(big, plan_of(session(0, capacity=16, seats={1: 16}))) == []
    assert any("above 16" in e for e in check(big, plan_of(session(0, capacity=17, seats={1: 16}))))
    overfull = check(big, plan_of(session(0, capacity=16, seats={1: 17})))
    assert any("17 seated, above capacity 16" in e for e in overfull)


def test_room_without_the_equipment():
    problem = small_problem(
        modules=(Module(1, "Tableur", room_need="computers", group_min=4),),
        rooms=(Room(1, 1, 10, has_tablets=True),),
    )
    assert any("lacks the equipment" in e for e in check(problem, plan_of(session(0))))


def test_group_min_and_seats_above_the_group():
    problem = small_problem()
    assert any("below group min 4" in e for e in check(problem, plan_of(session(0, seats={1: 3}))))
    twice = plan_of(session(0), session(2, seats={1: 6}))
    assert any("12 seats for 6 agents" in e for e in check(problem, twice))
    also_unplaced = plan_of(session(0), unplaced={1: (2, "capacity")})
    assert any("+ 2 unplaced > 6" in e for e in check(problem, also_unplaced))


def test_a_group_seated_when_it_cannot_come_or_where_it_does_not_go():
    afternoons = DemandGroup(1, 1, 6, 1.0, 1, available=frozenset({(1, AFTERNOON)}))
    problem = small_problem(demand=(afternoons,))
    assert any("cannot attend" in e for e in check(problem, plan_of(session(0))))
    assert check(problem, plan_of(session(1))) == []
    later = DemandGroup(1, 1, 6, 1.0, 1, earliest=MONDAY + dt.timedelta(days=1))
    problem = small_problem(demand=(later,))
    assert any("cannot attend" in e for e in check(problem, plan_of(session(0))))
    elsewhere = small_problem(rooms=(Room(1, 2, 10),))
    assert any("does not accept site 2" in e for e in check(elsewhere, plan_of(session(0))))
    near = replace(elsewhere, demand=(DemandGroup(1, 1, 6, 1.0, 1, near_sites=frozenset({2})),))
    assert check(near, plan_of(session(0))) == []
    travels = small_problem(trainers=(Trainer(1, "A", frozenset({1}), sites=frozenset({2})),))
    assert any("does not go to site 1" in e for e in check(travels, plan_of(session(0))))


def test_team_continuity_counts_every_session_of_the_slot():
    problem = small_problem(
        rooms=(Room(1, 1, 10), Room(2, 1, 10)),
        trainers=(Trainer(1, "A", frozenset({1})), Trainer(2, "B", frozenset({1}))),
        demand=(DemandGroup(1, 1, 6, 1.0, 1, team_id=7), DemandGroup(2, 1, 6, 1.0, 1, team_id=7)),
        teams=(Team(7, max_absent=8),),
    )
    apart = plan_of(session(0, seats={1: 4}), session(1, seats={2: 4}))
    assert check(problem, apart) == []
    together = plan_of(session(0, room=1, trainer=1, seats={1: 5}), session(0, 2, 2, seats={2: 4}))
    assert any("team 7: 9 agents in training in slot 0" in e for e in check(problem, together))


def test_fixed_sessions_stay_as_they_are():
    fixed = FixedSession(id=5, module_id=1, slot_index=2, room_id=1, trainer_id=1, seats_free=3)
    problem = small_problem(fixed=(fixed,))
    kept = session(2, capacity=3, seats={1: 2}, fixed_id=5)  # below group min: allowed
    assert check(problem, plan_of(kept)) == []
    moved = session(3, capacity=3, seats={1: 2}, fixed_id=5)
    assert any("was moved or changed" in e for e in check(problem, plan_of(moved)))
    assert any("appears 0 times" in e for e in check(problem, plan_of(session(0))))
    overfull = session(2, capacity=3, seats={1: 4}, fixed_id=5)
    assert any("above capacity 3" in e for e in check(problem, plan_of(overfull)))


def test_served_counts_seats_on_or_before_the_deadline_only():
    due = DemandGroup(1, 1, 6, 3.0, 1, deadline=MONDAY)
    problem = small_problem(demand=(due, DemandGroup(2, 1, 8, 1.5, 1)))
    on_time = plan_of(session(1, seats={1: 4, 2: 2}))
    late = plan_of(session(2, seats={1: 4, 2: 2}))  # Tuesday morning
    assert served(problem, on_time) == pytest.approx(3.0 * 4 + 1.5 * 2)
    assert served(problem, late) == pytest.approx(1.5 * 2)
    assert check(problem, late) == []  # a late seat is allowed, it only serves nothing
