"""The documents the law and the CNFPT ask for: the annual training plan, the Rapport
social unique's training indicators, and an agent's « livret individuel de formation ».

How each figure is counted (docs/guide/rapports.md says it in French for HR):

- A **year** is the civil year, in the collectivité's time zone.
- **Training followed** is a registration marked present at a session held that year;
  its length is the module's duration (the official length of the action, without the
  lunch break a session's opening hours may include).
- **Coaching** by the digital advisors counts as internal training, as HR offices count
  on-the-job training by their own staff; it has its own column so that it can be left out.
- **Days** are hours / 7 (the public service's usual training-day convention).
- **Providers**: modules run by the advisors or the Fresque facilitators are internal;
  external ones are the CNFPT when the module's provider or one of its trainers says
  so, otherwise another provider.

Counting is SQL's job: grouped queries per module, category and gender; Python only adds
up those few groups (modules × categories × genders), never loops over agents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.organisation.enums import Category, Gender
from tremplin.organisation.models import Agent
from tremplin.planning.enums import Attendance, RegistrationStatus, SessionStatus
from tremplin.planning.models import CoachingEntry, Registration, Session
from tremplin.training.enums import StepStatus, TrainerKind
from tremplin.training.models import CoverageGoal, Module, PathwayStep

HOURS_PER_DAY = 7
MINUTES_PER_DAY = HOURS_PER_DAY * 60
# Figure-only roles (the direction) never see a line counting fewer agents than this: the
# same rule as the competence map (competences.views.MIN_MEASURED_FOR_FIGURE_ONLY_ROLES).
MIN_AGENTS_FOR_FIGURE_ONLY_ROLES = 5
NOT_GIVEN = ""  # category or gender the SIRH left empty


class Provider(models.TextChoices):
    INTERNAL = "internal", "Interne"
    CNFPT = "cnfpt", "CNFPT"
    OTHER = "other", "Autre organisme"


CATEGORY_LINES = [*Category.choices, (NOT_GIVEN, "Catégorie non renseignée")]
GENDER_LINES = [
    (Gender.FEMALE, "Femmes"),
    (Gender.MALE, "Hommes"),
    (Gender.OTHER, "Autre ou non précisé"),
    (NOT_GIVEN, "Non renseigné"),
]


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, next 1 January) in the collectivité's time zone."""
    return (
        timezone.make_aware(dt.datetime(year, 1, 1)),
        timezone.make_aware(dt.datetime(year + 1, 1, 1)),
    )


def days_of(minutes: int) -> Decimal:
    """Training days, one decimal: hours / 7."""
    return (Decimal(minutes) / MINUTES_PER_DAY).quantize(Decimal("0.1"), ROUND_HALF_UP)


def hours_of(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def agents_in_scope(user, employer=None):
    """The agents whose figures this user may count: their scope (the direction's too),
    narrowed to one employer when asked."""
    agents = Agent.objects.filter(agent_scope_q(user, AGENT_COUNT_ROLES))
    return agents.filter(employer=employer) if employer is not None else agents


def _agent_q(user, employer, prefix: str) -> Q:
    q = agent_scope_q(user, AGENT_COUNT_ROLES, prefix=prefix)
    if employer is not None:
        q &= Q(**{f"{prefix}employer": employer})
    return q


def cnfpt_trainer_module_ids() -> set[int]:
    """Modules that a CNFPT trainer runs (a module's own provider may be left empty)."""
    return set(
        Module.trainers.through.objects.filter(trainer__provider__icontains="cnfpt").values_list(
            "module_id", flat=True
        )
    )


def provider_of(module: Module, cnfpt_ids: set[int]) -> str:
    if module.trainer_kind != TrainerKind.EXTERNAL:
        return Provider.INTERNAL
    if "cnfpt" in module.provider.casefold() or module.pk in cnfpt_ids:
        return Provider.CNFPT
    return Provider.OTHER


def module_providers(module_ids) -> dict[int, str]:
    """Provider per module (a catalogue: tens of rows)."""
    cnfpt_ids = cnfpt_trainer_module_ids()
    modules = Module.objects.filter(pk__in=module_ids).only("trainer_kind", "provider")
    return {module.pk: provider_of(module, cnfpt_ids) for module in modules}


def present_registrations(user, year: int, employer=None):
    """Registrations that count as training followed in the year, within the scope."""
    start, end = year_bounds(year)
    return Registration.objects.filter(
        _agent_q(user, employer, "agent__"),
        status=RegistrationStatus.REGISTERED,
        attendance=Attendance.PRESENT,
        session__status=SessionStatus.HELD,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
    )


def coaching_links(user, year: int, employer=None):
    """(coaching entry, agent) pairs of the year, within the scope."""
    return CoachingEntry.agents.through.objects.filter(
        _agent_q(user, employer, "agent__"), coachingentry__happened_on__year=year
    )


# --- Annual training plan ------------------------------------------------------------------


@dataclass
class PlanRow:
    module: Module
    provider: str
    concerned: dict[str, int]  # category (or NOT_GIVEN) -> agents with a step on it
    sessions_planned: int = 0
    sessions_held: int = 0
    seats: int = 0
    attendances: int = 0
    goals: list[str] = field(default_factory=list)

    @property
    def provider_label(self) -> str:
        label = Provider(self.provider).label
        name = self.module.provider
        if self.provider != Provider.INTERNAL and name and name.casefold() != label.casefold():
            return f"{label} ({name})"
        return label

    @property
    def agents(self) -> int:
        return sum(self.concerned.values())

    @property
    def planned_minutes(self) -> int:
        return self.module.duration_minutes * self.agents

    @property
    def planned_hours(self) -> Decimal:
        return hours_of(self.planned_minutes)

    @property
    def held_hours(self) -> Decimal:
        return hours_of(self.module.duration_minutes * self.attendances)

    @property
    def cost(self) -> Decimal:
        return self.module.cost_per_agent * self.agents

    def by_category(self) -> list[int]:
        return [self.concerned.get(value, 0) for value, _label in CATEGORY_LINES]


@dataclass
class TrainingPlan:
    year: int
    rows: list[PlanRow]
    agents_concerned: int  # distinct agents with at least one step in the plan
    produced_on: dt.date

    @property
    def totals(self) -> dict:
        rows = self.rows
        return {
            "by_category": [sum(col) for col in zip(*(r.by_category() for r in rows), strict=True)]
            if rows
            else [0] * len(CATEGORY_LINES),
            "agents": sum(r.agents for r in rows),
            "sessions_planned": sum(r.sessions_planned for r in rows),
            "sessions_held": sum(r.sessions_held for r in rows),
            "seats": sum(r.seats for r in rows),
            "attendances": sum(r.attendances for r in rows),
            "planned_hours": hours_of(sum(r.planned_minutes for r in rows)),
            "held_hours": hours_of(sum(r.module.duration_minutes * r.attendances for r in rows)),
            "cost": sum((r.cost for r in rows), Decimal(0)),
        }


def _plan_steps(user, year: int, employer):
    """Steps that put an agent in the year's plan: open ones, and those done that year."""
    return PathwayStep.objects.filter(
        _agent_q(user, employer, "pathway__agent__"),
        Q(status__in=(StepStatus.PROPOSED, StepStatus.VALIDATED, StepStatus.IN_PROGRESS))
        | Q(status=StepStatus.DONE, done_on__year=year),
    ).filter(
        Q(pathway__agent__departure_date__isnull=True)
        | Q(pathway__agent__departure_date__gte=dt.date(year, 1, 1))
    )


def training_plan(user, year: int, employer=None) -> TrainingPlan:
    """One row per catalogue action: active modules, and any other the year used."""
    start, end = year_bounds(year)
    steps = _plan_steps(user, year, employer)
    concerned: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        steps.values("module_id", "pathway__agent__category")
        .annotate(agents=Count("pathway__agent", distinct=True))
        .order_by()
    ):
        concerned[row["module_id"]][row["pathway__agent__category"]] = row["agents"]

    sessions = {
        row["module_id"]: row
        for row in Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=SessionStatus.CANCELLED)
        .values("module_id")
        .annotate(
            planned=Count(
                "pk", filter=Q(status__in=(SessionStatus.PLANNED, SessionStatus.CONFIRMED))
            ),
            held=Count("pk", filter=Q(status=SessionStatus.HELD)),
            seats=Sum("capacity"),
        )
        .order_by()
    }
    attendances = dict(
        present_registrations(user, year, employer)
        .values("session__module_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("session__module_id", "n")
    )
    goals: dict[int, set[str]] = defaultdict(set)
    for module_id, name in CoverageGoal.objects.filter(
        active=True,
        module__isnull=False,
        starts_on__lt=dt.date(year + 1, 1, 1),
        deadline__gte=dt.date(year, 1, 1),
    ).values_list("module_id", "name"):
        goals[module_id].add(name)
    for module_id, name in (
        steps.filter(goal__isnull=False).values_list("module_id", "goal__name").distinct()
    ):
        goals[module_id].add(name)

    used = set(concerned) | set(sessions) | set(attendances)
    modules = list(Module.objects.filter(Q(active=True) | Q(pk__in=used)))
    cnfpt_ids = cnfpt_trainer_module_ids()
    rows = []
    for module in modules:
        s = sessions.get(module.pk, {})
        rows.append(
            PlanRow(
                module=module,
                provider=provider_of(module, cnfpt_ids),
                concerned=concerned.get(module.pk, {}),
                sessions_planned=s.get("planned", 0),
                sessions_held=s.get("held", 0),
                seats=s.get("seats") or 0,
                attendances=attendances.get(module.pk, 0),
                goals=sorted(goals.get(module.pk, ())),
            )
        )
    return TrainingPlan(
        year=year,
        rows=rows,
        agents_concerned=steps.values("pathway__agent").distinct().count(),
        produced_on=timezone.localdate(),
    )


PLAN_HEADERS = [
    "Action (module)",
    "Format",
    "Organisme",
    "Public",
    "Agents concernés catégorie A",
    "Agents concernés catégorie B",
    "Agents concernés catégorie C",
    "Agents concernés catégorie non renseignée",
    "Agents concernés (total)",
    "Séances prévues",
    "Séances faites",
    "Places offertes",
    "Durée (heures)",
    "Heures de formation prévues",
    "Présences",
    "Heures de formation réalisées",
    "Coût par agent (€)",
    "Coût estimé (€)",
    "Objectifs servis",
]


def plan_table(plan: TrainingPlan) -> list[list]:
    """The plan as rows of cells (XLSX), its total last."""
    rows = []
    for r in plan.rows:
        rows.append(
            [
                r.module.title,
                r.module.get_format_display(),
                r.provider_label,
                r.module.get_audience_display(),
                *r.by_category(),
                r.agents,
                r.sessions_planned,
                r.sessions_held,
                r.seats,
                float(hours_of(r.module.duration_minutes)),
                float(r.planned_hours),
                r.attendances,
                float(r.held_hours),
                float(r.module.cost_per_agent),
                float(r.cost),
                " ; ".join(r.goals),
            ]
        )
    t = plan.totals
    rows.append(
        [
            "Total",
            "",
            "",
            "",
            *t["by_category"],
            t["agents"],
            t["sessions_planned"],
            t["sessions_held"],
            t["seats"],
            "",
            float(t["planned_hours"]),
            t["attendances"],
            float(t["held_hours"]),
            "",
            float(t["cost"]),
            "",
        ]
    )
    return rows


# --- Rapport social unique -----------------------------------------------------------------


@dataclass
class RsuLine:
    label: str
    minutes: dict[str, int] = field(default_factory=dict)  # provider -> minutes, coaching in
    coaching_minutes: int = 0
    agents: int = 0
    hidden: bool = False

    def add(self, other: RsuLine) -> None:
        for provider, minutes in other.minutes.items():
            self.minutes[provider] = self.minutes.get(provider, 0) + minutes
        self.coaching_minutes += other.coaching_minutes
        self.agents += other.agents

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())

    def days(self, provider: str) -> Decimal:
        return days_of(self.minutes.get(provider, 0))

    @property
    def days_cnfpt(self) -> Decimal:
        return self.days(Provider.CNFPT)

    @property
    def days_other(self) -> Decimal:
        return self.days(Provider.OTHER)

    @property
    def days_internal(self) -> Decimal:
        return self.days(Provider.INTERNAL)

    @property
    def days_coaching(self) -> Decimal:
        return days_of(self.coaching_minutes)

    @property
    def days_total(self) -> Decimal:
        return days_of(self.total_minutes)

    @property
    def hours_total(self) -> Decimal:
        return hours_of(self.total_minutes)


@dataclass
class Rsu:
    year: int
    by_category: list[RsuLine]
    by_gender: list[RsuLine] | None  # None: the SIRH gives no gender
    total: RsuLine
    min_agents: int  # lines with fewer agents are hidden (0: nothing hidden)
    produced_on: dt.date


def rsu_indicators(user, year: int, employer=None, *, min_agents: int = 0) -> Rsu:
    """Training days by category, gender and provider; agents trained. Three grouped
    queries (sessions, coaching, agents trained), the modules' providers, and one to know
    whether the SIRH gave genders."""
    cells: dict[tuple[str, str], RsuLine] = defaultdict(lambda: RsuLine(""))
    attendance_rows = list(
        present_registrations(user, year, employer)
        .values("session__module_id", "agent__category", "agent__gender")
        .annotate(minutes=Sum("session__module__duration_minutes"))
        .order_by()
    )
    providers = module_providers({r["session__module_id"] for r in attendance_rows})
    for row in attendance_rows:
        line = cells[(row["agent__category"], row["agent__gender"])]
        provider = providers[row["session__module_id"]]
        line.minutes[provider] = line.minutes.get(provider, 0) + row["minutes"]
    for row in (
        coaching_links(user, year, employer)
        .values("agent__category", "agent__gender")
        .annotate(minutes=Sum("coachingentry__duration_minutes"))
        .order_by()
    ):
        line = cells[(row["agent__category"], row["agent__gender"])]
        line.minutes[Provider.INTERNAL] = line.minutes.get(Provider.INTERNAL, 0) + row["minutes"]
        line.coaching_minutes += row["minutes"]
    start, end = year_bounds(year)
    trained = (
        agents_in_scope(user, employer)
        .filter(
            Exists(
                Registration.objects.filter(
                    agent=OuterRef("pk"),
                    status=RegistrationStatus.REGISTERED,
                    attendance=Attendance.PRESENT,
                    session__status=SessionStatus.HELD,
                    session__starts_at__gte=start,
                    session__starts_at__lt=end,
                )
            )
            | Exists(
                CoachingEntry.agents.through.objects.filter(
                    agent=OuterRef("pk"), coachingentry__happened_on__year=year
                )
            )
        )
        .values("category", "gender")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in trained:
        cells[(row["category"], row["gender"])].agents += row["n"]

    def lines(labels, index) -> list[RsuLine]:
        result = []
        for value, label in labels:
            line = RsuLine(label)
            for key, cell in cells.items():
                if key[index] == value:
                    line.add(cell)
            line.hidden = 0 < line.agents < min_agents
            result.append(line)
        return result

    total = RsuLine("Total")
    for cell in cells.values():
        total.add(cell)
    has_gender = agents_in_scope(user, employer).exclude(gender="").exists()
    return Rsu(
        year=year,
        by_category=lines(CATEGORY_LINES, 0),
        by_gender=lines(GENDER_LINES, 1) if has_gender else None,
        total=total,
        min_agents=min_agents,
        produced_on=timezone.localdate(),
    )


RSU_HEADERS = [
    "Ventilation",
    "Groupe",
    "Jours CNFPT",
    "Jours autres organismes",
    "Jours internes",
    "dont jours d'accompagnement",
    "Total jours",
    "Total heures",
    "Agents formés",
]
HIDDEN_TEXT = "moins de {n} agents"


def rsu_table(rsu: Rsu) -> list[list]:
    """The indicators as rows of cells (CSV, XLSX): by category, by gender, total."""

    def cells(axis: str, line: RsuLine) -> list:
        if line.hidden:
            return [axis, line.label, *[HIDDEN_TEXT.format(n=rsu.min_agents)] * 7]
        return [
            axis,
            line.label,
            float(line.days_cnfpt),
            float(line.days_other),
            float(line.days_internal),
            float(line.days_coaching),
            float(line.days_total),
            float(line.hours_total),
            line.agents,
        ]

    rows = [cells("Catégorie", line) for line in rsu.by_category]
    if rsu.by_gender is None:
        rows.append(["Sexe", "non fourni par le SIRH", *[""] * 7])
    else:
        rows.extend(cells("Sexe", line) for line in rsu.by_gender)
    rows.append(cells("Total", rsu.total))
    return rows


# --- Livret individuel de formation --------------------------------------------------------


@dataclass
class TrainingFollowed:
    date: dt.date
    module: Module
    hours: Decimal
    provider: str
    attestation: str


def training_record(agent: Agent) -> dict:
    """What the livret shows of one agent (a handful of queries, whatever the history)."""
    from tremplin.competences.enums import EvidenceSource
    from tremplin.competences.models import Evidence, ProfileEntry
    from tremplin.training.models import Pathway

    registrations = list(
        Registration.objects.filter(
            agent=agent,
            status=RegistrationStatus.REGISTERED,
            attendance=Attendance.PRESENT,
            session__status=SessionStatus.HELD,
        )
        .select_related("session__module")
        .order_by("session__starts_at")
    )
    cnfpt_ids = cnfpt_trainer_module_ids()
    trainings = [
        TrainingFollowed(
            date=timezone.localtime(r.session.starts_at).date(),
            module=r.session.module,
            hours=hours_of(r.session.module.duration_minutes),
            provider=Provider(provider_of(r.session.module, cnfpt_ids)).label,
            # The attestation exists once the sheet is closed; its file name is its reference.
            attestation=f"attestation-{r.session.module.code}-{r.session_id}"
            if r.session.attendance_closed_at
            else "",
        )
        for r in registrations
    ]
    coaching = list(
        CoachingEntry.objects.filter(agents=agent)
        .only("happened_on", "duration_minutes")
        .prefetch_related("themes")
        .order_by("happened_on", "pk")
    )
    profile = list(ProfileEntry.objects.filter(agent=agent).select_related("competence"))
    measures = list(
        Evidence.objects.filter(
            agent=agent, source__in=(EvidenceSource.DIAGNOSTIC, EvidenceSource.PIX)
        )
        .select_related("competence")
        .order_by("-observed_on", "competence__position", "competence__code")
    )
    steps = list(
        PathwayStep.objects.filter(pathway__in=Pathway.objects.filter(agent=agent))
        .exclude(status=StepStatus.CANCELLED)
        .select_related("module", "pathway__target_job")
        .order_by("pathway_id", "position")
    )
    training_minutes = sum(t.module.duration_minutes for t in trainings)
    coaching_minutes = sum(c.duration_minutes for c in coaching)
    return {
        "agent": agent,
        "trainings": trainings,
        "training_hours": hours_of(training_minutes),
        "coaching": coaching,
        "coaching_hours": hours_of(coaching_minutes),
        "profile": profile,
        "measures": measures,
        "steps": steps,
        "produced_on": timezone.localdate(),
    }
