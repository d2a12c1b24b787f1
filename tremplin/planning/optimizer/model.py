"""Plain data in and out of the planner: no Django, no ORM, hashable where useful.

Time is cut into **slots**: half-days (morning, afternoon) of the working days of the
horizon, public and school holidays removed by whoever builds the problem. A module lasts
one or more consecutive slots of the same day (`Module.slots`; a Fresque is one 3 h
slot). A **session** is a module in a slot, in a room, with one trainer.

Demand comes per agent and module, then is **aggregated**: agents with the same module,
site, availability, earliest date, deadline, weight and team are one `DemandGroup` with a
count, so 60,000 agents become a few thousand groups.

Served demand is what the planner maximises: Σ weight × seats given before the group's
deadline (a seat after the deadline serves nothing for the objective but may still be
given, as a "late" seat, when capacity is left).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

MORNING, AFTERNOON = "am", "pm"


@dataclass(frozen=True, order=True)
class Slot:
    """A half-day of the horizon. `index` orders slots in time (0, 1, 2…)."""

    index: int
    day: dt.date
    half: str  # MORNING or AFTERNOON

    @property
    def weekday(self) -> int:
        """ISO weekday, 1 = Monday."""
        return self.day.isoweekday()

    @property
    def week(self) -> tuple[int, int]:
        return self.day.isocalendar()[:2]


@dataclass(frozen=True)
class Module:
    id: int
    name: str
    slots: int = 1  # consecutive half-days the session lasts (same day: 1 or 2)
    group_min: int = 1
    group_max: int = 12
    # Fresque du Climat: tables of group_max, up to this many tables per facilitator
    # in one session (capacity = tables × group_max when the room allows it).
    tables_per_trainer: int = 1
    room_need: str = "any"  # "computers", "tablets" or "any"
    # Prerequisite modules an agent must have done first, at least `gap_days` before.
    prerequisites: tuple[int, ...] = ()
    gap_days: int = 0


@dataclass(frozen=True)
class Room:
    id: int
    site_id: int
    capacity: int
    has_computers: bool = False
    has_tablets: bool = False

    def suits(self, module: Module) -> bool:
        if module.room_need == "computers":
            return self.has_computers
        if module.room_need == "tablets":
            return self.has_tablets or self.has_computers
        return True


@dataclass(frozen=True)
class Trainer:
    id: int
    name: str
    modules: frozenset[int]
    home_site_id: int | None = None
    # (ISO weekday, half) when the trainer works; empty = every working half-day.
    available: frozenset[tuple[int, str]] = frozenset()
    absent_days: frozenset[dt.date] = frozenset()
    max_per_day: int = 2
    max_per_week: int = 8
    # Sites the trainer travels to; empty = every site.
    sites: frozenset[int] = frozenset()

    def can_work(self, slot: Slot) -> bool:
        if slot.day in self.absent_days:
            return False
        return not self.available or (slot.weekday, slot.half) in self.available

    def goes_to(self, site_id: int) -> bool:
        return not self.sites or site_id in self.sites


@dataclass(frozen=True)
class Team:
    """Service continuity: at most `max_absent` of the team's agents in training in the
    same slot."""

    id: int
    max_absent: int


@dataclass(frozen=True)
class DemandGroup:
    """`count` agents who need `module`, alike in everything the planner looks at."""

    id: int
    module_id: int
    count: int
    weight: float  # priority: fragility segment, goal deadline, mobility…
    site_id: int  # where they work; sessions at `near_sites` are acceptable too
    team_id: int | None = None
    deadline: dt.date | None = None  # served only by a session on or before this day
    earliest: dt.date | None = None  # not before (a prerequisite done + gap)
    # (ISO weekday, half) when these agents may attend; empty = any working half-day.
    available: frozenset[tuple[int, str]] = frozenset()
    near_sites: frozenset[int] = frozenset()  # other acceptable sites (travel costs)
    agent_ids: tuple[int, ...] = ()  # who they are, for the adapter (not used to solve)

    def can_attend(self, slot: Slot) -> bool:
        if self.earliest is not None and slot.day < self.earliest:
            return False
        return not self.available or (slot.weekday, slot.half) in self.available

    def on_time(self, slot: Slot) -> bool:
        return self.deadline is None or slot.day <= self.deadline

    def accepts_site(self, site_id: int) -> bool:
        return site_id == self.site_id or site_id in self.near_sites


@dataclass(frozen=True)
class FixedSession:
    """A session already confirmed or locked: kept as it is; its free seats can serve."""

    id: int
    module_id: int
    slot_index: int
    room_id: int
    trainer_id: int
    seats_free: int


@dataclass(frozen=True)
class Problem:
    slots: tuple[Slot, ...]
    modules: tuple[Module, ...]
    rooms: tuple[Room, ...]
    trainers: tuple[Trainer, ...]
    demand: tuple[DemandGroup, ...]
    teams: tuple[Team, ...] = ()
    fixed: tuple[FixedSession, ...] = ()


# --- Results ---------------------------------------------------------------------------------


class Unplaced(StrEnum):
    """Why demand was left without a seat; French labels in LABELS."""

    NO_TRAINER = "no_trainer"
    NO_ROOM = "no_room"
    NO_SLOT = "no_slot"  # availability ∩ trainer ∩ horizon is empty
    AFTER_DEADLINE = "after_deadline"
    CONTINUITY = "continuity"
    PREREQUISITE = "prerequisite"
    CAPACITY = "capacity"  # feasible in principle: seats ran out before the deadline


LABELS = {
    Unplaced.NO_TRAINER: "personne ne peut animer ce module près de chez eux",
    Unplaced.NO_ROOM: "aucune salle adaptée près de chez eux",
    Unplaced.NO_SLOT: "aucun créneau commun avec un formateur dans la période",
    Unplaced.AFTER_DEADLINE: "l'échéance tombe avant le premier créneau possible",
    Unplaced.CONTINUITY: "l'équipe est à sa limite de continuité de service",
    Unplaced.PREREQUISITE: "le module précédent n'est pas encore fait",
    Unplaced.CAPACITY: "plus de place avant l'échéance : il faudrait plus de séances",
}


@dataclass
class PlannedSession:
    module_id: int
    slot_index: int
    room_id: int
    trainer_id: int
    capacity: int
    fixed_id: int | None = None  # a FixedSession kept as it is
    seats: dict[int, int] = field(default_factory=dict)  # demand group id → seats

    @property
    def filled(self) -> int:
        return sum(self.seats.values())


@dataclass
class Plan:
    sessions: list[PlannedSession]
    unplaced: dict[int, tuple[int, Unplaced]]  # demand group id → (count, reason)
    served: float  # Σ weight × seats before deadlines
    method: str  # "greedy", "optimizer", "optimizer (greedy fallback)"…
    bound: float | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def gap_pct(self) -> float | None:
        if self.bound is None or self.bound <= 0:
            return None
        return max(0.0, 100.0 * (self.bound - self.served) / self.bound)
