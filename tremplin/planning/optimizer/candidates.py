"""Indexes over a Problem and the candidate sessions the optimizer chooses from.

A *candidate* is a module in a start slot, a room and a trainer: everything a session needs.
Candidates that share (module, site, start slot) are interchangeable for the agents, so
seats are decided per *offer* (module, site, start slot) and split between the sessions
opened for it afterwards (see solve.py): this keeps the seat variables few.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .model import DemandGroup, Module, Problem, Room, Slot, Trainer


def session_load(module: Module) -> int:
    """What a session counts towards a trainer's maximum per day / per week: one session,
    whatever its length (a whole-day module is one session)."""
    return 1


@dataclass(frozen=True)
class Candidate:
    module_id: int
    site_id: int
    start: int  # slot index
    room_id: int
    trainer_id: int
    capacity: int
    span: tuple[int, ...]  # slot indices it occupies
    day: dt.date
    week: tuple[int, int]

    @property
    def offer(self) -> tuple[int, int, int]:
        return (self.module_id, self.site_id, self.start)


@dataclass
class Index:
    """Everything the solver looks up, computed once per problem."""

    problem: Problem
    slots: list[Slot] = field(default_factory=list)  # sorted by index
    pos: dict[int, int] = field(default_factory=dict)  # slot index → position in slots
    modules: dict[int, Module] = field(default_factory=dict)
    rooms: dict[int, Room] = field(default_factory=dict)
    rooms_at: dict[int, list[Room]] = field(default_factory=dict)
    trainers: dict[int, Trainer] = field(default_factory=dict)
    groups: dict[int, DemandGroup] = field(default_factory=dict)
    max_absent: dict[int, int] = field(default_factory=dict)
    weeks: list[tuple[int, int]] = field(default_factory=list)
    week_slots: dict[tuple[int, int], list[Slot]] = field(default_factory=dict)
    # Busy because of fixed sessions.
    trainer_busy: set[tuple[int, int]] = field(default_factory=set)
    room_busy: set[tuple[int, int]] = field(default_factory=set)
    trainer_fixed_day: dict[tuple[int, dt.date], int] = field(default_factory=dict)
    trainer_fixed_week: dict[tuple[int, tuple[int, int]], int] = field(default_factory=dict)
    sites: set[int] = field(default_factory=set)
    # (module length, availability, earliest, deadline or None) → week → start slots a
    # group of that kind can attend; shared by the many groups alike (see `starts`).
    _starts: dict[tuple, dict[tuple[int, int], list[int]]] = field(default_factory=dict)

    @classmethod
    def build(cls, problem: Problem) -> Index:
        ix = cls(problem=problem)
        ix.slots = sorted(problem.slots, key=lambda s: s.index)
        ix.pos = {s.index: i for i, s in enumerate(ix.slots)}
        ix.modules = {m.id: m for m in problem.modules}
        ix.rooms = {r.id: r for r in problem.rooms}
        rooms_at: dict[int, list[Room]] = defaultdict(list)
        for r in problem.rooms:
            rooms_at[r.site_id].append(r)
        ix.rooms_at = dict(rooms_at)
        ix.trainers = {t.id: t for t in problem.trainers}
        ix.groups = {g.id: g for g in problem.demand}
        ix.max_absent = {t.id: t.max_absent for t in problem.teams}
        week_slots: dict[tuple[int, int], list[Slot]] = defaultdict(list)
        for s in ix.slots:
            week_slots[s.week].append(s)
        ix.week_slots = dict(week_slots)
        ix.weeks = sorted(week_slots)
        day_fixed: dict[tuple[int, dt.date], int] = defaultdict(int)
        week_fixed: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
        for f in problem.fixed:
            m = ix.modules.get(f.module_id)
            span = ix.span(f.slot_index, m.slots if m else 1) or (f.slot_index,)
            for t in span:
                ix.trainer_busy.add((f.trainer_id, t))
                ix.room_busy.add((f.room_id, t))
            if f.slot_index in ix.pos:
                slot = ix.slots[ix.pos[f.slot_index]]
                load = session_load(m) if m else 1
                day_fixed[(f.trainer_id, slot.day)] += load
                week_fixed[(f.trainer_id, slot.week)] += load
        ix.trainer_fixed_day = dict(day_fixed)
        ix.trainer_fixed_week = dict(week_fixed)
        ix.sites = set(rooms_at) | {g.site_id for g in problem.demand}
        return ix

    def slot(self, index: int) -> Slot:
        return self.slots[self.pos[index]]

    def span(self, start: int, length: int) -> tuple[int, ...] | None:
        """The slot indices a session of `length` half-days starting at `start` covers
        (consecutive indices of the same day, as check.py holds), or None."""
        first = self.pos.get(start)
        if first is None:
            return None
        day = self.slots[first].day
        out = []
        for offset in range(length):
            p = self.pos.get(start + offset)
            if p is None or self.slots[p].day != day:
                return None
            out.append(start + offset)
        return tuple(out)

    def capacity(self, module: Module, room: Room) -> int:
        return min(room.capacity, module.group_max * max(1, module.tables_per_trainer))

    def trainer_free(self, trainer: Trainer, span: tuple[int, ...]) -> bool:
        return all(
            trainer.can_work(self.slots[self.pos[t]]) and (trainer.id, t) not in self.trainer_busy
            for t in span
        )

    def group_can(self, group: DemandGroup, span: tuple[int, ...]) -> bool:
        return all(group.can_attend(self.slots[self.pos[t]]) for t in span)

    def starts(self, group: DemandGroup, length: int, late: bool = False):
        """Week → start slots where `group` can attend a session of `length` slots (on
        time unless `late`). Computed once per kind of group: thousands of groups share
        a few dozen kinds, so windows look starts up instead of testing every slot."""
        key = (length, group.available, group.earliest, None if late else group.deadline)
        found = self._starts.get(key)
        if found is None:
            found = defaultdict(list)
            for slot in self.slots:
                if not late and not group.on_time(slot):
                    break
                span = self.span(slot.index, length)
                if span is not None and self.group_can(group, span):
                    found[slot.week].append(slot.index)
            found = dict(found)
            self._starts[key] = found
        return found

    def site_of_fixed(self, room_id: int) -> int | None:
        room = self.rooms.get(room_id)
        return room.site_id if room else None


def offers_groups(
    ix: Index, remaining: dict[int, int], slots: list[Slot], late: bool = False
) -> dict[tuple[int, int, int], list[int]]:
    """For each (module, site, start slot) in `slots`, the groups with demand left that
    accept the site and can attend every slot of it on time."""
    slot_set = {s.index for s in slots}
    weeks = sorted({s.week for s in slots})
    out: dict[tuple[int, int, int], list[int]] = {}
    for gid, left in remaining.items():
        if left <= 0:
            continue
        g = ix.groups[gid]
        module = ix.modules.get(g.module_id)
        if module is None:
            continue
        by_week = ix.starts(g, module.slots, late)
        sites = (g.site_id, *sorted(g.near_sites - {g.site_id}))
        for week in weeks:
            for start in by_week.get(week, ()):
                if start in slot_set:
                    for site in sites:
                        out.setdefault((module.id, site, start), []).append(gid)
    return out


def build_candidates(
    ix: Index,
    offers: dict[tuple[int, int, int], list[int]],
    allowed: set[tuple[int, int]] | None = None,
) -> list[Candidate]:
    """Every (trainer, room) that can run each offer, skipping what fixed sessions use.
    `allowed`, when given, keeps only the (module, site) pairs in it."""
    trainers_for: dict[tuple[int, int], list[Trainer]] = {}
    out: list[Candidate] = []
    for mid, site, start in offers:
        module = ix.modules[mid]
        slot = ix.slot(start)
        if allowed is not None and (mid, site) not in allowed:
            continue
        span = ix.span(start, module.slots)
        if span is None:
            continue
        key = (mid, site)
        if key not in trainers_for:
            trainers_for[key] = [
                t for t in ix.problem.trainers if mid in t.modules and t.goes_to(site)
            ]
        rooms = [
            r
            for r in ix.rooms_at.get(site, ())
            if r.suits(module) and all((r.id, t) not in ix.room_busy for t in span)
        ]
        if not rooms:
            continue
        for trainer in trainers_for[key]:
            if not ix.trainer_free(trainer, span):
                continue
            for room in rooms:
                cap = ix.capacity(module, room)
                if cap < max(1, module.group_min):
                    continue
                out.append(
                    Candidate(mid, site, start, room.id, trainer.id, cap, span, slot.day, slot.week)
                )
    return out
