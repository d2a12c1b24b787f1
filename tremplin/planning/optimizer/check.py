"""Checks a plan against every rule of its problem, and measures what it serves.

`check(problem, plan)` returns one English message per violated rule (empty = feasible);
`served(problem, plan)` is the objective: Σ weight × seats in sessions held on or before
the group's deadline. Both are linear in sessions + seats (dicts and Counters, no pair
of sessions compared), so they stay fast on 60,000-agent plans.

Conventions every planner must follow (the greedy baseline and the optimizer agree on
them through this file):
- A session of a module of `k` slots starts at `slot_index` and holds the `k`
  consecutive slots of the same day; trainer, room and seated agents are busy in all of
  them and must be able to attend all of them.
- `Trainer.max_per_day` / `max_per_week` count sessions (a two-slot session is one).
- A session's capacity is at most `group_max × tables_per_trainer` and at most its
  room's capacity; for a fixed session it is its `seats_free`.
- Fixed sessions are kept as they are: same module, slot, room and trainer, exactly
  once each. Rules about who may run them (trainer's modules, availability, travel,
  room equipment, group min) are not checked on them: they were decided by people.
  They still occupy their trainer and room, and count towards the trainer's maxima.
- Late seats (after the deadline) are allowed; they simply serve nothing.
- A group's seats plus its `plan.unplaced` count never exceed its count.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .model import Plan, PlannedSession, Problem, Slot


def session_slots(session: PlannedSession, module_slots: int, by_index: dict[int, Slot]):
    """The slots a session holds, or None when they do not exist or span two days."""
    first = by_index.get(session.slot_index)
    if first is None:
        return None
    held = [first]
    for offset in range(1, module_slots):
        slot = by_index.get(session.slot_index + offset)
        if slot is None or slot.day != first.day:
            return None
        held.append(slot)
    return held


def served(problem: Problem, plan: Plan) -> float:
    """Σ weight × seats given in sessions on or before each group's deadline."""
    groups = {group.id: group for group in problem.demand}
    by_index = {slot.index: slot for slot in problem.slots}
    total = 0.0
    for session in plan.sessions:
        slot = by_index.get(session.slot_index)
        if slot is None:
            continue
        for group_id, seats in session.seats.items():
            group = groups.get(group_id)
            if group is not None and seats > 0 and group.on_time(slot):
                total += group.weight * seats
    return total


def check(problem: Problem, plan: Plan) -> list[str]:  # noqa: C901 - one pass, one rule per block
    """Every violated rule of `problem` in `plan`, as English messages (empty: feasible)."""
    modules = {module.id: module for module in problem.modules}
    rooms = {room.id: room for room in problem.rooms}
    trainers = {trainer.id: trainer for trainer in problem.trainers}
    groups = {group.id: group for group in problem.demand}
    teams = {team.id: team for team in problem.teams}
    fixed = {session.id: session for session in problem.fixed}
    by_index = {slot.index: slot for slot in problem.slots}

    errors: list[str] = []
    trainer_use: dict[tuple[int, int], list[int]] = defaultdict(list)  # (trainer, slot) → sessions
    room_use: dict[tuple[int, int], list[int]] = defaultdict(list)
    per_day: dict[tuple[int, object], list[bool]] = defaultdict(list)  # → is_fixed per session
    per_week: dict[tuple[int, object], list[bool]] = defaultdict(list)
    seated: Counter[int] = Counter()
    absent: Counter[tuple[int, int]] = Counter()  # (team, slot index) → agents in training
    fixed_seen: Counter[int] = Counter()
    is_fixed: list[bool] = []

    for number, session in enumerate(plan.sessions):
        where = f"session {number} (module {session.module_id}, slot {session.slot_index})"
        kept = session.fixed_id is not None
        is_fixed.append(kept)
        if kept:
            fixed_seen[session.fixed_id] += 1
            original = fixed.get(session.fixed_id)
            if original is None:
                errors.append(f"{where}: fixed session {session.fixed_id} is not in the problem")
            elif (
                original.module_id,
                original.slot_index,
                original.room_id,
                original.trainer_id,
            ) != (
                session.module_id,
                session.slot_index,
                session.room_id,
                session.trainer_id,
            ):
                errors.append(f"{where}: fixed session {session.fixed_id} was moved or changed")
        module = modules.get(session.module_id)
        room = rooms.get(session.room_id)
        trainer = trainers.get(session.trainer_id)
        if module is None or room is None or trainer is None:
            errors.append(f"{where}: unknown module, room or trainer")
            continue
        held = session_slots(session, module.slots, by_index)
        if held is None:
            errors.append(
                f"{where}: its {module.slots} slot(s) are not consecutive slots of one day"
            )
            continue

        for slot in held:
            trainer_use[(trainer.id, slot.index)].append(number)
            room_use[(room.id, slot.index)].append(number)
        per_day[(trainer.id, held[0].day)].append(kept)
        per_week[(trainer.id, held[0].week)].append(kept)

        if not kept:
            if module.id not in trainer.modules:
                errors.append(f"{where}: trainer {trainer.id} does not run this module")
            if not trainer.goes_to(room.site_id):
                errors.append(f"{where}: trainer {trainer.id} does not go to site {room.site_id}")
            if not all(trainer.can_work(slot) for slot in held):
                errors.append(f"{where}: trainer {trainer.id} is unavailable or absent")
            if not room.suits(module):
                errors.append(f"{where}: room {room.id} lacks the equipment the module needs")
            limit = min(module.group_max * module.tables_per_trainer, room.capacity)
            if session.capacity > limit:
                errors.append(
                    f"{where}: capacity {session.capacity} above {limit} "
                    "(room capacity or group max × tables)"
                )
            if session.filled < module.group_min:
                errors.append(
                    f"{where}: {session.filled} seated, below group min {module.group_min}"
                )
        else:
            limit = original.seats_free if original is not None else session.capacity
        if session.filled > min(session.capacity, limit):
            errors.append(
                f"{where}: {session.filled} seated, above capacity {min(session.capacity, limit)}"
            )

        for group_id, seats in session.seats.items():
            group = groups.get(group_id)
            if group is None:
                errors.append(f"{where}: unknown demand group {group_id}")
                continue
            if seats <= 0:
                errors.append(f"{where}: group {group_id} has {seats} seats")
                continue
            seated[group_id] += seats
            if group.module_id != module.id:
                errors.append(f"{where}: group {group_id} needs module {group.module_id}")
            if not all(group.can_attend(slot) for slot in held):
                errors.append(f"{where}: group {group_id} cannot attend this slot")
            if not group.accepts_site(room.site_id):
                errors.append(f"{where}: group {group_id} does not accept site {room.site_id}")
            if group.team_id is not None:
                for slot in held:
                    absent[(group.team_id, slot.index)] += seats

    for uses, what in ((trainer_use, "trainer"), (room_use, "room")):
        for (resource, slot_index), numbers in uses.items():
            if len(numbers) > 1 and not all(is_fixed[n] for n in numbers):
                errors.append(f"{what} {resource} holds sessions {numbers} in slot {slot_index}")

    for counts, attribute, period in (
        (per_day, "max_per_day", "day"),
        (per_week, "max_per_week", "week"),
    ):
        for (trainer_id, when), kinds in counts.items():
            # Fixed sessions alone may exceed the maximum (people decided them): only new
            # sessions on top of them are a violation.
            allowed = max(getattr(trainers[trainer_id], attribute), sum(kinds))
            if len(kinds) > allowed:
                errors.append(
                    f"trainer {trainer_id}: {len(kinds)} sessions in {period} {when}, above {attribute}"
                )

    for (team_id, slot_index), count in absent.items():
        team = teams.get(team_id)
        if team is not None and count > team.max_absent:
            errors.append(
                f"team {team_id}: {count} agents in training in slot {slot_index}, "
                f"above max_absent {team.max_absent}"
            )

    for group_id, seats in seated.items():
        group = groups[group_id]
        left = plan.unplaced.get(group_id, (0, None))[0]
        if seats > group.count:
            errors.append(f"group {group_id}: {seats} seats for {group.count} agents")
        elif seats + left > group.count:
            errors.append(
                f"group {group_id}: {seats} seated + {left} unplaced > {group.count} agents"
            )

    for fixed_id in fixed:
        if fixed_seen[fixed_id] != 1:
            errors.append(
                f"fixed session {fixed_id} appears {fixed_seen[fixed_id]} times, not once"
            )
    return errors
