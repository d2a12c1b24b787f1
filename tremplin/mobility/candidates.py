"""The adapter between the database and matching.py: a fixed number of bulk reads,
then pure Python. No query per agent or per position."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import FloatField
from django.db.models.functions import Cast

from tremplin.competences.models import Competence, JobRequirement, ProfileEntry
from tremplin.organisation.models import Agent
from tremplin.training.models import Module, ModuleOutcome

from . import matching as m
from .models import Position, PositionRequirement, Wish


def load_modules() -> dict[int, m.ModuleData]:
    """Active catalogue modules with their outcomes: 2 queries."""
    outcomes = defaultdict(list)
    for module_id, competence_id, level_from, level_to in ModuleOutcome.objects.filter(
        module__active=True
    ).values_list("module_id", "competence_id", "level_from", "level_to"):
        outcomes[module_id].append(m.Outcome(competence_id, level_from, level_to))
    return {
        pk: m.ModuleData(pk, title, minutes / 60, tuple(outcomes[pk]))
        for pk, title, minutes in Module.objects.active().values_list(
            "pk", "title", "duration_minutes"
        )
    }


def load_positions(positions) -> list[m.PositionData]:
    """`positions`: Position instances with `job` loaded. 2 queries."""
    positions = list(positions)
    by_job = defaultdict(dict)
    for job_id, competence_id, level in JobRequirement.objects.filter(
        job_id__in={p.job_id for p in positions}
    ).values_list("job_id", "competence_id", "level"):
        by_job[job_id][competence_id] = level
    extra = defaultdict(dict)
    for position_id, competence_id, level in PositionRequirement.objects.filter(
        position__in=[p.pk for p in positions]
    ).values_list("position_id", "competence_id", "level"):
        extra[position_id][competence_id] = level
    data = []
    for p in positions:
        requirements = dict(by_job[p.job_id])
        for competence_id, level in extra[p.pk].items():
            requirements[competence_id] = max(level, requirements.get(competence_id, 0))
        data.append(
            m.PositionData(p.pk, p.job_id, p.job.family, p.category, p.site_id, requirements)
        )
    return data


def load_agents(agents, competence_ids) -> list[m.AgentData]:
    """`agents`: a queryset of agents. 3 queries whatever their number."""
    levels = defaultdict(dict)
    # Read as floats: converting tens of thousands of Decimals costs more than the SQL.
    for agent_id, competence_id, level in (
        ProfileEntry.objects.filter(agent__in=agents.values("pk"), competence_id__in=competence_ids)
        .annotate(level_float=Cast("level", FloatField()))
        .values_list("agent_id", "competence_id", "level_float")
    ):
        levels[agent_id][competence_id] = level
    wished_jobs, wished_families = defaultdict(set), defaultdict(set)
    for agent_id, job_id, family in Wish.objects.filter(agent__in=agents.values("pk")).values_list(
        "agent_id", "job_id", "family"
    ):
        if job_id:
            wished_jobs[agent_id].add(job_id)
        if family:
            wished_families[agent_id].add(family)
    return [
        m.AgentData(
            pk,
            f"{last} {first}",
            category,
            site_id,
            levels[pk],
            frozenset(wished_jobs[pk]),
            frozenset(wished_families[pk]),
        )
        for pk, last, first, category, site_id in agents.order_by(
            "last_name", "first_name", "pk"
        ).values_list("pk", "last_name", "first_name", "category", "site_id")
    ]


def competence_codes(ids) -> dict[int, str]:
    return dict(Competence.objects.filter(pk__in=ids).values_list("pk", "code"))


def candidates_for(position: Position, user) -> tuple[list[m.Fit], dict[int, m.ModuleData]]:
    """Present agents the user may see, best fit first, and the modules named in fits."""
    (data,) = load_positions([position])
    agents = Agent.objects.visible_to(user).present()
    modules = load_modules()
    fits = m.rank_agents(
        data,
        load_agents(agents, data.requirements),
        list(modules.values()),
        competence_codes(data.requirements),
    )
    return fits, modules


def fit_for(agent: Agent, position: Position) -> m.Fit:
    """One agent against one position (the pathway page): what the catalogue cannot
    close and what was never measured."""
    (data,) = load_positions([position])
    (agent_data,) = load_agents(Agent.objects.filter(pk=agent.pk), data.requirements)
    (fit,) = m.rank_agents(
        data, [agent_data], list(load_modules().values()), competence_codes(data.requirements)
    )
    return fit


def positions_for(agent: Agent, *, reachable_only: bool = True):
    """Active positions for one agent, best fit first: [(position, fit)], modules."""
    positions = {p.pk: p for p in Position.objects.active().select_related("job", "unit", "site")}
    data = load_positions(positions.values())
    required = {c for p in data for c in p.requirements}
    (agent_data,) = load_agents(Agent.objects.filter(pk=agent.pk), required)
    modules = load_modules()
    fits = m.rank_positions(
        agent_data,
        data,
        list(modules.values()),
        competence_codes(required),
        reachable_only=reachable_only,
    )
    return [(positions[f.position_id], f) for f in fits], modules
