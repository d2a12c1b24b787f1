import datetime as dt

import pytest

from tremplin.planning.optimizer import instances
from tremplin.planning.optimizer.bound import capacity_bound
from tremplin.planning.optimizer.greedy import greedy
from tremplin.planning.optimizer.model import (
    DemandGroup,
    FixedSession,
    Module,
    Room,
    Trainer,
)

from . import MONDAY, small_problem


def test_equals_the_known_optimum_of_a_trivial_problem():
    # One day, two sessions of at most 5: the best plan seats the 4 of weight 3 and 6 of
    # the 10 of weight 1.
    problem = small_problem(
        days=1,
        modules=(Module(1, "Messagerie", group_min=1, group_max=5),),
        demand=(DemandGroup(1, 1, 10, 1.0, 1), DemandGroup(2, 1, 4, 3.0, 1)),
    )
    assert capacity_bound(problem) == pytest.approx(4 * 3 + 6 * 1, rel=1e-5)
    assert greedy(problem).served == 10  # first come, first served: the 10 first


def test_deadlines_earliest_dates_and_room_size_limit_the_bound():
    problem = small_problem(
        days=2,
        modules=(Module(1, "Messagerie", group_min=1, group_max=8),),
        rooms=(Room(1, 1, 6),),
        trainers=(Trainer(1, "A", frozenset({1}), max_per_day=1),),
        demand=(
            DemandGroup(1, 1, 10, 2.0, 1, deadline=MONDAY),  # one session on Monday: 6 seats
            DemandGroup(2, 1, 10, 1.0, 1, earliest=MONDAY + dt.timedelta(days=1)),
        ),
    )
    assert capacity_bound(problem) == pytest.approx(6 * 2 + 6 * 1, rel=1e-5)


def test_trainers_share_their_time_between_modules():
    problem = small_problem(
        days=1,
        modules=(Module(1, "Messagerie", group_max=8), Module(2, "Fresque", group_max=8)),
        trainers=(Trainer(1, "A", frozenset({1, 2}), max_per_day=1),),
        demand=(DemandGroup(1, 1, 8, 1.0, 1), DemandGroup(2, 2, 8, 2.0, 1)),
    )
    assert capacity_bound(problem) == pytest.approx(16, rel=1e-5)  # one session, the Fresque


def test_two_slot_sessions_need_a_whole_day_and_fixed_seats_count():
    problem = small_problem(
        days=3,
        modules=(Module(1, "Document", slots=2, group_min=1, group_max=8),),
        trainers=(Trainer(1, "A", frozenset({1}), absent_days=frozenset({MONDAY})),),
        demand=(DemandGroup(1, 1, 40, 1.0, 1),),
        fixed=(FixedSession(1, 1, slot_index=2, room_id=1, trainer_id=1, seats_free=3),),
    )
    # Tuesday is taken by the fixed session (3 free seats), Wednesday gives 8.
    assert capacity_bound(problem) == pytest.approx(3 + 8, rel=1e-5)


def test_nothing_can_be_served_without_a_trainer_who_reaches_the_group():
    far = small_problem(trainers=(Trainer(1, "A", frozenset({1}), sites=frozenset({9})),))
    assert capacity_bound(far) == 0.0


@pytest.mark.parametrize("seed", [1, 2])
def test_never_below_what_greedy_serves_on_generated_instances(seed):
    problem = instances.generate(600, seed)
    assert capacity_bound(problem) >= greedy(problem).served


def test_a_fixed_session_on_a_day_off_takes_nothing_from_the_other_days():
    # People fixed a session on Monday although the trainer is now absent that day:
    # Tuesday still holds two sessions of 8, plus the 3 free seats of the fixed one.
    problem = small_problem(
        days=2,
        trainers=(Trainer(1, "A", frozenset({1}), absent_days=frozenset({MONDAY})),),
        demand=(DemandGroup(1, 1, 40, 1.0, 1),),
        fixed=(FixedSession(1, 1, slot_index=0, room_id=1, trainer_id=1, seats_free=3),),
    )
    assert capacity_bound(problem) == pytest.approx(2 * 8 + 3, rel=1e-5)
    weekly = small_problem(
        days=2,
        trainers=(Trainer(1, "A", frozenset({1}), max_per_week=2),),
        demand=(DemandGroup(1, 1, 40, 1.0, 1),),
        fixed=(FixedSession(1, 1, slot_index=0, room_id=1, trainer_id=1, seats_free=3),),
    )
    assert capacity_bound(weekly) == pytest.approx(8 + 3, rel=1e-5)  # one more this week
