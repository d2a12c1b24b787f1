"""Gaps between agents' profiles and what their jobs require, per agent, as a list of
agents, and as a heat map per unit.

The rule, the same everywhere: an agent is **below** a requirement of level R when
their estimate, rounded to the nearest whole level (half up), is under R, that is
when `estimate < R - 0.5`; the gap is R minus that whole level. An agent without any
evidence on a required competence is **not measured**: that is not a gap.

Counting is SQL's job: lists and the heat map are grouped queries; Python only adds
up unit totals over the units (a few hundred), never over agents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.organisation.models import Agent, OrgUnit
from tremplin.organisation.unit_figures import share_percent

from .enums import GapListShow, GapStatus
from .merge import whole_level
from .models import Competence, JobRequirement, ProfileEntry

HALF = Decimal("0.5")
WORST_MIN_MEASURED = 10


# --- One agent -----------------------------------------------------------------------------


@dataclass
class CompetenceLine:
    competence: Competence
    required: int | None
    entry: ProfileEntry | None

    @property
    def level(self) -> int | None:
        return None if self.entry is None else whole_level(self.entry.level)

    @property
    def status(self) -> str:
        if self.required is None:
            return GapStatus.NOT_REQUIRED
        if self.entry is None:
            return GapStatus.UNMEASURED
        return GapStatus.GAP if self.level < self.required else GapStatus.MET

    @property
    def gap(self) -> int:
        return max(self.required - self.level, 0) if self.status == GapStatus.GAP else 0

    @property
    def status_label(self) -> str:
        return GapStatus(self.status).label


def agent_lines(agent) -> list[CompetenceLine]:
    """Every competence that the agent's job requires or that the agent was measured on,
    in framework order: 2 queries."""
    required = {}
    if agent.job_id:
        required = dict(
            JobRequirement.objects.filter(job_id=agent.job_id).values_list("competence_id", "level")
        )
    entries = {
        e.competence_id: e
        for e in ProfileEntry.objects.filter(agent=agent).select_related("competence")
    }
    competences = {e.competence_id: e.competence for e in entries.values()}
    missing = set(required) - set(competences)
    if missing:
        competences.update((c.pk, c) for c in Competence.objects.filter(pk__in=missing))
    ordered = sorted(competences.values(), key=lambda c: (c.position, c.code))
    return [CompetenceLine(c, required.get(c.pk), entries.get(c.pk)) for c in ordered]


# --- Agents with gaps ----------------------------------------------------------------------


def _count(queryset):
    """A correlated COUNT(*) usable as an annotation."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("job").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def below_requirements(competence=None):
    """Requirements of the outer agent's job that the agent's profile is below."""
    requirements = JobRequirement.objects.filter(
        job=OuterRef("job"),
        competence__profiles__agent=OuterRef("pk"),
        competence__profiles__level__lt=F("level") - HALF,
    )
    return requirements.filter(competence=competence) if competence else requirements


def requirement_entries():
    """Profile entries on a competence the agent's job requires, annotated with the
    `required` level: the rows behind « measured on a requirement » and « below it »."""
    return ProfileEntry.objects.filter(competence__requirements__job=F("agent__job")).alias(
        required=F("competence__requirements__level")
    )


def below_q() -> Q:
    """For requirement_entries(): below the required level (rounded half up)."""
    return Q(level__lt=F("required") - HALF)


def unmeasured_requirements(competence=None):
    """Requirements of the outer agent's job with no profile entry for that agent."""
    requirements = JobRequirement.objects.filter(job=OuterRef("job")).filter(
        ~Exists(
            ProfileEntry.objects.filter(
                agent=OuterRef(OuterRef("pk")), competence=OuterRef("competence")
            )
        )
    )
    return requirements.filter(competence=competence) if competence else requirements


def agents_with_gaps(user, *, unit=None, job=None, competence=None, show: str = GapListShow.GAP):
    """Present agents in the user's scope with at least one gap (or one unmeasured
    requirement), annotated with `gap_count` and `unmeasured_count`; most gaps first."""
    agents = (
        Agent.objects.visible_to(user)
        .present()
        .annotate(
            gap_count=_count(below_requirements(competence)),
            unmeasured_count=_count(unmeasured_requirements(competence)),
        )
    )
    if unit is not None:
        agents = agents.filter(unit__path__startswith=unit.path)
    if job is not None:
        agents = agents.filter(job=job)
    if show == GapListShow.UNMEASURED:
        agents = agents.filter(unmeasured_count__gt=0)
    elif show == GapListShow.BOTH:
        agents = agents.filter(Q(gap_count__gt=0) | Q(unmeasured_count__gt=0))
    else:
        agents = agents.filter(gap_count__gt=0)
    return agents.order_by("-gap_count", "-unmeasured_count", "last_name", "first_name", "pk")


@dataclass
class AgentGaps:
    gaps: list[tuple[Competence, int, int]] = field(default_factory=list)  # (c, level, required)
    unmeasured: list[Competence] = field(default_factory=list)


def gap_details(agents, competence=None) -> dict[int, AgentGaps]:
    """The gaps and unmeasured competences of a page of agents: 2 queries."""
    agents = list(agents)
    job_ids = {a.job_id for a in agents if a.job_id}
    requirements = JobRequirement.objects.filter(job_id__in=job_ids).select_related("competence")
    if competence is not None:
        requirements = requirements.filter(competence=competence)
    by_job = defaultdict(list)
    for requirement in requirements:
        by_job[requirement.job_id].append(requirement)
    levels = {
        (agent_id, competence_id): level
        for agent_id, competence_id, level in ProfileEntry.objects.filter(
            agent__in=[a.pk for a in agents],
            competence_id__in={r.competence_id for rs in by_job.values() for r in rs},
        ).values_list("agent_id", "competence_id", "level")
    }
    details = {}
    for agent in agents:
        found = AgentGaps()
        for requirement in sorted(
            by_job.get(agent.job_id, []),
            key=lambda r: (r.competence.position, r.competence.code),
        ):
            level = levels.get((agent.pk, requirement.competence_id))
            if level is None:
                found.unmeasured.append(requirement.competence)
            elif whole_level(level) < requirement.level:
                found.gaps.append((requirement.competence, whole_level(level), requirement.level))
        details[agent.pk] = found
    return details


# --- Heat map ------------------------------------------------------------------------------


@dataclass
class Cell:
    required: int = 0  # present agents whose job requires the competence
    measured: int = 0  # …of whom have a profile entry on it
    below: int = 0  # …of whom are below the required level
    hidden: bool = False  # too few measured agents to show figures to this user

    @property
    def unmeasured(self) -> int:
        return self.required - self.measured

    @property
    def share(self) -> int | None:
        return None if self.hidden else share_percent(self.below, self.measured)

    @property
    def shade(self) -> int | None:
        """0–4, from few agents below the requirement to most of them."""
        share = self.share
        if share is None:
            return None
        for shade, upper in enumerate((10, 25, 50, 75)):
            if share < upper:
                return shade
        return 4

    def add(self, other: Cell) -> None:
        self.required += other.required
        self.measured += other.measured
        self.below += other.below


@dataclass
class HeatRow:
    unit: OrgUnit | None
    label: str
    cells: dict[int, Cell]  # competence id -> cell, in the heat map's column order
    drill: bool = False  # the unit has sub-units to show

    @property
    def ordered_cells(self) -> list[Cell]:
        return list(self.cells.values())


@dataclass
class HeatMap:
    competences: list[Competence]
    rows: list[HeatRow]
    total: HeatRow
    min_measured: int

    @property
    def overall(self) -> Cell:
        """Every required competence of every agent of the scope, added up."""
        cell = Cell()
        for competence in self.competences:
            cell.add(self.total.cells[competence.pk])
        return cell

    @property
    def data_rows(self) -> list[tuple[str, Competence, Cell]]:
        """The heat map in long form, for its data table: rows where the job requires it."""
        return [
            (row.label, competence, row.cells[competence.pk])
            for row in [*self.rows, self.total]
            for competence in self.competences
            if row.cells[competence.pk].required
        ]

    def worst(self, count: int = 3) -> list[tuple[HeatRow, Competence, Cell]]:
        """The cells with the largest share below the requirement, for the text summary;
        only cells with WORST_MIN_MEASURED agents measured, where a share means something."""
        found = [
            (row, competence, row.cells[competence.pk])
            for row in self.rows
            for competence in self.competences
            if row.cells[competence.pk].share is not None
            and row.cells[competence.pk].measured >= WORST_MIN_MEASURED
        ]
        found.sort(key=lambda item: (-item[2].share, -item[2].below, item[0].label))
        return [item for item in found if item[2].below][:count]


def heat_map(user, unit: OrgUnit | None = None, *, min_measured: int = 0) -> HeatMap:
    """Competences × units: among present agents whose job requires the competence and who
    were measured on it, how many are below the required level. Rows are the top units
    of the user's scope, or the sub-units of `unit`. Cells with fewer than
    `min_measured` measured agents keep their counts hidden (for figure-only roles).

    Two grouped queries per unit and competence; subtree sums go up the unit tree."""
    scope = agent_scope_q(user, AGENT_COUNT_ROLES, prefix="agent__")
    measured_rows = (
        requirement_entries()
        .filter(
            scope,
            Q(agent__departure_date__isnull=True)
            | Q(agent__departure_date__gt=timezone.localdate()),
        )
        .values("agent__unit_id", "competence_id")
        .annotate(measured=Count("pk"), below=Count("pk", filter=below_q()))
        .order_by()
    )
    required_rows = (
        Agent.objects.present()
        .filter(agent_scope_q(user, AGENT_COUNT_ROLES))
        .filter(job__competence_requirements__isnull=False)
        .values("unit_id", "job__competence_requirements__competence_id")
        .annotate(required=Count("pk"))
        .order_by()
    )
    direct: dict[int | None, dict[int, Cell]] = defaultdict(lambda: defaultdict(Cell))
    for row in required_rows:
        direct[row["unit_id"]][row["job__competence_requirements__competence_id"]].required = row[
            "required"
        ]
    for row in measured_rows:
        cell = direct[row["agent__unit_id"]][row["competence_id"]]
        cell.measured, cell.below = row["measured"], row["below"]

    competence_ids = {c for cells in direct.values() for c in cells}
    competences = list(Competence.objects.filter(pk__in=competence_ids))

    units = list(
        OrgUnit.objects.visible_to(user).only("pk", "name", "kind", "parent_id", "path", "depth")
    )
    sums: dict[int, dict[int, Cell]] = {u.pk: defaultdict(Cell) for u in units}
    by_id = {u.pk: u for u in units}
    for u in sorted(units, key=lambda u: -u.depth):
        for competence_id, cell in direct.get(u.pk, {}).items():
            sums[u.pk][competence_id].add(cell)
        parent = by_id.get(u.parent_id)
        if parent is not None:
            for competence_id, cell in sums[u.pk].items():
                sums[parent.pk][competence_id].add(cell)

    parents = {u.parent_id for u in units}

    def row_for(unit_obj, label, cells, drill=False) -> HeatRow:
        full = {}
        for c in competences:
            cell = Cell()
            cell.add(cells.get(c.pk, Cell()))
            cell.hidden = 0 < cell.measured < min_measured
            full[c.pk] = cell
        return HeatRow(unit_obj, label, full, drill)

    if unit is not None and unit.pk in by_id:
        shown = sorted(
            (u for u in units if u.parent_id == unit.pk), key=lambda u: (u.name.casefold(), u.pk)
        )
        total_cells = sums[unit.pk]
        total_label = f"Total {unit.name}"
    else:
        shown = sorted(
            (u for u in units if u.parent_id not in by_id), key=lambda u: (u.name.casefold(), u.pk)
        )
        total_cells = defaultdict(Cell)
        for cells in direct.values():
            for competence_id, cell in cells.items():
                total_cells[competence_id].add(cell)
        total_label = "Total de votre périmètre"
    rows = [row_for(u, u.name, sums[u.pk], drill=u.pk in parents) for u in shown]
    if unit is not None and unit.pk in by_id:
        own = direct.get(unit.pk)
        if own and any(cell.required for cell in own.values()):
            rows.insert(0, row_for(unit, f"{unit.name} (hors sous-unités)", own))
    return HeatMap(
        competences=competences,
        rows=rows,
        total=row_for(None, total_label, total_cells),
        min_measured=min_measured,
    )
