"""An upper bound on the demand any feasible plan can serve: a capacity argument.

`capacity_bound(problem)` solves a small linear program (GLOP, through OR-Tools MathOpt)
whose every feasible plan of `problem` gives a feasible point of equal value; its
optimum is therefore ≥ `served(problem, plan)` for every feasible plan, hence ≥ the true
optimum. The argument:

1. Cut the horizon into **periods** at every group's earliest day and the day after
   every deadline. Each group can then be seated on time only in whole periods (those
   between its earliest day and its deadline), so a plan defines, per group and period,
   the seats it gives there: `z[c, p]`, with Σ_p z[c, p] ≤ count. Groups that differ
   only in site, availability or team are merged into one class `c` (same module,
   weight, earliest, deadline): merging only loosens the program.
2. A plan defines, per trainer, module and period, how many sessions that trainer runs:
   `y[t, m, p]`. Each session seats at most `cap[t, m]` = min(group max × tables, the
   largest room suiting the module at a site the trainer goes to), so the seats of
   module m in period p are at most Σ_t cap[t, m] · y[t, m, p] plus the free seats of
   fixed sessions of m in p.
3. A trainer runs, in a period, at most: one session per slot they can work
   (Σ_m slots_m · y ≤ workable slots), at most their maxima (per week, the smaller of
   `max_per_week` and Σ over days of min(`max_per_day`, sessions that fit that day);
   weeks cut by a period boundary count fully on both sides, which only loosens), and
   sessions of two slots fit only in days where they can work both halves. Fixed
   sessions hold part of this: only the slots they leave free, and what they leave of
   the maxima, are counted (they may break a maximum or an availability, people decided
   them, so nothing is subtracted twice or from what was never counted).
4. Rooms: in a period, the slots of sessions needing computers are at most the
   computer rooms × slots; of sessions needing tablets or computers, at most the rooms
   that have either × slots; of all sessions, at most all rooms × slots.
5. Classes no trainer who runs the module can reach (no trainer goes to a site they
   accept, or no room there suits the module) get nothing.

Everything a real plan must also respect (group min, agents' half-days, sites, teams,
the exact slot of each session) is dropped, never added, so the program is a
relaxation and its value an upper bound. It is solved to optimality; the dual bound
(with a small tolerance) is returned, so rounding in the solver cannot make it too low.
When the solver fails, the trivial bound Σ weight × count of groups that can be reached
is returned.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from .model import Problem, Slot

TOLERANCE = 1e-6


def _sessions_cap(
    slots_by_day: dict[dt.date, list[Slot]], trainer, length: int, taken: _Taken
) -> int:
    """New sessions of `length` slots the trainer can still run on these days, given
    their maxima and the fixed sessions they already hold (which may break the maxima or
    their availability: people decided them, so only what is left is counted)."""
    per_week: dict[tuple[int, int], int] = defaultdict(int)
    for day, slots in slots_by_day.items():
        free = [s for s in slots if trainer.can_work(s) and s.index not in taken.slots]
        # Sessions of several slots need the whole day free (a day has two halves).
        whole_day = length == 1 or len(free) == len(slots)
        fit = len(free) // length if whole_day else 0
        per_week[day.isocalendar()[:2]] += min(max(0, trainer.max_per_day - taken.days[day]), fit)
    return sum(
        min(max(0, trainer.max_per_week - taken.weeks[week]), count)
        for week, count in per_week.items()
    )


class _Taken:
    """What a trainer's fixed sessions hold: slots, and sessions per day and week."""

    def __init__(self):
        self.slots: set[int] = set()
        self.days: dict[dt.date, int] = defaultdict(int)
        self.weeks: dict[tuple[int, int], int] = defaultdict(int)


def capacity_bound(problem: Problem) -> float:  # noqa: C901 - one linear program, built in order
    """An upper bound on `served(problem, plan)` for any feasible plan (see module doc)."""
    from ortools.math_opt.python import mathopt  # heavy import, only when bounding

    modules = {module.id: module for module in problem.modules}
    slots = sorted(problem.slots, key=lambda slot: slot.index)
    by_index = {slot.index: slot for slot in slots}
    if not slots:
        return 0.0

    # Classes of groups (step 1 and 5).
    reach: dict[int, set[int]] = defaultdict(set)  # module → sites a trainer and a room meet
    room_sites = defaultdict(set)
    for room in problem.rooms:
        for module in problem.modules:
            if room.suits(module):
                room_sites[module.id].add(room.site_id)
    for trainer in problem.trainers:
        for module_id in trainer.modules:
            for site in room_sites.get(module_id, ()):
                if trainer.goes_to(site):
                    reach[module_id].add(site)
    fixed_modules = {fixed.module_id for fixed in problem.fixed}
    classes: dict[tuple, int] = defaultdict(int)
    for group in problem.demand:
        if group.module_id not in modules or group.count <= 0:
            continue
        sites = {group.site_id, *group.near_sites}
        if sites & reach[group.module_id] or group.module_id in fixed_modules:
            classes[(group.module_id, group.weight, group.earliest, group.deadline)] += group.count
    trivial = sum(weight * count for (_, weight, _, _), count in classes.items())
    if not classes:
        return 0.0

    # Periods (step 1).
    start, end = slots[0].day, slots[-1].day + dt.timedelta(days=1)
    cuts = {start, end}
    for _, _, earliest, deadline in classes:
        if earliest is not None and start < earliest < end:
            cuts.add(earliest)
        if deadline is not None and start < deadline + dt.timedelta(days=1) < end:
            cuts.add(deadline + dt.timedelta(days=1))
    cuts = sorted(cuts)
    periods = range(len(cuts) - 1)

    def period_of(day: dt.date) -> int:
        return bisect.bisect_right(cuts, day) - 1

    days_in: list[dict[dt.date, list[Slot]]] = [defaultdict(list) for _ in periods]
    for slot in slots:
        days_in[period_of(slot.day)][slot.day].append(slot)

    model = mathopt.Model(name="capacity bound")
    seats_of = defaultdict(list)  # (module, period) → z variables
    objective = []
    for number, ((module_id, weight, earliest, deadline), count) in enumerate(classes.items()):
        variables = []
        for period in periods:
            first, last = cuts[period], cuts[period + 1] - dt.timedelta(days=1)
            if (earliest is None or first >= earliest) and (deadline is None or last <= deadline):
                z = model.add_variable(lb=0, ub=count, name=f"z{number}_{period}")
                variables.append(z)
                seats_of[(module_id, period)].append(z)
                objective.append(weight * z)
        if len(variables) > 1:
            model.add_linear_constraint(sum(variables) <= count)
    if not objective:
        return 0.0

    # Fixed sessions: their free seats, and the trainer time and rooms they take.
    fixed_seats = defaultdict(int)
    taken = defaultdict(_Taken)  # trainer → what their fixed sessions hold
    room_slots_taken = set()  # (room, slot index)
    rooms = {room.id: room for room in problem.rooms}
    for fixed in problem.fixed:
        slot, module = by_index.get(fixed.slot_index), modules.get(fixed.module_id)
        if slot is None or module is None:
            continue
        fixed_seats[(module.id, period_of(slot.day))] += max(0, fixed.seats_free)
        held = [fixed.slot_index + offset for offset in range(module.slots)]
        taken[fixed.trainer_id].slots.update(held)
        taken[fixed.trainer_id].days[slot.day] += 1
        taken[fixed.trainer_id].weeks[slot.week] += 1
        room_slots_taken.update((fixed.room_id, index) for index in held if index in by_index)
    room_use = defaultdict(int)  # (need level, period) → room slots held by fixed sessions
    for room_id, index in room_slots_taken:
        if room_id in rooms:
            for level in _levels(rooms[room_id]):
                room_use[(level, period_of(by_index[index].day))] += 1

    # Sessions per trainer, module and period (steps 2 and 3).
    capacity_of = defaultdict(list)  # (module, period) → cap · y terms
    room_terms = defaultdict(list)  # (need level, period) → slots · y terms
    lengths = {1} | {module.slots for module in problem.modules}
    for trainer in problem.trainers:
        caps = {}
        for module_id in trainer.modules:
            module = modules.get(module_id)
            if module is None:
                continue
            largest = max(
                (
                    r.capacity
                    for r in problem.rooms
                    if r.suits(module) and trainer.goes_to(r.site_id)
                ),
                default=0,
            )
            cap = min(module.group_max * module.tables_per_trainer, largest)
            if cap > 0:
                caps[module] = cap
        if not caps:
            continue
        for period in periods:
            days = days_in[period]
            held = taken[trainer.id]
            slot_cap = sum(
                trainer.can_work(s) and s.index not in held.slots
                for day_slots in days.values()
                for s in day_slots
            )
            fits = {length: _sessions_cap(days, trainer, length, held) for length in lengths}
            if slot_cap <= 0 or fits[1] <= 0:
                continue
            ys = {}
            for module, cap in caps.items():
                if fits[module.slots] > 0:
                    y = model.add_variable(lb=0, name=f"y{trainer.id}_{module.id}_{period}")
                    ys[module] = y
                    capacity_of[(module.id, period)].append(cap * y)
                    room_terms[(module.room_need, period)].append(module.slots * y)
            if not ys:
                continue
            model.add_linear_constraint(sum(ys.values()) <= fits[1])
            model.add_linear_constraint(sum(m.slots * y for m, y in ys.items()) <= slot_cap)
            for length in lengths - {1}:
                same = [y for m, y in ys.items() if m.slots == length]
                if same:
                    model.add_linear_constraint(sum(same) <= fits[length])

    for (module_id, period), zs in seats_of.items():
        supply = capacity_of.get((module_id, period), [])
        model.add_linear_constraint(sum(zs) <= sum(supply) + fixed_seats[(module_id, period)])

    # Rooms (step 4): needs nest, computers ⊂ tablets-or-computers ⊂ any.
    room_count = defaultdict(int)
    for room in problem.rooms:
        for level in _levels(room):
            room_count[level] += 1
    nested = {"computers": ("computers",), "tablets": ("computers", "tablets")}
    nested["any"] = ("computers", "tablets", "any")
    for period in periods:
        period_slots = sum(len(day_slots) for day_slots in days_in[period].values())
        for level, needs in nested.items():
            terms = [term for need in needs for term in room_terms.get((need, period), [])]
            if terms:
                available = room_count[level] * period_slots - room_use[(level, period)]
                model.add_linear_constraint(sum(terms) <= max(0, available))

    model.maximize(sum(objective))
    try:
        result = mathopt.solve(model, mathopt.SolverType.GLOP)
    except Exception:  # noqa: BLE001 - any solver failure falls back to the trivial bound
        return trivial
    if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
        return trivial
    bounds = result.termination.objective_bounds
    value = max(result.objective_value(), bounds.dual_bound)
    return min(trivial, value * (1 + TOLERANCE) + TOLERANCE)


def _levels(room) -> tuple[str, ...]:
    """The need levels (step 4) a room counts for."""
    if room.has_computers:
        return ("computers", "tablets", "any")
    if room.has_tablets:
        return ("tablets", "any")
    return ("any",)
