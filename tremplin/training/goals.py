"""Coverage goals: who a goal is for, and who has reached it, as SQL filters on Agent.
A module goal is reached by attending the module (a pathway step done); a level goal
by a profile at that level or above (rounded as everywhere: 2.5 reads 3).

Where a goal stands is counted by SQL (one aggregate query for a whole page of goals,
one grouped query for the units of one goal), never by a loop over agents. From three
counts (population, reached, reached in the last PACE_DAYS days) `Forecast` derives the
pace, the projection at the deadline and the seats per month still needed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import ClassVar

from django.db.models import Count, Q
from django.utils import timezone

from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q, unit_scope_q
from tremplin.competences.models import ProfileEntry
from tremplin.organisation.enums import WorkKind
from tremplin.organisation.models import Agent, OrgUnit
from tremplin.organisation.unit_figures import UnitRow, UnitTable, share_percent, unit_table

from .enums import GoalPopulation, StepStatus
from .models import CoverageGoal, PathwayStep
from .segments import segment_q

HALF = Decimal("0.5")
# The pace is what was reached over the last PACE_DAYS days, per month of MONTH_DAYS.
PACE_DAYS = 90
MONTH_DAYS = 365.25 / 12
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def population_q(goal: CoverageGoal) -> Q:
    if goal.population == GoalPopulation.OFFICE:
        return Q(job__work_kind=WorkKind.OFFICE)
    if goal.population == GoalPopulation.FIELD:
        return Q(job__work_kind=WorkKind.FIELD)
    if goal.population == GoalPopulation.UNIT:
        return Q(unit__path__startswith=goal.unit.path) if goal.unit_id else Q(pk__in=[])
    if goal.population == GoalPopulation.SEGMENT:
        return segment_q(goal.segment) if goal.segment_id else Q(pk__in=[])
    return Q()


def population(goal: CoverageGoal, today: dt.date | None = None):
    """Present agents the goal is for (before any role scoping)."""
    return Agent.objects.present(on=today).filter(population_q(goal))


def reached_q(goal: CoverageGoal, since: dt.date | None = None, until: dt.date | None = None) -> Q:
    """Agents who reached the goal; with `since`/`until`, those who reached it in that
    period (a module done then; a profile at the level measured then).

    An uncorrelated `pk IN (…)` rather than EXISTS per agent: the database reads the
    goal's rows once (a hashed semi-join) instead of probing them for each of thousands
    of agents: 4.2 s against 31 ms for the demo's three goals on 6,000 agents."""
    if goal.module_id:
        rows = PathwayStep.objects.filter(module_id=goal.module_id, status=StepStatus.DONE)
        date_field, agent_field = "done_on", "pathway__agent_id"
    else:
        rows = ProfileEntry.objects.filter(
            competence_id=goal.competence_id, level__gte=goal.level - HALF
        )
        date_field, agent_field = "measured_on", "agent_id"
    if since is not None:
        rows = rows.filter(**{f"{date_field}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{date_field}__lte": until})
    return Q(pk__in=rows.values(agent_field))


def pace_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The PACE_DAYS days up to and including today."""
    return today - dt.timedelta(days=PACE_DAYS - 1), today


# --- Where a goal stands ----------------------------------------------------------------------


def french_date(day: dt.date) -> str:
    """1 March 2032 → « 1er mars 2032 »."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def french_int(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


class Forecast:
    """Pace, projection and seats needed from `population`, `reached`, `recent` (reached
    in the last PACE_DAYS days), `today`, `deadline` and `is_module` (seats for a module,
    agents reaching the level otherwise)."""

    population: int
    reached: int
    recent: int
    today: dt.date
    deadline: dt.date
    is_module: bool

    @property
    def share(self) -> int | None:
        return share_percent(self.reached, self.population)

    @property
    def remaining(self) -> int:
        return max(self.population - self.reached, 0)

    @property
    def deadline_label(self) -> str:
        return french_date(self.deadline)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def pace(self) -> float:
        """Agents reaching the goal per month, at the pace of the last PACE_DAYS days."""
        return self.recent * MONTH_DAYS / PACE_DAYS

    @property
    def pace_label(self) -> str:
        return f"{self.pace:.1f}".replace(".", ",")

    @property
    def projected(self) -> int:
        """Agents who will have reached the goal at the deadline if the pace holds."""
        days = max(self.days_left, 0)
        return min(self.population, self.reached + math.floor(self.recent * days / PACE_DAYS))

    @property
    def projected_share(self) -> int | None:
        return share_percent(self.projected, self.population)

    @property
    def seats_per_month(self) -> int | None:
        """What must be reached each month from now on to make the deadline; None once
        the deadline is past. The last month counts as a whole month."""
        if self.overdue:
            return None
        if not self.remaining:
            return 0
        months = max(self.days_left / MONTH_DAYS, 1)
        return math.ceil(self.remaining / months - 1e-9)

    @property
    def is_done(self) -> bool:
        return self.population > 0 and not self.remaining

    @property
    def on_track(self) -> bool:
        return self.projected >= self.population

    @property
    def status(self) -> str:
        """done, empty, overdue, on_track or late: the badge of the goal."""
        if not self.population:
            return "empty"
        if self.is_done:
            return "done"
        if self.overdue:
            return "overdue"
        return "on_track" if self.on_track else "late"

    @property
    def status_label(self) -> str:
        return {
            "done": "Atteint",
            "empty": "Personne n'est concerné",
            "overdue": "Échéance passée",
            "on_track": "En bonne voie",
            "late": "En retard",
        }[self.status]

    @property
    def seats_label(self) -> str:
        seats = self.seats_per_month or 0
        if self.is_module:
            return f"{french_int(seats)} place{'s' if seats > 1 else ''} par mois"
        return (
            f"{french_int(seats)} agent{'s' if seats > 1 else ''} par mois "
            f"{'atteignent' if seats > 1 else 'atteigne'} le niveau"
        )

    @property
    def warning(self) -> str:
        """The sentence shown when the deadline will be missed (empty otherwise)."""
        if self.status == "overdue":
            return (
                f"Échéance passée le {french_date(self.deadline)} : {self.share} % des agents "
                f"ont atteint l'objectif, il en reste {french_int(self.remaining)}."
            )
        if self.status != "late":
            return ""
        need = (
            f"il faudrait {self.seats_label}"
            if self.is_module
            else f"il faudrait que {self.seats_label}"
        )
        return (
            f"À ce rythme, {self.projected_share} % des agents au {french_date(self.deadline)} : "
            f"{need}."
        )


@dataclass
class Progress(Forecast):
    goal: CoverageGoal
    population: int
    reached: int
    recent: int
    today: dt.date

    @property
    def deadline(self) -> dt.date:
        return self.goal.deadline

    @property
    def is_module(self) -> bool:
        return self.goal.module_id is not None


def _counts(goal: CoverageGoal, today: dt.date, prefix: str = "") -> dict:
    """The three aggregate expressions of a goal, for a queryset of present agents."""
    since, until = pace_window(today)
    in_population = population_q(goal)
    return {
        f"{prefix}population": Count("pk", filter=in_population),
        f"{prefix}reached": Count("pk", filter=in_population & reached_q(goal)),
        f"{prefix}recent": Count("pk", filter=in_population & reached_q(goal, since, until)),
    }


def counted_agents(user, today: dt.date):
    """Present agents the user may count (the direction too: figures, never names)."""
    return Agent.objects.present(on=today).filter(agent_scope_q(user, AGENT_COUNT_ROLES))


def progress_of(goals, user, today: dt.date | None = None) -> list[Progress]:
    """Where each goal stands among the agents the user may count: one query for all."""
    today = today or timezone.localdate()
    goals = list(goals)
    if not goals:
        return []
    expressions = {}
    for goal in goals:
        expressions.update(_counts(goal, today, prefix=f"g{goal.pk}_"))
    counts = counted_agents(user, today).aggregate(**expressions)
    return [
        Progress(
            goal,
            counts[f"g{goal.pk}_population"],
            counts[f"g{goal.pk}_reached"],
            counts[f"g{goal.pk}_recent"],
            today,
        )
        for goal in goals
    ]


@dataclass
class UnitGoal(Forecast, UnitRow):
    """A unit's row of a goal's table."""

    population: int = 0
    reached: int = 0
    recent: int = 0
    today: dt.date | None = None
    deadline: dt.date | None = None
    is_module: bool = True

    FIGURES: ClassVar[tuple[str, ...]] = ("population", "reached", "recent")


def progress_by_unit(
    goal: CoverageGoal, user, today: dt.date | None = None, unit: OrgUnit | None = None
) -> UnitTable:
    """The goal's figures per unit (subtrees summed), in the user's counting scope."""
    today = today or timezone.localdate()
    per_unit = (
        counted_agents(user, today)
        .filter(population_q(goal))
        .values("unit_id")
        .annotate(**_counts(goal, today))
        .order_by()
    )
    row = partial(
        UnitGoal, today=today, deadline=goal.deadline, is_module=goal.module_id is not None
    )
    return unit_table(user, {r["unit_id"]: r for r in per_unit}, row, unit, hide_empty=True)


# --- Which goals, for whom ----------------------------------------------------------------


def is_scoped(user) -> bool:
    """True when the user's units are only part of the tree (HR of one direction)."""
    scope = unit_scope_q(user)
    return scope != Q() and OrgUnit.objects.exclude(scope).exists()


def visible_goals(user):
    """Goals for the whole collectivité or a population the user can see: a goal for a
    unit outside the user's scope is not theirs to follow."""
    return CoverageGoal.objects.filter(
        ~Q(population=GoalPopulation.UNIT) | Q(unit__in=OrgUnit.objects.visible_to(user))
    )


def can_edit(user, goal: CoverageGoal) -> bool:
    """HR edit goals; HR limited to part of the tree only the goals of their units."""
    from tremplin.accounts import perms

    if not perms.can_edit_goals(user):
        return False
    if not is_scoped(user):
        return True
    return (
        goal.population == GoalPopulation.UNIT
        and goal.unit_id is not None
        and OrgUnit.objects.visible_to(user).filter(pk=goal.unit_id).exists()
    )


# --- Demand for the planning optimizer ----------------------------------------------------


@dataclass(frozen=True)
class GoalDemand:
    """What a goal still asks of the planning: these agents, by the deadline."""

    goal_id: int
    module_id: int | None
    competence_id: int | None
    level: int | None
    deadline: dt.date
    priority: int
    agent_ids: tuple[int, ...]


def demand(today: dt.date | None = None) -> list[GoalDemand]:
    """Active goals whose deadline is not past, most urgent first, each with the present
    agents of its population who have not reached it yet (one query per goal)."""
    today = today or timezone.localdate()
    goals = (
        CoverageGoal.objects.filter(active=True, deadline__gte=today)
        .select_related("unit", "segment")
        .order_by("priority", "deadline", "pk")
    )
    return [
        GoalDemand(
            goal_id=goal.pk,
            module_id=goal.module_id,
            competence_id=goal.competence_id,
            level=goal.level,
            deadline=goal.deadline,
            priority=goal.priority,
            agent_ids=tuple(
                population(goal, today)
                .filter(~reached_q(goal))
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
        )
        for goal in goals
    ]
