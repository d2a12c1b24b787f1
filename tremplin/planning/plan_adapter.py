"""The planner's adapter: reads the ORM into the optimizer's plain data
(optimizer/model.py), and writes an accepted plan back as sessions and registrations
through registrations.register (so seats, overlaps, continuity and convocations stay
the deliver code's).

Demand is the open pathway steps (validated or in progress; proposed ones too on demand)
that have no live registration yet, online modules aside (no session to place). Priority weight of a step:
- 3 for an agent of a field job whose step closes a gap with their job (the agents far
  from digital tools come first, as the plan says);
- 2 for a step towards a target job (mobility);
- 1.5 for a step that serves a coverage goal (it has a deadline);
- 1 otherwise.
A step whose earlier steps in the same pathway are still open cannot start before
`PREREQUISITE_GAP` per earlier step.

Slots are half-days: 9:00–12:00 and 14:00–17:00 on working days (weekends, French
public holidays, the periods without training HR entered — school holidays, closures —
and the closed days given removed). A module of up to 3 hours takes one
slot from its start; a longer one takes the whole day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import holidays
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from tremplin.organisation.enums import WorkKind, WorkPattern
from tremplin.organisation.models import Agent, Site
from tremplin.training.enums import ModuleFormat, PlaceNeed, StepOrigin, StepStatus, TrainerKind
from tremplin.training.models import Module, PathwayStep

from . import registrations
from .enums import ACTIVE_STATUSES, SEAT_STATUSES, SessionStatus
from .models import ClosedPeriod, ContinuityRule, Registration, Room, Session, Trainer
from .optimizer import model as m

HALF_START = {m.MORNING: dt.time(9), m.AFTERNOON: dt.time(14)}
HALF_MINUTES = 180
PREREQUISITE_GAP = dt.timedelta(days=14)
# The Fresque du Climat is played at tables: a facilitator runs up to two.
FRESQUE_TABLES = 2
WEEKDAYS = range(1, 6)


@dataclass
class Context:
    """What the adapter needs to map the plan back to the database."""

    slots: dict[int, m.Slot]
    # demand group id → [(agent id, step id)], in the order seats are given
    members: dict[int, list[tuple[int, int]]]
    modules: dict[int, Module]
    steps: int = 0
    agents: int = 0
    notes: list[str] = field(default_factory=list)


def working_slots(start: dt.date, end: dt.date, closed: set[dt.date] = frozenset()) -> list[m.Slot]:
    public = holidays.France(years=range(start.year, end.year + 1))
    slots, day = [], start
    while day <= end:
        if day.isoweekday() in WEEKDAYS and day not in public and day not in closed:
            for half in (m.MORNING, m.AFTERNOON):
                slots.append(m.Slot(len(slots), day, half))
        day += dt.timedelta(days=1)
    return slots


def slot_span(module: Module) -> int:
    return 1 if module.duration_minutes <= HALF_MINUTES else 2


def session_times(slot: m.Slot, module: Module) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(slot.day, HALF_START[slot.half]))
    if slot_span(module) == 1:
        return start, start + dt.timedelta(minutes=module.duration_minutes)
    return start, timezone.make_aware(dt.datetime.combine(slot.day, dt.time(17)))


def _half_of(moment: dt.datetime) -> str:
    return m.MORNING if timezone.localtime(moment).hour < 13 else m.AFTERNOON


def _availability(agent: Agent) -> frozenset[tuple[int, str]]:
    off = set(agent.days_off_list)
    days = [d for d in WEEKDAYS if d not in off]
    if agent.work_pattern == WorkPattern.MORNING:
        halves = (m.MORNING,)
    elif agent.work_pattern == WorkPattern.AFTERNOON:
        halves = (m.AFTERNOON,)
    else:
        # Office hours work both halves; night and rotating shifts are not known in
        # advance: any half-day, flagged at registration when outside their hours.
        halves = (m.MORNING, m.AFTERNOON)
    return frozenset((d, h) for d in days for h in halves)


def _module_data(module: Module, prerequisites: dict[int, list[int]]) -> m.Module:
    fresque = module.trainer_kind == TrainerKind.FRESQUE
    return m.Module(
        id=module.pk,
        name=module.title,
        slots=slot_span(module),
        group_min=module.group_min,
        group_max=module.group_max,
        tables_per_trainer=FRESQUE_TABLES if fresque else 1,
        room_need={
            PlaceNeed.COMPUTERS: "computers",
            PlaceNeed.TABLETS: "tablets",
        }.get(module.place_need, "any"),
        prerequisites=tuple(prerequisites.get(module.pk, ())),
    )


def _trainer_data(trainer: Trainer, start: dt.date, end: dt.date) -> m.Trainer:
    available = set()
    for slot in trainer.availabilities.all():
        for half, begin in HALF_START.items():
            finish = (dt.datetime.combine(start, begin) + dt.timedelta(minutes=HALF_MINUTES)).time()
            if slot.starts_at <= begin and slot.ends_at >= finish:
                available.add((slot.weekday, half))
    absent = set()
    for absence in trainer.absences.all():
        day = max(absence.starts_on, start)
        while day <= min(absence.ends_on, end):
            absent.add(day)
            day += dt.timedelta(days=1)
    return m.Trainer(
        id=trainer.pk,
        name=trainer.name,
        modules=frozenset(mod.pk for mod in trainer.modules.all()),
        home_site_id=trainer.home_site_id,
        # A trainer with no slot entered is taken as available on every working half-day.
        available=frozenset(available),
        absent_days=frozenset(absent),
        max_per_day=trainer.max_sessions_per_day,
        max_per_week=trainer.max_sessions_per_week,
    )


def _near_sites() -> dict[int | None, frozenset[int]]:
    """Sites with a training room an agent may travel to: those of the same commune, or
    every one when their commune has none (the plan prefers their own site)."""
    with_rooms = set(Room.objects.filter(active=True).values_list("site_id", flat=True))
    cities = dict(Site.objects.values_list("pk", "city"))
    by_city: dict[str, set[int]] = defaultdict(set)
    for site_id in with_rooms:
        by_city[cities.get(site_id, "")].add(site_id)
    everywhere = frozenset(with_rooms)
    near: dict[int | None, frozenset[int]] = {None: everywhere}
    for site_id, city in cities.items():
        near[site_id] = frozenset(by_city.get(city) or everywhere) - {site_id}
    return near


def _weight(step: PathwayStep, agent: Agent) -> float:
    if step.origin == StepOrigin.TARGET:
        return 2.0
    if step.origin == StepOrigin.GAP and agent.job and agent.job.work_kind == WorkKind.FIELD:
        return 3.0
    if step.goal_id:
        return 1.5
    return 1.0


def build_problem(
    *,
    start: dt.date,
    end: dt.date,
    agents=None,
    wanted: set[int] | None = None,
    include_proposed: bool = False,
    closed_days: set[dt.date] = frozenset(),
) -> tuple[m.Problem, Context]:
    """The planning problem over [start, end] for `agents` (a queryset; all present
    agents by default) and the steps of the modules `wanted` (ids; all active ones by default).
    Trainers, rooms and live sessions are the whole collectivité's: a run for one
    population still leaves the others' sessions where they are."""
    slots = working_slots(start, end, set(closed_days) | ClosedPeriod.days_between(start, end))
    by_day_half = {(s.day, s.half): s for s in slots}
    statuses = [StepStatus.VALIDATED, StepStatus.IN_PROGRESS]
    if include_proposed:
        statuses.append(StepStatus.PROPOSED)
    booked = Registration.objects.filter(
        agent_id=OuterRef("pathway__agent_id"),
        session__module_id=OuterRef("module_id"),
        status__in=ACTIVE_STATUSES,
        session__ends_at__gt=timezone.now(),
    ).exclude(session__status=SessionStatus.CANCELLED)
    population = (agents if agents is not None else Agent.objects.all()).present()
    steps = (
        PathwayStep.objects.filter(status__in=statuses, pathway__agent__in=population.values("pk"))
        .exclude(Exists(booked))
        .select_related("pathway__agent__job", "goal")
        .order_by("pathway__agent_id", "position")
    )
    # An online module has no session to place: the agent follows it on their own.
    modules = {
        mod.pk: mod for mod in Module.objects.active().exclude(format=ModuleFormat.ELEARNING)
    }
    open_before: dict[int, int] = defaultdict(int)  # pathway → open steps met so far
    rules = {r.unit_id: r for r in ContinuityRule.objects.all()}
    team_sizes = {}
    groups: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    count_steps = 0
    agent_ids = set()
    for step in steps.iterator(chunk_size=2000):
        if step.module_id not in modules:
            continue
        agent = step.pathway.agent
        waits = open_before[step.pathway_id]
        open_before[step.pathway_id] += 1
        if wanted is not None and step.module_id not in wanted:
            continue  # still an earlier open step for the ones after it
        earliest = start + PREREQUISITE_GAP * min(waits, 3) if waits else None
        deadline = step.goal.deadline if step.goal_id else None
        team = agent.unit_id if agent.unit_id in rules else None
        key = (
            step.module_id,
            agent.site_id or 0,
            team,
            deadline,
            earliest,
            _weight(step, agent),
            _availability(agent),
        )
        groups[key].append((agent.pk, step.pk))
        count_steps += 1
        agent_ids.add(agent.pk)
    if rules:
        team_sizes = dict(
            Agent.objects.present()
            .filter(unit_id__in=list(rules))
            .values_list("unit_id")
            .annotate(n=Count("pk"))
        )
    near = _near_sites()
    demand, members = [], {}
    for index, (key, people) in enumerate(groups.items(), start=1):
        module_id, site_id, team, deadline, earliest, weight, available = key
        demand.append(
            m.DemandGroup(
                id=index,
                module_id=module_id,
                count=len(people),
                weight=weight,
                site_id=site_id,
                team_id=team,
                deadline=deadline,
                earliest=earliest,
                available=available,
                near_sites=near.get(site_id, near[None]),
                agent_ids=tuple(a for a, _s in people),
            )
        )
        members[index] = people
    prerequisites: dict[int, list[int]] = defaultdict(list)
    for mod in modules.values():
        for pre in mod.prerequisites.all():
            if pre.required_module_id:
                prerequisites[mod.pk].append(pre.required_module_id)
    trainers = [
        _trainer_data(t, start, end)
        for t in Trainer.objects.filter(active=True).prefetch_related(
            "modules", "availabilities", "absences"
        )
    ]
    rooms = [
        m.Room(
            id=r.pk,
            site_id=r.site_id,
            capacity=r.capacity,
            has_computers=r.has_computers,
            has_tablets=r.has_tablets,
        )
        for r in Room.objects.filter(active=True)
    ]
    teams = [
        m.Team(id=unit_id, max_absent=rule.max_absent(team_sizes.get(unit_id, 0)))
        for unit_id, rule in rules.items()
    ]
    fixed = []
    live = (
        Session.objects.live()
        .filter(starts_at__date__gte=start, starts_at__date__lte=end)
        .exclude(status=SessionStatus.HELD)
        .prefetch_related("trainers")
    )
    live = live.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES))
    )
    for session in live:
        local = timezone.localtime(session.starts_at)
        slot = by_day_half.get((local.date(), _half_of(session.starts_at)))
        trainer = next(iter(session.trainers.all()), None)
        if slot is None or session.room_id is None or trainer is None:
            continue
        fixed.append(
            m.FixedSession(
                id=session.pk,
                module_id=session.module_id,
                slot_index=slot.index,
                room_id=session.room_id,
                trainer_id=trainer.pk,
                seats_free=max(session.capacity - session.taken, 0),
            )
        )
    problem = m.Problem(
        slots=tuple(slots),
        modules=tuple(_module_data(mod, prerequisites) for mod in modules.values()),
        rooms=tuple(rooms),
        trainers=tuple(trainers),
        demand=tuple(demand),
        teams=tuple(teams),
        fixed=tuple(fixed),
    )
    context = Context(
        slots={s.index: s for s in slots},
        members=members,
        modules=modules,
        steps=count_steps,
        agents=len(agent_ids),
    )
    return problem, context


@dataclass
class ApplyReport:
    sessions: int = 0
    registered: int = 0
    waiting: int = 0
    refused: int = 0
    reasons: list[str] = field(default_factory=list)
    session_ids: list[int] = field(default_factory=list)


def seated(plan: m.Plan, context: Context):
    """(index, session, [(agent id, step id)]) for each session of the plan: the members
    of a demand group take its seats in session order."""
    given: dict[int, int] = defaultdict(int)  # demand group → members already seated
    for index, planned in enumerate(plan.sessions):
        people = []
        for group_id, seats in planned.seats.items():
            people += context.members[group_id][given[group_id] : given[group_id] + seats]
            given[group_id] += seats
        yield index, planned, people


def apply_plan(
    plan: m.Plan, context: Context, *, by=None, locked: bool = False, only: set[int] | None = None
) -> ApplyReport:
    """Creates the proposed sessions and registers the seated agents through the deliver
    code, one registration at a time (each checks seats, overlaps and continuity again:
    the database may have changed since the run). Convocations follow.

    The members of a demand group take the seats in session order; `only` restricts the
    work to those session indexes (the others still consume their members, so a session
    fixed earlier keeps its agents and the rest go where the plan put them)."""
    report = ApplyReport()
    for index, planned, people in seated(plan, context):
        if only is not None and index not in only:
            continue
        module = context.modules[planned.module_id]
        if planned.fixed_id is not None:
            session = Session.objects.filter(pk=planned.fixed_id).first()
            if session is None:
                continue
        else:
            slot = context.slots[planned.slot_index]
            starts_at, ends_at = session_times(slot, module)
            with transaction.atomic():
                session = Session.objects.create(
                    module=module,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    room_id=planned.room_id,
                    capacity=planned.capacity,
                    min_participants=min(module.group_min, planned.capacity),
                    created_by=by,
                    notes="Proposée par le calcul du planning.",
                    locked=locked,
                )
                session.trainers.add(planned.trainer_id)
            report.sessions += 1
            report.session_ids.append(session.pk)
        agents = Agent.objects.in_bulk([a for a, _s in people])
        steps = PathwayStep.objects.in_bulk([s for _a, s in people])
        for agent_id, step_id in people:
            if agent_id not in agents:
                report.refused += 1
                continue
            try:
                registration = registrations.register(
                    session, agents[agent_id], by=by, step=steps.get(step_id)
                )
            except registrations.RegistrationError as exc:
                report.refused += 1
                if len(report.reasons) < 20:
                    report.reasons.append(str(exc))
                continue
            if registration.status == "waiting":
                report.waiting += 1
            else:
                report.registered += 1
    return report
