"""Planning runs: read the problem from the database, solve it (optimizer, with the
greedy plan as baseline and fallback), keep the proposal and its figures on the
PlanningRun, and, once HR accepts, create the sessions and registrations.

Used by the background task (views) and by `manage.py plan_training`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict

from django.utils import timezone

from . import plan_adapter, plan_review
from .models import PlanningRun, PlanningRunStatus
from .optimizer import model as m
from .optimizer.bound import capacity_bound
from .optimizer.check import check
from .optimizer.greedy import greedy


class Cancelled(Exception):
    """HR stopped the run."""


def launch(run: PlanningRun, user) -> None:
    """Gives the run its progress bar and hands it to the background worker once the
    transaction that created it commits."""
    from django.db import transaction

    from tremplin.core.models import BackgroundJob

    from .tasks import PLANNING_JOB_KIND, run_planning

    run.job = BackgroundJob.objects.create(
        kind=PLANNING_JOB_KIND, created_by=user, total=100, message="En attente…"
    )
    run.save(update_fields=["job"])
    transaction.on_commit(lambda: run_planning.enqueue(run_id=run.pk))


def _serialise(plan: m.Plan, problem: m.Problem, context: plan_adapter.Context) -> dict:
    modules = {mod.id: mod.name for mod in problem.modules}
    groups = {g.id: g for g in problem.demand}
    used = {s.slot_index for s in plan.sessions}
    return {
        "sessions": [
            {
                "module": s.module_id,
                "module_name": modules.get(s.module_id, "?"),
                "slot": s.slot_index,
                "room": s.room_id,
                "trainer": s.trainer_id,
                "capacity": s.capacity,
                "fixed": s.fixed_id,
                "seats": {str(g): n for g, n in s.seats.items()},
            }
            for s in sorted(plan.sessions, key=lambda s: (s.slot_index, s.module_id))
        ],
        "slots": {str(i): [context.slots[i].day.isoformat(), context.slots[i].half] for i in used},
        "members": {
            str(g): context.members[g] for g in {g for s in plan.sessions for g in s.seats}
        },
        "unplaced": [
            {
                "group": g,
                "module": modules.get(groups[g].module_id, "?"),
                "count": count,
                "reason": str(reason),
                "label": m.LABELS[reason],
            }
            for g, (count, reason) in sorted(plan.unplaced.items())
        ],
    }


def _figures(problem, context, plan, baseline, bound, seconds) -> dict:
    groups = {g.id: g for g in problem.demand}
    slots = {s.index: s for s in problem.slots}
    demand = Counter()
    on_time, late = Counter(), Counter()
    modules = {mod.id: mod.name for mod in problem.modules}
    for g in problem.demand:
        demand[modules[g.module_id]] += g.count
    for session in plan.sessions:
        slot = slots[session.slot_index]
        for g, n in session.seats.items():
            name = modules[groups[g].module_id]
            if groups[g].on_time(slot):
                on_time[name] += n
            else:
                late[name] += n
    unplaced = defaultdict(int)
    for count, reason in plan.unplaced.values():
        unplaced[m.LABELS[reason]] += count
    gap = None if not bound else max(0.0, 100 * (bound - plan.served) / bound)
    return {
        "agents": context.agents,
        "steps": context.steps,
        "groups": len(problem.demand),
        "slots": len(problem.slots),
        "new_sessions": sum(1 for s in plan.sessions if s.fixed_id is None),
        "seats": sum(s.filled for s in plan.sessions),
        "served": round(plan.served, 1),
        "served_greedy": round(baseline.served, 1),
        "bound": round(bound, 1) if bound is not None else None,
        "gap_pct": round(gap, 2) if gap is not None else None,
        "method": plan.method,
        "seconds": round(seconds, 1),
        "notes": plan.notes[:10],
        "modules": [
            {"name": name, "demand": demand[name], "on_time": on_time[name], "late": late[name]}
            for name in sorted(demand, key=lambda n: -demand[n])
        ],
        "unplaced": dict(sorted(unplaced.items(), key=lambda item: -item[1])),
    }


def solve(run: PlanningRun, *, progress=None) -> PlanningRun:
    """Computes the run's proposal. `progress(fraction, message)` may raise Cancelled."""
    started = time.monotonic()
    report = progress or (lambda fraction, message: None)
    report(0.02, "Lecture des parcours, des formateurs et des salles…")
    problem, context = plan_adapter.build_problem(
        start=run.starts_on,
        end=run.ends_on,
        agents=run.agents(),
        wanted=set(run.modules.values_list("pk", flat=True)) or None,
        include_proposed=run.include_proposed,
    )
    previous = _previous_places(run)
    report(0.08, "Plan de référence (premier arrivé, premier servi)…")
    baseline = greedy(problem)
    plan, bound = baseline, capacity_bound(problem)
    try:
        from .optimizer.solve import optimize
    except ImportError:  # pragma: no cover - the optimizer ships with the app
        optimize = None
    if optimize is not None:
        plan = optimize(
            problem,
            time_limit=run.time_limit_seconds,
            progress=lambda fraction, message: report(0.1 + 0.85 * fraction, message),
            warm_start=_warm_start(problem, context, previous),
        )
        if plan.bound is not None:
            bound = min(bound, plan.bound)
    if check(problem, plan) or plan.served < baseline.served:
        plan = baseline  # never keep a plan that breaks a rule or serves less
    if previous:
        _seat_members_where_they_were(plan, context, previous)
    run.plan = _serialise(plan, problem, context)
    run.figures = _figures(problem, context, plan, baseline, bound, time.monotonic() - started)
    run.figures["goals"] = plan_review.goals(run, problem, context, plan)
    if run.previous_id is not None:
        run.figures["kept"], run.figures["moved"] = _kept_and_moved(plan, context, previous)
    run.figures["infeasible"] = plan_review.infeasible(problem)
    run.status = PlanningRunStatus.READY
    run.save(update_fields=["plan", "figures", "status"])
    report(1.0, "Calcul terminé.")
    return run


Place = tuple[int, dt.date, str, int, int]  # module, day, half-day, room, trainer


def _place_of(planned: m.PlannedSession, context) -> Place:
    slot = context.slots[planned.slot_index]
    return (planned.module_id, slot.day, slot.half, planned.room_id, planned.trainer_id)


def _places(run: PlanningRun) -> dict[tuple[int, int], Place]:
    """(agent, module) → where the run's proposal seats them."""
    if run.status not in (PlanningRunStatus.READY, PlanningRunStatus.APPLIED):
        return {}
    plan, context = _plan_and_context(run, run.plan.get("sessions", []))
    places = {}
    for _index, planned, people in plan_adapter.seated(plan, context):
        place = _place_of(planned, context)
        for agent, _step in people:
            places[(agent, planned.module_id)] = place
    return places


def _previous_places(run: PlanningRun) -> dict[tuple[int, int], Place]:
    previous = run.previous
    return _places(previous) if previous is not None else {}


def _warm_start(problem: m.Problem, context, previous) -> m.Plan | None:
    """The previous proposal as the optimizer's starting point: a seat kept where the
    previous run put the agent is worth a little (moving an agent costs)."""
    if not previous:
        return None
    slot_of = {(s.day, s.half): s.index for s in problem.slots}
    kept: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for group in problem.demand:
        for agent, _step in context.members[group.id]:
            place = previous.get((agent, group.module_id))
            if place is None or (place[1], place[2]) not in slot_of:
                continue
            module_id, day, half, room, trainer = place
            kept[(module_id, slot_of[(day, half)], room, trainer)][group.id] += 1
    if not kept:
        return None
    sessions = [
        m.PlannedSession(module, slot, room, trainer, sum(seats.values()), None, dict(seats))
        for (module, slot, room, trainer), seats in kept.items()
    ]
    return m.Plan(sessions=sessions, unplaced={}, served=0.0, method="previous")


def _seat_members_where_they_were(plan: m.Plan, context, previous) -> None:
    """The plan gives seats to demand groups; which member takes which seat follows the
    order of the group's members. Orders them so that an agent whose previous place the
    plan kept gets that seat back (the others fill the seats left, in their order)."""
    sessions_of: dict[int, list[tuple[Place, int]]] = defaultdict(list)
    for planned in plan.sessions:
        place = _place_of(planned, context)
        for group_id, seats in planned.seats.items():
            sessions_of[group_id].append((place, seats))
    for group_id, sessions in sessions_of.items():
        members = context.members[group_id]
        wanted = defaultdict(list)  # place → members who were there
        for member in members:
            wanted[previous.get((member[0], sessions[0][0][0]))].append(member)
        chosen, given = [], set()
        for place, seats in sessions:  # first, everyone back in their previous session
            back = [p for p in wanted.get(place, []) if p not in given][:seats]
            given.update(back)
            chosen.append(back)
        others = iter([p for p in members if p not in given])
        ordered = []
        for (_place, seats), back in zip(sessions, chosen, strict=True):
            ordered += back + [next(others) for _ in range(seats - len(back))]
        context.members[group_id] = ordered + list(others)


def _kept_and_moved(plan: m.Plan, context, previous) -> tuple[int, int]:
    """Agents seated by both runs: in the same session as before, or moved."""
    kept = moved = 0
    for _index, planned, people in plan_adapter.seated(plan, context):
        place = _place_of(planned, context)
        for agent, _step in people:
            before = previous.get((agent, planned.module_id))
            if before is not None:
                kept, moved = (kept + 1, moved) if before == place else (kept, moved + 1)
    return kept, moved


def _plan_and_context(run: PlanningRun, proposals) -> tuple[m.Plan, plan_adapter.Context]:
    from tremplin.training.models import Module

    data = run.plan
    sessions = [
        m.PlannedSession(
            module_id=s["module"],
            slot_index=s["slot"],
            room_id=s["room"],
            trainer_id=s["trainer"],
            capacity=s["capacity"],
            fixed_id=s["fixed"],
            seats={int(g): n for g, n in s["seats"].items()},
        )
        for s in proposals
    ]
    slots = {
        int(i): m.Slot(int(i), dt.date.fromisoformat(day), half)
        for i, (day, half) in data.get("slots", {}).items()
    }
    members = {int(g): [tuple(p) for p in people] for g, people in data["members"].items()}
    # Members already seated by a session fixed earlier are skipped: they come first in
    # their group's list, in the order the sessions were listed.
    context = plan_adapter.Context(
        slots=slots,
        members=members,
        modules={mod.pk: mod for mod in Module.objects.all()},
    )
    return m.Plan(sessions=sessions, unplaced={}, served=0, method="accepted"), context


def seated_agents(run: PlanningRun, index: int) -> list[int]:
    """The agents the proposal seats in its session `index` (as accepting would)."""
    plan, context = _plan_and_context(run, run.plan["sessions"])
    for at, _planned, people in plan_adapter.seated(plan, context):
        if at == index:
            return [agent for agent, _step in people]
    return []


def lock_session(run: PlanningRun, index: int, *, by) -> tuple[plan_adapter.ApplyReport, int]:
    """Creates one proposed session now (locked) with its registrations; the proposal
    remembers it, so that accepting the run does not create it twice and the next run
    keeps it (a live session in the horizon is fixed for the planner)."""
    plan, context = _plan_and_context(run, run.plan["sessions"])
    report = plan_adapter.apply_plan(plan, context, by=by, locked=True, only={index})
    proposal = run.plan["sessions"][index]
    proposal["locked_session"] = report.session_ids[0] if report.session_ids else None
    proposal["fixed"] = proposal["locked_session"]
    run.save(update_fields=["plan"])
    return report, proposal["locked_session"]


def accept(run: PlanningRun, *, by) -> plan_adapter.ApplyReport:
    """Creates the sessions and registrations of a ready run (convocations follow);
    sessions fixed earlier from this run are already there."""
    if run.status != PlanningRunStatus.READY:
        raise ValueError("Seul un planning à revoir peut être accepté.")
    proposals = run.plan.get("sessions", [])
    plan, context = _plan_and_context(run, proposals)
    todo = {i for i, p in enumerate(proposals) if not p.get("locked_session")}
    report = plan_adapter.apply_plan(plan, context, by=by, only=todo)
    run.status = PlanningRunStatus.APPLIED
    run.applied_by = by
    run.applied_at = timezone.now()
    run.save(update_fields=["status", "applied_by", "applied_at"])
    return report
