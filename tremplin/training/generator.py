"""Pathway generation for one agent, as plain data in and out (no Django here: the
adapter in pathways.py reads and writes the database).

What it computes: the smallest ordered set of modules that closes the agent's gaps.

- **Needs.** For each competence the agent was measured on, the level to reach is the
  highest of what their job (or the target job) requires and of the level goals that
  apply to them. A competence never measured is no gap (the rule of competences.gaps):
  it is listed in `Plan.unmeasured`, the diagnostic comes first. The modules of the
  module goals that apply (the Fresque du Climat…) are in the plan whatever the levels.
- **Cover.** A greedy weighted set cover over the levels to climb: each round takes the
  module that climbs the most levels per minute of weighted cost. A module counts for a
  competence only where the agent can follow it (its outcome starts at or below the level
  reached so far), so that modules chain (0→2 then 2→3). Cost = duration plus a fixed
  overhead per module (fewer modules is better), times weights for the agent's situation
  (field agents: group sessions and workshops rather than e-learning; modules for their
  job family preferred, modules for other audiences or families avoided). Steps already
  validated or started cost nothing: kept when they still help. A last pass drops any
  chosen module the others make useless.
- **Prerequisites.** Required modules are added, transitively, unless done or already
  mastered (the profile reaches every level the module brings); a level prerequisite the
  agent is below adds the modules that bring that competence to the level. Here a
  competence never measured counts as level 0: when in doubt, prepare.
- **Order.** Topological (prerequisites first, and on a same competence the module
  starting lower first); ties: lower starting level, then shorter, then catalogue order.
  A cycle (refused on input, but data may be older than the rule) cannot block: the
  best-ranked waiting module is placed.
- **Left over.** A level no module can bring the agent to is reported in
  `Plan.unclosed`, never silently dropped.

Each step carries a reason in plain French: « Votre métier demande de savoir … (niveau 3).
Aujourd'hui : niveau 1. », « Objectif de la collectivité : … avant le … »,
« À faire avant « … ». »
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Values of training.enums (StepOrigin, Audience, ModuleFormat), repeated here so that
# this module stays free of Django; a test checks they still match.
ORIGIN_GAP = "gap"
ORIGIN_TARGET = "target"
ORIGIN_GOAL = "goal"
ORIGIN_PREREQUISITE = "prerequisite"
FIELD = "field"
OFFICE = "office"
ALL_AUDIENCES = "all"
FORMAT_ELEARNING = "elearning"
FORMAT_COACHING = "coaching"

SOURCE_JOB = "job"
SOURCE_TARGET = "target"
SOURCE_GOAL = "goal"
SOURCE_PREREQUISITE = "prerequisite"

REASON_MAX = 300
MONTHS = (
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
)


# --- Input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeSpec:
    competence: str  # competence code
    level_from: int
    level_to: int


@dataclass(frozen=True)
class ModuleSpec:
    id: int
    code: str
    title: str
    duration_minutes: int
    format: str = "group"
    audience: str = ALL_AUDIENCES
    job_families: tuple[str, ...] = ()
    needs_device: bool = False
    outcomes: tuple[OutcomeSpec, ...] = ()
    required_module_ids: tuple[int, ...] = ()
    level_prerequisites: tuple[tuple[str, int], ...] = ()  # (competence code, min level)
    position: int = 100

    def outcome_for(self, competence: str) -> OutcomeSpec | None:
        for outcome in self.outcomes:
            if outcome.competence == competence:
                return outcome
        return None

    @property
    def lowest_start(self) -> int:
        return min((o.level_from for o in self.outcomes), default=0)


@dataclass(frozen=True)
class GoalSpec:
    """A coverage goal that applies to the agent and that they have not reached: a module
    to attend, or a competence level to reach."""

    id: int
    name: str
    deadline: dt.date
    priority: int = 2
    module_id: int | None = None
    competence: str | None = None
    level: int | None = None


@dataclass(frozen=True)
class Weights:
    """How much the agent's situation weighs on a module's cost (a factor > 1 avoids it)."""

    overhead_minutes: int = 60  # per module: travel, a slot in the planning…
    other_audience: float = 4.0  # a module for office agents proposed to a field agent…
    other_family: float = 4.0  # a module for other job families
    own_family: float = 0.8  # a module written for the agent's job family
    field_elearning: float = 3.0  # field agents: group sessions, not alone on a screen
    field_coaching: float = 1.5
    no_device: float = 2.0  # the module needs a smartphone or tablet the agent lacks


@dataclass(frozen=True)
class AgentSituation:
    """One agent, seen by the generator. Levels are whole levels (merge.whole_level)."""

    levels: Mapping[str, int] = field(default_factory=dict)  # measured competences only
    required: Mapping[str, int] = field(default_factory=dict)  # the job's (or target job's)
    work_kind: str = OFFICE
    job_family: str = ""
    goals: tuple[GoalSpec, ...] = ()
    done_module_ids: frozenset[int] = frozenset()  # done, in any pathway of the agent
    # Never to propose again in this pathway (a step there was cancelled by someone).
    unavailable_module_ids: frozenset[int] = frozenset()
    # Open steps a person put in this pathway (template, manual), in the pathway's order:
    # they stay, in that order.
    kept_module_ids: tuple[int, ...] = ()
    # Validated or started steps: kept while they still close something.
    committed_module_ids: frozenset[int] = frozenset()
    # Open in another pathway of the agent: they count, but are not added here.
    elsewhere_module_ids: frozenset[int] = frozenset()
    has_device: bool | None = None  # unknown: no effect
    target_job: bool = False  # the requirements are those of a job the agent aims at


# --- Output --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedStep:
    module_id: int
    origin: str
    reason: str
    competence: str | None = None
    goal_id: int | None = None
    kept: bool = False  # a step a person put there: leave its origin and reason alone


@dataclass(frozen=True)
class UnclosedGap:
    """A level no module of the catalogue brings the agent to."""

    competence: str
    level: int  # where the catalogue leaves the agent
    needed: int
    source: str  # SOURCE_*
    goal_id: int | None = None


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlannedStep, ...]
    unclosed: tuple[UnclosedGap, ...] = ()
    unmeasured: tuple[str, ...] = ()  # required competences never measured

    @property
    def module_ids(self) -> tuple[int, ...]:
        return tuple(step.module_id for step in self.steps)


# --- Wording -------------------------------------------------------------------------------


def french_date(day: dt.date) -> str:
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def _lower_first(text: str) -> str:
    """'Échanger avec…' → 'échanger avec…', but 'RGPD…' stays."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _clip(text: str) -> str:
    return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"


def gap_reason(words: str, required: int, level: int, *, target_job: bool = False) -> str:
    who = "Le métier visé demande" if target_job else "Votre métier demande"
    return _clip(
        f"{who} de savoir {_lower_first(words)} (niveau {required}). Aujourd'hui : niveau {level}."
    )


def goal_reason(goal: GoalSpec) -> str:
    return _clip(
        f"Objectif de la collectivité : {goal.name}, avant le {french_date(goal.deadline)}."
    )


def prerequisite_reason(before: ModuleSpec) -> str:
    return _clip(f"À faire avant « {before.title} ».")


# --- The catalogue, indexed once for many agents -------------------------------------------


class Catalogue:
    """The active modules and the words of the competences, indexed once and shared by
    the plans of thousands of agents."""

    def __init__(
        self,
        modules: Iterable[ModuleSpec],
        words: Mapping[str, str] | None = None,
        weights: Weights | None = None,
    ):
        self.modules: dict[int, ModuleSpec] = {m.id: m for m in modules}
        self.words = dict(words or {})
        self.weights = weights or Weights()
        self.raising: dict[str, list[ModuleSpec]] = {}
        for module in sorted(self.modules.values(), key=self.rank):
            for outcome in module.outcomes:
                self.raising.setdefault(outcome.competence, []).append(module)

    @staticmethod
    def rank(module: ModuleSpec) -> tuple:
        """The tie-break everywhere: lower starting level, shorter, catalogue order."""
        return (module.lowest_start, module.duration_minutes, module.position, module.id)

    def words_for(self, competence: str) -> str:
        return self.words.get(competence) or competence

    def cost(self, module: ModuleSpec, situation: AgentSituation) -> float:
        w = self.weights
        factor = 1.0
        if module.audience not in (ALL_AUDIENCES, situation.work_kind):
            factor *= w.other_audience
        if module.job_families:
            factor *= (
                w.own_family if situation.job_family in module.job_families else w.other_family
            )
        if situation.work_kind == FIELD:
            if module.format == FORMAT_ELEARNING:
                factor *= w.field_elearning
            elif module.format == FORMAT_COACHING:
                factor *= w.field_coaching
        if module.needs_device and situation.has_device is False:
            factor *= w.no_device
        return (module.duration_minutes + w.overhead_minutes) * factor


# --- The plan ------------------------------------------------------------------------------


@dataclass
class _Need:
    """One competence to climb: from the measured level to the target, and why."""

    competence: str
    level: int
    target: int
    job_level: int  # what the job asks (0: only goals)
    goals: list[GoalSpec]

    def source_of(self, unit: int) -> tuple[str, GoalSpec | None]:
        """Why the agent must climb to level `unit`: the job first, else the most urgent
        goal that asks for that level."""
        if unit <= self.job_level:
            return SOURCE_JOB, None
        asking = [g for g in self.goals if (g.level or 0) >= unit]
        goal = min(asking, key=lambda g: (g.priority, g.deadline, g.id)) if asking else None
        return SOURCE_GOAL, goal


def _gains(
    module: ModuleSpec, reach: Mapping[str, int], targets: Mapping[str, int]
) -> dict[str, int]:
    """Levels the module climbs per competence from `reach`, where the agent can follow it."""
    found = {}
    for outcome in module.outcomes:
        target = targets.get(outcome.competence)
        if target is None:
            continue
        current = reach[outcome.competence]
        if outcome.level_from <= current < outcome.level_to and current < target:
            found[outcome.competence] = min(outcome.level_to, target) - current
    return found


def _climb(
    module_ids: Iterable[int],
    modules: Mapping[int, ModuleSpec],
    start: Mapping[str, int],
    targets: Mapping[str, int],
) -> dict[str, int]:
    """Where these modules, followed in a workable order, bring the agent (capped at the
    targets)."""
    reach = dict(start)
    pending = [modules[i] for i in module_ids]
    moved = True
    while moved:
        moved = False
        for module in pending:
            for competence, gain in _gains(module, reach, targets).items():
                reach[competence] += gain
                moved = True
    return reach


class _Planner:
    def __init__(self, situation: AgentSituation, catalogue: Catalogue):
        self.s = situation
        self.c = catalogue
        self.modules = catalogue.modules
        self.blocked = situation.done_module_ids | situation.unavailable_module_ids
        self.elsewhere = sorted(i for i in situation.elsewhere_module_ids if i in self.modules)
        self.chosen: dict[int, PlannedStep | None] = {}  # module → step (None: reason later)
        self.edges: set[tuple[int, int]] = set()  # (before, after)
        self.unclosed: list[UnclosedGap] = []

    # Needs -----------------------------------------------------------------------------

    def needs(self) -> tuple[dict[str, _Need], list[str]]:
        s = self.s
        needs: dict[str, _Need] = {}
        unmeasured = []
        for competence, required in s.required.items():
            level = s.levels.get(competence)
            if level is None:
                unmeasured.append(competence)
            elif level < required:
                needs[competence] = _Need(competence, level, required, required, [])
        for goal in s.goals:
            if goal.competence is None or goal.level is None:
                continue
            level = s.levels.get(goal.competence)
            if level is None or level >= goal.level:
                continue
            need = needs.get(goal.competence)
            if need is None:
                need = needs[goal.competence] = _Need(goal.competence, level, goal.level, 0, [])
            need.target = max(need.target, goal.level)
            need.goals.append(goal)
        return needs, sorted(unmeasured)

    # Cover -----------------------------------------------------------------------------

    def usable(self, module_id: int) -> bool:
        return module_id in self.modules and module_id not in self.blocked

    def cover(self, needs: dict[str, _Need]) -> None:
        s, modules = self.s, self.modules
        targets = {c: n.target for c, n in needs.items()}
        reach = {c: n.level for c, n in needs.items()}

        # What is there whatever the levels: steps a person put there, modules open in
        # another pathway, module goals.
        kept = [i for i in s.kept_module_ids if i in modules and i not in s.done_module_ids]
        for module_id in kept:
            self.chosen[module_id] = PlannedStep(module_id, "", "", kept=True)
        self.edges.update(zip(kept, kept[1:], strict=False))
        for goal in sorted(s.goals, key=lambda g: (g.priority, g.deadline, g.id)):
            if goal.module_id is None or goal.module_id in self.chosen:
                continue
            if not self.usable(goal.module_id) or goal.module_id in s.elsewhere_module_ids:
                continue
            self.chosen[goal.module_id] = PlannedStep(
                goal.module_id, ORIGIN_GOAL, goal_reason(goal), goal_id=goal.id
            )
        reach = _climb([*self.chosen, *self.elsewhere], modules, reach, targets)

        # Validated or started steps, free while they still climb something.
        committed = sorted(
            (i for i in s.committed_module_ids if self.usable(i) and i not in self.chosen),
            key=self._rank,
        )
        while True:
            useful = next((i for i in committed if _gains(modules[i], reach, targets)), None)
            if useful is None:
                break
            committed.remove(useful)
            self.chosen[useful] = None
            reach = _climb([useful], modules, reach, targets)

        self.greedy = self._greedy(reach, targets, exclude=set())
        self._prune(self.greedy, needs, targets)

    def _rank(self, module_id: int) -> tuple:
        module = self.modules.get(module_id)
        return Catalogue.rank(module) if module else (0, 0, 0, module_id)

    def _candidates(self, competences: Iterable[str], exclude: set[int]) -> list[ModuleSpec]:
        seen: dict[int, ModuleSpec] = {}
        for competence in competences:
            for module in self.c.raising.get(competence, ()):
                if (
                    module.id not in seen
                    and module.id not in exclude
                    and module.id not in self.chosen
                    and self.usable(module.id)
                ):
                    seen[module.id] = module
        return list(seen.values())

    def _greedy(
        self, reach: dict[str, int], targets: dict[str, int], exclude: set[int]
    ) -> list[int]:
        """Adds modules until the targets are reached or nothing more helps; returns the
        modules added, in the order they were taken. `reach` is updated."""
        taken: list[int] = []
        while True:
            open_ = [c for c, t in targets.items() if reach[c] < t]
            if not open_:
                return taken
            candidates = self._candidates(open_, exclude)
            best, best_key = None, None
            for module in candidates:
                gained = sum(_gains(module, reach, targets).values())
                if gained:
                    key = (-gained / self.c.cost(module, self.s), Catalogue.rank(module))
                    if best_key is None or key < best_key:
                        best, best_key = module, key
            if best is None:
                return taken  # what is left is reported (_report_left)
            self.chosen[best.id] = None
            taken.append(best.id)
            for competence, gain in _gains(best, reach, targets).items():
                reach[competence] += gain

    def _prune(self, greedy: list[int], needs: dict[str, _Need], targets: dict[str, int]) -> None:
        """Drops, latest first, any module taken by the greedy rounds that the others make
        useless (a later module, or a prerequisite, may climb what an earlier one was
        taken for). A module another one needs first stays."""
        start = {c: n.level for c, n in needs.items()}
        everything = [*self.chosen, *self.elsewhere]
        full = _climb(everything, self.modules, start, targets)
        needed_first = {before for before, _after in self.edges}
        for module_id in reversed(greedy):
            if module_id not in self.chosen or module_id in needed_first:
                continue
            others = [i for i in everything if i != module_id]
            if _climb(others, self.modules, start, targets) == full:
                del self.chosen[module_id]
                everything = others

    def _report_left(self, needs: dict[str, _Need], targets: dict[str, int]) -> None:
        start = {c: n.level for c, n in needs.items()}
        reach = _climb([*self.chosen, *self.elsewhere], self.modules, start, targets)
        for competence, need in sorted(needs.items()):
            climbed = reach[competence]
            if climbed >= need.target:
                continue
            source, goal = need.source_of(climbed + 1)
            if source == SOURCE_JOB:
                needed = need.job_level
                if self.s.target_job:
                    source = SOURCE_TARGET
            else:
                needed = goal.level if goal is not None else need.target
            self.unclosed.append(
                UnclosedGap(competence, climbed, needed, source, goal.id if goal else None)
            )

    # Prerequisites ----------------------------------------------------------------------

    def prerequisites(self) -> None:
        s, modules = self.s, self.modules
        levels0 = dict(s.levels)  # never measured: level 0 here
        queue = list(self.chosen)
        seen = set(queue)
        present = set(self.chosen) | set(self.elsewhere)
        while queue:
            module_id = queue.pop(0)
            module = modules[module_id]
            for required_id in module.required_module_ids:
                if required_id == module_id or required_id in s.done_module_ids:
                    continue
                if required_id in present:
                    self.edges.add((required_id, module_id))
                    continue
                required = modules.get(required_id)
                if required is None or required_id in s.unavailable_module_ids:
                    continue  # no longer offered, or refused here: it cannot hold this back
                if required.outcomes and all(
                    levels0.get(o.competence, 0) >= o.level_to for o in required.outcomes
                ):
                    continue  # the agent already masters what it brings
                self.chosen[required_id] = PlannedStep(
                    required_id, ORIGIN_PREREQUISITE, prerequisite_reason(module)
                )
                present.add(required_id)
                self.edges.add((required_id, module_id))
                if required_id not in seen:
                    seen.add(required_id)
                    queue.append(required_id)
            for competence, min_level in module.level_prerequisites:
                level = levels0.get(competence, 0)
                if level >= min_level:
                    continue
                targets = {competence: min_level}
                others = [i for i in present if i != module_id]
                reach = _climb(others, modules, {competence: level}, targets)
                added: list[int] = []
                if reach[competence] < min_level:
                    added = self._greedy(reach, targets, exclude={module_id})
                    for added_id in added:
                        self.chosen[added_id] = PlannedStep(
                            added_id,
                            ORIGIN_PREREQUISITE,
                            prerequisite_reason(module),
                            competence=competence,
                        )
                        present.add(added_id)
                        if added_id not in seen:
                            seen.add(added_id)
                            queue.append(added_id)
                if reach[competence] < min_level:
                    self.unclosed.append(
                        UnclosedGap(competence, reach[competence], min_level, SOURCE_PREREQUISITE)
                    )
                for other_id in present:
                    outcome = (
                        modules[other_id].outcome_for(competence) if other_id in modules else None
                    )
                    if other_id != module_id and outcome and outcome.level_from < min_level:
                        self.edges.add((other_id, module_id))

    def tidy(self, needs: dict[str, _Need]) -> None:
        """After the prerequisites: drop what they made useless, report what is left."""
        targets = {c: n.target for c, n in needs.items()}
        self._prune(self.greedy, needs, targets)
        self._report_left(needs, targets)

    # Order ------------------------------------------------------------------------------

    def order(self) -> list[int]:
        ids = list(self.chosen)
        wanted = set(ids)
        edges = {(a, b) for a, b in self.edges if a in wanted and b in wanted and a != b}
        # On a same competence, the module starting lower comes first.
        for a in ids:
            for b in ids:
                if a == b:
                    continue
                for outcome in self.modules[a].outcomes:
                    other = self.modules[b].outcome_for(outcome.competence)
                    if other is not None and outcome.level_from < other.level_from:
                        edges.add((a, b))
        waiting = {i: set() for i in ids}
        after: dict[int, list[int]] = {i: [] for i in ids}
        for a, b in edges:
            waiting[b].add(a)
            after[a].append(b)
        ready = [(self._rank(i), i) for i in ids if not waiting[i]]
        heapq.heapify(ready)
        order: list[int] = []
        placed: set[int] = set()
        while len(order) < len(ids):
            if not ready:
                # A cycle: place the best-ranked module still waiting.
                stuck = min((i for i in ids if i not in placed), key=self._rank)
                waiting[stuck].clear()
                ready.append((self._rank(stuck), stuck))
            _rank, module_id = heapq.heappop(ready)
            if module_id in placed:
                continue
            order.append(module_id)
            placed.add(module_id)
            for other in after[module_id]:
                waiting[other].discard(module_id)
                if not waiting[other] and other not in placed:
                    heapq.heappush(ready, (self._rank(other), other))
        return order

    # Reasons ----------------------------------------------------------------------------

    def steps(self, order: list[int], needs: dict[str, _Need]) -> list[PlannedStep]:
        """The reason of each module taken for a gap: the competence it climbs most, in
        the pathway's order, and what asks for it (the job, else a goal)."""
        targets = {c: n.target for c, n in needs.items()}
        reach = {c: n.level for c, n in needs.items()}
        reach = _climb(self.elsewhere, self.modules, reach, targets)
        climbs: dict[int, dict[str, int]] = {}
        pending = list(order)
        # Walk the order; a module that cannot be followed yet is looked at again later.
        for _ in range(len(order) + 1):
            still = []
            for module_id in pending:
                gained = _gains(self.modules[module_id], reach, targets)
                if gained:
                    climbs[module_id] = {c: (reach[c], g) for c, g in gained.items()}
                    for competence, gain in gained.items():
                        reach[competence] += gain
                else:
                    still.append(module_id)
            if len(still) == len(pending):
                break
            pending = still
        steps = []
        for module_id in order:
            step = self.chosen[module_id]
            if step is None:
                step = self._gap_step(module_id, climbs.get(module_id, {}), needs)
            steps.append(step)
        return steps

    def _gap_step(self, module_id: int, climbed: dict, needs: dict[str, _Need]) -> PlannedStep:
        module = self.modules[module_id]
        if climbed:
            competence = max(sorted(climbed), key=lambda c: climbed[c][1])
            start = climbed[competence][0]
        else:  # a validated step kept for what it climbed: say what it works on
            competence = next(
                (o.competence for o in module.outcomes if o.competence in needs), None
            )
            start = needs[competence].level if competence else 0
        need = needs.get(competence)
        if need is None:
            worked = module.outcomes[0].competence if module.outcomes else None
            words = self.c.words_for(worked) if worked else module.title
            return PlannedStep(
                module_id,
                ORIGIN_GAP,
                _clip(f"Pour progresser : {_lower_first(words)}."),
                competence=worked,
            )
        source, goal = need.source_of(start + 1)
        if source == SOURCE_GOAL and goal is not None:
            return PlannedStep(
                module_id, ORIGIN_GOAL, goal_reason(goal), competence=competence, goal_id=goal.id
            )
        origin = ORIGIN_TARGET if self.s.target_job else ORIGIN_GAP
        reason = gap_reason(
            self.c.words_for(competence),
            need.job_level,
            need.level,
            target_job=self.s.target_job,
        )
        return PlannedStep(module_id, origin, reason, competence=competence)


def plan_pathway(situation: AgentSituation, catalogue: Catalogue) -> Plan:
    """The agent's pathway: the modules to follow, in order, each with its reason; the
    levels no module reaches; the required competences never measured."""
    planner = _Planner(situation, catalogue)
    needs, unmeasured = planner.needs()
    planner.cover(needs)
    planner.prerequisites()
    planner.tidy(needs)
    order = planner.order()
    return Plan(
        steps=tuple(planner.steps(order, needs)),
        unclosed=tuple(planner.unclosed),
        unmeasured=tuple(unmeasured),
    )
