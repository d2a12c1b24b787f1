"""Ranking agents for a position, and positions for an agent: pure Python over plain
data (no Django here). The adapter in candidates.py reads the database in bulk.

For each (agent, position):
- gaps: for every required competence, required level minus the agent's whole level
  (estimate rounded half up, as in competences.gaps); a competence never measured is
  *unmeasured*, not a gap, but it costs more than a missing level: an agent nobody has
  measured comes after those known to be one level short (measure them first);
- training hours: for each gap, the shortest chain of catalogue modules whose outcomes
  raise that competence from the agent's level to the required one; a module shared by
  several gaps counts once; a gap no module closes is *not covered*;
- category: same category, or the position has none, is compatible; otherwise the
  agent would need a competitive exam or a promotion;
- site: same site or not; wishes: the position's job, or its family, was wished.

Score: 100 minus penalties (see PENALTY_*), at least 0; higher is a better fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

PENALTY_PER_LEVEL = 8
PENALTY_WORST_LEVEL = 4
PENALTY_PER_UNMEASURED = 15  # more than one level short (8 + 4): measured fits first
PENALTY_PER_UNCOVERED = 10
PENALTY_PER_7_HOURS = 2  # a day of training
PENALTY_CATEGORY = 30
PENALTY_OTHER_SITE = 5
BONUS_WISH = 10
REACH_MAX_WORST_GAP = 3


@dataclass(frozen=True)
class AgentData:
    id: int
    name: str
    category: str = ""
    site_id: int | None = None
    levels: dict[int, float] = field(default_factory=dict)  # competence id → estimate
    wished_job_ids: frozenset[int] = frozenset()
    wished_families: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PositionData:
    id: int
    job_id: int
    family: str = ""
    category: str = ""
    site_id: int | None = None
    requirements: dict[int, int] = field(default_factory=dict)  # competence id → level


@dataclass(frozen=True)
class Outcome:
    competence_id: int
    level_from: int
    level_to: int


@dataclass(frozen=True)
class ModuleData:
    id: int
    title: str
    hours: float
    outcomes: tuple[Outcome, ...] = ()


@dataclass(slots=True)
class Gap:
    competence_id: int
    code: str
    required: int
    level: int | None  # None: never measured
    modules: list[int] = field(default_factory=list)
    covered: bool = True

    @property
    def missing(self) -> int:
        return 0 if self.level is None else max(self.required - self.level, 0)


@dataclass
class Fit:
    agent_id: int
    position_id: int
    score: int
    gap_sum: int
    worst_gap: int
    hours: float
    # (competence id, code, required, level or None, module ids or None when uncovered):
    # plain tuples, turned into Gap objects only for the rows shown.
    lines: list[tuple]
    module_ids: list[int]
    category_ok: bool
    same_site: bool
    wished: bool
    agent_name: str = ""

    @cached_property
    def gaps(self) -> list[Gap]:
        return [
            Gap(cid, code, required, level, list(chain or ()), chain is not None)
            for cid, code, required, level, chain in self.lines
        ]

    @property
    def unmeasured(self) -> list[Gap]:
        return [g for g in self.gaps if g.level is None]

    @property
    def uncovered(self) -> list[Gap]:
        return [g for g in self.gaps if g.missing and not g.covered]

    @property
    def within_reach(self) -> bool:
        """Compatible category, no gap wider than REACH_MAX_WORST_GAP levels, and the
        catalogue closes every gap: « accessible » is a promise the agent reads on their
        own page, and Tremplin can only keep it with modules it can plan. The mobility
        team still sees the other positions (« Voir tous les postes ouverts »), each gap
        the catalogue leaves open named in the explanation."""
        return self.category_ok and self.worst_gap <= REACH_MAX_WORST_GAP and not self.uncovered

    @property
    def reasons(self) -> list[str]:
        """The score in French words, one short phrase per factor."""
        parts = []
        missing = [g for g in self.gaps if g.missing]
        if missing:
            parts.extend(
                f"manque {g.missing} niveau{'x' if g.missing > 1 else ''} en {g.code}"
                for g in missing
            )
        elif not self.unmeasured:
            parts.append("a tous les niveaux demandés")
        if self.unmeasured:
            codes = ", ".join(g.code for g in self.unmeasured)
            parts.append(f"jamais mesuré en {codes}")
        if self.hours:
            parts.append(f"~{_hours(self.hours)} h de formation")
        if self.uncovered:
            codes = ", ".join(g.code for g in self.uncovered)
            parts.append(f"aucun module du catalogue pour {codes}")
        parts.append("même site" if self.same_site else "autre site")
        if not self.category_ok:
            parts.append("autre catégorie (concours ou promotion)")
        if self.wished:
            parts.append("a exprimé ce souhait")
        return parts

    @property
    def explanation(self) -> str:
        return " ; ".join(self.reasons)


def _hours(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def whole_level(estimate: float) -> int:
    """Same rule as competences.merge.whole_level: rounded half up."""
    return int(math.floor(float(estimate) + 0.5))


def _chain(competence_id: int, level: int, required: int, by_competence) -> list[ModuleData] | None:
    """Modules taking a competence from `level` to `required`: at each step the module
    that starts at or below the current level and reaches highest, then the shortest.
    None when the catalogue stops short."""
    chain, current = [], level
    options = by_competence.get(competence_id, ())
    while current < required:
        usable = [(o, m) for o, m in options if o.level_from <= current < o.level_to]
        if not usable:
            return None
        outcome, module = min(usable, key=lambda om: (-om[0].level_to, om[1].hours, om[1].id))
        chain.append(module)
        current = outcome.level_to
    return chain


def index_modules(modules: list[ModuleData]) -> dict[int, list[tuple[Outcome, ModuleData]]]:
    by_competence: dict[int, list[tuple[Outcome, ModuleData]]] = {}
    for module in modules:
        for outcome in module.outcomes:
            by_competence.setdefault(outcome.competence_id, []).append((outcome, module))
    return by_competence


def fit(
    agent: AgentData,
    position: PositionData,
    by_competence: dict,
    codes: dict[int, str],
    chains: dict | None = None,
) -> Fit:
    """`chains` memoises the requirement order and the module chains: thousands of
    agents share one position and a few gaps."""
    chains = {} if chains is None else chains
    order_key = ("order", position.id)
    if order_key not in chains:
        chains[order_key] = sorted(
            position.requirements.items(), key=lambda item: codes.get(item[0], "")
        )
    lines, modules = [], {}
    gap_sum = worst = unmeasured = uncovered = 0
    levels = agent.levels
    for competence_id, required in chains[order_key]:
        estimate = levels.get(competence_id)
        code = codes.get(competence_id, str(competence_id))
        if estimate is None:
            unmeasured += 1
            lines.append((competence_id, code, required, None, ()))
            continue
        level = whole_level(estimate)
        missing = required - level
        if missing <= 0:
            lines.append((competence_id, code, required, level, ()))
            continue
        gap_sum += missing
        worst = max(worst, missing)
        key = (competence_id, level, required)
        if key not in chains:
            chains[key] = _chain(competence_id, level, required, by_competence)
        chain = chains[key]
        if chain is None:
            uncovered += 1
            lines.append((competence_id, code, required, level, None))
        else:
            ids = tuple(m.id for m in chain)
            lines.append((competence_id, code, required, level, ids))
            modules.update((m.id, m) for m in chain)
    hours = sum(m.hours for m in modules.values())
    category_ok = (
        not position.category or not agent.category or (agent.category == position.category)
    )
    same_site = position.site_id is not None and position.site_id == agent.site_id
    wished = position.job_id in agent.wished_job_ids or (
        bool(position.family) and position.family in agent.wished_families
    )
    penalty = (
        PENALTY_PER_LEVEL * gap_sum
        + PENALTY_WORST_LEVEL * worst
        + PENALTY_PER_UNMEASURED * unmeasured
        + PENALTY_PER_UNCOVERED * uncovered
        + PENALTY_PER_7_HOURS * int(hours // 7)
        + (0 if category_ok else PENALTY_CATEGORY)
        + (0 if same_site else PENALTY_OTHER_SITE)
        - (BONUS_WISH if wished else 0)
    )
    return Fit(
        agent_id=agent.id,
        position_id=position.id,
        score=max(0, min(100, 100 - penalty)),
        gap_sum=gap_sum,
        worst_gap=worst,
        hours=hours,
        lines=lines,
        module_ids=sorted(modules),
        category_ok=category_ok,
        same_site=same_site,
        wished=wished,
        agent_name=agent.name,
    )


def _rank_key(f: Fit):
    return (-f.score, f.gap_sum, f.hours, f.agent_name, f.agent_id, f.position_id)


def rank_agents(
    position: PositionData,
    agents: list[AgentData],
    modules: list[ModuleData],
    codes: dict[int, str],
) -> list[Fit]:
    """Agents for a position, best fit first."""
    by_competence, chains = index_modules(modules), {}
    return sorted((fit(a, position, by_competence, codes, chains) for a in agents), key=_rank_key)


def rank_positions(
    agent: AgentData,
    positions: list[PositionData],
    modules: list[ModuleData],
    codes: dict[int, str],
    *,
    reachable_only: bool = True,
) -> list[Fit]:
    """Positions for an agent, best fit first; by default only those within reach."""
    by_competence, chains = index_modules(modules), {}
    fits = [fit(agent, p, by_competence, codes, chains) for p in positions]
    if reachable_only:
        fits = [f for f in fits if f.within_reach]
    return sorted(fits, key=_rank_key)
