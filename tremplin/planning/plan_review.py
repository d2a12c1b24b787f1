"""What HR reads before accepting a planning run, beyond served demand: which coverage
goals the proposal meets or misses, and what makes part of the request impossible.

Module goals only: a level goal is reached by a measurement, not by a seat, so a plan
cannot say whether it will be met (the goals page follows it).

A goal is counted on the run's population (the agents the run places): population,
already reached, already booked in a session before the deadline, seated by this plan
before the deadline. The rest is missed, and said why: no seat (the optimizer's
reasons), or no open step for that module in their pathway (nothing to place).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from django.utils import timezone

from tremplin.training import goals as goal_figures
from tremplin.training.models import CoverageGoal

from . import plan_adapter
from .enums import ACTIVE_STATUSES, SessionStatus
from .models import PlanningRun, Registration
from .optimizer import model as m


def _seated_on_time(plan: m.Plan, context: plan_adapter.Context, module_id: int, deadline):
    """Agents the plan seats in a session of the module on or before the deadline."""
    agents = set()
    for _index, planned, people in plan_adapter.seated(plan, context):
        if planned.module_id != module_id:
            continue
        if context.slots[planned.slot_index].day <= deadline:
            agents.update(agent for agent, _step in people)
    return agents


def goals(
    run: PlanningRun,
    problem: m.Problem,
    context: plan_adapter.Context,
    plan: m.Plan,
    today: dt.date | None = None,
) -> list[dict]:
    """One row per active module goal: met or missed by this proposal, with its counts."""
    today = today or timezone.localdate()
    run_agents = run.agents().values("pk")
    waiting = Counter()  # module → agents in the demand left without a seat
    groups = {g.id: g for g in problem.demand}
    for group_id, (count, _reason) in plan.unplaced.items():
        waiting[groups[group_id].module_id] += count
    teachable = {mod for t in problem.trainers for mod in t.modules}
    asked = {}  # module → agents with an open step for it in this run
    for group in problem.demand:
        asked.setdefault(group.module_id, set()).update(group.agent_ids)
    goals_shown = CoverageGoal.objects.filter(active=True, module__isnull=False)
    chosen = set(run.modules.values_list("pk", flat=True))
    if chosen:
        goals_shown = goals_shown.filter(module__in=chosen)
    rows = []
    for goal in goals_shown.select_related("module", "unit", "segment").order_by(
        "priority", "deadline", "pk"
    ):
        people = goal_figures.population(goal, today).filter(pk__in=run_agents)
        population = set(people.values_list("pk", flat=True))
        if not population:
            continue
        reached = set(people.filter(goal_figures.reached_q(goal)).values_list("pk", flat=True))
        booked = set(
            Registration.objects.filter(
                agent_id__in=population - reached,
                session__module_id=goal.module_id,
                session__starts_at__date__lte=goal.deadline,
                status__in=ACTIVE_STATUSES,
            )
            .exclude(session__status=SessionStatus.CANCELLED)
            .values_list("agent_id", flat=True)
        )
        planned = _seated_on_time(plan, context, goal.module_id, goal.deadline)
        planned &= population - reached - booked
        projected = len(reached) + len(booked) + len(planned)
        missing = len(population) - projected
        reasons = []
        if missing and goal.deadline < run.starts_on:
            reasons.append(
                f"l'échéance ({goal.deadline:%d/%m/%Y}) est avant le début du planning : "
                "impossible à tenir, à repousser"
            )
        without_step = len(population - reached - booked - asked.get(goal.module_id, set()))
        if missing and without_step:
            reasons.append(
                f"{without_step} agent(s) n'ont pas ce module dans leur parcours"
                + ("" if run.include_proposed else " (ou seulement en étape proposée)")
                + " : rien à placer pour eux"
            )
        if missing and goal.module_id not in teachable:
            reasons.append("personne ne peut animer ce module : ajoutez un formateur")
        if missing and goal.deadline > run.ends_on:
            reasons.append("l'échéance est après la fin du planning : la suite viendra plus tard")
        rows.append(
            {
                "name": goal.name,
                "module": goal.module.title,
                "deadline": goal.deadline.isoformat(),
                "population": len(population),
                "reached": len(reached),
                "booked": len(booked),
                "planned": len(planned),
                "projected": projected,
                # Floored: 99.9 % must not read 100 % beside "il manque 1".
                "share": math.floor(100 * projected / len(population)),
                "missing": missing,
                "met": missing <= 0,
                "pending": missing > 0 and goal.deadline > run.ends_on,
                "unplaced": min(waiting[goal.module_id], missing),
                "without_step": without_step,
                "reasons": reasons,
            }
        )
    return rows


def infeasible(problem: m.Problem) -> list[str]:
    """Parts of the request no plan can serve, in French, with what makes them so:
    a module nobody can teach, a module no room can host."""
    modules = {mod.id: mod for mod in problem.modules}
    asked = Counter()
    for group in problem.demand:
        asked[group.module_id] += group.count
    teachable = {mod for t in problem.trainers for mod in t.modules}
    sentences = []
    for module_id, count in sorted(asked.items(), key=lambda item: -item[1]):
        module = modules[module_id]
        if module_id not in teachable:
            sentences.append(
                f"« {module.name} » : aucun formateur actif ne peut l'animer ; "
                f"{count} agent(s) attendent ce module. Ajoutez-le à un formateur."
            )
        elif not any(room.suits(module) for room in problem.rooms):
            sentences.append(
                f"« {module.name} » : aucune salle active n'a l'équipement demandé ; "
                f"{count} agent(s) attendent ce module."
            )
    return sentences
