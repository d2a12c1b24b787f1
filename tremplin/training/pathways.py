"""Pathway generation, the Django side: reads what generator.plan_pathway needs for a
batch of agents, runs it, and writes the steps (bulk, audited).

The number of queries per batch does not depend on the number of agents in it: the
agents, their profiles, their pathways and steps, and the membership of each active goal
are read with one IN query each; new rows are inserted with one prepared statement and
read back with one query; changed steps are saved with one prepared UPDATE, removed
ones with one DELETE; the audit entries go in with audit.record_many. (Prepared
statements send their rows in chunks of core.bulk.BATCH rows.) Pathway.generated_at, a
computed timestamp, is set without an audit entry, like the models' updated_at.

Regeneration (a new diagnostic or Pix import, or HR asks again), step by step:
- an open step whose competence the profile now shows at the level the module brings is
  done: status "done", done_reason "evidence", done_on today;
- a proposed step no longer needed is removed; a validated or started one is never
  removed: it gets no_longer_needed=True and HR decides;
- steps a person put there (template, manual) stay as they are;
- new needs add proposed steps; positions are renumbered (done steps first, then the
  plan's order, then the flagged ones, cancelled ones last).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tremplin.competences.merge import whole_level
from tremplin.competences.models import Competence, JobRequirement, ProfileEntry
from tremplin.core import audit, bulk
from tremplin.core.enums import AuditAction
from tremplin.organisation.models import Agent, OrgUnit

from . import generator as g
from .catalogue import load_catalogue
from .enums import OPEN_STEP_STATUSES, DoneReason, StepOrigin, StepStatus
from .goals import population_q, reached_q
from .models import (
    CoverageGoal,
    FragilitySegment,
    Module,
    Pathway,
    PathwayStep,
    PathwayTemplate,
)
from .segments import segment_q

BATCH_SIZE = 500
# Steps a person put in the pathway: regeneration leaves them alone.
HUMAN_ORIGINS = (StepOrigin.TEMPLATE, StepOrigin.MANUAL)
COMMITTED = (StepStatus.VALIDATED, StepStatus.IN_PROGRESS)
STEP_TYPE = audit.label_of(PathwayStep)
PATHWAY_TYPE = audit.label_of(Pathway)
STEP_INSERT_FIELDS = [
    "pathway",
    "module",
    "position",
    "status",
    "origin",
    "reason",
    "competence",
    "goal",
    "no_longer_needed",
    "done_reason",
    "updated_at",
]
STEP_UPDATE_FIELDS = [
    "position",
    "status",
    "origin",
    "reason",
    "competence",
    "goal",
    "no_longer_needed",
    "done_on",
    "done_reason",
    "updated_at",
]
_STEP_INSERT_COLUMNS = [PathwayStep._meta.get_field(name) for name in STEP_INSERT_FIELDS]
STATUS_LABELS = dict(StepStatus.choices)
TOP_UNCLOSED = 10

Progress = Callable[[int, int], None]


# --- Report --------------------------------------------------------------------------------


@dataclass
class Report:
    agents: int = 0
    pathways_created: int = 0
    pathways_updated: int = 0
    pathways_unchanged: int = 0
    steps_added: int = 0
    steps_removed: int = 0
    steps_flagged: int = 0
    steps_done: int = 0  # done because the profile shows the level
    agents_unmeasured: int = 0  # with a required competence never measured
    unclosed: Counter = field(default_factory=Counter)  # competence code → agents

    def top_unclosed(self, words: dict[str, str] | None = None, count: int = TOP_UNCLOSED):
        """[(code, words, agents)], most agents first: the gaps no module closes."""
        words = words or {}
        ranked = sorted(self.unclosed.items(), key=lambda item: (-item[1], item[0]))[:count]
        return [(code, words.get(code, code), agents) for code, agents in ranked]

    def summary(self) -> str:
        if not self.agents:
            return "Aucun agent à traiter."
        parts = [
            f"{_n(self.agents)} agent(s) traité(s)",
            f"{_n(self.pathways_created)} parcours créé(s)",
            f"{_n(self.pathways_updated)} mis à jour",
            f"{_n(self.steps_added)} étape(s) ajoutée(s)",
            f"{_n(self.steps_removed)} retirée(s)",
            f"{_n(self.steps_flagged)} signalée(s) comme plus nécessaire(s)",
            f"{_n(self.steps_done)} notée(s) faite(s) d'après le profil",
        ]
        text = ", ".join(parts) + "."
        if self.unclosed:
            text += f" {_n(len(self.unclosed))} compétence(s) sans module pour combler l'écart."
        return text

    def as_dict(self, words: dict[str, str] | None = None) -> dict:
        return {
            "agents": self.agents,
            "pathways_created": self.pathways_created,
            "pathways_updated": self.pathways_updated,
            "pathways_unchanged": self.pathways_unchanged,
            "steps_added": self.steps_added,
            "steps_removed": self.steps_removed,
            "steps_flagged": self.steps_flagged,
            "steps_done": self.steps_done,
            "agents_unmeasured": self.agents_unmeasured,
            "unclosed": [
                {"code": code, "words": text, "agents": agents}
                for code, text, agents in self.top_unclosed(words)
            ],
        }


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


# --- What every batch shares ---------------------------------------------------------------


def module_specs(catalogue) -> list[g.ModuleSpec]:
    """The catalogue (catalogue.load_catalogue) as the generator's input."""
    return [
        g.ModuleSpec(
            id=m.id,
            code=m.code,
            title=m.title,
            duration_minutes=m.duration_minutes,
            format=m.format,
            audience=m.audience,
            job_families=tuple(m.job_families),
            needs_device=m.needs_device,
            outcomes=tuple(g.OutcomeSpec(*o) for o in m.outcomes),
            required_module_ids=tuple(m.required_module_ids),
            level_prerequisites=tuple((p[0], p[1]) for p in m.level_prerequisites),
            position=m.position,
        )
        for m in catalogue.modules
    ]


class Context:
    """Read once per run: the catalogue, the competences, what jobs require, the active
    goals, module titles (about eight queries, whatever the number of agents)."""

    def __init__(self, *, today=None):
        self.now = timezone.now()
        self.today = today or timezone.localdate()
        self.catalogue = g.Catalogue(module_specs(load_catalogue()), self._words())
        self.titles = dict(Module.objects.values_list("pk", "title"))
        self.required: dict[int, dict[str, int]] = defaultdict(dict)
        for job_id, competence_id, level in JobRequirement.objects.values_list(
            "job_id", "competence_id", "level"
        ):
            self.required[job_id][self.code_of[competence_id]] = level
        self.goals = list(
            CoverageGoal.objects.filter(active=True).select_related("unit", "segment", "competence")
        )
        self.goal_specs = {
            goal.pk: g.GoalSpec(
                id=goal.pk,
                name=goal.name,
                deadline=goal.deadline,
                priority=goal.priority,
                module_id=goal.module_id,
                competence=goal.competence.code if goal.competence_id else None,
                level=goal.level,
            )
            for goal in self.goals
        }

    def _words(self) -> dict[str, str]:
        self.code_of: dict[int, str] = {}
        self.id_of: dict[str, int] = {}
        words = {}
        for pk, code, name, plain_name in Competence.objects.values_list(
            "pk", "code", "name", "plain_name"
        ):
            self.code_of[pk] = code
            self.id_of[code] = pk
            words[code] = plain_name or name
        return words

    @property
    def words(self) -> dict[str, str]:
        return self.catalogue.words


# --- One batch -----------------------------------------------------------------------------


@dataclass
class _AgentRow:
    pk: int
    label: str
    job_id: int | None
    family: str
    work_kind: str
    levels: dict[str, int] = field(default_factory=dict)
    goals: list[int] = field(default_factory=list)


def _agent_label(last_name: str, first_name: str) -> str:
    return f"{last_name.upper()} {first_name}"


class _Batch:
    """Plans and writes the pathways of a batch of agents. `items` are (agent id, target
    job id or None)."""

    def __init__(self, ctx: Context, items: list[tuple[int, int | None]], report: Report, by):
        self.ctx = ctx
        self.items = items
        self.report = report
        self.by_id = getattr(by, "pk", None)
        self.agent_ids = sorted({agent_id for agent_id, _job in items})
        self.entries: list[tuple] = []
        self.new_steps: list[PathwayStep] = []
        self.changed: list[PathwayStep] = []
        self.removed: list[PathwayStep] = []
        self.touched: set[int] = set()  # pathways with a step added, changed or removed

    # Reading -----------------------------------------------------------------------------

    def load(self) -> None:
        ctx, ids = self.ctx, self.agent_ids
        self.agents = {
            pk: _AgentRow(pk, _agent_label(last, first), job_id, family or "", kind or "")
            for pk, last, first, job_id, family, kind in Agent.objects.filter(
                pk__in=ids
            ).values_list(
                "pk", "last_name", "first_name", "job_id", "job__family", "job__work_kind"
            )
        }
        for agent_id, competence_id, level in ProfileEntry.objects.filter(
            agent_id__in=ids
        ).values_list("agent_id", "competence_id", "level"):
            self.agents[agent_id].levels[ctx.code_of[competence_id]] = whole_level(level)
        # Goals only shape the agent's own pathway: one query per active goal.
        if any(job is None for _agent, job in self.items):
            for goal in ctx.goals:
                members = (
                    Agent.objects.filter(pk__in=ids)
                    .filter(population_q(goal))
                    .exclude(reached_q(goal))
                    .values_list("pk", flat=True)
                )
                for agent_id in members:
                    self.agents[agent_id].goals.append(goal.pk)
        self.pathways: dict[int, dict[int | None, Pathway]] = defaultdict(dict)
        for pathway in Pathway.objects.filter(agent_id__in=ids):
            self.pathways[pathway.agent_id][pathway.target_job_id] = pathway
        self.steps: dict[int, list[PathwayStep]] = defaultdict(list)
        for step in PathwayStep.objects.filter(pathway__agent_id__in=ids).order_by(
            "pathway_id", "position", "pk"
        ):
            self.steps[step.pathway_id].append(step)

    # Planning ----------------------------------------------------------------------------

    def _reached(self, step: PathwayStep, agent: _AgentRow) -> bool:
        """The profile shows the level the module brings in the step's competence."""
        if step.competence_id is None:
            return False
        code = self.ctx.code_of.get(step.competence_id)
        module = self.ctx.catalogue.modules.get(step.module_id)
        outcome = module.outcome_for(code) if module and code else None
        level = agent.levels.get(code)
        return outcome is not None and level is not None and level >= outcome.level_to

    def _situation(
        self, agent: _AgentRow, target_job_id, pathway, steps, others
    ) -> g.AgentSituation:
        ctx = self.ctx
        open_here = [s for s in steps if s.status in OPEN_STEP_STATUSES]
        job_id = target_job_id or agent.job_id
        own = target_job_id is None
        required = dict(ctx.required.get(job_id, {})) if job_id else {}
        for code, level in (pathway.extra_levels if pathway else {}).items():
            required[code] = max(required.get(code, 0), level)
        return g.AgentSituation(
            levels=agent.levels,
            required=required,
            work_kind=agent.work_kind,
            job_family=agent.family,
            goals=tuple(ctx.goal_specs[goal_id] for goal_id in agent.goals) if own else (),
            done_module_ids=frozenset(
                s.module_id for s in [*steps, *others] if s.status == StepStatus.DONE
            ),
            unavailable_module_ids=frozenset(
                s.module_id for s in steps if s.status == StepStatus.CANCELLED
            ),
            kept_module_ids=tuple(s.module_id for s in open_here if s.origin in HUMAN_ORIGINS),
            committed_module_ids=frozenset(
                s.module_id
                for s in open_here
                if s.status in COMMITTED and s.origin not in HUMAN_ORIGINS
            ),
            elsewhere_module_ids=frozenset()
            if own
            else frozenset(s.module_id for s in others if s.status in OPEN_STEP_STATUSES),
            target_job=not own,
        )

    def plan_all(self) -> list:
        """(agent, target job, pathway or None, steps, plan) per item, after marking done
        the steps whose level the profile now shows."""
        planned = []
        for agent_id, target_job_id in self.items:
            agent = self.agents.get(agent_id)
            if agent is None:
                continue
            pathway = self.pathways[agent_id].get(target_job_id)
            steps = self.steps.get(pathway.pk, []) if pathway else []
            for step in steps:
                if step.status in OPEN_STEP_STATUSES and self._reached(step, agent):
                    self._change(
                        step,
                        agent,
                        status=StepStatus.DONE,
                        done_reason=DoneReason.EVIDENCE,
                        done_on=self.ctx.today,
                        no_longer_needed=False,
                    )
                    self.report.steps_done += 1
            others = [
                step
                for other in self.pathways[agent_id].values()
                if other is not pathway
                for step in self.steps.get(other.pk, [])
            ]
            plan = g.plan_pathway(
                self._situation(agent, target_job_id, pathway, steps, others),
                self.ctx.catalogue,
            )
            if target_job_id is None:
                if plan.unmeasured:
                    self.report.agents_unmeasured += 1
                for code in {gap.competence for gap in plan.unclosed}:
                    self.report.unclosed[code] += 1
            planned.append((agent, target_job_id, pathway, steps, plan))
        return planned

    # Steps in memory ---------------------------------------------------------------------

    def _change(self, step: PathwayStep, agent: _AgentRow, **values) -> None:
        changes = {name: v for name, v in values.items() if getattr(step, name) != v}
        if not changes:
            return
        if not hasattr(step, "_before"):
            step._before = audit.snapshot(step)
            step._agent = agent
            self.changed.append(step)
            self.touched.add(step.pathway_id)
        for name, value in changes.items():
            setattr(step, name, value)

    def reconcile(self, agent, target_job_id, pathway, steps, plan) -> None:
        """Applies the plan to the pathway's steps in memory (see the module docstring)."""
        ctx = self.ctx
        planned = {s.module_id: s for s in plan.steps}
        by_module = {s.module_id: s for s in steps}
        left: list[PathwayStep] = []  # open, not in the plan, kept: after the plan's steps
        removed: set[int] = set()
        for step in steps:
            if step.status not in OPEN_STEP_STATUSES:
                continue
            wanted = planned.get(step.module_id)
            if wanted is not None:
                values = {"no_longer_needed": False}
                if step.status == StepStatus.PROPOSED and not wanted.kept:
                    values.update(
                        origin=wanted.origin,
                        reason=wanted.reason,
                        competence_id=ctx.id_of.get(wanted.competence),
                        goal_id=wanted.goal_id,
                    )
                self._change(step, agent, **values)
            elif step.origin in HUMAN_ORIGINS:
                left.append(step)
            elif step.status == StepStatus.PROPOSED:
                step._agent = agent
                self.removed.append(step)
                self.touched.add(step.pathway_id)
                removed.add(step.pk)
            else:
                if not step.no_longer_needed:
                    self.report.steps_flagged += 1
                self._change(step, agent, no_longer_needed=True)
                left.append(step)
        for wanted in plan.steps:
            if wanted.module_id in by_module:
                continue
            step = PathwayStep(
                pathway=pathway,
                module_id=wanted.module_id,
                status=StepStatus.PROPOSED,
                origin=wanted.origin,
                reason=wanted.reason,
                competence_id=ctx.id_of.get(wanted.competence),
                goal_id=wanted.goal_id,
                no_longer_needed=False,
                updated_at=ctx.now,
            )
            step._agent = agent
            step._key = (agent.pk, target_job_id)
            self.new_steps.append(step)
            by_module[wanted.module_id] = step
        ordered = [s for s in steps if s.status == StepStatus.DONE]
        ordered += [
            by_module[s.module_id]
            for s in plan.steps
            if by_module[s.module_id].status in OPEN_STEP_STATUSES
        ]
        ordered += left
        ordered += [s for s in steps if s.status == StepStatus.CANCELLED]
        for position, step in enumerate((s for s in ordered if s.pk not in removed), start=1):
            if step.pk is None:
                step.position = position
            else:
                self._change(step, agent, position=position)

    # Writing -----------------------------------------------------------------------------

    def write(self, *, create: bool) -> None:
        missing: list[tuple[_AgentRow, int | None]] = []
        existing: list[int] = []
        added_before = len(self.new_steps)
        for agent, target_job_id, pathway, steps, plan in self.plan_all():
            if pathway is None:
                if not create or (not plan.steps and target_job_id is None):
                    continue  # refresh only, or nothing to propose: no empty pathway
                missing.append((agent, target_job_id))
            else:
                existing.append(pathway.pk)
            self.reconcile(agent, target_job_id, pathway, steps, plan)
        self.report.steps_added += len(self.new_steps) - added_before
        self.report.steps_removed += len(self.removed)
        updated = self.touched.intersection(existing)
        self.report.pathways_updated += len(updated)
        self.report.pathways_unchanged += len(set(existing)) - len(updated)
        created = self._create_pathways(missing)
        for step in self.new_steps:
            if step.pathway_id is None:
                step.pathway_id = created[step._key].pk
        self._insert_steps()
        self._save_changes()
        self._delete_removed()
        if existing:
            Pathway.objects.filter(pk__in=existing).update(generated_at=self.ctx.now)
        audit.record_many(self.entries)

    def _summary(self, step: PathwayStep) -> str:
        return _step_summary(step, self.ctx.titles)

    def _create_pathways(self, missing) -> dict:
        created = _insert_pathways(missing, self.by_id, self.ctx.now, self.entries)
        self.report.pathways_created += len(created)
        return created

    def _insert_steps(self) -> None:
        _insert_steps(self.new_steps, self.ctx.titles, self.entries)

    def _save_changes(self) -> None:
        if not self.changed:
            return
        for step in self.changed:
            step.updated_at = self.ctx.now
            self.entries.append(
                (
                    AuditAction.UPDATE,
                    STEP_TYPE,
                    step.pk,
                    self._summary(step),
                    audit.diff(step._before, audit.snapshot(step)),
                )
            )
        bulk.update_rows(self.changed, STEP_UPDATE_FIELDS)

    def _delete_removed(self) -> None:
        if not self.removed:
            return
        ids = [step.pk for step in self.removed]
        quote = connection.ops.quote_name
        table = quote(PathwayStep._meta.db_table)
        column = quote(PathwayStep._meta.pk.column)
        marks = ", ".join(["%s"] * len(ids))
        # One DELETE: through the ORM, the audit signals would load and log row by row.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", ids)  # noqa: S608 (names come from the model, values are parameters)
        for step in self.removed:
            self.entries.append(
                (
                    AuditAction.DELETE,
                    STEP_TYPE,
                    step.pk,
                    self._summary(step),
                    audit.diff(audit.snapshot(step), None),
                )
            )


def _step_summary(step: PathwayStep, titles: dict[int, str]) -> str:
    status = STATUS_LABELS.get(step.status, step.status)
    return f"{step._agent.label} — {titles.get(step.module_id, '')} ({status})"


def _insert_pathways(missing: list, by_id, now, entries: list) -> dict:
    """Creates the pathways of (agent row, target job id) pairs: one INSERT, one SELECT.
    Returns {(agent id, target job id): pathway}."""
    if not missing:
        return {}
    bulk.insert_rows(
        Pathway,
        ["agent", "target_job", "extra_levels", "created_by", "created_at", "generated_at"],
        [(agent.pk, job_id, {}, by_id, now, now) for agent, job_id in missing],
    )
    labels = {(agent.pk, job_id): agent.label for agent, job_id in missing}
    created = {
        (p.agent_id, p.target_job_id): p
        for p in Pathway.objects.filter(agent_id__in={a.pk for a, _j in missing})
        if (p.agent_id, p.target_job_id) in labels
    }
    for key, pathway in created.items():
        entries.append(
            (
                AuditAction.CREATE,
                PATHWAY_TYPE,
                pathway.pk,
                f"Parcours de {labels[key]}",
                audit.diff(None, audit.snapshot(pathway)),
            )
        )
    return created


def _insert_steps(steps: list[PathwayStep], titles: dict[int, str], entries: list) -> None:
    """Inserts new steps (one INSERT), reads their ids back (one SELECT, the pair pathway
    and module being unique) and adds their audit entries."""
    if not steps:
        return
    bulk.insert_rows(
        PathwayStep,
        STEP_INSERT_FIELDS,
        [tuple(getattr(s, f.attname) for f in _STEP_INSERT_COLUMNS) for s in steps],
    )
    by_key = {(s.pathway_id, s.module_id): s for s in steps}
    for pk, pathway_id, module_id in PathwayStep.objects.filter(
        pathway_id__in={s.pathway_id for s in steps}
    ).values_list("pk", "pathway_id", "module_id"):
        step = by_key.get((pathway_id, module_id))
        if step is not None:
            step.pk = pk
            step._state.adding = False
    for step in steps:
        entries.append(
            (
                AuditAction.CREATE,
                STEP_TYPE,
                step.pk,
                _step_summary(step, titles),
                audit.diff(None, audit.snapshot(step)),
            )
        )


# --- Entry points --------------------------------------------------------------------------


def _agent_ids(agents) -> list[int]:
    if isinstance(agents, QuerySet):
        return list(agents.order_by("pk").values_list("pk", flat=True))
    return sorted({getattr(a, "pk", a) for a in agents})


def _run(
    items: list[tuple[int, int | None]],
    *,
    by=None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    create: bool = True,
    ctx: Context | None = None,
) -> Report:
    report = Report()
    if not items:
        return report
    ctx = ctx or Context()
    by_agent: dict[int, list] = defaultdict(list)
    for item in items:
        by_agent[item[0]].append(item)
    agent_ids = sorted(by_agent)
    with audit.acting_as(by) if by is not None else nullcontext():
        for start in range(0, len(agent_ids), batch_size):
            chunk = agent_ids[start : start + batch_size]
            with transaction.atomic():
                batch = _Batch(ctx, [i for a in chunk for i in by_agent[a]], report, by)
                batch.load()
                batch.write(create=create)
            report.agents += len(chunk)
            if progress is not None:
                progress(min(start + batch_size, len(agent_ids)), len(agent_ids))
    return report


def generate_for(
    agents: QuerySet | Iterable,
    *,
    by=None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    ctx: Context | None = None,
) -> Report:
    """Writes or updates each agent's own-job pathway (target_job empty). `agents` is a
    queryset of agents or an iterable of agents or ids; `by` the user who asked (audit,
    created_by); `progress(done, total)` is called after each batch."""
    items = [(agent_id, None) for agent_id in _agent_ids(agents)]
    return _run(items, by=by, batch_size=batch_size, progress=progress, ctx=ctx)


def generate_for_target_job(
    agent, job, *, extra_levels: dict[str, int] | None = None, by=None
) -> Report:
    """The agent's pathway towards another job (mobility): created even when empty, so
    that the advisor sees that nothing is missing. `extra_levels` (competence code →
    level) are what a position asks beyond its job; they are kept on the pathway so that
    a later refresh (new evidence) still aims at them. None leaves them as they are."""
    with transaction.atomic():
        if extra_levels is not None:
            with audit.acting_as(by) if by is not None else nullcontext():
                pathway, _created = Pathway.objects.get_or_create(
                    agent=agent,
                    target_job=job,
                    defaults={"created_by": by, "extra_levels": extra_levels},
                )
                if pathway.extra_levels != extra_levels:
                    pathway.extra_levels = extra_levels
                    pathway.save(update_fields=["extra_levels"])
        return _run([(agent.pk, job.pk)], by=by)


def refresh_for_agents(agent_ids: Iterable[int], *, by=None) -> Report:
    """Updates the pathways these agents already have, after new evidence (a diagnostic,
    a Pix import). Agents without a pathway cost one query in all and get none."""
    ids = sorted(set(agent_ids))
    if not ids:
        return Report()
    items = list(
        Pathway.objects.filter(agent_id__in=ids)
        .order_by("agent_id", "pk")
        .values_list("agent_id", "target_job_id")
    )
    return _run(items, by=by, create=False)


# --- Populations ---------------------------------------------------------------------------

POPULATION_ALL = "all"
POPULATION_UNIT = "unit"
POPULATION_FAMILY = "family"
POPULATION_SEGMENT = "segment"
POPULATION_CHOICES = [
    (POPULATION_ALL, "Tous les agents de mon périmètre"),
    (POPULATION_UNIT, "Une unité (et ses sous-unités)"),
    (POPULATION_FAMILY, "Une famille de métiers"),
    (POPULATION_SEGMENT, "Un groupe d'agents éloignés du numérique"),
]


def population_agents(
    user, *, kind: str, unit_id: int | None = None, family: str = "", segment_id: int | None = None
):
    """Present agents of a population, within what the user may see. A unit the user
    may not browse, or a segment no longer used, gives nobody."""
    agents = Agent.objects.visible_to(user).present()
    if kind == POPULATION_UNIT:
        unit = OrgUnit.objects.visible_to(user).filter(pk=unit_id).first()
        return agents.filter(unit__path__startswith=unit.path) if unit else agents.none()
    if kind == POPULATION_FAMILY:
        return agents.filter(job__family=family) if family else agents.none()
    if kind == POPULATION_SEGMENT:
        segment = FragilitySegment.objects.filter(pk=segment_id, active=True).first()
        return agents.filter(segment_q(segment)) if segment else agents.none()
    return agents


# --- Templates -----------------------------------------------------------------------------


def template_reason(template: PathwayTemplate) -> str:
    return f"Parcours type « {template.name} »."[:300]


@dataclass
class TemplateReport:
    agents: int = 0
    pathways_created: int = 0
    steps_added: int = 0

    def summary(self) -> str:
        return (
            f"{_n(self.agents)} agent(s) : {_n(self.steps_added)} étape(s) ajoutée(s), "
            f"{_n(self.pathways_created)} parcours créé(s)."
        )


def apply_template(
    template: PathwayTemplate, agents, *, by=None, batch_size: int = BATCH_SIZE
) -> TemplateReport:
    """Adds the template's modules, in its order, after the steps of each agent's own
    pathway (created if needed), with origin "template". A module already in the
    pathway, whatever its state, is never added twice: applying again adds nothing.
    Constant queries per batch, every new row audited."""
    report = TemplateReport()
    module_ids = list(template.steps.order_by("position", "pk").values_list("module_id", flat=True))
    agent_ids = _agent_ids(agents)
    if not module_ids or not agent_ids:
        return report
    titles = dict(Module.objects.filter(pk__in=module_ids).values_list("pk", "title"))
    reason = template_reason(template)
    now = timezone.now()
    by_id = getattr(by, "pk", None)
    with audit.acting_as(by) if by is not None else nullcontext():
        for chunk in bulk.chunks(agent_ids, batch_size):
            with transaction.atomic():
                entries: list[tuple] = []
                rows = {
                    pk: _AgentRow(pk, _agent_label(last, first), None, "", "")
                    for pk, last, first in Agent.objects.filter(pk__in=chunk).values_list(
                        "pk", "last_name", "first_name"
                    )
                }
                pathways = {
                    p.agent_id: p
                    for p in Pathway.objects.filter(agent_id__in=chunk, target_job__isnull=True)
                }
                present: dict[int, set[int]] = defaultdict(set)
                last: dict[int, int] = defaultdict(int)
                for pathway_id, module_id, position in PathwayStep.objects.filter(
                    pathway__in=pathways.values()
                ).values_list("pathway_id", "module_id", "position"):
                    present[pathway_id].add(module_id)
                    last[pathway_id] = max(last[pathway_id], position)
                missing = [(rows[pk], None) for pk in chunk if pk in rows and pk not in pathways]
                created = _insert_pathways(missing, by_id, now, entries)
                report.pathways_created += len(created)
                pathways.update({agent_id: p for (agent_id, _job), p in created.items()})
                new = []
                for agent_id, pathway in pathways.items():
                    position = last[pathway.pk]
                    for module_id in module_ids:
                        if module_id in present[pathway.pk]:
                            continue
                        position += 1
                        step = PathwayStep(
                            pathway_id=pathway.pk,
                            module_id=module_id,
                            position=position,
                            status=StepStatus.PROPOSED,
                            origin=StepOrigin.TEMPLATE,
                            reason=reason,
                            no_longer_needed=False,
                            updated_at=now,
                        )
                        step._agent = rows[agent_id]
                        new.append(step)
                _insert_steps(new, titles, entries)
                report.steps_added += len(new)
                audit.record_many(entries)
            report.agents += len(rows)
    return report
