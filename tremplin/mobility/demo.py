"""Demo data for mobility: a few dozen open or upcoming positions in office jobs, wishes
of field agents, a handful of redeployment files (with PPR, placements and hours used)
and the moves done over the past year. Reproducible for a given seed; call after the
organisation, competences and training demos (positions use the jobs' requirements).
The agent of the demo user « agent » gets « Métiers accessibles » opened."""

from __future__ import annotations

import datetime as dt
import random

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.competences.models import JobRequirement
from tremplin.organisation.enums import Category, WorkKind
from tremplin.organisation.models import Agent, Job, OrgUnit, Site

from .access import CACHE_KEY
from .enums import FileStatus, PositionStatus
from .models import (
    Move,
    Placement,
    Position,
    PositionRequirement,
    ReachableJobsAccess,
    RedeploymentFile,
    Wish,
)

POSITIONS = 36
WISHES = 60
FILES = 6
MOVES = 8
RESTRICTIONS = [
    "Pas de port de charges de plus de 5 kg.",
    "Pas de station debout prolongée. Pas de travail en hauteur.",
    "Pas de gestes répétitifs des bras au-dessus des épaules.",
    "Pas d'exposition aux produits d'entretien.",
    "Pas de conduite de véhicule. Travail assis de préférence.",
    "Pas de travail de nuit. Limiter les déplacements à pied.",
]
PLACEMENT_NOTES = [
    "Accueil du public : bonne aisance à l'oral.",
    "Saisie de courriers : à l'aise avec la messagerie, moins avec le tableur.",
    "",
]


def seed(*, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(f"mobility-{seed}")
    required_jobs = set(JobRequirement.objects.values_list("job_id", flat=True))
    office_jobs = list(
        Job.objects.filter(work_kind=WorkKind.OFFICE, pk__in=required_jobs).order_by("code")
    )
    units = list(OrgUnit.objects.filter(children__isnull=True).order_by("path"))
    sites = list(Site.objects.order_by("code"))
    field_agents = list(
        Agent.objects.present(today)
        .filter(job__work_kind=WorkKind.FIELD)
        .order_by("pk")
        .values_list("pk", "job_id", "category")
    )
    if not office_jobs or not units or not field_agents:
        return {}
    counts = {"postes": _positions(rng, today, office_jobs, units, sites)}
    counts["souhaits"] = _wishes(rng, today, office_jobs, field_agents)
    files, placements = _files(rng, today, field_agents, units)
    counts["dossiers de reclassement"] = len(files)
    counts["mises en situation"] = placements
    counts["mobilités faites"] = _moves(rng, today, field_agents, files)
    demo_agent = User.objects.filter(username="agent").values_list("agent_id", flat=True).first()
    if demo_agent:
        ReachableJobsAccess.objects.create(agent_id=demo_agent)
        counts["agent avec « Métiers accessibles »"] = 1
    cache.delete(CACHE_KEY)
    return counts


def _positions(rng, today, jobs, units, sites) -> int:
    statuses = [PositionStatus.OPEN] * 6 + [PositionStatus.UPCOMING] * 3 + [PositionStatus.FILLED]
    requirements = list(JobRequirement.objects.values_list("job_id", "competence_id", "level"))
    positions = Position.objects.bulk_create(
        Position(
            job=rng.choice(jobs),
            unit=rng.choice(units),
            site=rng.choice(sites) if sites else None,
            category=rng.choice([Category.C, Category.C, Category.B]),
            starts_on=today + dt.timedelta(days=rng.randint(15, 180)),
            status=rng.choice(statuses),
        )
        for _ in range(POSITIONS)
    )
    extra = []
    for position in positions[::4]:  # one in four asks a level above its job's
        own = [(c, level) for j, c, level in requirements if j == position.job_id and level < 8]
        if own:
            competence_id, level = rng.choice(own)
            extra.append(
                PositionRequirement(position=position, competence_id=competence_id, level=level + 1)
            )
    PositionRequirement.objects.bulk_create(extra)
    return len(positions)


def _wishes(rng, today, jobs, field_agents) -> int:
    families = sorted({j.family for j in jobs if j.family})
    wishes = []
    for agent_id, _job, _category in rng.sample(field_agents, min(WISHES, len(field_agents))):
        by_family = families and rng.random() < 0.4
        wishes.append(
            Wish(
                agent_id=agent_id,
                job=None if by_family else rng.choice(jobs),
                family=rng.choice(families) if by_family else "",
                expressed_on=today - dt.timedelta(days=rng.randint(10, 300)),
            )
        )
    Wish.objects.bulk_create(wishes)
    return len(wishes)


def _files(rng, today, field_agents, units) -> tuple[list[RedeploymentFile], int]:
    chosen = rng.sample(field_agents, min(FILES + 3, len(field_agents)))
    files, placements = [], 0
    for index, (agent_id, _job, category) in enumerate(chosen):
        opened = today - dt.timedelta(days=rng.randint(30, 330))
        ppr_start = opened + dt.timedelta(days=14)
        low = category == Category.C and rng.random() < 0.6
        file = RedeploymentFile.objects.create(
            agent_id=agent_id,
            restriction=RESTRICTIONS[index % len(RESTRICTIONS)],
            opened_on=opened,
            ppr_starts_on=ppr_start,
            ppr_ends_on=ppr_start + dt.timedelta(days=364),
            no_level3_diploma=low,
            doctor_opinion=rng.random() < 0.5,
        )
        file.hours_used = rng.randint(0, file.hours_rights // 2)
        file.save(update_fields=["hours_used"])
        for _ in range(rng.randint(0, 2)):
            start = ppr_start + dt.timedelta(days=rng.randint(0, 200))
            Placement.objects.create(
                file=file,
                unit=rng.choice(units),
                starts_on=start,
                ends_on=start + dt.timedelta(days=rng.randint(5, 30)),
                notes=rng.choice(PLACEMENT_NOTES),
            )
            placements += 1
        files.append(file)
    return files, placements


def _moves(rng, today, field_agents, files) -> int:
    """Three files end in a move (then they are closed); the others are plain moves."""
    filled = list(Position.objects.filter(status=PositionStatus.FILLED).order_by("pk"))
    with_file = files[FILES:]  # the extra files sampled above: those that led to a move
    in_file = {f.agent_id for f in files}
    others = [a for a in field_agents if a[0] not in in_file]
    moves = 0
    for file in with_file:
        moved_on = min(today, file.opened_on + dt.timedelta(days=rng.randint(90, 300)))
        position = filled.pop() if filled else None
        job_id = position.job_id if position else Position.objects.first().job_id
        agent_job = Agent.objects.filter(pk=file.agent_id).values_list("job_id", flat=True)[0]
        Move.objects.create(
            agent_id=file.agent_id,
            from_job_id=agent_job,
            position=position,
            to_job_id=job_id,
            moved_on=moved_on,
            file=file,
        )
        file.status, file.closed_on = FileStatus.CLOSED, moved_on
        file.save(update_fields=["status", "closed_on"])
        moves += 1
    for agent_id, from_job, _category in rng.sample(others, min(MOVES - moves, len(others))):
        position = filled.pop() if filled else None
        Move.objects.create(
            agent_id=agent_id,
            from_job_id=from_job,
            position=position,
            to_job_id=position.job_id if position else Position.objects.first().job_id,
            moved_on=today - dt.timedelta(days=rng.randint(10, 360)),
        )
        moves += 1
    return moves


def wipe() -> None:
    """Empties the mobility tables before seed_demo --reset deletes the agents."""
    tables = (
        Move,
        Placement,
        RedeploymentFile,
        ReachableJobsAccess,
        Wish,
        PositionRequirement,
        Position,
    )
    with connection.cursor() as cursor:
        for model in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
    cache.delete(CACHE_KEY)
