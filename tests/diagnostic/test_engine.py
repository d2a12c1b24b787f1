"""The adaptive engine, on simulated examinees: no database, no Django inside the engine."""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from tremplin.diagnostic import engine
from tremplin.diagnostic.engine import Config, Item, Session

ALL = tuple(range(engine.N_COMPETENCES))


def make_bank(per_level: int = 3) -> list[Item]:
    return [
        Item(f"{code}-{level}-{n}", k, *engine.initial_parameters(level))
        for k, code in enumerate(engine.COMPETENCES)
        for level in range(1, 6)
        for n in range(1, per_level + 1)
    ]


BANK = make_bank()
BY_ID = {item.id: item for item in BANK}


def run(session: Session, answer) -> list[str]:
    """Answer until the session stops; `answer(item) -> bool | None`."""
    while (item := session.next_item()) is not None:
        session.answer(item.id, answer(item))
    return list(session.asked)


def simulated(theta: np.ndarray, seed: int):
    """An examinee answering by the 2PL with the bank's own parameters."""
    rng = np.random.default_rng(seed)
    return lambda item: bool(
        rng.random() < engine.probability_correct(theta[item.competence], item.a, item.b)
    )


def test_engine_imports_without_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = "import sys, tremplin.diagnostic.engine; print('django' in sys.modules)"
    out = subprocess.run(  # noqa: S603 (a fixed command: this interpreter, a fixed snippet)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_initial_parameters_follow_the_intended_level():
    assert engine.initial_parameters(1) == (1.7, 0.5)
    assert engine.initial_parameters(5) == (1.7, 4.5)
    with pytest.raises(ValueError):
        engine.initial_parameters(0)


def test_expected_levels_mastered_equal_theta_with_initial_parameters():
    # The documented reason for b = L - 0.5: the expected number of levels 1..8 an agent
    # masters is theta itself, away from the ends of the scale.
    a, b = np.array([engine.initial_parameters(level) for level in range(1, 9)]).T
    for theta in (2.0, 3.3, 4.5, 6.0):
        assert engine.probability_correct(theta, a, b).sum() == pytest.approx(theta, abs=0.03)


def test_right_answer_raises_its_competence_and_the_correlated_ones():
    session = Session(BANK, Config(), seed=1)
    before_mu, before_var = session.mu.copy(), np.diag(session.cov).copy()
    session.answer("2.1-3-1", True)  # competence index 3
    assert session.mu[3] > before_mu[3] + 0.3
    others = np.delete(np.arange(16), 3)
    assert np.all(session.mu[others] > before_mu[others])
    assert np.all(session.mu[others] - before_mu[others] < session.mu[3] - before_mu[3])
    assert np.all(np.diag(session.cov) < before_var)


def test_wrong_answer_lowers_the_estimate_and_dont_know_counts_as_wrong():
    wrong = Session(BANK, Config(), seed=1)
    wrong.answer("4.1-2-1", False)
    dont_know = Session(BANK, Config(), seed=1)
    dont_know.answer("4.1-2-1", None)
    assert np.all(wrong.mu < 2.5)
    np.testing.assert_array_equal(dont_know.mu, wrong.mu)
    np.testing.assert_array_equal(dont_know.cov, wrong.cov)
    assert dont_know.answers == [None] and wrong.answers == [False]


def test_variance_never_grows_over_a_session():
    session = Session(BANK, Config(max_items=30, precision=0.0), seed=3)
    answer = simulated(np.full(16, 3.0), seed=3)
    traces = [np.trace(session.cov)]
    while (item := session.next_item()) is not None:
        session.answer(item.id, answer(item))
        traces.append(np.trace(session.cov))
        assert np.all(np.linalg.eigvalsh(session.cov) > 0)
    assert np.all(np.diff(traces) < 0)


def test_update_matches_exact_bayes_on_one_competence():
    grid = np.linspace(-8, 12, 40001)
    for mean, var, a, b, right in [(2.5, 1.44, 1.7, 2.5, True), (1.0, 0.5, 1.2, 3.5, False)]:
        mu, cov = engine.posterior_update(np.array([mean]), np.array([[var]]), 0, a, b, right)
        p = engine.probability_correct(grid, a, b)
        w = np.exp(-((grid - mean) ** 2) / (2 * var)) * (p if right else 1 - p)
        w /= w.sum()
        exact_mean = (grid * w).sum()
        assert mu[0] == pytest.approx(exact_mean, abs=0.05)
        assert cov[0, 0] == pytest.approx(((grid - exact_mean) ** 2 * w).sum(), abs=0.06)


def test_batched_update_equals_one_at_a_time():
    mu0, cov0 = engine.prior()
    ks, a, b, right = (
        np.array([0, 5, 5, 15]),
        np.array([1.7, 1.2, 2.0, 1.7]),
        np.arange(4.0),
        [1, 0, 1, 0],
    )
    mus, covs = engine.posterior_update(
        np.tile(mu0, (4, 1)), np.tile(cov0, (4, 1, 1)), ks, a, b, right
    )
    for i in range(4):
        mu, cov = engine.posterior_update(mu0, cov0, ks[i], a[i], b[i], right[i])
        np.testing.assert_allclose(mus[i], mu)
        np.testing.assert_allclose(covs[i], cov)


def test_never_the_same_item_twice_and_only_targeted_competences():
    targets = (0, 7, 13)
    session = Session(BANK, Config(targets=targets, precision=0.0, max_items=500), seed=5)
    asked = run(session, simulated(np.full(16, 2.0), seed=5))
    assert len(asked) == len(set(asked)) == 3 * 15  # every targeted item once, then stop
    assert {BY_ID[i].competence for i in asked} == set(targets)
    with pytest.raises(ValueError):
        session.answer(asked[0], True)


def test_every_target_is_covered_even_when_the_prior_is_already_precise_enough():
    targets = (1, 4, 9, 15)
    session = Session(BANK, Config(targets=targets, precision=2.0, min_per_target=2), seed=2)
    asked = run(session, lambda item: True)
    per_target = [sum(BY_ID[i].competence == t for i in asked) for t in targets]
    assert per_target == [2, 2, 2, 2]


def test_short_maximum_length_still_covers_every_target():
    session = Session(BANK, Config(targets=ALL, max_items=16, precision=0.0), seed=4)
    asked = run(session, simulated(np.full(16, 2.5), seed=4))
    assert sorted(BY_ID[i].competence for i in asked) == list(ALL)


def test_stops_as_soon_as_every_target_is_precise_enough():
    config = Config(targets=(2, 6), precision=0.6, max_items=200)
    session = Session(BANK, config, seed=6)
    answer = simulated(np.full(16, 3.2), seed=6)
    sds_before_last = None
    while (item := session.next_item()) is not None:
        sds_before_last = np.sqrt(np.diag(session.cov))[[2, 6]]
        session.answer(item.id, answer(item))
    result = session.result()
    assert result.finished and result.precision_reached
    assert all(result.sds[t] <= 0.6 for t in (2, 6))
    assert np.any(sds_before_last > 0.6)
    assert 2 <= result.n_items < 30


def test_stops_at_the_maximum_length():
    session = Session(BANK, Config(max_items=12, precision=0.01), seed=7)
    asked = run(session, simulated(np.full(16, 2.5), seed=7))
    assert len(asked) == 12
    result = session.result()
    assert result.finished and not result.precision_reached and result.n_items == 12


def test_same_seed_same_sequence_other_seeds_other_sequences():
    def sequence(seed):
        # A deterministic examinee: right exactly when the item is below level 3.
        return tuple(run(Session(BANK, Config(max_items=20), seed=seed), lambda it: it.b < 3))

    assert sequence(11) == sequence(11)
    sequences = {sequence(seed) for seed in range(8)}
    assert len(sequences) == 8
    first_items = {s[0] for s in sequences}
    assert len(first_items) >= 4  # exposure control starts at the very first question


def test_next_item_is_stable_until_answered():
    session = Session(BANK, Config(), seed=9)
    session.answer("1.2-3-2", True)
    assert session.next_item() == session.next_item()


def test_state_round_trips_through_json_and_continues_identically():
    config = Config(targets=(0, 3, 5, 8, 12), max_items=25, precision=0.3, prior_mean=2.0)
    original = Session(BANK, config, seed=21)
    answer = simulated(np.array([2.0, 3.0, 1.0, 4.0] * 4), seed=0)
    for _ in range(9):
        item = original.next_item()
        original.answer(item.id, answer(item))
    restored = Session.from_dict(json.loads(json.dumps(original.to_dict())), BANK)
    np.testing.assert_array_equal(restored.mu, original.mu)
    np.testing.assert_array_equal(restored.cov, original.cov)

    def deterministic(item):
        return item.b < 2.0 or item.id.endswith("-2")

    assert run(restored, deterministic) == run(original, deterministic)
    assert restored.result() == original.result()


def test_result_maps_levels_to_pix_like_scores():
    session = Session(BANK, Config(prior_mean=tuple(np.linspace(-0.5, 8.5, 16))), seed=0)
    result = session.result()
    assert result.levels[0] == 0 and result.pix[0] == 0  # below the scale
    assert result.levels[-1] == 8 and result.pix[-1] == 64  # top of the scale
    assert all(p // 8 == level for p, level in zip(result.pix, result.levels, strict=True))
    assert result.score == sum(result.pix)
    assert engine.pix_of(3.99) == 31 and engine.level_of(3.99) == 3
    full = Session(BANK, Config(prior_mean=9.0), seed=0).result()
    assert full.score == engine.MAX_SCORE == 1024
    assert all(0 < p <= 1 for p in result.level_probability)


def test_estimates_on_simulated_examinees_track_true_levels():
    rng = np.random.default_rng(2024)
    mean, cov = engine.prior()
    thetas = rng.multivariate_normal(mean, cov, size=120)
    estimates, sds = [], []
    for person, theta in enumerate(thetas):
        session = Session(BANK, Config(max_items=40, precision=0.0), seed=person)
        run(session, simulated(theta, seed=person))
        assert session.n_answered == 40
        result = session.result()
        estimates.append(result.means)
        sds.append(result.sds)
    estimates = np.array(estimates)
    rmse = np.sqrt(((estimates - thetas) ** 2).mean(axis=0)).mean()
    assert rmse < 0.8
    correlation = np.corrcoef(estimates.ravel(), thetas.ravel())[0, 1]
    assert correlation > 0.8
    # The posterior SD is an honest account of the error when the model is right.
    assert np.sqrt((np.array(sds) ** 2).mean()) == pytest.approx(rmse, rel=0.25)


def test_config_rejects_unknown_targets():
    with pytest.raises(ValueError):
        Config(targets=(16,))
    with pytest.raises(ValueError):
        Config(targets=())


# --- calibration ----------------------------------------------------------------------


def simulate_calibration_data(seed=0, persons=4000, present=0.5):
    rng = np.random.default_rng(seed)
    comps = np.repeat([0, 1], 15)
    levels = np.tile(np.repeat([1, 2, 3, 4, 5], 3), 2)
    a0, b0 = np.array([engine.initial_parameters(int(lv)) for lv in levels]).T
    true_a = a0 * np.exp(rng.normal(0, 0.25, a0.size))
    true_b = b0 + rng.normal(0, 0.4, b0.size)
    mean, cov = engine.prior(d=2)
    theta = rng.multivariate_normal(mean, cov, size=persons)
    p = engine.probability_correct(theta[:, comps], true_a, true_b)
    x = (rng.random(p.shape) < p).astype(float)
    x[rng.random(p.shape) > present] = np.nan
    return x, comps, a0, b0, true_a, true_b


def test_calibration_recovers_known_parameters():
    x, comps, a0, b0, true_a, true_b = simulate_calibration_data()
    fit = engine.calibrate(x, comps, a0, b0, min_responses=100)
    assert fit.converged and fit.updated.all()
    assert np.abs(fit.b - true_b).max() < 0.25
    assert np.abs(fit.b - true_b).mean() < 0.1
    assert np.abs(np.log(fit.a) - np.log(true_a)).max() < 0.3
    # Better than where it started, by far.
    assert np.abs(fit.b - true_b).mean() < 0.5 * np.abs(b0 - true_b).mean()


def adaptive_responses(a, b, comps, true_a, true_b, theta, n_items, rng):
    """Answers from adaptive tests that pick, for all persons at once, the engine's best item
    (no exposure control): the choice on one competence depends on the others' answers."""
    persons, rows = theta.shape[0], np.arange(theta.shape[0])
    mu0, cov0 = engine.prior()
    mu, cov = np.tile(mu0, (persons, 1)), np.tile(cov0, (persons, 1, 1))
    x = np.full((persons, comps.size), np.nan)
    for _ in range(n_items):
        var = np.diagonal(cov, axis1=1, axis2=2)
        spill = (cov * cov).sum(axis=1)
        gain = engine.expected_shrink(mu[:, comps], var[:, comps], a, b) * spill[:, comps]
        pick = np.where(np.isnan(x), gain, -np.inf).argmax(axis=1)
        k = comps[pick]
        p = engine.probability_correct(theta[rows, k], true_a[pick], true_b[pick])
        right = rng.random(persons) < p
        x[rows, pick] = right
        mu, cov = engine.posterior_update(mu, cov, k, a[pick], b[pick], right)
    return x


def test_calibration_on_adaptive_data_is_not_fooled_by_the_selection():
    # Calibrating each competence alone on such data halves a and moves b by ~0.8 level;
    # the joint prior of the E-step is what keeps the estimates right.
    rng = np.random.default_rng(0)
    comps = np.repeat(np.arange(16), 15)
    levels = np.tile(np.repeat(np.arange(1, 6), 3), 16)
    a0, b0 = np.array([engine.initial_parameters(int(level)) for level in levels]).T
    true_a = a0 * np.exp(rng.normal(0, 0.25, a0.size))
    true_b = b0 + rng.normal(0, 0.35, b0.size)
    mean, cov = engine.prior()
    theta = rng.multivariate_normal(mean, cov, size=1200)
    x = adaptive_responses(a0, b0, comps, true_a, true_b, theta, 32, rng)
    fit = engine.calibrate(x, comps, a0, b0, min_responses=100, n_quadrature=41, tol=1e-3)
    used = fit.updated
    assert used.sum() >= 60
    assert np.abs(fit.b - true_b)[used].mean() < 0.6 * np.abs(b0 - true_b)[used].mean()
    assert abs(np.log(fit.a / true_a)[used].mean()) < 0.15
    assert np.abs(np.log(fit.a / true_a))[used].mean() < 0.25


def test_calibration_leaves_items_with_too_few_responses_unchanged():
    x, comps, a0, b0, *_ = simulate_calibration_data(seed=1, persons=1500)
    x[30:, 4] = np.nan  # item 4: 30 persons at most
    fit = engine.calibrate(x, comps, a0, b0, min_responses=200)
    assert not fit.updated[4] and fit.n_responses[4] <= 30
    assert fit.a[4] == a0[4] and fit.b[4] == b0[4]
    assert fit.updated[[0, 1, 2, 3, 5]].all()
    assert not math.isclose(fit.b[5], b0[5])


def test_calibration_rejects_values_other_than_right_wrong_or_missing():
    x = np.array([[1.0, 2.0]])
    with pytest.raises(ValueError):
        engine.calibrate(x, [0, 0], [1.7, 1.7], [0.5, 1.5])
