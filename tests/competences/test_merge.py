"""The merge rule, on hand-computed cases (see the worked example in merge.py)."""

import datetime as dt
import math

import pytest

from tremplin.competences.enums import EvidenceSource
from tremplin.competences.merge import (
    DEFAULT_SD,
    MIN_SD,
    Observation,
    merge,
    pix_to_level,
    whole_level,
)

DAY = dt.date(2024, 1, 1)
YEAR_LATER = DAY + dt.timedelta(days=365)


def obs(level, source, on=DAY, sd=None, key=None):
    return Observation(level=level, source=source, observed_on=on, sd=sd, key=key)


def test_no_evidence_is_not_level_zero():
    assert merge([]) is None


def test_a_single_observation_is_its_own_level_with_its_source_uncertainty():
    estimate = merge([obs(3, EvidenceSource.PIX, key="a")])
    assert estimate.level == 3
    assert estimate.sd == 0.5  # Pix's default
    assert estimate.as_of == DAY
    assert estimate.count == 1
    assert estimate.main_source == EvidenceSource.PIX
    assert estimate.weights == (("a", 1.0),)


def test_newer_evidence_weighs_more():
    # Two advisor observations (sd 1): level 2, then level 4 a year later.
    # Old: v = 1 + 0.5 × 1 = 1.5, w = 2/3. New: v = 1, w = 1.
    # Level = (2 × 2/3 + 4) / (5/3) = 3.2; sd = sqrt(3/5) = 0.7746.
    estimate = merge(
        [
            obs(2, EvidenceSource.ADVISOR, DAY, key="old"),
            obs(4, EvidenceSource.ADVISOR, YEAR_LATER, key="new"),
        ]
    )
    assert estimate.level == 3.2
    assert estimate.sd == 0.77
    assert estimate.as_of == YEAR_LATER
    weights = dict(estimate.weights)
    assert weights["new"] == pytest.approx(0.6)
    assert weights["old"] == pytest.approx(0.4)


def test_the_order_of_the_observations_does_not_matter():
    a = obs(2, EvidenceSource.ADVISOR, DAY)
    b = obs(4, EvidenceSource.ADVISOR, YEAR_LATER)
    assert merge([a, b]).level == merge([b, a]).level


def test_more_reliable_evidence_weighs_more():
    # Same day: Pix level 4 (sd 0.5, w = 4) and a self-declaration level 2 (sd 1.5, w = 4/9).
    # Level = (16 + 8/9) / (40/9) = 3.8; sd = sqrt(9/40) = 0.4743.
    estimate = merge([obs(4, EvidenceSource.PIX), obs(2, EvidenceSource.SELF)])
    assert estimate.level == 3.8
    assert estimate.sd == 0.47
    assert estimate.main_source == EvidenceSource.PIX


def test_a_known_uncertainty_replaces_the_source_default():
    # Diagnostic 2.5 ± 0.5 (w = 4) and advisor 1 (sd 1, w = 1): (10 + 1) / 5 = 2.2.
    estimate = merge([obs(2.5, EvidenceSource.DIAGNOSTIC, sd=0.5), obs(1, EvidenceSource.ADVISOR)])
    assert estimate.level == 2.2
    assert estimate.sd == round(math.sqrt(1 / 5), 2)


def test_no_observation_is_more_precise_than_the_floor():
    # sd 0.01 is taken as MIN_SD (0.25, w = 16) against an advisor's level 0 (w = 1).
    estimate = merge([obs(5, EvidenceSource.DIAGNOSTIC, sd=0.01), obs(0, EvidenceSource.ADVISOR)])
    assert estimate.level == round(5 * 16 / 17, 2)
    assert MIN_SD == 0.25


def test_agreeing_observations_narrow_the_uncertainty():
    one = merge([obs(3, EvidenceSource.ADVISOR)])
    two = merge([obs(3, EvidenceSource.ADVISOR), obs(3, EvidenceSource.ADVISOR)])
    assert two.level == 3
    assert two.sd == round(math.sqrt(0.5), 2) < one.sd


def test_every_source_has_a_default_uncertainty():
    assert set(DEFAULT_SD) == set(EvidenceSource.values)
    # Reliability order announced to users: Pix, diagnostic, advisor, training, self.
    order = ["pix", "diagnostic", "advisor", "training", "self"]
    assert [DEFAULT_SD[s] for s in order] == sorted(DEFAULT_SD.values())


@pytest.mark.parametrize(
    "pix, level", [(0, 0), (7, 0), (8, 1), (23.9, 2), (24, 3), (63, 7), (64, 8), (80, 8)]
)
def test_pix_level_is_floor_of_pix_over_8(pix, level):
    assert pix_to_level(pix) == level


@pytest.mark.parametrize("estimate, level", [(2.49, 2), (2.5, 3), (2.51, 3), (0.4, 0), (7.5, 8)])
def test_whole_level_rounds_half_up(estimate, level):
    assert whole_level(estimate) == level
