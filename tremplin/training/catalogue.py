"""The catalogue as plain data, and the rules that read it: the prerequisite graph
(cycles, order), and when a module is recommended (its triggers).

`load_catalogue()` is the only function here that touches the database (three queries,
whatever the size of the catalogue). Everything else takes plain data, so the pathway
generator and the planning optimizer can call it in a loop over thousands of agents.

Triggers, the same everywhere:
- **below a threshold**: an agent at whole level L in a competence who must reach R > L
  (their job, a goal) is recommended the modules whose outcome in that competence starts
  at or below L and ends above L (`Catalogue.triggered_by`, `Catalogue.path_to_level`);
- **at least at a level**: a module's level prerequisite (competence, min level) is met
  when the agent's level is at least that level; otherwise the modules that bring them
  there come first (`Catalogue.preparation_for`).
A required module counts as met when the agent did it, or when their profile already
reaches every level the module brings (an office agent who writes emails daily does not
follow « Ma messagerie » before « Les réunions en visio »).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import NamedTuple

# ModuleFormat.COACHING, written out: this module imports nothing from Django at load time.
COACHING = "coaching"

# --- Plain data --------------------------------------------------------------------------------


class Outcome(NamedTuple):
    """A competence the module brings from one whole level to a higher one."""

    competence_code: str
    level_from: int
    level_to: int

    def fits(self, level: int) -> bool:
        """An agent at `level` can follow the module and will gain from it."""
        return self.level_from <= level < self.level_to


class LevelPrerequisite(NamedTuple):
    competence_code: str
    min_level: int


@dataclass(frozen=True)
class CatalogueModule:
    id: int
    code: str
    title: str
    position: int
    duration_minutes: int
    format: str
    audience: str
    job_families: tuple[str, ...]
    needs_device: bool
    outcomes: tuple[Outcome, ...]
    required_module_ids: tuple[int, ...]
    level_prerequisites: tuple[LevelPrerequisite, ...]

    def outcome_for(self, competence_code: str) -> Outcome | None:
        for outcome in self.outcomes:
            if outcome.competence_code == competence_code:
                return outcome
        return None

    def suits(self, *, work_kind: str | None, job_family: str | None) -> bool:
        """Whether the module is meant for an agent of this work kind ("field" or "office",
        as Job.work_kind) and job family. An empty family list means every family."""
        if self.audience not in ("all", work_kind):
            return False
        return not self.job_families or job_family in self.job_families

    def reached_by(self, levels: Mapping[str, int]) -> bool:
        """The agent already has every level the module brings (a module without outcomes
        is never "reached": only attending it counts)."""
        return bool(self.outcomes) and all(
            levels.get(o.competence_code, 0) >= o.level_to for o in self.outcomes
        )

    def unmet_level_prerequisites(self, levels: Mapping[str, int]) -> tuple[LevelPrerequisite, ...]:
        return tuple(
            p for p in self.level_prerequisites if levels.get(p.competence_code, 0) < p.min_level
        )


def _preference(module: CatalogueModule, outcome: Outcome):
    """Among modules raising the same competence: group modules before individual coaching
    (three advisors for thousands of agents: coaching is for those a group cannot help),
    then the one that goes highest, the shortest, the catalogue's order."""
    return (
        module.format == COACHING,
        -outcome.level_to,
        module.duration_minutes,
        module.position,
        module.id,
    )


@dataclass(frozen=True)
class Catalogue:
    """The active modules, in catalogue order."""

    modules: tuple[CatalogueModule, ...]

    @cached_property
    def by_id(self) -> dict[int, CatalogueModule]:
        return {m.id: m for m in self.modules}

    @cached_property
    def by_code(self) -> dict[str, CatalogueModule]:
        return {m.code: m for m in self.modules}

    @cached_property
    def requires(self) -> dict[int, tuple[int, ...]]:
        return {m.id: m.required_module_ids for m in self.modules}

    @cached_property
    def _raising(self) -> dict[str, tuple[tuple[CatalogueModule, Outcome], ...]]:
        found: dict[str, list[tuple[CatalogueModule, Outcome]]] = {}
        for module in self.modules:
            for outcome in module.outcomes:
                found.setdefault(outcome.competence_code, []).append((module, outcome))
        return {
            code: tuple(sorted(pairs, key=lambda pair: _preference(*pair)))
            for code, pairs in found.items()
        }

    def triggered_by(
        self, competence_code: str, level: int, *, suits=None
    ) -> tuple[CatalogueModule, ...]:
        """Modules recommended to an agent at `level` in the competence: those whose outcome
        there starts at or below it and ends above it, best first. `suits` (a predicate on
        a module) keeps only the modules meant for the agent."""
        return tuple(
            module
            for module, outcome in self._raising.get(competence_code, ())
            if outcome.fits(level) and (suits is None or suits(module))
        )

    def path_to_level(
        self, competence_code: str, level: int, target: int, *, suits=None
    ) -> tuple[CatalogueModule, ...]:
        """The modules, in order, that bring the competence from `level` to `target`: at each
        step the module that fits and goes highest. When none fits (the catalogue starts
        higher than the agent), the one starting lowest is taken. The path stops early when
        the catalogue cannot go further: it may fall short of `target`."""
        path: list[CatalogueModule] = []
        current = level
        candidates = [
            (module, outcome)
            for module, outcome in self._raising.get(competence_code, ())
            if suits is None or suits(module)
        ]
        while current < target:
            taken = {m.id for m in path}
            usable = [(m, o) for m, o in candidates if m.id not in taken and o.level_to > current]
            if not usable:
                break
            fitting = [(m, o) for m, o in usable if o.level_from <= current]
            module, outcome = (
                fitting[0]
                if fitting
                else min(usable, key=lambda p: (p[1].level_from, *_preference(*p)))
            )
            path.append(module)
            current = outcome.level_to
        return tuple(path)

    def prerequisite_met(
        self, required_id: int, levels: Mapping[str, int], done_ids: Iterable[int]
    ) -> bool:
        if required_id in set(done_ids):
            return True
        required = self.by_id.get(required_id)
        # A module no longer offered cannot be followed: it does not hold others back.
        return required is None or required.reached_by(levels)

    def preparation_for(
        self,
        module: CatalogueModule,
        levels: Mapping[str, int],
        done_ids: Iterable[int] = (),
        *,
        suits=None,
    ) -> tuple[CatalogueModule, ...]:
        """What the agent must follow before `module`, prerequisites of prerequisites
        included, in an order that respects them all (`module` itself left out)."""
        done = set(done_ids)
        needed: dict[int, CatalogueModule] = {}
        # module → the modules to follow before it, for the final order (a level
        # prerequisite is no edge of the catalogue's graph, but orders the path it brings).
        edges: dict[int, set[int]] = {}
        queue = deque([module])
        seen = {module.id}
        while queue:
            current = queue.popleft()
            before: list[CatalogueModule] = [
                self.by_id[r]
                for r in current.required_module_ids
                if not self.prerequisite_met(r, levels, done)
            ]
            for prerequisite in current.unmet_level_prerequisites(levels):
                path = self.path_to_level(
                    prerequisite.competence_code,
                    levels.get(prerequisite.competence_code, 0),
                    prerequisite.min_level,
                    suits=suits,
                )
                for earlier, later in pairwise(path):
                    edges.setdefault(later.id, set()).add(earlier.id)
                before.extend(path)
            for other in before:
                if other.id in done or other.id == module.id:
                    continue
                edges.setdefault(current.id, set()).add(other.id)
                if other.id not in seen:
                    seen.add(other.id)
                    needed[other.id] = other
                    queue.append(other)
        order = prerequisite_order(needed, edges, {m.id: m.position for m in needed.values()})
        return tuple(needed[i] for i in order)

    def find_cycle(self) -> tuple[int, ...] | None:
        return find_cycle(self.requires)


# --- The prerequisite graph ------------------------------------------------------------------
# `requires` maps a module to the modules it requires: an edge A → B reads "A needs B".


def find_cycle(requires: Mapping[Hashable, Iterable[Hashable]]) -> tuple | None:
    """A cycle of the graph as (a, b, …, a), a needing b… needing a; None when there is none.
    Iterative depth-first search: a long chain does not hit the recursion limit."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour: dict = {}
    for root in requires:
        if colour.get(root, WHITE) != WHITE:
            continue
        stack = [(root, iter(requires.get(root, ())))]
        path = [root]
        colour[root] = GREY
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = BLACK
                stack.pop()
                path.pop()
                continue
            state = colour.get(child, WHITE)
            if state == GREY:
                return (*path[path.index(child) :], child)
            if state == WHITE:
                colour[child] = GREY
                path.append(child)
                stack.append((child, iter(requires.get(child, ()))))
    return None


def shortest_path(requires: Mapping[Hashable, Iterable[Hashable]], start, goal) -> tuple | None:
    """The shortest chain start → … → goal following "needs" edges, or None."""
    previous = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            chain = []
            while node is not None:
                chain.append(node)
                node = previous[node]
            return tuple(reversed(chain))
        for child in requires.get(node, ()):
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return None


def cycle_through(
    requires: Mapping[Hashable, Iterable[Hashable]], module, required: Iterable[Hashable]
) -> tuple | None:
    """The cycle that giving `module` these required modules would close, as
    (module, r, …, module), shortest first; None when the graph stays acyclic.
    `requires` is the graph as saved; the module's own edges are replaced."""
    graph = {node: tuple(children) for node, children in requires.items()}
    graph[module] = tuple(required)
    best = None
    for first in graph[module]:
        if first == module:
            return (module, module)
        chain = shortest_path(graph, first, module)
        if chain is not None and (best is None or len(chain) < len(best)):
            best = chain
    return None if best is None else (module, *best)


def describe_cycle(cycle: Iterable[Hashable], titles: Mapping[Hashable, str]) -> str:
    """« Messagerie » → « Tableur » → « Messagerie »"""
    return " → ".join(f"« {titles.get(node, node)} »" for node in cycle)


def prerequisite_order(
    ids: Iterable[int], requires: Mapping[int, Iterable[int]], position: Mapping[int, int]
) -> list[int]:
    """`ids` with each module after the modules it requires among them; otherwise in
    catalogue order (position, then id). Modules caught in a cycle (refused on input, but
    data can be older than the rule) come last, in catalogue order."""
    ids = list(dict.fromkeys(ids))
    wanted = set(ids)
    waiting = {i: {r for r in requires.get(i, ()) if r in wanted and r != i} for i in ids}
    needed_by: dict[int, list[int]] = {i: [] for i in ids}
    for module, before in waiting.items():
        for required in before:
            needed_by[required].append(module)

    def key(i):
        return (position.get(i, 0), i)

    ready = [key(i) for i, before in waiting.items() if not before]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _position, module = heapq.heappop(ready)
        order.append(module)
        for other in needed_by[module]:
            waiting[other].discard(module)
            if not waiting[other]:
                heapq.heappush(ready, key(other))
    placed = set(order)
    order.extend(sorted((i for i in ids if i not in placed), key=key))
    return order


# --- From the database -----------------------------------------------------------------------


def load_catalogue() -> Catalogue:
    """The active modules with their outcomes and prerequisites: three queries. A required
    module that is no longer offered is left out of `required_module_ids`."""
    from .models import Module, ModuleOutcome, ModulePrerequisite

    rows = list(
        Module.objects.active()
        .order_by("position", "title", "pk")
        .values_list(
            "pk",
            "code",
            "title",
            "position",
            "duration_minutes",
            "format",
            "audience",
            "job_families",
            "needs_device",
        )
    )
    active = {row[0] for row in rows}
    outcomes: dict[int, list[Outcome]] = {}
    for module_id, code, level_from, level_to in (
        ModuleOutcome.objects.filter(module__active=True)
        .order_by("competence__position", "competence__code")
        .values_list("module_id", "competence__code", "level_from", "level_to")
    ):
        outcomes.setdefault(module_id, []).append(Outcome(code, level_from, level_to))
    required: dict[int, list[int]] = {}
    levels: dict[int, list[LevelPrerequisite]] = {}
    for module_id, required_id, code, min_level in (
        ModulePrerequisite.objects.filter(module__active=True)
        .order_by("pk")
        .values_list("module_id", "required_module_id", "competence__code", "min_level")
    ):
        if required_id is not None:
            if required_id in active:
                required.setdefault(module_id, []).append(required_id)
        else:
            levels.setdefault(module_id, []).append(LevelPrerequisite(code, min_level))
    return Catalogue(
        modules=tuple(
            CatalogueModule(
                id=pk,
                code=code,
                title=title,
                position=position,
                duration_minutes=duration,
                format=format_,
                audience=audience,
                job_families=tuple(families or ()),
                needs_device=needs_device,
                outcomes=tuple(outcomes.get(pk, ())),
                required_module_ids=tuple(required.get(pk, ())),
                level_prerequisites=tuple(levels.get(pk, ())),
            )
            for pk, code, title, position, duration, format_, audience, families, needs_device in rows
        )
    )


def saved_requires() -> dict[int, tuple[int, ...]]:
    """The prerequisite graph as saved, every module included (one query)."""
    from .models import ModulePrerequisite

    graph: dict[int, list[int]] = {}
    for module_id, required_id in ModulePrerequisite.objects.filter(
        required_module__isnull=False
    ).values_list("module_id", "required_module_id"):
        graph.setdefault(module_id, []).append(required_id)
    return {module: tuple(required) for module, required in graph.items()}
