"""Simulation benchmark of the adaptive diagnostic: `python bench/diagnostic_sim.py`.

Simulates agents whose true levels on the 16 CRCN competences are drawn from a
multivariate normal (mean 2.5 levels, SD 1.2, inter-competence correlation 0.6) and
tests them, in the same process and on the same answers, with four methods:
  (a) fixed form: for each length, the best spread of bank items over levels (items at
      the quantiles of the population, per competence), scored per competence (EAP);
  (b) one independent adaptive test per competence (EAP on a grid, maximum information,
      competences in turn);
  (c) a Pix-like test, written from Pix's public description of its "smart random":
      Rasch model, items grouped in tubes of increasing difficulty, a success validates
      the easier skills of its tube and a failure invalidates the harder ones; the next
      item is drawn among the most informative at the current level estimate; the
      result counts validated skills (8 pix per level);
  (d) Tremplin's engine (tremplin/diagnostic/engine.py, through its Session API).
Every method sees the same true item parameters (the bank's, perturbed to model
miscalibration: a x exp(N(0, 0.25)), b + N(0, 0.35)) and the same random draw per
(agent, item), so an agent answers an item the same way whichever method asks it.
All methods believe the bank's parameters; exposure control is top-3 randomesque for
(b), (c) and (d).

Level scale: one level = one unit. "rmse" compares the method's continuous estimate
(clipped to 0..8) with the true theta (clipped to 0..8); "lvl_rmse" compares integer
levels; "exact" and "±1" are the shares of exact and within-one-level levels. All are
averaged over the 16 competences. The bank is the real one when
`tremplin.diagnostic.bank.all_items()` returns items, else a synthetic bank of the same
shape (16 competences x levels 1-5 x 3 items; tube = the item's number in its level);
`--bank synthetic` forces the synthetic one.

Last line: `fixed_q=A percomp_q=B pixlike_q=C tremplin_q=D next_p95_ms=E max_exposure=F`,
where *_q is the number of questions after which the rmse averaged over the competences
is <= 0.6 (inf if never within the bank), next_p95_ms is Tremplin's next_item() p95 and
max_exposure is the share of agents who saw Tremplin's most used item by tremplin_q.
"""

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The matrices here are small: BLAS threads only fight each other (and any other job) for
# the 2 cores, which makes timings erratic. Must be set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tremplin.diagnostic import engine  # noqa: E402

LENGTHS = (16, 32, 48, 64, 96)
FIRST_PHASE = 100  # adaptive runs go further only when the target is not met by then
STOP_RULE_AGENTS = 500  # the stop-rule run needs fewer agents than the curves
ROUND_TRIP_AGENTS = 100
GRID = np.linspace(-4.0, 9.0, 131)


@dataclass
class Bank:
    ids: list[str]
    competence: np.ndarray  # 0..15
    level: np.ndarray  # intended level
    tube: np.ndarray  # Pix-like tube: the item's number within its (competence, level)
    a: np.ndarray  # believed (bank) parameters
    b: np.ndarray
    source: str

    @property
    def size(self) -> int:
        return len(self.ids)


def load_bank(choice: str) -> Bank:
    rows = []
    source = "synthetic (16 competences x levels 1-5 x 3 items)"
    try:
        if choice == "synthetic":
            raise LookupError("synthetic bank asked for")
        from tremplin.diagnostic.bank import all_items

        real = all_items()
        if real and {item.competence for item in real} == set(engine.COMPETENCES):
            rows = [
                (item.code, engine.competence_index(item.competence), item.level, item.code)
                for item in real
            ]
            source = f"real bank shape ({len(rows)} items)"
    except LookupError:
        rows = []
    except Exception as error:  # the bank is optional here: any failure means synthetic
        print(f"(real bank not usable: {error!r}; synthetic bank used)")
        rows = []
    if not rows:
        rows = [
            (f"{code}-{level}-{n}", k, level, f"{code}-{level}-{n}")
            for k, code in enumerate(engine.COMPETENCES)
            for level in range(1, 6)
            for n in range(1, 4)
        ]
    tube = np.array([int(code.rsplit("-", 1)[1]) for *_, code in rows])
    level = np.array([r[2] for r in rows])
    params = np.array([engine.initial_parameters(int(lv)) for lv in level])
    return Bank(
        ids=[r[0] for r in rows],
        competence=np.array([r[1] for r in rows]),
        level=level,
        tube=tube,
        a=params[:, 0],
        b=params[:, 1],
        source=source,
    )


def grid_tables(bank: Bank, a=None):
    """log P(right) and log P(wrong) of each item at each grid point (believed params)."""
    a = bank.a if a is None else a
    logits = a[:, None] * (GRID[None, :] - bank.b[:, None])
    return -np.logaddexp(0, -logits), -np.logaddexp(0, logits)


def log_prior_grid() -> np.ndarray:
    return -0.5 * ((GRID - 2.5) / 1.2) ** 2


def eap(log_post: np.ndarray) -> np.ndarray:
    w = np.exp(log_post - log_post.max(axis=-1, keepdims=True))
    return (w @ GRID) / w.sum(axis=-1)


def top_k_pick(rng, candidates: np.ndarray, scores: np.ndarray, k: int) -> int:
    shuffled = rng.permutation(candidates.size)
    ranked = shuffled[np.argsort(-scores[shuffled], kind="stable")]
    return int(candidates[ranked[rng.integers(min(k, ranked.size))]])


# --- (a) fixed forms ---------------------------------------------------------------------


def spread_form(bank: Bank, k: int, m: int) -> list[int]:
    """m items of competence k whose difficulties best match the population's quantiles."""
    from scipy.stats import norm

    pool = list(np.flatnonzero(bank.competence == k))
    chosen = []
    for q in norm.ppf((np.arange(m) + 0.5) / m) * 1.2 + 2.5:
        best = min(pool, key=lambda i: (abs(bank.b[i] - q), i))
        pool.remove(best)
        chosen.append(best)
    return chosen


def per_competence_count(n: int, k: int) -> int:
    return n // 16 + (1 if k < n % 16 else 0)


def run_fixed(bank: Bank, correct: np.ndarray, length: int, theta: np.ndarray, target: float):
    """Estimates after every form length 0..length, and the joint-prior variant."""
    lp, lq = grid_tables(bank)
    agents = correct.shape[0]
    per_k = np.bincount(bank.competence, minlength=16)
    forms = {(k, m): spread_form(bank, k, m) for k in range(16) for m in range(per_k[k] + 1)}
    eaps = {}
    for (k, m), items in forms.items():
        r = correct[:, items].astype(float)
        eaps[k, m] = eap(r @ lp[items] + (1 - r) @ lq[items] + log_prior_grid())
    est = np.empty((agents, length + 1, 16), dtype=np.float32)
    for n in range(length + 1):
        for k in range(16):
            est[:, n, k] = eaps[k, min(per_competence_count(n, k), per_k[k])]

    # Same forms, scored with the engine's joint prior (ADF), to split the gain of the
    # engine between adaptivity and the correlated prior. Lengths 16, 32, ... only, up to
    # the curve's last length and then until the target is met.
    joint = {}
    mu0, cov0 = engine.prior()
    for m in range(1, per_k.min() + 1):
        last = joint.get(16 * (m - 1))
        if 16 * m > max(LENGTHS) and last is not None and measures(last, theta)["rmse"] <= target:
            break
        mu = np.tile(mu0, (agents, 1))
        cov = np.tile(cov0, (agents, 1, 1))
        for j in range(m):
            for k in range(16):
                i = forms[k, m][j]
                mu, cov = engine.posterior_update(
                    mu, cov, np.full(agents, k), bank.a[i], bank.b[i], correct[:, i]
                )
        joint[16 * m] = mu
    return est, joint


# --- (b), (c), (d) adaptive methods, one agent at a time -----------------------------------


class PerCompetenceCAT:
    """Sixteen independent CATs, asked in turn (EAP on a grid, maximum Fisher information)."""

    name = "(b) per-competence CAT"

    def __init__(self, bank: Bank, top_k: int, seed: int):
        self.bank, self.top_k, self.seed = bank, top_k, seed
        self.lp, self.lq = grid_tables(bank)
        self.by_comp = [np.flatnonzero(bank.competence == k) for k in range(16)]

    def start(self, agent: int):
        return {
            "log_post": np.tile(log_prior_grid(), (16, 1)),
            "est": np.full(16, 2.5),
            "left": [list(items) for items in self.by_comp],
            "turn": 0,
            "rng": np.random.default_rng((self.seed, agent, 2)),
        }

    def next(self, st) -> int | None:
        for _ in range(16):
            k = st["turn"] % 16
            st["turn"] += 1
            if st["left"][k]:
                cand = np.array(st["left"][k])
                a, b = self.bank.a[cand], self.bank.b[cand]
                p = 1 / (1 + np.exp(-a * (st["est"][k] - b)))
                return top_k_pick(st["rng"], cand, a * a * p * (1 - p), self.top_k)
        return None

    def answer(self, st, item: int, right: bool) -> None:
        k = self.bank.competence[item]
        st["left"][k].remove(item)
        st["log_post"][k] += self.lp[item] if right else self.lq[item]
        st["est"][k] = eap(st["log_post"][k])

    def estimate(self, st):
        return st["est"]


class PixLike:
    """Rasch model with skill inference inside tubes, after Pix's public "smart random"."""

    name = "(c) Pix-like"

    def __init__(self, bank: Bank, top_k: int, seed: int):
        self.bank, self.top_k, self.seed = bank, top_k, seed
        self.rasch_a = np.full(bank.size, engine.DEFAULT_DISCRIMINATION)  # common slope
        self.lp, self.lq = grid_tables(bank, self.rasch_a)
        self.by_comp = [np.flatnonzero(bank.competence == k) for k in range(16)]
        self.tubes = {}
        for i in range(bank.size):
            self.tubes.setdefault((bank.competence[i], bank.tube[i]), []).append(i)
        self.tubes = {key: np.array(v) for key, v in self.tubes.items()}
        # Pix value of a validated skill: 8 pix shared among the skills of its level.
        cells = np.zeros((16, 9))
        np.add.at(cells, (bank.competence, bank.level), 1)
        self.pix_value = 1.0 / cells[bank.competence, bank.level]  # in levels

    def start(self, agent: int):
        return {
            "status": np.zeros(self.bank.size, dtype=np.int8),  # 1 validated, -1 invalidated
            "log_post": np.tile(log_prior_grid(), (16, 1)),
            "rasch": np.full(16, 2.5),
            "pix": np.zeros(16),
            "turn": 0,
            "rng": np.random.default_rng((self.seed, agent, 3)),
        }

    def next(self, st) -> int | None:
        for _ in range(16):
            k = st["turn"] % 16
            st["turn"] += 1
            cand = self.by_comp[k][st["status"][self.by_comp[k]] == 0]
            if cand.size:
                p = 1 / (1 + np.exp(-self.rasch_a[cand] * (st["rasch"][k] - self.bank.b[cand])))
                return top_k_pick(st["rng"], cand, p * (1 - p), self.top_k)
        return None

    def answer(self, st, item: int, right: bool) -> None:
        bank, k = self.bank, self.bank.competence[item]
        st["log_post"][k] += self.lp[item] if right else self.lq[item]
        st["rasch"][k] = eap(st["log_post"][k])
        tube = self.tubes[k, bank.tube[item]]
        if right:
            inferred = tube[(bank.level[tube] <= bank.level[item]) & (st["status"][tube] == 0)]
            st["status"][inferred] = 1
            st["pix"][k] += self.pix_value[inferred].sum()
        else:
            inferred = tube[(bank.level[tube] >= bank.level[item]) & (st["status"][tube] == 0)]
            st["status"][inferred] = -1

    def estimate(self, st):
        return st["pix"]

    def rasch_estimate(self, st):
        return st["rasch"]


class Tremplin:
    name = "(d) Tremplin"

    def __init__(self, bank: Bank, top_k: int, seed: int, precision: float = 0.0, max_items=None):
        self.items = [
            engine.Item(bank.ids[i], int(bank.competence[i]), float(bank.a[i]), float(bank.b[i]))
            for i in range(bank.size)
        ]
        self.index = {item.id: i for i, item in enumerate(self.items)}
        self.config = engine.Config(
            precision=precision, max_items=max_items or bank.size, top_k=top_k
        )
        self.seed = seed

    def start(self, agent: int):
        return engine.Session(self.items, self.config, seed=self.seed * 1_000_003 + agent)

    def next(self, session) -> int | None:
        item = session.next_item()
        return None if item is None else self.index[item.id]

    def answer(self, session, item: int, right: bool) -> None:
        session.answer(self.items[item].id, right)

    def estimate(self, session):
        return session.mu


def run_adaptive(method, correct, states, est, seq, times, n_from, n_to, extra=None):
    """Advance every agent from n_from to n_to answers, recording estimates after each."""
    for agent, st in enumerate(states):
        row = correct[agent]
        for n in range(n_from, n_to):
            started = time.perf_counter()
            item = method.next(st)
            times.append(time.perf_counter() - started)
            if item is None:
                est[agent, n + 1 : n_to + 1] = est[agent, n]
                if extra is not None:
                    extra[agent, n + 1 : n_to + 1] = extra[agent, n]
                times.pop()
                break
            method.answer(st, item, bool(row[item]))
            seq[agent, n] = item
            est[agent, n + 1] = method.estimate(st)
            if extra is not None:
                extra[agent, n + 1] = method.rasch_estimate(st)


# --- measures ------------------------------------------------------------------------------


def measures(est: np.ndarray, theta: np.ndarray) -> dict[str, float]:
    """est, theta: (agents, 16) on the level scale."""
    e, t = np.clip(est, 0, 8), np.clip(theta, 0, 8)
    le, lt = engine.level_of(est), engine.level_of(theta)
    return {
        "rmse": float(np.sqrt(((e - t) ** 2).mean(axis=0)).mean()),
        "lvl_rmse": float(np.sqrt(((le - lt) ** 2).mean(axis=0)).mean()),
        "exact": float((le == lt).mean()),
        "within1": float((np.abs(le - lt) <= 1).mean()),
    }


def rmse_curve(est: np.ndarray, theta: np.ndarray) -> np.ndarray:
    t = np.clip(theta, 0, 8)[:, None, :]
    return np.sqrt(((np.clip(est, 0, 8) - t) ** 2).mean(axis=0)).mean(axis=1)


def questions_needed(curve: np.ndarray, target: float) -> float:
    hits = np.flatnonzero(curve <= target)
    return float(hits[0]) if hits.size else math.inf


def max_exposure(seq: np.ndarray, n: float, size: int) -> float:
    if not math.isfinite(n):
        n = seq.shape[1]
    asked = seq[:, : int(n)]
    counts = np.bincount(asked[asked >= 0], minlength=size)
    return float(counts.max() / seq.shape[0])


def fmt_q(q: float) -> str:
    return "inf" if not math.isfinite(q) else str(int(q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top-k", type=int, default=3)
    parser.add_argument("--target-rmse", type=float, default=0.6)
    parser.add_argument("--a-noise", type=float, default=0.25, help="SD of log a miscalibration")
    parser.add_argument("--b-noise", type=float, default=0.35, help="SD of b miscalibration")
    parser.add_argument("--true-corr", type=float, default=0.6, help="population correlation")
    parser.add_argument(
        "--bank",
        choices=("auto", "synthetic"),
        default="auto",
        help="auto: the real bank's shape when it can be imported, else synthetic",
    )
    parser.add_argument("--precision", type=float, default=0.5, help="stop rule (posterior SD)")
    args = parser.parse_args()
    wall = time.perf_counter()

    bank = load_bank(args.bank)
    rng = np.random.default_rng(args.seed)
    a_true = bank.a * np.exp(rng.normal(0, args.a_noise, bank.size))
    b_true = bank.b + rng.normal(0, args.b_noise, bank.size)
    mean, cov = engine.prior(2.5, 1.2, args.true_corr)
    theta = rng.multivariate_normal(mean, cov, size=args.agents)
    p_true = engine.probability_correct(theta[:, bank.competence], a_true, b_true)
    correct = rng.random((args.agents, bank.size)) < p_true  # one draw per (agent, item)
    full = bank.size
    print(f"bank: {bank.source}; agents: {args.agents}; seed {args.seed}")
    print(
        f"miscalibration: log a ~ N(0, {args.a_noise}), b ~ N(0, {args.b_noise}); "
        f"population: mean 2.5, SD 1.2, correlation {args.true_corr}"
    )

    results = {}  # name -> (est, seq or None, times)
    started = time.perf_counter()
    fixed_est, joint = run_fixed(bank, correct, full, theta, args.target_rmse)
    fixed_seq = None
    print(f"(a) fixed forms scored in {time.perf_counter() - started:.1f} s")
    results["(a) fixed form"] = (fixed_est, fixed_seq, [])

    pix_rasch = None
    for method in (
        PerCompetenceCAT(bank, args.top_k, args.seed),
        PixLike(bank, args.top_k, args.seed),
        Tremplin(bank, args.top_k, args.seed),
    ):
        started = time.perf_counter()
        states = [method.start(agent) for agent in range(args.agents)]
        est = np.empty((args.agents, full + 1, 16), dtype=np.float32)
        est[:, 0] = [method.estimate(st) for st in states]
        seq = np.full((args.agents, full), -1, dtype=np.int32)
        extra = None
        if isinstance(method, PixLike):
            extra = np.empty_like(est)
            extra[:, 0] = 2.5
        times: list[float] = []
        first = min(FIRST_PHASE, full)
        run_adaptive(method, correct, states, est, seq, times, 0, first, extra)
        reached = questions_needed(rmse_curve(est[:, : first + 1], theta), args.target_rmse)
        pix_reached = (
            extra is None
            or questions_needed(rmse_curve(extra[:, : first + 1], theta), args.target_rmse)
            < math.inf
        )
        if first < full and (not math.isfinite(reached) or not pix_reached):
            run_adaptive(method, correct, states, est, seq, times, first, full, extra)
        else:
            est[:, first + 1 :] = est[:, first : first + 1]
            if extra is not None:
                extra[:, first + 1 :] = extra[:, first : first + 1]
        print(f"{method.name} simulated in {time.perf_counter() - started:.1f} s")
        results[method.name] = (est, seq, times)
        if extra is not None:
            pix_rasch = extra

    # The stop rule as a campaign would use it: all 16 competences, SD <= precision.
    started = time.perf_counter()
    stopper = Tremplin(bank, args.top_k, args.seed, precision=args.precision)
    stop_agents = min(args.agents, STOP_RULE_AGENTS)
    stop_est = np.empty((stop_agents, 16))
    stop_sd = np.empty((stop_agents, 16))
    stop_len = np.empty(stop_agents, dtype=int)
    round_trip = []
    for agent in range(stop_agents):
        session = stopper.start(agent)
        while (item := stopper.next(session)) is not None:
            if agent < ROUND_TRIP_AGENTS:  # a web request: restore, answer, choose, store
                began = time.perf_counter()
                state = json.dumps(session.to_dict())
                session = engine.Session.from_dict(json.loads(state), stopper.items)
                stopper.answer(session, item, bool(correct[agent, item]))
                session.next_item()
                json.dumps(session.to_dict())
                round_trip.append(time.perf_counter() - began)
            else:
                stopper.answer(session, item, bool(correct[agent, item]))
        stop_est[agent] = session.mu
        stop_sd[agent] = np.sqrt(np.diag(session.cov))
        stop_len[agent] = session.n_answered
    print(f"(d) Tremplin with its stop rule simulated in {time.perf_counter() - started:.1f} s")

    # --- report ---------------------------------------------------------------------------
    print()
    print(f"Curves (level scale, averaged over the 16 competences; {args.agents} agents)")
    header = f"{'method':<34}{'n':>5}{'rmse':>7}{'lvl_rmse':>9}{'exact':>7}{'±1':>7}"
    print(header)
    rows = dict(results)
    rows["(c') Pix-like, Rasch EAP scoring"] = (pix_rasch, results["(c) Pix-like"][1], [])
    for name, (est, _, _) in rows.items():
        for n in LENGTHS:
            m = measures(est[:, min(n, full)], theta)
            print(
                f"{name:<34}{n:>5}{m['rmse']:>7.3f}{m['lvl_rmse']:>9.3f}"
                f"{m['exact']:>7.1%}{m['within1']:>7.1%}"
            )
    for n, mu in joint.items():
        if n in LENGTHS:
            m = measures(mu, theta)
            print(
                f"{'(a′) fixed form, joint prior':<34}{n:>5}{m['rmse']:>7.3f}"
                f"{m['lvl_rmse']:>9.3f}{m['exact']:>7.1%}{m['within1']:>7.1%}"
            )

    print()
    print(f"Questions to reach rmse <= {args.target_rmse}, exposure, next-question time")
    print(
        f"{'method':<34}{'questions':>10}{'rmse@q':>8}{'max exp@32':>11}{'max exp@q':>10}"
        f"{'p50 ms':>8}{'p95 ms':>8}"
    )
    needed = {}
    for name, (est, seq, times) in rows.items():
        curve = rmse_curve(est, theta)
        q = questions_needed(curve, args.target_rmse)
        needed[name] = q
        if seq is None:  # everyone answers the same form
            exp32 = exp_q = 1.0
        else:
            exp32, exp_q = max_exposure(seq, 32, full), max_exposure(seq, q, full)
        at_q = curve[int(q)] if math.isfinite(q) else curve[-1]
        if times:
            t = np.array(times) * 1000
            timing = f"{np.percentile(t, 50):>8.3f}{np.percentile(t, 95):>8.3f}"
        else:  # a fixed form, or a second scoring of the same run: nothing to choose
            timing = f"{'-':>8}{'-':>8}"
        print(f"{name:<34}{fmt_q(q):>10}{at_q:>8.3f}{exp32:>11.1%}{exp_q:>10.1%}{timing}")
    joint_q = next(
        (n for n, mu in joint.items() if measures(mu, theta)["rmse"] <= args.target_rmse),
        math.inf,
    )
    print(f"{'(a′) fixed form, joint prior':<34}{fmt_q(joint_q):>10}  (lengths 16, 32, … only)")

    m = measures(stop_est, theta[:stop_agents])
    rt = np.array(round_trip) * 1000
    print()
    print(
        f"Tremplin with its stop rule, {stop_agents} agents (16 targets, SD <= "
        f"{args.precision}, at most {full} items): length mean {stop_len.mean():.1f}, p5/p50/p95 "
        f"{np.percentile(stop_len, 5):.0f}/{np.percentile(stop_len, 50):.0f}/"
        f"{np.percentile(stop_len, 95):.0f}, max {stop_len.max()} ({(stop_len >= 160).mean():.1%} "
        f"of agents need 160 or more); rmse {m['rmse']:.3f} (posterior SD says "
        f"{np.sqrt((stop_sd**2).mean()):.3f}); exact {m['exact']:.1%}, ±1 {m['within1']:.1%}"
    )
    print(
        f"web round trip (restore JSON, answer, next item, store JSON), "
        f"{min(stop_agents, ROUND_TRIP_AGENTS)} agents: "
        f"p50 {np.percentile(rt, 50):.2f} ms, p95 {np.percentile(rt, 95):.2f} ms"
    )

    fixed_q = needed["(a) fixed form"]
    percomp_q = needed["(b) per-competence CAT"]
    pix_q = needed["(c) Pix-like"]
    tremplin_q = needed["(d) Tremplin"]
    tremplin_times = np.array(results["(d) Tremplin"][2]) * 1000
    next_p95 = float(np.percentile(tremplin_times, 95))
    exposure = max_exposure(results["(d) Tremplin"][1], tremplin_q, full)
    print()
    checks = [
        ("(d) <= half of (a)", tremplin_q <= fixed_q / 2),
        ("(d) < (b)", tremplin_q < percomp_q),
        ("(d) < (c)", tremplin_q < pix_q),
        ("next-question p95 < 20 ms", next_p95 < 20),
    ]
    for label, ok in checks:
        print(f"target {label}: {'met' if ok else 'NOT MET'}")
    print(f"total {time.perf_counter() - wall:.0f} s")
    print(
        f"fixed_q={fmt_q(fixed_q)} percomp_q={fmt_q(percomp_q)} pixlike_q={fmt_q(pix_q)} "
        f"tremplin_q={fmt_q(tremplin_q)} next_p95_ms={next_p95:.2f} max_exposure={exposure:.2f}"
    )


if __name__ == "__main__":
    main()
