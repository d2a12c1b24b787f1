"""Tests of the pure planner (no database). Small builders for hand-made problems."""

import datetime as dt
from dataclasses import replace

from tremplin.planning.optimizer.model import (
    AFTERNOON,
    MORNING,
    DemandGroup,
    Module,
    Problem,
    Room,
    Slot,
    Trainer,
)

MONDAY = dt.date(2027, 3, 1)


def days_slots(days: int, start: dt.date = MONDAY) -> tuple[Slot, ...]:
    """Morning and afternoon of `days` working days from `start` (weekends skipped)."""
    slots, day = [], start
    while len(slots) < 2 * days:
        if day.isoweekday() <= 5:
            slots += [Slot(len(slots), day, MORNING), Slot(len(slots) + 1, day, AFTERNOON)]
        day += dt.timedelta(days=1)
    return tuple(slots)


def small_problem(days: int = 5, **changes) -> Problem:
    """One module (4–8 people), one trainer, one 10-seat room at site 1, one group of 6."""
    problem = Problem(
        slots=days_slots(days),
        modules=(Module(id=1, name="Messagerie", group_min=4, group_max=8),),
        rooms=(Room(id=1, site_id=1, capacity=10, has_computers=True),),
        trainers=(Trainer(id=1, name="Conseiller", modules=frozenset({1}), home_site_id=1),),
        demand=(DemandGroup(id=1, module_id=1, count=6, weight=1.0, site_id=1),),
    )
    return replace(problem, **changes)
