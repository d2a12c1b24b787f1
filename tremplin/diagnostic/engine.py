"""The adaptive diagnostic engine: joint ability estimation over the 16 CRCN competences.

Pure NumPy/SciPy, no Django: the diagnostic app's adapter reads the bank and the attempts
from the database, hands plain data to this module and stores what `Session.to_dict()`
returns. Benchmarked by bench/diagnostic_sim.py, tested by tests/diagnostic/test_engine.py.

Scale. Ability `theta` is measured in CRCN levels: one unit is one level. An agent's level
on a competence is `floor(theta)` clipped to 0..8 (0 means "not yet level 1"), and the
pix-like count is `floor(8 * theta)` clipped to 0..64, so `level == pix // 8` exactly as
Pix defines it. The overall score is the sum of the 16 pix counts (0..1024). Competences
that a campaign does not target still get an estimate, borrowed from the others through
the correlated prior; `Result.sds` says how uncertain each one is.

Items (2PL). P(correct | theta) = 1 / (1 + exp(-a * (theta_k - b))) where k is the
item's competence. A new item written for level L starts at `initial_parameters(L)`:
b = L - 0.5 and a = 1.7 per level. Why:
- b = L - 0.5 makes the expected number of levels an agent masters equal to theta
  (sum over L of P(theta - L + 0.5) ~ theta), so "level = floor(theta)" agrees with
  Pix's "level = number of levels whose skills you have validated". An agent in the
  middle of level L (theta = L + 0.5) succeeds on level-L items 85 % of the time, on
  level L+1 items 50 %, on level L+2 items 15 %.
- a = 1.7 is the logistic that matches a unit normal ogive: one level of ability moves
  the odds of success by a factor e^1.7 ~ 5.5, a moderate, conservative slope for
  questions nobody has calibrated yet (written with a "je ne sais pas" choice, so that
  guessing stays low). Real values come from `calibrate`.
A "je ne sais pas" answer counts as a wrong answer: the agent has shown no mastery, and
the 2PL has no separate category for it. `Session.answer(item_id, None)` records it as
such (the history keeps the distinction for later analysis).

Estimation. The posterior over the 16-dimensional theta is kept Gaussian, N(mu, Sigma).
The prior has one general digital factor: every competence has mean `prior_mean`,
standard deviation `prior_sd` and pairwise correlation `prior_corr`, so an answer on one
competence also moves the others. After each answer the posterior is updated by assumed
density filtering: the logistic is approximated by a probit, Phi(lambda * a * (theta_k -
b)) with lambda^2 = pi / 8, whose product with a Gaussian has closed-form moments; the
update is a rank-one change of Sigma along its column k, O(d^2).

Selection. The next item is the one that most reduces the expected posterior variance,
summed over the targeted competences whose standard deviation is still above the
campaign's precision. For a Gaussian prior and a probit likelihood this expectation is
closed form, so all candidates are scored at once. Content rules: only items of targeted
competences, never the same item twice, every target gets at least `min_per_target`
items before the end. Exposure control is randomesque: the item is drawn at random among
the `top_k` best (ties broken at random), from a generator seeded by (seed, number of
answers), so a session is reproducible and can be stored and restored at any step. Give
each attempt its own random seed (e.g. `secrets.randbits(31)`, stored with the attempt) so
that colleagues tested the same day do not get the same sequence.

Stopping. When every targeted competence has a posterior SD <= precision (and coverage is
met), or after `max_items` answers, or when no eligible item is left.

Calibration. `calibrate` re-estimates a and b of items from a sparse persons x items
response matrix by marginal maximum likelihood (EM on a fixed quadrature per competence,
with the correlated prior linking competences, which adaptive data need: see there).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import log_ndtr, ndtr

COMPETENCES = (
    "1.1", "1.2", "1.3",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2", "3.3", "3.4",
    "4.1", "4.2", "4.3",
    "5.1", "5.2",
)  # fmt: skip
N_COMPETENCES = len(COMPETENCES)
MAX_LEVEL = 8
PIX_PER_LEVEL = 8
MAX_SCORE = N_COMPETENCES * MAX_LEVEL * PIX_PER_LEVEL  # 1024, as Pix

DEFAULT_DISCRIMINATION = 1.7
# Probit approximation of the logistic: sigmoid(x) ~ Phi(x * sqrt(pi / 8)) (same slope at 0).
PROBIT_SCALE = math.sqrt(math.pi / 8)
STATE_VERSION = 1


def competence_index(code: str) -> int:
    """Index 0..15 of a CRCN competence code such as "4.1"."""
    try:
        return COMPETENCES.index(code)
    except ValueError:
        raise ValueError(f"unknown CRCN competence {code!r}") from None


def initial_parameters(level: int) -> tuple[float, float]:
    """(a, b) of a new, uncalibrated item written for `level` (see the module docstring)."""
    if not 1 <= level <= MAX_LEVEL:
        raise ValueError(f"level must be 1..{MAX_LEVEL}, got {level}")
    return DEFAULT_DISCRIMINATION, level - 0.5


def probability_correct(theta, a, b):
    """2PL probability of a correct answer (broadcasts)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(a) * (np.asarray(theta) - np.asarray(b))))


def level_of(theta):
    """CRCN level 0..8 of an ability on the level scale (broadcasts)."""
    return np.clip(np.floor(theta), 0, MAX_LEVEL).astype(int)


def pix_of(theta):
    """Pix-like count 0..64 of an ability on the level scale (broadcasts)."""
    return np.clip(
        np.floor(PIX_PER_LEVEL * np.asarray(theta)), 0, MAX_LEVEL * PIX_PER_LEVEL
    ).astype(int)


def prior(mean=2.5, sd: float = 1.2, corr: float = 0.6, d: int = N_COMPETENCES):
    """Mean vector and covariance of the one-factor prior over d competences."""
    if sd <= 0 or not 0 <= corr < 1:
        raise ValueError("prior_sd must be > 0 and prior_corr in [0, 1)")
    mu = np.broadcast_to(np.asarray(mean, dtype=float), (d,)).copy()
    cov = sd * sd * (corr * np.ones((d, d)) + (1 - corr) * np.eye(d))
    return mu, cov


def posterior_update(mu, cov, competence, a, b, correct):
    """Assumed-density-filtering update of N(mu, cov) after one answer.

    Works on one posterior (mu: (d,), cov: (d, d), scalar item) or on a batch (mu: (n, d),
    cov: (n, d, d), competence/a/b/correct: (n,)). Returns new arrays.
    """
    mu = np.asarray(mu, dtype=float)
    cov = np.asarray(cov, dtype=float)
    single = mu.ndim == 1
    mu2 = mu[None] if single else mu
    cov3 = cov[None] if single else cov
    rows = np.arange(mu2.shape[0])
    # Index arrays and operands of size 1 broadcast against the batch.
    k = np.atleast_1d(np.asarray(competence, dtype=int))
    c = PROBIT_SCALE * np.atleast_1d(np.asarray(a, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    y = np.where(np.atleast_1d(correct), 1.0, -1.0)

    col = cov3[rows, :, k]  # (n, d): Sigma[:, k]
    s2 = cov3[rows, k, k]
    v = 1.0 + c * c * s2
    root = np.sqrt(v)
    z = y * c * (mu2[rows, k] - b) / root
    r = np.exp(-0.5 * z * z - 0.5 * math.log(2 * math.pi) - log_ndtr(z))  # phi(z) / Phi(z)
    gain = y * c * r / root  # mean shift per unit of Sigma[:, k]
    shrink = c * c * r * (z + r) / v  # variance removed along Sigma[:, k]
    new_mu = mu2 + gain[:, None] * col
    # shrink * (col_i * col_j) is exactly symmetric, so Sigma stays exactly symmetric.
    new_cov = cov3 - shrink[:, None, None] * (col[:, :, None] * col[:, None, :])
    if single:
        return new_mu[0], new_cov[0]
    return new_mu, new_cov


def expected_shrink(mean_k, var_k, a, b):
    """Factor g such that, averaged over the two possible answers, an item on competence k
    leaves E[Sigma'] = Sigma - g * Sigma[:, k] Sigma[k, :].

    Averaging the ADF shrink c^2 r (z + r) / v over the predictive probabilities of a right
    and a wrong answer gives g = c^2 phi(z)^2 / (v Phi(z) Phi(-z)), with c = lambda a,
    v = 1 + c^2 var_k, z = c (mean_k - b) / sqrt(v). Broadcasts over candidates.
    """
    c = PROBIT_SCALE * np.asarray(a, dtype=float)
    v = 1.0 + c * c * var_k
    z = c * (mean_k - b) / np.sqrt(v)
    log_ratio = -z * z - math.log(2 * math.pi) - log_ndtr(z) - log_ndtr(-z)
    return c * c * np.exp(log_ratio) / v


@dataclass(frozen=True)
class Item:
    """An item as the engine sees it: competence is an index 0..15 (see COMPETENCES)."""

    id: str
    competence: int
    a: float
    b: float


@dataclass(frozen=True)
class Config:
    """A campaign's rules. `targets` are competence indexes 0..15; `prior_mean` is a level
    (or 16 levels, e.g. from a previous Pix profile)."""

    targets: tuple[int, ...] = tuple(range(N_COMPETENCES))
    precision: float = 0.5
    max_items: int = 40
    min_per_target: int = 1
    top_k: int = 3
    prior_mean: float | tuple[float, ...] = 2.5
    prior_sd: float = 1.2
    prior_corr: float = 0.6

    def __post_init__(self):
        targets = tuple(int(t) for t in self.targets)
        if not targets or len(set(targets)) != len(targets):
            raise ValueError("targets must be a non-empty list of distinct competences")
        if any(not 0 <= t < N_COMPETENCES for t in targets):
            raise ValueError(f"targets must be competence indexes 0..{N_COMPETENCES - 1}")
        if self.precision < 0 or self.max_items < 1 or self.min_per_target < 0 or self.top_k < 1:
            raise ValueError("precision >= 0, max_items >= 1, min_per_target >= 0, top_k >= 1")
        object.__setattr__(self, "targets", targets)
        if np.ndim(self.prior_mean) == 0:
            object.__setattr__(self, "prior_mean", float(self.prior_mean))
        else:
            means = tuple(float(m) for m in self.prior_mean)
            if len(means) != N_COMPETENCES:
                raise ValueError(f"prior_mean needs {N_COMPETENCES} values")
            object.__setattr__(self, "prior_mean", means)

    def to_dict(self) -> dict:
        return {
            "targets": list(self.targets),
            "precision": self.precision,
            "max_items": self.max_items,
            "min_per_target": self.min_per_target,
            "top_k": self.top_k,
            "prior_mean": (
                list(self.prior_mean) if isinstance(self.prior_mean, tuple) else self.prior_mean
            ),
            "prior_sd": self.prior_sd,
            "prior_corr": self.prior_corr,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        return cls(**{**data, "targets": tuple(data["targets"])})


@dataclass(frozen=True)
class Result:
    """The profile after a session. Tuples are indexed by competence 0..15."""

    levels: tuple[int, ...]  # 0..8
    means: tuple[float, ...]  # posterior mean on the level scale
    sds: tuple[float, ...]  # posterior standard deviation, in levels
    level_probability: tuple[float, ...]  # posterior probability that the level is right
    pix: tuple[int, ...]  # 0..64 per competence
    score: int  # 0..1024, sum of pix
    targets: tuple[int, ...]
    n_items: int
    finished: bool
    precision_reached: bool  # every target's SD <= the campaign's precision


@dataclass(eq=False)
class Session:
    """One agent's adaptive diagnostic. Build with `Session(bank, config, seed)`, then loop
    `item = s.next_item()` / `s.answer(item.id, correct)` until `next_item()` is None."""

    bank: Sequence[Item] = field(repr=False)
    config: Config
    seed: int
    mu: np.ndarray = field(default=None, repr=False)
    cov: np.ndarray = field(default=None, repr=False)
    asked: list[str] = field(default_factory=list)
    answers: list[bool | None] = field(default_factory=list)  # None: "je ne sais pas"

    def __post_init__(self):
        if self.seed < 0:
            raise ValueError("seed must be a non-negative integer")
        ids = [item.id for item in self.bank]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        self._index = {item_id: i for i, item_id in enumerate(ids)}
        self._competence = np.array([item.competence for item in self.bank], dtype=int)
        if self._competence.size and (
            self._competence.min() < 0 or self._competence.max() >= N_COMPETENCES
        ):
            raise ValueError(f"item competences must be 0..{N_COMPETENCES - 1}")
        self._a = np.array([item.a for item in self.bank], dtype=float)
        self._b = np.array([item.b for item in self.bank], dtype=float)
        targets = np.array(self.config.targets)
        self._on_target = np.isin(self._competence, targets)
        self._targets = targets
        if self.mu is None:
            self.mu, self.cov = prior(
                self.config.prior_mean, self.config.prior_sd, self.config.prior_corr
            )
        else:
            self.mu = np.array(self.mu, dtype=float)
            self.cov = np.array(self.cov, dtype=float)
        self._asked_mask = np.zeros(len(ids), dtype=bool)
        self._counts = np.zeros(N_COMPETENCES, dtype=int)
        for item_id in self.asked:
            self._mark_asked(item_id)

    def _mark_asked(self, item_id: str) -> None:
        # An item retired from the bank since it was asked counts towards max_items only:
        # without it, its competence is unknown.
        i = self._index.get(item_id)
        if i is not None:
            self._asked_mask[i] = True
            self._counts[self._competence[i]] += 1

    # --- state ----------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain JSON-serialisable state; floats round-trip exactly through JSON."""
        return {
            "version": STATE_VERSION,
            "seed": self.seed,
            "config": self.config.to_dict(),
            "mu": self.mu.tolist(),
            "cov": self.cov.tolist(),
            "asked": list(self.asked),
            "answers": list(self.answers),
        }

    @classmethod
    def from_dict(cls, data: dict, bank: Sequence[Item]) -> Session:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported session state version {data.get('version')!r}")
        return cls(
            bank=bank,
            config=Config.from_dict(data["config"]),
            seed=data["seed"],
            mu=data["mu"],
            cov=data["cov"],
            asked=list(data["asked"]),
            answers=list(data["answers"]),
        )

    # --- progress -------------------------------------------------------------------
    @property
    def n_answered(self) -> int:
        return len(self.asked)

    def _uncovered(self) -> np.ndarray:
        """Targets that still need items to meet `min_per_target`."""
        return self._targets[self._counts[self._targets] < self.config.min_per_target]

    def _unresolved(self) -> np.ndarray:
        sds = np.sqrt(np.diag(self.cov)[self._targets])
        return self._targets[sds > self.config.precision]

    def _candidates(self) -> np.ndarray:
        eligible = self._on_target & ~self._asked_mask
        uncovered = self._uncovered()
        if uncovered.size:
            need = int(np.sum(self.config.min_per_target - self._counts[uncovered]))
            if need >= self.config.max_items - self.n_answered:
                # Not one question to spare: only uncovered competences may be asked.
                restricted = eligible & np.isin(self._competence, uncovered)
                if restricted.any():
                    eligible = restricted
        return np.flatnonzero(eligible)

    @property
    def finished(self) -> bool:
        if self.n_answered >= self.config.max_items:
            return True
        if not (self._on_target & ~self._asked_mask).any():
            return True
        covered = not self._uncovered().size
        return covered and not self._unresolved().size

    # --- the loop -------------------------------------------------------------------
    def next_item(self) -> Item | None:
        """The item to ask now, or None when the session is over. Calling it again before
        answering returns the same item."""
        if self.finished:
            return None
        candidates = self._candidates()
        if not candidates.size:
            return None
        unresolved = self._unresolved()
        weights = np.zeros(N_COMPETENCES)
        # Once every target is precise enough only coverage remains: weigh all targets.
        weights[unresolved if unresolved.size else self._targets] = 1.0
        # Expected drop of sum_t w_t Var(theta_t) for an item on k: g * sum_t w_t Sigma_tk^2.
        variances = np.diag(self.cov)
        spill = weights @ (self.cov * self.cov)
        k = self._competence[candidates]
        gain = expected_shrink(self.mu[k], variances[k], self._a[candidates], self._b[candidates])
        scores = gain * spill[k]

        rng = np.random.default_rng((self.seed, self.n_answered))
        shuffled = rng.permutation(candidates.size)
        ranked = shuffled[np.argsort(-scores[shuffled], kind="stable")]
        pick = ranked[rng.integers(min(self.config.top_k, ranked.size))]
        return self.bank[candidates[pick]]

    def answer(self, item_id: str, correct: bool | None) -> None:
        """Record an answer. `correct=None` is "je ne sais pas", counted as wrong."""
        i = self._index.get(item_id)
        if i is None:
            raise ValueError(f"unknown item {item_id!r}")
        if self._asked_mask[i]:
            raise ValueError(f"item {item_id!r} was already answered")
        self.mu, self.cov = posterior_update(
            self.mu, self.cov, self._competence[i], self._a[i], self._b[i], bool(correct)
        )
        self.asked.append(item_id)
        self.answers.append(None if correct is None else bool(correct))
        self._mark_asked(item_id)

    def result(self) -> Result:
        sds = np.sqrt(np.diag(self.cov))
        levels = level_of(self.mu)
        lower = np.where(levels == 0, -np.inf, levels)
        upper = np.where(levels == MAX_LEVEL, np.inf, levels + 1)
        probability = ndtr((upper - self.mu) / sds) - ndtr((lower - self.mu) / sds)
        pix = pix_of(self.mu)
        target_sds = sds[self._targets]
        return Result(
            levels=tuple(int(x) for x in levels),
            means=tuple(float(x) for x in self.mu),
            sds=tuple(float(x) for x in sds),
            level_probability=tuple(float(x) for x in probability),
            pix=tuple(int(x) for x in pix),
            score=int(pix.sum()),
            targets=self.config.targets,
            n_items=self.n_answered,
            finished=self.finished,
            precision_reached=bool(np.all(target_sds <= self.config.precision)),
        )


# --- calibration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """Output of `calibrate`; arrays are indexed like the items passed in."""

    a: np.ndarray
    b: np.ndarray
    n_responses: np.ndarray
    updated: np.ndarray  # bool: re-estimated (enough responses) or left unchanged
    iterations: int  # the largest EM iteration count over competences
    converged: bool


def calibrate(
    responses,
    competences,
    a,
    b,
    *,
    min_responses: int = 200,
    population_mean: float = 2.5,
    population_sd: float = 1.2,
    population_corr: float = 0.6,
    a_prior_sd: float = 0.5,
    b_prior_sd: float = 1.5,
    n_quadrature: int = 61,
    max_iter: int = 500,
    tol: float = 1e-4,
) -> Calibration:
    """Re-estimate the 2PL parameters of items by marginal maximum likelihood.

    `responses` is persons x items: 1 correct, 0 wrong ("je ne sais pas" included), NaN
    not presented. Abilities follow the engine's prior, N(population_mean,
    population_sd^2) per competence with correlation `population_corr`; each competence's
    ability is integrated on a fixed grid of `n_quadrature` points over +-5 SD. EM
    alternates posterior weights per person and competence (E) with Fisher-scoring steps
    per item (M).

    Why the correlation matters: an adaptive test chooses items on competence k from
    answers on the other competences too, so with competence k's answers alone the
    missing data are not ignorable and a and b come out badly biased (a halved in our
    simulations). The E-step for competence k therefore uses, as each person's prior for
    theta_k, the conditional given their answers on the other competences: each
    competence's evidence is summarised by a Gaussian site (exact moments on the grid),
    the sites are combined with the correlated prior, and the leave-k-out "cavity" is read
    off in closed form. With population_corr = 0 this is plain per-competence MML.

    The latent distribution anchors the level scale: it is the engine's prior, so a
    calibrated b stays "the level where an average agent's odds are even". Items with
    fewer than `min_responses` answers keep their a and b but still inform the persons'
    posteriors. Weak priors (log a ~ N(log a0, a_prior_sd^2), b ~ N(b0, b_prior_sd^2),
    centred on the current values; pass math.inf to switch them off) keep items with
    extreme response patterns finite.
    """
    x = np.asarray(responses, dtype=float)
    comp = np.asarray(competences, dtype=int)
    a0 = np.asarray(a, dtype=float).copy()
    b0 = np.asarray(b, dtype=float).copy()
    if x.ndim != 2 or x.shape[1] != comp.size or a0.size != comp.size or b0.size != comp.size:
        raise ValueError("responses must be persons x items, with one competence, a, b per item")
    seen = ~np.isnan(x)
    if np.any((x[seen] != 0) & (x[seen] != 1)):
        raise ValueError("responses must be 0, 1 or NaN")
    n_responses = seen.sum(axis=0)
    updated = n_responses >= min_responses
    log_a, new_b = np.log(a0), b0.copy()
    if not updated.any():
        return Calibration(a0, b0, n_responses, updated, iterations=0, converged=True)

    answered = n_responses > 0
    dims = np.unique(comp[answered])  # the competences that have data
    items_of = [np.flatnonzero((comp == k) & answered) for k in dims]
    right_of = [np.nan_to_num(x[:, items]) * seen[:, items] for items in items_of]
    wrong_of = [seen[:, items] - right for items, right in zip(items_of, right_of, strict=True)]
    has_data = np.stack([seen[:, items].any(axis=1) for items in items_of], axis=1)
    free = updated & answered

    nodes = np.linspace(-5, 5, n_quadrature)
    grid = population_mean + population_sd * nodes
    mu0, cov0 = prior(population_mean, population_sd, population_corr, dims.size)
    prec0 = np.linalg.inv(cov0)
    eta0 = prec0 @ mu0
    var0 = population_sd**2

    converged = False
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        # Log-likelihood of each person's answers on each competence, on the grid.
        loglik = np.empty((dims.size, x.shape[0], n_quadrature))
        for d, items in enumerate(items_of):
            logits = np.exp(log_a[items])[:, None] * (grid[None, :] - new_b[items][:, None])
            log_right, log_wrong = -np.logaddexp(0.0, -logits), -np.logaddexp(0.0, logits)
            loglik[d] = right_of[d] @ log_right + wrong_of[d] @ log_wrong
        # Gaussian site per (person, competence): posterior under the marginal prior,
        # divided by that prior, in natural parameters (precision lam, shift h).
        post = _normalised(loglik - 0.5 * nodes**2)
        mean = post @ grid
        var = np.maximum(post @ grid**2 - mean**2, 1e-12)
        lam = np.where(has_data.T, np.maximum(1 / var - 1 / var0, 0.0), 0.0).T  # persons x d
        h = np.where(has_data.T, mean / var - population_mean / var0, 0.0).T
        # Joint Gaussian posterior per person, then the leave-one-competence-out cavity.
        joint_cov = np.linalg.inv(prec0 + lam[:, :, None] * np.eye(dims.size))
        joint_mean = np.einsum("pij,pj->pi", joint_cov, eta0 + h)
        c_kk = np.diagonal(joint_cov, axis1=1, axis2=2)
        denom = 1 - lam * c_kk
        cavity_var = c_kk / denom
        cavity_mean = (joint_mean - c_kk * h) / denom

        largest_step = 0.0
        for d, items in enumerate(items_of):
            is_free = free[items]
            if not is_free.any():
                continue
            rows = has_data[:, d]
            log_prior = (
                -0.5 * (grid[None, :] - cavity_mean[rows, d, None]) ** 2 / cavity_var[rows, d, None]
            )
            weights = _normalised(loglik[d][rows] + log_prior)
            n_at = (right_of[d][rows] + wrong_of[d][rows]).T @ weights  # items x nodes
            r_at = right_of[d][rows].T @ weights
            start = (log_a[items], new_b[items])
            anchor = (np.log(a0[items]), b0[items])
            step_log_a, step_b = _fisher_step(
                *start, grid, n_at, r_at, *anchor, a_prior_sd, b_prior_sd
            )
            step_log_a[~is_free], step_b[~is_free] = 0.0, 0.0
            log_a[items] += step_log_a
            new_b[items] += step_b
            largest_step = max(largest_step, np.abs(step_log_a).max(), np.abs(step_b).max())
        if largest_step < tol:
            converged = True
            break

    new_a = np.where(free, np.exp(log_a), a0)
    new_b = np.where(free, new_b, b0)
    return Calibration(new_a, new_b, n_responses, updated, iterations, converged)


def _normalised(log_weights: np.ndarray) -> np.ndarray:
    """exp(log_weights) normalised along the last axis, without overflow."""
    w = np.exp(log_weights - log_weights.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True)


def _fisher_step(log_a, b, grid, n_at, r_at, prior_log_a, prior_b, a_prior_sd, b_prior_sd):
    """One Fisher-scoring step per item on (log a, b) of the expected complete-data
    log-likelihood plus the weak priors; a 2x2 system per item, solved in closed form."""
    a = np.exp(log_a)
    diff = grid[None, :] - b[:, None]
    p = 1.0 / (1.0 + np.exp(-a[:, None] * diff))
    resid = r_at - n_at * p
    info = n_at * p * (1 - p)
    dz_dlog_a = a[:, None] * diff
    dz_db = -a[:, None]
    g1 = (resid * dz_dlog_a).sum(axis=1) - (log_a - prior_log_a) / a_prior_sd**2
    g2 = (resid * dz_db).sum(axis=1) - (b - prior_b) / b_prior_sd**2
    h11 = (info * dz_dlog_a**2).sum(axis=1) + 1 / a_prior_sd**2
    h12 = (info * dz_dlog_a * dz_db).sum(axis=1)
    h22 = (info * dz_db**2).sum(axis=1) + 1 / b_prior_sd**2
    det = h11 * h22 - h12 * h12
    step1 = (h22 * g1 - h12 * g2) / det
    step2 = (h11 * g2 - h12 * g1) / det
    # Damp big steps: the first iterations from a poor start must not overshoot.
    scale = np.minimum(1.0, 1.0 / np.maximum(np.abs(step1), np.abs(step2)))
    return step1 * scale, step2 * scale
