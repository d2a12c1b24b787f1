import datetime as dt
import time
from collections import Counter
from dataclasses import replace

import pytest

from tremplin.planning.optimizer import instances
from tremplin.planning.optimizer.check import check, served
from tremplin.planning.optimizer.greedy import greedy
from tremplin.planning.optimizer.model import (
    AFTERNOON,
    MORNING,
    DemandGroup,
    FixedSession,
    Module,
    Plan,
    Room,
    Team,
    Trainer,
    Unplaced,
)
from tremplin.planning.optimizer.solve import lp_bound, optimize

from . import MONDAY, small_problem


def layout(plan):
    return sorted((s.slot_index, s.room_id, s.trainer_id, dict(s.seats)) for s in plan.sessions)


def assert_valid(problem, plan):
    assert check(problem, plan) == []
    assert plan.served == served(problem, plan)
    if plan.bound is not None:
        assert plan.served <= plan.bound + 1e-6


def test_serves_the_heavier_group_that_asked_last_where_greedy_does_not():
    problem = small_problem(
        days=1,
        trainers=(Trainer(1, "A", frozenset({1}), max_per_day=1),),
        demand=(DemandGroup(1, 1, 8, 1.0, 1), DemandGroup(2, 1, 8, 3.0, 1)),
    )
    plan = optimize(problem, time_limit=10)
    assert_valid(problem, plan)
    assert plan.method == "optimizer"
    assert layout(plan) == [(0, 1, 1, {2: 8})]
    assert plan.served == 24 > greedy(problem).served == 8
    assert plan.unplaced == {1: (8, Unplaced.CAPACITY)}
    assert plan.bound == 24  # the relaxation is exact here: gap 0
    assert plan.gap_pct == 0


def test_known_optimum_with_deadlines_sites_and_a_two_slot_module():
    # One trainer, two mornings. The urgent group (deadline day 1) must go first, the
    # other group on day 2; FCFS gives day 1 to whoever asked first.
    day1, day2 = MONDAY, MONDAY + dt.timedelta(days=1)
    problem = small_problem(
        days=2,
        modules=(Module(1, "Atelier", slots=2, group_min=2, group_max=6),),
        rooms=(Room(1, 1, 6), Room(2, 2, 6)),
        trainers=(Trainer(1, "A", frozenset({1}), max_per_day=1),),
        demand=(
            DemandGroup(1, 1, 6, 1.0, 1),  # any day, site 1 only
            DemandGroup(2, 1, 5, 1.0, 2, deadline=day1, near_sites=frozenset({1})),
        ),
    )
    plan = optimize(problem, time_limit=10)
    assert_valid(problem, plan)
    assert plan.served == 11 > greedy(problem).served
    by_group = {gid: s for s in plan.sessions for gid in s.seats}
    assert problem.slots[by_group[2].slot_index].day == day1
    assert by_group[2].room_id == 2  # its own site, not the near one
    assert problem.slots[by_group[1].slot_index].day == day2
    assert plan.unplaced == {}


def test_team_continuity_and_trainer_maxima_hold():
    problem = small_problem(
        days=1,
        modules=(Module(1, "Messagerie", group_min=2, group_max=8),),
        trainers=(Trainer(1, "A", frozenset({1}), max_per_day=2),),
        teams=(Team(7, max_absent=3),),
        demand=(
            DemandGroup(1, 1, 10, 2.0, 1, team_id=7),
            DemandGroup(2, 1, 4, 1.0, 1),
        ),
    )
    plan = optimize(problem, time_limit=10)
    assert_valid(problem, plan)
    # Two sessions (morning, afternoon); at most 3 of the team in each: 6 × 2 + 4.
    assert plan.served == 16
    assert len(plan.sessions) == 2
    assert plan.unplaced == {1: (4, Unplaced.CONTINUITY)}

    weekly = small_problem(
        days=5,
        trainers=(Trainer(1, "A", frozenset({1}), max_per_day=1, max_per_week=3),),
        demand=(DemandGroup(1, 1, 30, 1.0, 1),),
    )
    plan = optimize(weekly, time_limit=10)
    assert_valid(weekly, plan)
    assert plan.served == 24  # three sessions of 8, one a day at most
    assert len({weekly.slots[s.slot_index].day for s in plan.sessions}) == 3
    assert plan.unplaced == {1: (6, Unplaced.CAPACITY)}


def test_infeasible_parts_get_their_reason_and_the_rest_is_planned():
    problem = small_problem(
        days=2,
        modules=(
            Module(1, "Messagerie", group_min=1, group_max=8),
            Module(2, "Fresque", group_min=1, group_max=8),
            Module(3, "Tableur", group_min=1, group_max=8, room_need="computers"),
        ),
        rooms=(Room(1, 1, 10),),
        trainers=(Trainer(1, "A", frozenset({1, 3}), available=frozenset({(1, MORNING)})),),
        demand=(
            DemandGroup(1, 1, 4, 1.0, 1),
            DemandGroup(2, 2, 4, 1.0, 1),  # nobody runs the Fresque
            DemandGroup(3, 1, 4, 1.0, 1, deadline=MONDAY - dt.timedelta(days=1)),
            DemandGroup(4, 3, 4, 1.0, 1),  # no room with computers
            DemandGroup(5, 1, 4, 1.0, 1, available=frozenset({(2, AFTERNOON)})),
            DemandGroup(6, 1, 4, 1.0, 1, earliest=MONDAY + dt.timedelta(days=30)),
        ),
    )
    plan = optimize(problem, time_limit=10)
    assert_valid(problem, plan)
    assert plan.served == 4
    assert plan.unplaced == {
        2: (4, Unplaced.NO_TRAINER),
        3: (4, Unplaced.AFTER_DEADLINE),
        4: (4, Unplaced.NO_ROOM),
        5: (4, Unplaced.NO_SLOT),
        6: (4, Unplaced.PREREQUISITE),
    }


def test_fixed_sessions_stay_and_their_free_seats_serve():
    problem = small_problem(
        days=1,
        # The trainer's one session of the day is the fixed one.
        trainers=(Trainer(2, "B", frozenset({1}), max_per_day=1),),
        rooms=(Room(1, 1, 10), Room(2, 1, 10)),
        fixed=(FixedSession(9, 1, 0, 2, 2, seats_free=3),),
        demand=(DemandGroup(1, 1, 3, 1.0, 1), DemandGroup(2, 1, 2, 5.0, 1)),
    )
    plan = optimize(problem, time_limit=10)
    assert_valid(problem, plan)
    assert layout(plan) == [(0, 2, 2, {1: 1, 2: 2})]
    assert plan.sessions[0].fixed_id == 9
    assert plan.served == 11
    assert plan.unplaced == {1: (2, Unplaced.CAPACITY)}


def test_re_planning_keeps_seats_where_they_were():
    problem = small_problem(days=2, demand=(DemandGroup(1, 1, 6, 1.0, 1),))
    first = optimize(problem, time_limit=10)
    ((slot, room, trainer, seats),) = layout(first)
    moved = layout(optimize(problem, time_limit=10, warm_start=first))
    assert moved == [(slot, room, trainer, seats)]
    # A previous plan elsewhere in time pulls the new one there.
    later = type(first)(
        sessions=[type(first.sessions[0])(1, 3, 1, 1, 8, seats={1: 6})],
        unplaced={},
        served=6,
        method="greedy",
    )
    assert [s[0] for s in layout(optimize(problem, time_limit=10, warm_start=later))] == [3]


def test_progress_is_reported_and_a_tiny_time_limit_still_gives_a_valid_plan():
    problem = instances.generate(300, 2)
    calls = []
    plan = optimize(problem, time_limit=0.01, progress=lambda f, m: calls.append((f, m)))
    assert_valid(problem, plan)
    assert plan.seconds < 5
    assert plan.served >= greedy(problem).served
    assert calls[0][0] == 0.0 and calls[-1][0] == 1.0
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))
    assert all(isinstance(m, str) and m for _f, m in calls)


def test_generated_instance_beats_greedy_within_the_bound():
    problem = instances.generate(300, 1)
    plan = optimize(problem, time_limit=60)
    assert_valid(problem, plan)
    bound = lp_bound(problem, 30)
    assert bound is not None and plan.served <= bound + 1e-6
    assert plan.bound is not None and plan.bound <= bound + 1e-6
    assert plan.served >= 1.1 * greedy(problem).served
    seated = Counter()
    for session in plan.sessions:
        seated.update(session.seats)
    # Every agent without a seat is reported, with a reason.
    assert {gid: count for gid, (count, _r) in plan.unplaced.items()} == {
        g.id: g.count - seated[g.id] for g in problem.demand if g.count > seated[g.id]
    }
    assert all(isinstance(reason, Unplaced) for _c, reason in plan.unplaced.values())


def test_solver_returning_nothing_falls_back_to_greedy(monkeypatch):
    from tremplin.planning.optimizer import solve

    monkeypatch.setattr(
        solve._Model, "solve", lambda self, *a, **k: solve._Result(False, False, 0, [])
    )
    problem = instances.generate(300, 1)
    plan = optimize(problem, time_limit=20)
    assert_valid(problem, plan)
    assert "greedy" in plan.method
    assert plan.served >= greedy(problem).served
    assert plan.bound is not None  # the capacity bound still frames the gap
    assert plan.unplaced and all(isinstance(r, Unplaced) for _c, r in plan.unplaced.values())


def test_improvement_pass_never_serves_less_and_breaks_no_rule():
    from tremplin.planning.optimizer import solve
    from tremplin.planning.optimizer.candidates import Index

    problem = instances.generate(300, 1)
    start = greedy(problem)
    ix = Index.build(problem)
    state = solve._State(ix)
    solve._commit(ix, state, [replace(s, seats=dict(s.seats)) for s in start.sessions])
    steps, gained = solve._improve(ix, state, set(), time.monotonic() + 60)
    plan = Plan(sessions=state.sessions, unplaced={}, served=0.0, method="improved")
    assert check(problem, plan) == []
    assert served(problem, plan) == pytest.approx(start.served + gained)
    # From first come, first served, solving weeks again finds better plans.
    assert steps > 0 and gained > 0


def test_everything_optimize_does_fits_in_the_time_limit():
    problem = instances.generate(600, 1)
    started = time.monotonic()
    plan = optimize(problem, time_limit=4)
    assert time.monotonic() - started < 4.5
    assert plan.seconds < 4.5
    assert_valid(problem, plan)
    assert plan.served >= greedy(problem).served


def test_the_relaxation_solved_again_on_the_same_demand_gives_the_same_bound():
    # Windows steer by the relaxation solved again on what is left; what it caches
    # between solves must not change its answer.
    from tremplin.planning.optimizer import solve
    from tremplin.planning.optimizer.candidates import Index

    problem = instances.generate(300, 1)
    weekly = solve._Weekly(Index.build(problem))
    weekly.solve(30)
    first = weekly.bound
    weekly.solve(30, {g.id: g.count for g in problem.demand})
    assert first is not None and first > 0
    assert weekly.bound == pytest.approx(first)
