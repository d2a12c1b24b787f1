"""The optimizer: sessions and seats that maximise priority-weighted demand served before
deadlines, then spread trainers' load and keep agents at their own site.

How it works (see also candidates.py); every step counts against `time_limit`:
0. **Baseline**: greedy (greedy.py, first come, first served) and the capacity bound
   (bound.py). Greedy's time sizes the reserve kept for the end (step 5).
1. **Weekly relaxation (LP, HiGHS through MathOpt)**: sessions per (trainer kind, module,
   site, week) and seats per (group, site, week), with every rule loosened to a weekly
   sum (trainer sessions and half-days, room half-days by equipment, team absences ≤
   limit × half-days of the week, group minimum dropped). Any feasible plan maps onto
   it, so its optimum is an upper bound on served demand (`lp_bound`). Its seats per
   group and week also steer the exact step, so that a week does not take seats a group
   with a later deadline could have had later (the trap of solving weeks in order). It
   is built one week at a time from per-kind start slots (`Index.starts`), so no
   structure holds every (group, start slot) of a long horizon, and its rows are freed
   as they go into the solver: over five years at 6,000 agents the peak is ≈ 0.8 GB.
2. **Windows (MIP, HiGHS)**: the whole horizon at once when the problem is small, else
   one week at a time in time order. Binary x per candidate (module, start slot, room,
   trainer), integer seats per (group, offer) where an offer is (module, site, start
   slot): interchangeable sessions share their seats, split afterwards. Every rule of
   `check` holds per slot, day and week; groups carry their remaining count to the next
   window. A week's seats the relaxation planned are worth GUIDE more; on large problems
   a week keeps to the groups and (module, site) pairs the relaxation uses in it or the
   next LOOKAHEAD weeks, and the relaxation is solved again on what is left every
   RESOLVE_EVERY weeks when that is cheap. Each window is solved by **RENS**
   (`_restricted_solve`): its LP relaxation first, then the MIP over the few dozen
   sessions that LP opens, which HiGHS solves to optimality in about a second where the
   full MIP spent its time in root cuts (a week of the 6,000-agent instance: the best
   plan of a 10 s full solve, in 1–2 s). A single window (small problem) is then
   polished by the full MIP started from that plan.
3. **Greedy top-up**: greedy fills the seats and trainer time left (`_residual_greedy`).
4. **Improvement pass** (`_improve`, large-neighbourhood search) with the time left
   (IMPROVE_SHARE of the limit at least): the sessions of two consecutive weeks are taken
   out and the weeks solved again, the rest fixed, started from their own sessions (so
   never worse), now knowing who still waits; weeks with the most weighted demand still
   waiting first; kept only when more is served. Then greedy tops up again.
5. **Safety**: a week the MIP cannot solve in its share of the time is planned by greedy
   (weeks reached with no time left keep only their fixed sessions and are filled by the
   greedy top-up, one pass for all of them); the result is checked (`check`) and compared with greedy's own plan and the better
   one returned; every group not fully served gets the most specific reason
   (model.Unplaced). The bound is min(LP, capacity bound), both proven upper bounds.

Priority tiers are not solved one after the other: the weights are in the objective
(a seat of weight 3 is worth three of weight 1) and the relaxation already looks at
the whole horizon, which is what tiers would approximate.

Measured with bench/planning.py on a 2-core machine shared with other work: 6,000
agents, one year, 120 s: gap 0.8 % (load average ≈ 2) to 1.2 % (load ≈ 6), 1.26 × greedy,
0.35 GB; five years, 360 s: gap 1.1 %, 0.8 GB.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.math_opt import (
    model_parameters_pb2,
    model_pb2,
    parameters_pb2,
    result_pb2,
    solution_pb2,
    sparse_containers_pb2,
)
from ortools.math_opt.core.python import solver as core_solver
from ortools.math_opt.python import mathopt

from .candidates import Candidate, Index, build_candidates, offers_groups, session_load
from .model import (
    DemandGroup,
    FixedSession,
    Plan,
    PlannedSession,
    Problem,
    Slot,
    Unplaced,
)

Progress = Callable[[float, str], None] | None

# Tie-breaks, relative to the smallest weight so served demand always dominates.
TRAVEL = 0.02  # per seat away from the agents' own site
OPEN = 0.002  # per session opened (fewer, fuller sessions)
LOAD = 0.001  # per session on the busiest trainer (spread the load)
EARLY = 0.0005  # per session, from 0 at the start of the horizon to this at its end
KEEP = 0.05  # per seat kept where the previous plan had it (re-planning)
GUIDE = 3.0  # bonus per seat the weekly relaxation gave this group in this window
MAX_WINDOW_X = 6000  # candidate sessions: the whole horizon as one window below this
MAX_WINDOW_Y = 60000  # seat variables above which a window is left to greedy
WINDOW_GAP = 0.01  # relative gap at which a window's MIP stops (measured better than 0.2 %
# at 6,000 agents: the time saved goes to the windows that need it)
SINGLE_Y = 4000  # below this many seat variables, the whole horizon is one exact MIP
WINDOW_WEEKS = 1  # otherwise weeks per window, steered by the weekly relaxation
FOCUS_ABOVE = 6000  # seat variables in a window above which it keeps to `focus`
FOCUS_PAIRS = True
LOOKAHEAD = 3  # weeks after a window whose groups (per the relaxation) it may serve
LP_TEAMS_UP_TO = 5000  # demand groups up to which the relaxation keeps team limits
RESOLVE_EVERY = 4  # windows between two solves of the relaxation on what is left
IMPROVE_SHARE = 0.15  # of the time limit kept for the improvement pass (_improve)
IMPROVE_STEP = 6.0  # seconds at most per window of the improvement pass
IMPROVE_WEEKS = 2  # weeks per window of the improvement pass
IMPROVE_WAITING = 400  # groups still waiting a window of the improvement pass may seat
IMPROVE_RERANK = 10  # windows between two rankings of the improvement pass


class _Model:
    """A linear model built as plain lists and handed to HiGHS as one MathOpt proto.

    Written by hand rather than with `mathopt.Model` because building through its Python
    objects took ~10 s for the 95,000-column weekly model at 6,000 agents (longer than
    HiGHS takes to solve it); lists + one proto take a fraction of that.
    """

    def __init__(self, name: str):
        self.name = name
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integer: list[bool] = []
        self.obj: list[float] = []
        self.rows: list[tuple[float, float, list[tuple[int, float]]]] = []

    def var(self, ub: float = math.inf, integer: bool = False, obj: float = 0.0) -> int:
        self.lb.append(0.0)
        self.ub.append(float(ub))
        self.integer.append(integer)
        self.obj.append(obj)
        return len(self.lb) - 1

    def le(self, terms: list[tuple[int, float]], rhs: float) -> None:
        self.rows.append((-math.inf, float(rhs), terms))

    def ge(self, terms: list[tuple[int, float]], rhs: float) -> None:
        self.rows.append((float(rhs), math.inf, terms))

    def solve(
        self,
        seconds: float,
        gap: float = 0.002,
        presolve: bool = True,
        *,
        relax: bool = False,
        zero: set[int] | None = None,
        hint: dict[int, float] | None = None,
        release: bool = False,
    ) -> _Result:
        """Solve with HiGHS. `relax`: the LP relaxation (integers dropped); `zero`:
        variables held at 0 (a restriction of the model); `hint`: a feasible point to
        start from (variables not in it are 0), so the result is never worse;
        `release`: the model is solved once, free its rows while building (memory)."""
        proto = model_pb2.ModelProto(name=self.name)
        n = len(self.lb)
        proto.variables.ids.extend(range(n))
        proto.variables.lower_bounds.extend(self.lb)
        ub = self.ub
        if zero:
            ub = [0.0 if i in zero else u for i, u in enumerate(ub)]
        proto.variables.upper_bounds.extend(ub)
        proto.variables.integers.extend([False] * n if relax else self.integer)
        proto.objective.maximize = True
        nz = [(i, c) for i, c in enumerate(self.obj) if c]
        proto.objective.linear_coefficients.ids.extend(i for i, _c in nz)
        proto.objective.linear_coefficients.values.extend(c for _i, c in nz)
        matrix = proto.linear_constraint_matrix
        rows = self.rows
        if release:  # rows go into the proto one chunk at a time and are freed as they go
            self.rows = []
            rows.reverse()
        n_rows = len(rows)
        proto.linear_constraints.ids.extend(range(n_rows))
        r = 0
        while rows:
            chunk = [rows.pop() for _ in range(min(len(rows), 20000))] if release else rows
            rows_lb, rows_ub, row_ids, col_ids, coefs = [], [], [], [], []
            for lo, hi, terms in chunk:
                rows_lb.append(lo)
                rows_ub.append(hi)
                merged: dict[int, float] = {}
                for v, c in terms:
                    merged[v] = merged.get(v, 0.0) + c
                for v in sorted(merged):
                    row_ids.append(r)
                    col_ids.append(v)
                    coefs.append(merged[v])
                r += 1
            proto.linear_constraints.lower_bounds.extend(rows_lb)
            proto.linear_constraints.upper_bounds.extend(rows_ub)
            matrix.row_ids.extend(row_ids)
            matrix.column_ids.extend(col_ids)
            matrix.coefficients.extend(coefs)
            if not release:
                break
        params = mathopt.SolveParameters(
            time_limit=dt.timedelta(seconds=max(0.05, seconds)),
            relative_gap_tolerance=gap,
            # HiGHS's MIP presolve (probing) costs seconds on the window models and buys
            # nothing there: measured 1.4 s without against 4 s with on a 1,500-column
            # window.
            presolve=None if presolve else mathopt.Emphasis.OFF,
        )
        model_params = model_parameters_pb2.ModelSolveParametersProto()
        if hint:  # every variable, so that HiGHS need not complete it
            model_params.solution_hints.append(
                model_parameters_pb2.SolutionHintProto(
                    variable_values=sparse_containers_pb2.SparseDoubleVectorProto(
                        ids=range(n), values=[float(hint.get(i, 0.0)) for i in range(n)]
                    )
                )
            )
        try:
            raw = core_solver.solve(
                proto,
                parameters_pb2.SOLVER_TYPE_HIGHS,
                mathopt.StreamableSolverInitArguments().to_proto(),
                params.to_proto(),
                model_params,
                None,
                mathopt.CallbackRegistration().to_proto(),
                None,
                None,
            )
        except Exception:  # a solver error must never cost the user the plan: greedy remains
            return _Result(False, False, 0.0, [])
        optimal = raw.termination.reason == result_pb2.TERMINATION_REASON_OPTIMAL
        for sol in raw.solutions:
            primal = sol.primal_solution
            if primal.feasibility_status == solution_pb2.SOLUTION_STATUS_FEASIBLE:
                values = [0.0] * n
                for i, v in zip(
                    primal.variable_values.ids, primal.variable_values.values, strict=True
                ):
                    values[i] = v
                return _Result(True, optimal, primal.objective_value, values)
        return _Result(False, False, 0.0, [])


@dataclass
class _Result:
    ok: bool  # has a feasible solution
    optimal: bool
    objective: float
    values: list[float]


# --- 1. Weekly relaxation --------------------------------------------------------------------


class _Weekly:
    """The weekly LP; `bound` its optimum, `alloc[(group, week)]` its seats."""

    def __init__(self, ix: Index):
        self.ix = ix
        self.bound: float | None = None
        self.alloc: dict[tuple[int, tuple[int, int]], float] = {}
        self.sessions: dict[tuple[int, int, tuple[int, int]], float] = {}
        self.by_week: dict[tuple[int, int], dict[int, float]] = {}
        self.ms_by_week: dict[tuple[int, int], set[tuple[int, int]]] = {}
        # (module, site, start) → trainer kinds that can run it, kept between solves.
        self._runnable: dict[tuple[int, int, int], tuple[int, ...] | None] = {}
        self._kinds = 0

    def solve(
        self,
        seconds: float,
        remaining: dict[int, int] | None = None,
        from_week: tuple[int, int] | None = None,
    ) -> None:
        """Solve over the weeks from `from_week` on, for the `remaining` agents (all by
        default); re-solved as windows are fixed, to steer the next ones."""
        ix = self.ix
        problem = ix.problem
        if remaining is None:
            remaining = {g.id: g.count for g in problem.demand}
        weeks = ix.weeks if from_week is None else [w for w in ix.weeks if w >= from_week]
        fixed_by_offer: dict[tuple[int, int, int], int] = defaultdict(int)
        for f in problem.fixed:
            site = ix.site_of_fixed(f.room_id)
            if site is not None and f.slot_index in ix.pos:
                fixed_by_offer[(f.module_id, site, f.slot_index)] += max(0, f.seats_free)

        # Trainers alike in everything are one kind with a multiplicity.
        kinds: dict[tuple, list] = defaultdict(list)
        busy_of: dict[int, list[int]] = defaultdict(list)
        for tid, slot_index in ix.trainer_busy:
            busy_of[tid].append(slot_index)
        for t in problem.trainers:
            busy = tuple(sorted(busy_of.get(t.id, ())))
            key = (t.modules, t.sites, t.available, t.absent_days, t.max_per_day,
                   t.max_per_week, busy)  # fmt: skip
            kinds[key].append(t)
        kind_list = list(kinds.values())
        if self._kinds != len(kind_list):  # (the kinds do not change between solves)
            self._kinds, self._runnable = len(kind_list), {}
        can_run = self._runnable

        # Groups alike in everything but their count are one class here; on large
        # problems their team too (dropping the team limits keeps a valid relaxation,
        # about half the columns).
        keep_teams = len(problem.demand) <= LP_TEAMS_UP_TO
        rep: dict[int, int] = {}
        in_class: dict[int, list[int]] = defaultdict(list)
        first: dict[tuple, int] = {}
        for g in problem.demand:
            if remaining.get(g.id, 0) <= 0 or g.module_id not in ix.modules:
                continue
            key = (g.module_id, g.site_id, g.near_sites, g.available, g.earliest, g.deadline,
                   g.weight, g.team_id if keep_teams else None)  # fmt: skip
            rep[g.id] = first.setdefault(key, g.id)
            in_class[rep[g.id]].append(g.id)
        left = {r: sum(remaining[m] for m in ms) for r, ms in in_class.items()}

        model = _Model("weekly")
        rooms_ok: dict[tuple[int, int], bool] = {}

        def runnable(mid: int, site: int, start: int) -> tuple[int, ...] | None:
            """Kinds that can run (mid, site, start), [] when only a fixed session offers
            seats there, None when nothing can."""
            module = ix.modules[mid]
            span = ix.span(start, module.slots)
            if span is None:
                return None
            if (mid, site) not in rooms_ok:
                rooms_ok[(mid, site)] = any(
                    r.suits(module) and ix.capacity(module, r) >= max(1, module.group_min)
                    for r in ix.rooms_at.get(site, ())
                )
            found = []
            if rooms_ok[(mid, site)] and any(
                all((r.id, t) not in ix.room_busy for t in span)
                for r in ix.rooms_at.get(site, ())
                if r.suits(module)
            ):
                for k, members in enumerate(kind_list):
                    t0 = members[0]
                    if mid in t0.modules and t0.goes_to(site) and ix.trainer_free(t0, span):
                        found.append(k)
            if found or (mid, site, start) in fixed_by_offer:
                return tuple(found)
            return None

        # Built one week at a time, so that no structure holds every (group, start
        # slot) of the horizon: the memory stays that of the model itself.
        n_vars: dict[tuple[int, int, int, tuple[int, int]], int] = {}
        y_vars: dict[tuple[int, int, tuple[int, int]], int] = {}
        sites_of = {
            r: (ix.groups[r].site_id, *sorted(ix.groups[r].near_sites - {ix.groups[r].site_id}))
            for r in in_class
        }
        can = can_run
        for week in weeks:
            for r in in_class:
                g = ix.groups[r]
                mid = g.module_id
                for start in ix.starts(g, ix.modules[mid].slots).get(week, ()):
                    for site in sites_of[r]:
                        key = (mid, site, start)
                        if key not in can:
                            can[key] = runnable(mid, site, start)
                        kinds_here = can[key]
                        if kinds_here is None:
                            continue
                        for k in kinds_here:
                            n_key = (k, mid, site, week)
                            if n_key not in n_vars:
                                n_vars[n_key] = model.var()
                        y_key = (r, site, week)
                        if y_key not in y_vars:
                            y_vars[y_key] = model.var(ub=left[r], obj=g.weight)

        # Trainer kinds per week: sessions and half-days.
        per_kind_week: dict[tuple[int, tuple[int, int]], list] = defaultdict(list)
        for (k, mid, _site, week), var in n_vars.items():
            per_kind_week[(k, week)].append((var, ix.modules[mid]))
        for (k, week), items in per_kind_week.items():
            members = kind_list[k]
            t0 = members[0]
            free = [
                s
                for s in ix.week_slots[week]
                if t0.can_work(s) and (t0.id, s.index) not in ix.trainer_busy
            ]
            by_day: dict[dt.date, int] = defaultdict(int)
            for s in free:
                by_day[s.day] += 1
            day_cap = sum(
                max(0, min(t0.max_per_day - ix.trainer_fixed_day.get((t0.id, d), 0), n))
                for d, n in by_day.items()
            )
            week_cap = max(0, t0.max_per_week - ix.trainer_fixed_week.get((t0.id, week), 0))
            mult = len(members)
            model.le([(v, session_load(m)) for v, m in items], mult * min(day_cap, week_cap))
            model.le([(v, m.slots) for v, m in items], mult * len(free))

        # Rooms per site and week, nested by equipment need.
        per_site_week: dict[tuple[int, tuple[int, int]], list] = defaultdict(list)
        for (_k, mid, site, week), var in n_vars.items():
            per_site_week[(site, week)].append((var, ix.modules[mid]))
        levels = (("computers",), ("computers", "tablets"), ("computers", "tablets", "any"))
        for (site, week), items in per_site_week.items():
            rooms = ix.rooms_at.get(site, ())
            week_slots = ix.week_slots[week]
            for level in levels:
                terms = [(v, m.slots) for v, m in items if m.room_need in level]
                if not terms:
                    continue
                need = level[-1]
                free = sum(
                    1
                    for r in rooms
                    if (
                        need == "any"
                        or (need == "computers" and r.has_computers)
                        or (need == "tablets" and (r.has_tablets or r.has_computers))
                    )
                    for s in week_slots
                    if (r.id, s.index) not in ix.room_busy
                )
                model.le(terms, free)

        # Seats per (module, site, week) within the sessions' capacity.
        cap_ms: dict[tuple[int, int], int] = {}
        for mid, site, _week in {k[1:] for k in n_vars} | {
            (ix.groups[r].module_id, site, week) for r, site, week in y_vars
        }:
            if (mid, site) in cap_ms:
                continue
            module = ix.modules[mid]
            caps = [ix.capacity(module, r) for r in ix.rooms_at.get(site, ()) if r.suits(module)]
            cap_ms[(mid, site)] = max(caps, default=0)
        sessions_ms: dict[tuple[int, int, tuple[int, int]], list] = defaultdict(list)
        for (_k, mid, site, week), var in n_vars.items():
            sessions_ms[(mid, site, week)].append(var)
        fixed_ms: dict[tuple[int, int, tuple[int, int]], int] = defaultdict(int)
        for (mid, site, start), seats in fixed_by_offer.items():
            fixed_ms[(mid, site, ix.slot(start).week)] += seats
        seats_ms: dict[tuple[int, int, tuple[int, int]], list] = defaultdict(list)
        for (gid, site, week), var in y_vars.items():
            seats_ms[(ix.groups[gid].module_id, site, week)].append(var)
        for key, ys in seats_ms.items():
            mid, site, week = key
            cap = cap_ms.get((mid, site), 0)
            terms = [(v, 1.0) for v in ys] + [(v, -cap) for v in sessions_ms.get(key, ())]
            model.le(terms, fixed_ms.get(key, 0))

        # Groups' counts; teams' absences per week.
        per_group: dict[int, list] = defaultdict(list)
        per_team_week: dict[tuple[int, tuple[int, int]], list] = defaultdict(list)
        for (gid, _site, week), var in y_vars.items():
            per_group[gid].append(var)
            g = ix.groups[gid]
            if keep_teams and g.team_id is not None and g.team_id in ix.max_absent:
                per_team_week[(g.team_id, week)].append((var, ix.modules[g.module_id].slots))
        for gid, ys in per_group.items():
            model.le([(v, 1.0) for v in ys], left[gid])
        for (team, week), items in per_team_week.items():
            model.le([(v, k) for v, k in items], ix.max_absent[team] * len(ix.week_slots[week]))

        result = model.solve(seconds, gap=0.0, release=True)
        del model
        if not result.optimal:
            return
        self.bound = float(result.objective)
        self.alloc, self.sessions = {}, {}
        self.by_week, self.ms_by_week = defaultdict(dict), defaultdict(set)
        values = result.values
        per_class: dict[tuple[int, tuple[int, int]], float] = defaultdict(float)
        for (gid, _site, week), var in y_vars.items():
            v = values[var]
            if v > 1e-6:
                per_class[(gid, week)] += v
        # A class's seats go to its groups in turn; all of them stay in view (focus).
        for (r, week), v in per_class.items():
            for gid in in_class[r]:
                share = min(v, remaining[gid])
                v -= share
                self.alloc[(gid, week)] = share
                self.by_week[week][gid] = share
        for (_k, mid, site, week), var in n_vars.items():
            v = values[var]
            if v > 1e-6:
                self.sessions[(mid, site, week)] = self.sessions.get((mid, site, week), 0.0) + v
                self.ms_by_week[week].add((mid, site))


def lp_bound(problem: Problem, time_limit: float = 60) -> float | None:
    """An upper bound on served demand for any plan that passes `check`: the optimum of
    the weekly relaxation (None when it did not solve in `time_limit` seconds)."""
    weekly = _Weekly(Index.build(problem))
    weekly.solve(time_limit)
    return weekly.bound


# --- 2. Exact windows ------------------------------------------------------------------------


class _State:
    """What windows carry from one to the next."""

    def __init__(self, ix: Index):
        self.remaining = {g.id: g.count for g in ix.problem.demand}
        self.load: dict[int, int] = defaultdict(int)  # sessions per trainer so far
        self.team_slot: dict[tuple[int, int], int] = defaultdict(int)  # (team, slot) → seats
        self.sessions: list[PlannedSession] = []


def _window_mip(
    ix: Index,
    state: _State,
    weeks: list[tuple[int, int]],
    seconds: float,
    guide: dict[int, float] | None,
    keep: dict[tuple[int, int, int, int, int], int],
    focus: tuple[set[int], set[tuple[int, int]]] | None,
    hint: list[PlannedSession] | None = None,
    polish: bool = False,
) -> list[PlannedSession] | None:
    """Sessions for the slots of `weeks`, or None when the MIP found nothing. `focus`,
    when given, keeps only these groups and (module, site) pairs. `hint`: sessions of
    these weeks to improve on (their seats must be back in `state.remaining`); the
    MIP starts from them, so its objective is never below theirs."""
    slots = [s for w in weeks for s in ix.week_slots[w]]
    slot_set = {s.index for s in slots}
    remaining = state.remaining
    allowed = None
    if (
        focus is not None
        and sum(len(v) for v in offers_groups(ix, remaining, slots).values()) > FOCUS_ABOVE
    ):
        groups, allowed = focus
        remaining = {gid: state.remaining[gid] for gid in groups}
    offers = offers_groups(ix, remaining, slots)
    cands = build_candidates(ix, offers, allowed)
    fixed = [f for f in ix.problem.fixed if f.slot_index in slot_set]
    if not cands and not fixed:
        return []
    if len(cands) > 3 * MAX_WINDOW_X or sum(len(v) for v in offers.values()) > MAX_WINDOW_Y:
        return None  # too big to solve in its share of the time: greedy takes the window
    min_w = min((g.weight for g in ix.problem.demand if g.weight > 0), default=1.0)
    kept_sessions = {k[:4] for k in keep}

    model = _Model("window")
    x = [model.var(ub=1, integer=True) for _ in cands]
    by_offer: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        by_offer[c.offer].append(i)
    fixed_offer: dict[int, tuple[int, int, int]] = {}
    for f in fixed:
        site = ix.site_of_fixed(f.room_id)
        if site is not None:
            fixed_offer[f.id] = (f.module_id, site, f.slot_index)

    # Seat variables per (group, offer); fixed sessions are offers of their own.
    y: dict[tuple[int, object], int] = {}
    offer_seats: dict[object, list] = defaultdict(list)
    group_seats: dict[int, list] = defaultdict(list)
    team_slot: dict[tuple[int, int], list] = defaultdict(list)

    def add_seats(
        gid: int, key: object, span: tuple[int, ...], site: int, start: int, trainer_room
    ):
        g = ix.groups[gid]
        left = state.remaining[gid]
        var = model.var(ub=left, integer=True)
        y[(gid, key)] = var
        offer_seats[key].append(var)
        group_seats[gid].append(var)
        if g.team_id is not None and g.team_id in ix.max_absent:
            for t in span:
                team_slot[(g.team_id, t)].append(var)
        model.obj[var] += g.weight - (0.0 if site == g.site_id else TRAVEL * min_w)
        if trainer_room is not None and keep:
            # As many seats as the previous plan had there are worth KEEP more, no more
            # (a split of 3 + 2 over two sessions must not come back as 2 + 3).
            before = sum(
                keep.get((g.module_id, start, room, trainer, gid), 0)
                for trainer, room in trainer_room
            )
            if before:
                kept = model.var(ub=min(before, left), obj=KEEP * min_w)
                model.le([(kept, 1.0), (var, -1.0)], 0)

    for key, idxs in by_offer.items():
        mid, site, start = key
        pairs = [(cands[i].trainer_id, cands[i].room_id) for i in idxs]
        for gid in offers[key]:
            add_seats(gid, key, cands[idxs[0]].span, site, start, pairs)
    for f in fixed:
        if f.id not in fixed_offer:
            continue
        mid, site, start = fixed_offer[f.id]
        module = ix.modules.get(mid)
        span = ix.span(start, module.slots) if module else None
        if span is None:
            continue
        for gid in offers.get((mid, site, start), ()):
            add_seats(gid, ("fixed", f.id), span, site, start, [(f.trainer_id, f.room_id)])

    for key, idxs in by_offer.items():
        ys = offer_seats.get(key, [])
        module = ix.modules[key[0]]
        seats = [(v, 1.0) for v in ys]
        model.le(seats + [(x[i], -cands[i].capacity) for i in idxs], 0)
        lo = max(1, module.group_min)
        model.ge(seats + [(x[i], -lo) for i in idxs], 0)
        # No seat in an offer with no session (implied, but tightens the relaxation a lot).
        for gid in offers[key]:
            var = y[(gid, key)]
            left = state.remaining[gid]
            model.le([(var, 1.0)] + [(x[i], -min(left, cands[i].capacity)) for i in idxs], 0)
    for f in fixed:
        ys = offer_seats.get(("fixed", f.id))
        if ys:
            model.le([(v, 1.0) for v in ys], max(0, f.seats_free))
    for gid, ys in group_seats.items():
        model.le([(v, 1.0) for v in ys], state.remaining[gid])
    for (team, t), ys in team_slot.items():
        limit = ix.max_absent[team] - state.team_slot.get((team, t), 0)
        model.le([(v, 1.0) for v in ys], max(0, limit))

    # Relative to the mean, so that the tie-break stays small over a long horizon.
    mean_load = 1.0 + sum(state.load.values()) / max(1, len(ix.trainers))
    trainer_slot: dict[tuple[int, int], list] = defaultdict(list)
    room_slot: dict[tuple[int, int], list] = defaultdict(list)
    trainer_day: dict[tuple[int, dt.date], list] = defaultdict(list)
    trainer_week: dict[tuple[int, tuple[int, int]], list] = defaultdict(list)
    for i, c in enumerate(cands):
        for t in c.span:
            trainer_slot[(c.trainer_id, t)].append(x[i])
            room_slot[(c.room_id, t)].append(x[i])
        load = session_load(ix.modules[c.module_id])
        trainer_day[(c.trainer_id, c.day)].append((x[i], load))
        trainer_week[(c.trainer_id, c.week)].append((x[i], load))
        # Spread the load: a session costs a little more for a trainer already busy in
        # earlier windows (linear, unlike a min-max that makes the MIP much harder).
        model.obj[x[i]] -= (OPEN + LOAD * min(3.0, state.load[c.trainer_id] / mean_load)) * min_w
        model.obj[x[i]] -= EARLY * min_w * ix.pos[c.start] / len(ix.slots)  # sooner is better
        if (c.module_id, c.start, c.room_id, c.trainer_id) in kept_sessions:
            model.obj[x[i]] += KEEP * min_w  # same trainer and room as before
    for xs in list(trainer_slot.values()) + list(room_slot.values()):
        if len(xs) > 1:
            model.le([(v, 1.0) for v in xs], 1)
    for (tid, day), xs in trainer_day.items():
        cap = ix.trainers[tid].max_per_day - ix.trainer_fixed_day.get((tid, day), 0)
        model.le(xs, max(0, cap))
    for (tid, week), xs in trainer_week.items():
        cap = ix.trainers[tid].max_per_week - ix.trainer_fixed_week.get((tid, week), 0)
        model.le(xs, max(0, cap))
    if guide:
        for gid, ys in group_seats.items():
            a = guide.get(gid, 0.0)
            if a > 0.5:
                b = model.var(ub=math.floor(a + 0.5), obj=GUIDE * ix.groups[gid].weight)
                model.le([(b, 1.0)] + [(v, -1.0) for v in ys], 0)

    start_from = _hint(ix, cands, x, y, hint) if hint else None
    result = _restricted_solve(model, x, seconds, start_from, polish)
    if not result.ok:
        return None
    values = result.values

    out: list[PlannedSession] = []
    for f in fixed:
        seats = {
            gid: round(values[var])
            for (gid, key), var in y.items()
            if key == ("fixed", f.id) and round(values[var]) > 0
        }
        out.append(
            PlannedSession(
                f.module_id,
                f.slot_index,
                f.room_id,
                f.trainer_id,
                max(0, f.seats_free),
                f.id,
                seats,
            )
        )
    for key, idxs in by_offer.items():
        opened = [cands[i] for i in idxs if values[x[i]] > 0.5]
        if not opened:
            continue
        seats = [(gid, round(values[y[(gid, key)]])) for gid in offers[key] if (gid, key) in y]
        out.extend(_split(ix, opened, [(g, n) for g, n in seats if n > 0]))
    return out


def _hint(
    ix: Index,
    cands: list[Candidate],
    x: list[int],
    y: dict[tuple[int, object], int],
    sessions: list[PlannedSession],
) -> dict[int, float] | None:
    """`sessions` as values of the window's variables, or None when one of them is not
    in the model (then the MIP starts from scratch; the caller compares)."""
    index = {(c.module_id, c.start, c.room_id, c.trainer_id): i for i, c in enumerate(cands)}
    values: dict[int, float] = defaultdict(float)
    for ps in sessions:
        if ps.fixed_id is not None:
            key: object = ("fixed", ps.fixed_id)
        else:
            i = index.get((ps.module_id, ps.slot_index, ps.room_id, ps.trainer_id))
            if i is None:
                return None
            values[x[i]] = 1.0
            key = (ps.module_id, ix.rooms[ps.room_id].site_id, ps.slot_index)
        for gid, n in ps.seats.items():
            var = y.get((gid, key))
            if var is None:
                return None
            values[var] += n
    return dict(values)


def _restricted_solve(
    model: _Model,
    xs: list[int],
    seconds: float,
    hint: dict[int, float] | None = None,
    polish: bool = False,
) -> _Result:
    """The window MIP, restricted to the sessions its LP relaxation opens (RENS).

    HiGHS spends seconds in root cuts on a window before its own heuristics find good
    plans; the relaxation opens a few dozen of the hundreds of candidate sessions, and
    the MIP over those alone solves to optimality in about a second, at or near the best
    plan the full MIP finds in ten (measured on weeks of the 6,000-agent instance). The
    sessions of `hint` (a feasible plan to improve on) stay allowed, so the result is
    never worse than the hint. `polish`: then the full MIP, from that plan, with the
    time left (for a small problem solved as one window)."""
    end = time.monotonic() + seconds
    relaxed = model.solve(max(0.05, 0.4 * seconds), gap=0.0, relax=True)
    if relaxed.ok:
        keep = {v for v in xs if relaxed.values[v] > 1e-3}
        if hint:
            keep |= {v for v in xs if hint.get(v, 0.0) > 0.5}
        result = model.solve(
            end - time.monotonic(), WINDOW_GAP, presolve=False, zero=set(xs) - keep, hint=hint
        )
        if result.ok:
            if polish and end - time.monotonic() > 0.2:
                start = dict(enumerate(result.values))
                full = model.solve(end - time.monotonic(), WINDOW_GAP, presolve=False, hint=start)
                if full.ok and full.objective > result.objective:
                    return full
            return result
    return model.solve(end - time.monotonic(), WINDOW_GAP, presolve=False, hint=hint)


def _split(
    ix: Index, opened: list[Candidate], seats: list[tuple[int, int]]
) -> list[PlannedSession]:
    """Share an offer's seats between its opened sessions: each its minimum first, then
    up to capacity. The MIP guarantees min × sessions ≤ seats ≤ Σ capacities."""
    module = ix.modules[opened[0].module_id]
    lo = max(1, module.group_min)
    total = sum(n for _g, n in seats)
    opened = sorted(opened, key=lambda c: -c.capacity)
    # Drop sessions the seats cannot fill to their minimum (never happens with exact
    # MIP values; guards against rounding).
    while opened and total < lo * len(opened):
        opened.pop()
    sizes = [lo] * len(opened)
    extra = total - lo * len(opened)
    for i, c in enumerate(opened):
        add = min(extra, c.capacity - sizes[i])
        sizes[i] += add
        extra -= add
    out = []
    queue = [list(s) for s in seats]
    for c, size in zip(opened, sizes, strict=True):
        ps = PlannedSession(c.module_id, c.start, c.room_id, c.trainer_id, c.capacity)
        while size > 0 and queue:
            gid, n = queue[0]
            take = min(n, size)
            ps.seats[gid] = ps.seats.get(gid, 0) + take
            size -= take
            queue[0][1] -= take
            if queue[0][1] == 0:
                queue.pop(0)
        out.append(ps)
    return out


def _commit(ix: Index, state: _State, sessions: list[PlannedSession], sign: int = 1) -> None:
    """Add `sessions` to the plan in `state` (sign -1: take them out, seats back)."""
    for ps in sessions:
        module = ix.modules.get(ps.module_id)
        span = ix.span(ps.slot_index, module.slots if module else 1) or (ps.slot_index,)
        if ps.fixed_id is None:
            state.load[ps.trainer_id] += sign * (session_load(module) if module else 1)
        _seat(ix, state, ps, span, ps.seats, sign)
        if sign > 0:
            state.sessions.append(ps)
    if sign < 0:
        out = {id(ps) for ps in sessions}
        state.sessions = [ps for ps in state.sessions if id(ps) not in out]


def _seat(
    ix: Index,
    state: _State,
    ps: PlannedSession,
    span: tuple[int, ...],
    seats: dict[int, int],
    sign: int = 1,
) -> None:
    """Count `seats` of session `ps` in the state (remaining counts, team absences)."""
    for gid, n in seats.items():
        state.remaining[gid] -= sign * n
        team = ix.groups[gid].team_id
        if team is not None:
            for t in span:
                state.team_slot[(team, t)] += sign * n


def _sub_problem(ix: Index, state: _State, weeks: list[tuple[int, int]]) -> Problem:
    """The window as a Problem of its own, for greedy: the groups' remaining counts, the
    teams' room left is approximated by the slots' own limits (windows never share a
    slot)."""
    slots = tuple(s for w in weeks for s in ix.week_slots[w])
    slot_set = {s.index for s in slots}
    demand = tuple(
        _with_count(g, state.remaining[g.id])
        for g in ix.problem.demand
        if state.remaining[g.id] > 0
    )
    p = ix.problem
    return Problem(
        slots=slots,
        modules=p.modules,
        rooms=p.rooms,
        trainers=p.trainers,
        demand=demand,
        teams=p.teams,
        fixed=tuple(f for f in p.fixed if f.slot_index in slot_set),
    )


def _with_count(g: DemandGroup, count: int) -> DemandGroup:
    from dataclasses import replace

    return replace(g, count=count)


# --- 3. Plan, reasons, driver ----------------------------------------------------------------


def _served(ix: Index, sessions: list[PlannedSession]) -> float:
    total = 0.0
    for ps in sessions:
        if ps.slot_index not in ix.pos:  # a fixed session outside the horizon
            continue
        slot = ix.slots[ix.pos[ps.slot_index]]
        for gid, n in ps.seats.items():
            g = ix.groups[gid]
            if g.on_time(slot):
                total += g.weight * n
    return total


def _reason(
    ix: Index, g: DemandGroup, team_slot: dict[tuple[int, int], int], cache: dict
) -> Unplaced:
    """The most specific reason why `g` still has agents without a seat. `cache` keeps
    what depends only on (module, sites, availability), shared by many groups."""
    module = ix.modules.get(g.module_id)
    if module is None:
        return Unplaced.NO_TRAINER
    sites = frozenset({g.site_id, *g.near_sites})
    key = (module.id, sites, g.available)
    if key not in cache:
        cache[key] = _slots_possible(ix, module, sites, g.available)
    found = cache[key]
    if isinstance(found, Unplaced):
        return found
    with_earliest = [s for s in found if g.earliest is None or s.day >= g.earliest]
    if not with_earliest:
        return Unplaced.PREREQUISITE
    on_time = [s for s in with_earliest if g.on_time(s)]
    if not on_time:
        return Unplaced.AFTER_DEADLINE
    if g.team_id is not None and g.team_id in ix.max_absent:
        limit = ix.max_absent[g.team_id]
        if all(
            any(
                team_slot.get((g.team_id, t), 0) >= limit
                for t in ix.span(s.index, module.slots) or ()
            )
            for s in on_time
        ):
            return Unplaced.CONTINUITY
    return Unplaced.CAPACITY


def _slots_possible(ix: Index, module, sites: frozenset[int], available) -> list[Slot] | Unplaced:
    """Start slots where agents of these sites and availability could have a session of
    `module` (a trainer who runs it goes to one of the sites, a room there suits it,
    the trainer works then); or why there are none."""
    trainers = [
        t
        for t in ix.problem.trainers
        if module.id in t.modules and any(t.goes_to(s) for s in sites)
    ]
    if not trainers:
        return Unplaced.NO_TRAINER
    room_sites = {
        s
        for s in sites
        if any(
            r.suits(module) and ix.capacity(module, r) >= max(1, module.group_min)
            for r in ix.rooms_at.get(s, ())
        )
    }
    trainers = [t for t in trainers if any(t.goes_to(s) for s in room_sites)]
    if not trainers:
        return Unplaced.NO_ROOM
    out = []
    for slot in ix.slots:
        span = ix.span(slot.index, module.slots)
        if span is None:
            continue
        held = [ix.slot(t) for t in span]
        if available and not all((s.weekday, s.half) in available for s in held):
            continue
        if any(all(t.can_work(s) for s in held) for t in trainers):
            out.append(slot)
    return out or Unplaced.NO_SLOT


def unplaced_reasons(
    problem: Problem, plan: Plan, ix: Index | None = None
) -> dict[int, tuple[int, Unplaced]]:
    """Every group with agents left without a seat in `plan`, with why."""
    ix = ix or Index.build(problem)
    seated: dict[int, int] = defaultdict(int)
    team_slot: dict[tuple[int, int], int] = defaultdict(int)
    for ps in plan.sessions:
        module = ix.modules.get(ps.module_id)
        span = ix.span(ps.slot_index, module.slots if module else 1) or (ps.slot_index,)
        for gid, n in ps.seats.items():
            g = ix.groups[gid]
            # Late seats count as placed too (check: seats + unplaced ≤ count).
            seated[gid] += n
            if g.team_id is not None:
                for t in span:
                    team_slot[(g.team_id, t)] += n
    out = {}
    cache: dict = {}
    for g in problem.demand:
        left = g.count - seated[g.id]
        if left > 0:
            out[g.id] = (left, _reason(ix, g, team_slot, cache))
    return out


def _windows(ix: Index, remaining: dict[int, int]) -> list[list[tuple[int, int]]]:
    """The whole horizon as one window when its seat variables are few (exact optimum),
    else windows of WINDOW_WEEKS consecutive weeks."""
    pairs = 0  # (group, offer) pairs, counted without building them on a long horizon
    for gid, left in remaining.items():
        g = ix.groups[gid]
        if left > 0 and g.module_id in ix.modules:
            starts = ix.starts(g, ix.modules[g.module_id].slots)
            pairs += sum(len(v) for v in starts.values()) * (1 + len(g.near_sites - {g.site_id}))
            if pairs > SINGLE_Y:
                break
    if pairs <= SINGLE_Y:
        offers = offers_groups(ix, remaining, ix.slots)
        per_ms: dict[tuple[int, int], int] = defaultdict(int)
        for mid, site, _start in offers:
            per_ms[(mid, site)] += 1
        x = 0
        for (mid, site), n in per_ms.items():
            trainers = sum(1 for t in ix.problem.trainers if mid in t.modules and t.goes_to(site))
            rooms = sum(1 for r in ix.rooms_at.get(site, ()) if r.suits(ix.modules[mid]))
            x += n * trainers * rooms
        if x <= MAX_WINDOW_X:
            return [list(ix.weeks)]
    return [ix.weeks[i : i + WINDOW_WEEKS] for i in range(0, len(ix.weeks), WINDOW_WEEKS)]


def _residual_greedy(ix: Index, state: _State) -> int:
    """Greedy on what is left: the sessions planned so far become fixed sessions with
    their free seats, groups still waiting come heaviest and most urgent first, and each
    team may still send what its busiest slot leaves (a per-slot limit the model cannot
    express otherwise; conservative, so always valid). Returns the seats added."""
    from dataclasses import replace

    try:
        from .greedy import greedy
    except ImportError:
        return 0
    p = ix.problem
    fixed = []
    for n, ps in enumerate(state.sessions):
        fixed.append(
            FixedSession(
                n, ps.module_id, ps.slot_index, ps.room_id, ps.trainer_id, ps.capacity - ps.filled
            )
        )
    busiest: dict[int, int] = defaultdict(int)
    for (team, _t), n in state.team_slot.items():
        busiest[team] = max(busiest[team], n)
    teams = tuple(replace(t, max_absent=max(0, t.max_absent - busiest[t.id])) for t in p.teams)
    waiting = [
        replace(g, count=state.remaining[g.id]) for g in p.demand if state.remaining[g.id] > 0
    ]
    if not waiting:
        return 0
    waiting.sort(key=lambda g: (-g.weight, g.deadline or dt.date.max))
    residual = Problem(p.slots, p.modules, p.rooms, p.trainers, tuple(waiting), teams, tuple(fixed))
    plan = greedy(residual)
    if _check(residual, plan):
        return 0
    added = 0
    new_sessions = []
    for ps in plan.sessions:
        added += sum(ps.seats.values())
        if ps.fixed_id is not None:
            target = state.sessions[ps.fixed_id]
            for gid, n in ps.seats.items():
                target.seats[gid] = target.seats.get(gid, 0) + n
            module = ix.modules[target.module_id]
            span = ix.span(target.slot_index, module.slots) or (target.slot_index,)
            _seat(ix, state, target, span, ps.seats)
        else:
            new_sessions.append(ps)
    _commit(ix, state, new_sessions)
    return added


def _improve(
    ix: Index, state: _State, keep: dict[tuple[int, int, int, int, int], int], until: float
) -> tuple[int, float]:
    """Large-neighbourhood search on the finished plan: take out the sessions of two
    consecutive weeks and solve those weeks again, the rest of the plan fixed, starting
    from what they had (so never worse) and now knowing exactly who is still waiting
    and who is served elsewhere. Windows come in order of the weighted demand still
    waiting that could sit in them on time (ranked again every few steps); a change is
    kept only when it serves more. On large problems (a pair too big for one MIP) the
    windows are single weeks, and a window keeps to the groups seated in it and the
    heaviest, most urgent of those waiting. Returns (windows solved, demand gained)."""
    steps, gained = 0, 0.0
    length = IMPROVE_WEEKS
    tried: set[tuple[tuple[int, int], ...]] = set()
    ranked: list[list[tuple[int, int]]] = []
    while time.monotonic() < until - 0.5:
        if steps % IMPROVE_RERANK == 0 or not ranked:
            waiting: dict[tuple[int, int], float] = defaultdict(float)
            for gid, n in state.remaining.items():
                if n > 0:
                    g = ix.groups[gid]
                    module = ix.modules.get(g.module_id)
                    if module is not None:
                        for week in ix.starts(g, module.slots):
                            waiting[week] += g.weight * n
            windows = [ix.weeks[i : i + length] for i in range(max(1, len(ix.weeks) - length + 1))]
            ranked = sorted(
                (w for w in windows if tuple(w) not in tried and sum(waiting[k] for k in w) > 0),
                key=lambda w: -sum(waiting[k] for k in w),
            )
            if not ranked:
                break
        weeks = ranked.pop(0)
        tried.add(tuple(weeks))
        in_weeks = set(weeks)
        before = [
            ps
            for ps in state.sessions
            if ps.slot_index in ix.pos and ix.slot(ps.slot_index).week in in_weeks
        ]
        served_before = _served(ix, before)
        _commit(ix, state, before, -1)
        seated = {gid for ps in before for gid in ps.seats}
        candidates = sorted(
            (
                gid
                for gid, n in state.remaining.items()
                if n > 0
                and gid not in seated
                and any(w in in_weeks for w in ix.starts(ix.groups[gid], _length(ix, gid)))
            ),
            key=lambda gid: (-ix.groups[gid].weight, ix.groups[gid].deadline or dt.date.max),
        )
        focus = (seated | set(candidates[:IMPROVE_WAITING]), None)
        seconds = min(IMPROVE_STEP, until - time.monotonic())
        after = _window_mip(ix, state, weeks, seconds, None, keep, focus, hint=before)
        steps += 1
        if after is not None and _served(ix, after) > served_before + 1e-9:
            gained += _served(ix, after) - served_before
            _commit(ix, state, after)
        else:
            _commit(ix, state, before)
            if after is None and length > 1:  # too big: single weeks from now on
                length, ranked = 1, []
    return steps, gained


def _length(ix: Index, gid: int) -> int:
    module = ix.modules.get(ix.groups[gid].module_id)
    return module.slots if module else 1


def optimize(
    problem: Problem,
    *,
    time_limit: float = 120,
    progress: Progress = None,
    warm_start: Plan | None = None,
) -> Plan:
    """The best plan found within `time_limit` seconds (see the module docstring); never a
    plan that breaks a rule, never worse than greedy's."""
    started = time.monotonic()
    deadline = started + max(0.5, time_limit)

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(min(1.0, max(0.0, fraction)), message)

    def left() -> float:
        return deadline - time.monotonic()

    report(0.0, "Préparation")
    ix = Index.build(problem)
    notes: list[str] = []

    greedy_started = time.monotonic()
    greedy_plan = _greedy(problem)
    # What the end needs (greedy fill, check, reasons) scales like greedy itself.
    reserve = 0.5 + 1.5 * (time.monotonic() - greedy_started)
    capacity = _capacity_bound(problem)
    report(0.05, "Plan glouton de référence prêt")

    weekly = _Weekly(ix)
    lp_started = time.monotonic()
    if len(ix.weeks) > 0:
        weekly.solve(max(0.2, 0.25 * left()))
    # Solving it again on what is left only pays when it is cheap: every RESOLVE_EVERY
    # windows on a shrinking horizon costs about half as many first solves, kept under
    # a third of the time limit (at 60,000 agents, or over five years, one solve takes
    # minutes: the first one steers every window instead).
    lp_seconds = time.monotonic() - lp_started
    n_windows = max(1, len(ix.weeks) // WINDOW_WEEKS)
    resolve = lp_seconds * n_windows / RESOLVE_EVERY / 2 < time_limit / 3
    lp = weekly.bound
    if lp is None:
        notes.append("Borne hebdomadaire non calculée dans le temps imparti.")
    report(0.25, "Borne calculée")

    state = _State(ix)
    windows = _windows(ix, state.remaining) if ix.weeks else []
    single = len(windows) <= 1
    keep: dict[tuple[int, int, int, int, int], int] = defaultdict(int)
    if warm_start is not None:
        for ps in warm_start.sessions:
            for gid, seats in ps.seats.items():
                keep[(ps.module_id, ps.slot_index, ps.room_id, ps.trainer_id, gid)] += seats
    fallbacks = 0
    for k, weeks in enumerate(windows):
        if (
            resolve
            and k % RESOLVE_EVERY == 0
            and k
            and lp is not None
            and left() > 0.3 * (deadline - started)
        ):
            weekly.solve(0.1 * left(), state.remaining, weeks[0])
        # Windows share the time but leave IMPROVE_SHARE of it to the improvement pass.
        share = max(0.05, (left() - reserve - IMPROVE_SHARE * time_limit) / (len(windows) - k))
        guide = focus = None
        if not single and weekly.bound is not None:
            guide = defaultdict(float)
            for week in weeks:
                for gid, a in weekly.by_week.get(week, {}).items():
                    guide[gid] += a
            # Only the groups and places the relaxation uses in this window or the next
            # weeks: a few hundred seat variables instead of tens of thousands.
            at = ix.weeks.index(weeks[0])
            ahead = ix.weeks[at : at + len(weeks) + LOOKAHEAD]
            groups = {g for w in ahead for g in weekly.by_week.get(w, {}) if state.remaining[g] > 0}
            pairs = (
                {ms for w in ahead for ms in weekly.ms_by_week.get(w, ())} if FOCUS_PAIRS else None
            )
            focus = (groups, pairs)
        if left() > reserve + 0.5:
            sessions = _window_mip(ix, state, weeks, share, guide, keep, focus, polish=single)
            if sessions is None:
                sessions = _greedy_window(ix, state, weeks)
                fallbacks += 1
        else:  # out of time: the window's fixed sessions only, greedy fills it below
            in_window = {s.index for w in weeks for s in ix.week_slots[w]}
            sessions = [
                PlannedSession(
                    f.module_id,
                    f.slot_index,
                    f.room_id,
                    f.trainer_id,
                    max(0, f.seats_free),
                    f.id,
                    {},
                )
                for f in problem.fixed
                if f.slot_index in in_window
            ]
            fallbacks += 1
        _commit(ix, state, sessions)
        report(0.25 + 0.7 * (k + 1) / len(windows), f"Semaines planifiées : {k + 1}/{len(windows)}")

    added = _residual_greedy(ix, state)
    if not single and left() > reserve + 1.0:
        report(0.9, "Amélioration du plan")
        steps, gained = _improve(ix, state, keep, deadline - reserve)
        if steps:
            notes.append(
                f"Amélioration : {steps} fenêtre(s) de semaines revue(s), +{gained:.1f} servis."
            )
        added += _residual_greedy(ix, state)
    if added:
        notes.append(f"{added} place(s) ajoutée(s) ensuite par la méthode gloutonne.")
    plan = Plan(
        sessions=state.sessions,
        unplaced={},
        served=_served(ix, state.sessions),
        method="optimizer",
        notes=notes,
    )
    # Fixed sessions the windows did not see (slot outside the horizon) stay as they are.
    seen = {ps.fixed_id for ps in plan.sessions if ps.fixed_id is not None}
    for f in problem.fixed:
        if f.id not in seen:
            plan.sessions.append(
                PlannedSession(
                    f.module_id,
                    f.slot_index,
                    f.room_id,
                    f.trainer_id,
                    max(0, f.seats_free),
                    f.id,
                    {},
                )
            )
    if fallbacks:
        plan.method = "optimizer (greedy fallback)"
        notes.append(f"{fallbacks} fenêtre(s) planifiée(s) par la méthode gloutonne.")
    if len(windows) > 1:
        notes.append(f"Résolu en {len(windows)} fenêtres de semaines.")

    errors = _check(problem, plan)
    if errors:
        notes.append("Plan optimisé rejeté par la vérification ; plan glouton retenu.")
        plan = None
    best = plan
    if greedy_plan is not None and (best is None or greedy_plan.served > best.served + 1e-9):
        best = greedy_plan
        best.notes = list(best.notes) + notes + ["Le plan glouton sert mieux : il est retenu."]
        best.method = "greedy (optimizer fallback)"
    if best is None:  # neither: the empty plan keeping fixed sessions is always valid
        best = Plan(
            sessions=[
                PlannedSession(
                    f.module_id,
                    f.slot_index,
                    f.room_id,
                    f.trainer_id,
                    max(0, f.seats_free),
                    f.id,
                    {},
                )
                for f in problem.fixed
            ],
            unplaced={},
            served=0.0,
            method="empty",
            notes=notes,
        )
    best.unplaced = unplaced_reasons(problem, best, ix)
    bounds = [b for b in (lp, capacity) if b is not None]
    if bounds:
        best.bound = min(bounds)
    best.seconds = time.monotonic() - started
    report(1.0, "Terminé")
    return best


# --- Baseline helpers, imported lazily (written alongside) -----------------------------------


def _greedy(problem: Problem) -> Plan | None:
    try:
        from .greedy import greedy
    except ImportError:
        return None
    plan = greedy(problem)
    if _check(problem, plan):
        return None
    return plan


def _greedy_window(ix: Index, state: _State, weeks: list[tuple[int, int]]) -> list[PlannedSession]:
    """Greedy on one window; fixed sessions of the window kept even without greedy."""
    sub = _sub_problem(ix, state, weeks)
    try:
        from .greedy import greedy
    except ImportError:
        greedy = None
    if greedy is not None:
        plan = greedy(sub)
        # Team limits left from earlier windows do not apply: windows share no slot.
        if not _check(sub, plan):
            return plan.sessions
    return [
        PlannedSession(
            f.module_id, f.slot_index, f.room_id, f.trainer_id, max(0, f.seats_free), f.id, {}
        )
        for f in sub.fixed
    ]


def _check(problem: Problem, plan: Plan) -> list[str]:
    try:
        from .check import check
    except ImportError:
        return []
    return check(problem, plan)


def _capacity_bound(problem: Problem) -> float | None:
    try:
        from .bound import capacity_bound
    except ImportError:
        return None
    return capacity_bound(problem)
