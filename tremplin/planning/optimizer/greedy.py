"""The greedy baseline: first come, first served, the way a planner fills sessions by hand.

Demand is taken in input order (the order agents asked, not sorted by priority). Each
group's agents go to the earliest session of their module already opened at a site
they accept, in a slot they can attend before their deadline, with seats left and their
team below its continuity limit. Those left over open a new session at the earliest
such slot where a room at an accepted site (own site first) that suits the module is
free and a trainer who runs the module, goes to that site, works then and is below
their daily and weekly maxima is free. Seats are given only on time: a planner by hand
plans for the deadline. At the end, sessions below their module's group min are
dropped, and the agents they held (and everyone still unplaced) are offered the seats
left in the sessions that remain. Every group not fully seated gets a reason.

Fast by construction: resources only get busier while groups are placed (until the
final drop), so a slot found impossible for a kind of group stays impossible, and the
search for the next group of the same kind resumes where the last one stopped.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter, defaultdict

from .check import served
from .model import DemandGroup, Plan, PlannedSession, Problem, Unplaced


class _Greedy:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = sorted(problem.slots, key=lambda slot: slot.index)
        self.by_index = {slot.index: slot for slot in self.slots}
        self.modules = {module.id: module for module in problem.modules}
        self.teams = {team.id: team.max_absent for team in problem.teams}
        self.rooms = {room.id: room for room in problem.rooms}
        self.trainers = {trainer.id: trainer for trainer in problem.trainers}
        self.sites = {room.site_id for room in problem.rooms}
        # (module, site) → suitable rooms, largest first; → trainers, home site first.
        self.rooms_at: dict[tuple[int, int], list] = defaultdict(list)
        self.trainers_at: dict[tuple[int, int], list] = defaultdict(list)
        for module in problem.modules:
            for room in sorted(problem.rooms, key=lambda r: (-r.capacity, r.id)):
                if room.suits(module):
                    self.rooms_at[(module.id, room.site_id)].append(room)
            for site in self.sites:
                self.trainers_at[(module.id, site)] = sorted(
                    (t for t in problem.trainers if module.id in t.modules and t.goes_to(site)),
                    key=lambda t: (t.home_site_id != site, t.id),
                )
        self.trainer_busy: set[tuple[int, int]] = set()
        self.room_busy: set[tuple[int, int]] = set()
        self.per_day: Counter = Counter()
        self.per_week: Counter = Counter()
        self.absent: Counter = Counter()  # (team, slot index) → agents in training
        self.sessions: list[PlannedSession] = []
        self.site_of: list[int] = []
        self.open_at: dict[tuple[int, int], list[int]] = defaultdict(list)  # (module, site)
        self.seated: Counter = Counter()
        self.windows: dict[tuple, tuple[list, set]] = {}
        self.resume: dict[tuple, int] = {}  # search key → first start position worth trying
        # Groups that found a session or a slot where only their team's limit kept them out.
        self.blocked_by_team: set[int] = set()
        # (module, site, start) with no free room or trainer: stays so until the final drop.
        self.full: set[tuple[int, int, int]] = set()
        self.first_possible: dict[tuple, object] = {}

    # --- Slots -----------------------------------------------------------------------------

    def held(self, start_index: int, length: int):
        first = self.by_index.get(start_index)
        if first is None:
            return None
        held = [first]
        for offset in range(1, length):
            slot = self.by_index.get(start_index + offset)
            if slot is None or slot.day != first.day:
                return None
            held.append(slot)
        return held

    def window(self, group: DemandGroup, on_time: bool = True):
        """Start slots (with the slots they hold) the group can attend, in time order."""
        length = self.modules[group.module_id].slots
        key = (length, group.available, group.earliest, group.deadline if on_time else None)
        if key not in self.windows:
            starts = []
            for slot in self.slots:
                if on_time and not group.on_time(slot):
                    break
                held = self.held(slot.index, length)
                if held is not None and all(group.can_attend(s) for s in held):
                    starts.append((slot.index, held))
            self.windows[key] = (starts, {index for index, _ in starts})
        return self.windows[key]

    def team_left(self, group: DemandGroup, held) -> int:
        if group.team_id is None or group.team_id not in self.teams:
            return group.count
        limit = self.teams[group.team_id]
        return min(limit - self.absent[(group.team_id, slot.index)] for slot in held)

    def accepted_sites(self, group: DemandGroup) -> list[int]:
        return [group.site_id, *sorted(group.near_sites - {group.site_id})]

    # --- Seating ---------------------------------------------------------------------------

    def seat(self, number: int, group: DemandGroup, seats: int) -> None:
        session = self.sessions[number]
        session.seats[group.id] = session.seats.get(group.id, 0) + seats
        self.seated[group.id] += seats
        if group.team_id is not None:
            for slot in self.held(session.slot_index, self.modules[session.module_id].slots):
                self.absent[(group.team_id, slot.index)] += seats

    def fill_existing(self, group: DemandGroup, remaining: int) -> int:
        """Seats the group in sessions already open, earliest first; returns what is left."""
        _, starts = self.window(group)
        candidates = []
        for site in self.accepted_sites(group):
            numbers = self.open_at.get((group.module_id, site))
            if numbers:
                numbers[:] = [
                    n for n in numbers if self.sessions[n].filled < self.sessions[n].capacity
                ]
                candidates.extend(n for n in numbers if self.sessions[n].slot_index in starts)
        module = self.modules[group.module_id]
        for number in sorted(candidates, key=lambda n: (self.sessions[n].slot_index, n)):
            session = self.sessions[number]
            held = self.held(session.slot_index, module.slots)
            free, team_left = session.capacity - session.filled, self.team_left(group, held)
            if free > 0 and team_left <= 0:
                self.blocked_by_team.add(group.id)
            seats = min(remaining, free, team_left)
            if seats > 0:
                self.seat(number, group, seats)
                remaining -= seats
                if not remaining:
                    break
        return remaining

    def open_session(self, module, room, trainer, held, fixed=None) -> int:
        capacity = (
            fixed.seats_free
            if fixed is not None
            else min(room.capacity, module.group_max * module.tables_per_trainer)
        )
        self.sessions.append(
            PlannedSession(
                module_id=module.id,
                slot_index=held[0].index,
                room_id=room.id,
                trainer_id=trainer.id,
                capacity=capacity,
                fixed_id=fixed.id if fixed is not None else None,
            )
        )
        self.site_of.append(room.site_id)
        for slot in held:
            self.trainer_busy.add((trainer.id, slot.index))
            self.room_busy.add((room.id, slot.index))
        self.per_day[(trainer.id, held[0].day)] += 1
        self.per_week[(trainer.id, held[0].week)] += 1
        number = len(self.sessions) - 1
        bisect.insort(
            self.open_at[(module.id, room.site_id)],
            number,
            key=lambda n: self.sessions[n].slot_index,
        )
        return number

    def free_resources(self, module, site, held):
        """A free suitable room at the site and a free trainer for `held`, or None."""
        room = next(
            (
                r
                for r in self.rooms_at.get((module.id, site), ())
                if all((r.id, slot.index) not in self.room_busy for slot in held)
            ),
            None,
        )
        if room is None:
            return None
        day, week = held[0].day, held[0].week
        for trainer in self.trainers_at.get((module.id, site), ()):
            if (
                self.per_day[(trainer.id, day)] < trainer.max_per_day
                and self.per_week[(trainer.id, week)] < trainer.max_per_week
                and all(
                    trainer.can_work(slot) and (trainer.id, slot.index) not in self.trainer_busy
                    for slot in held
                )
            ):
                return room, trainer
        return None

    def open_new(self, group: DemandGroup, remaining: int) -> int:
        """Opens sessions at the earliest slots that allow one; returns what is left."""
        module = self.modules[group.module_id]
        starts, _ = self.window(group)
        sites = self.accepted_sites(group)
        key = (
            group.module_id,
            tuple(sites),
            group.available,
            group.earliest,
            group.deadline,
            group.team_id,
        )
        position = self.resume.get(key, 0)
        while remaining and position < len(starts):
            _, held = starts[position]
            found = None
            for site in sites:
                if (module.id, site, held[0].index) in self.full:
                    continue
                found = self.free_resources(module, site, held)
                if found is not None:
                    break
                self.full.add((module.id, site, held[0].index))
            if found is None:
                position += 1
                continue
            team_left = self.team_left(group, held)
            if team_left <= 0:
                self.blocked_by_team.add(group.id)
                position += 1
                continue
            room, trainer = found
            number = self.open_session(module, room, trainer, held)
            seats = min(remaining, self.sessions[number].capacity, team_left)
            self.seat(number, group, seats)
            remaining -= seats
        self.resume[key] = position
        return remaining

    # --- The end: drop small sessions, reseat, explain -------------------------------------

    def drop_small_sessions(self) -> None:
        groups = {group.id: group for group in self.problem.demand}
        kept = []
        for session in self.sessions:
            module = self.modules[session.module_id]
            if session.fixed_id is not None or session.filled >= module.group_min:
                kept.append(session)
                continue
            held = self.held(session.slot_index, module.slots)
            for slot in held:
                self.trainer_busy.discard((session.trainer_id, slot.index))
                self.room_busy.discard((session.room_id, slot.index))
            self.per_day[(session.trainer_id, held[0].day)] -= 1
            self.per_week[(session.trainer_id, held[0].week)] -= 1
            for group_id, seats in session.seats.items():
                self.seated[group_id] -= seats
                team = groups[group_id].team_id
                if team is not None:
                    for slot in held:
                        self.absent[(team, slot.index)] -= seats
        self.sessions = kept
        self.site_of = [self.rooms[s.room_id].site_id for s in kept]
        self.open_at = defaultdict(list)
        for number, session in enumerate(kept):
            self.open_at[(session.module_id, self.site_of[number])].append(number)

    def reason(self, group: DemandGroup) -> Unplaced:
        module = self.modules.get(group.module_id)
        sites = self.accepted_sites(group)
        if module is None or not any(self.trainers_at.get((module.id, s)) for s in sites):
            return Unplaced.NO_TRAINER
        if not any(self.rooms_at.get((module.id, s)) for s in sites):
            return Unplaced.NO_ROOM
        length_key = (module.id, tuple(sites), group.available, group.earliest)
        if length_key not in self.first_possible:
            capable = {t for s in sites for t in self.trainers_at[(module.id, s)]}
            starts, _ = self.window(group, on_time=False)
            self.first_possible[length_key] = next(
                (
                    held[0]
                    for _, held in starts
                    if any(all(t.can_work(slot) for slot in held) for t in capable)
                ),
                None,
            )
        first = self.first_possible[length_key]
        if first is None:
            return Unplaced.NO_SLOT
        if not group.on_time(first):
            return Unplaced.AFTER_DEADLINE
        if group.team_id in self.teams and self.teams[group.team_id] <= 0:
            return Unplaced.CONTINUITY
        if group.id in self.blocked_by_team:
            return Unplaced.CONTINUITY
        return Unplaced.CAPACITY

    def run(self) -> Plan:
        started = time.perf_counter()
        for fixed in self.problem.fixed:
            module = self.modules.get(fixed.module_id)
            held = self.held(fixed.slot_index, module.slots) if module else None
            if held is None:  # not a session of this problem: check() reports it
                continue
            self.open_session(
                module, self.rooms[fixed.room_id], self.trainers[fixed.trainer_id], held, fixed
            )
        for group in self.problem.demand:
            if group.module_id not in self.modules:
                continue
            remaining = self.fill_existing(group, group.count)
            if remaining:
                self.open_new(group, remaining)
        self.drop_small_sessions()
        for group in self.problem.demand:
            remaining = group.count - self.seated[group.id]
            if remaining and group.module_id in self.modules:
                self.fill_existing(group, remaining)
        unplaced = {
            group.id: (group.count - self.seated[group.id], self.reason(group))
            for group in self.problem.demand
            if self.seated[group.id] < group.count
        }
        plan = Plan(sessions=self.sessions, unplaced=unplaced, served=0.0, method="greedy")
        plan.served = served(self.problem, plan)
        plan.seconds = time.perf_counter() - started
        return plan


def greedy(problem: Problem) -> Plan:
    """First come, first served plan of `problem` (see the module docstring)."""
    return _Greedy(problem).run()
