"""The rule that turns an agent's evidence on one competence into one estimate.

Pure Python, no Django: it takes plain observations and returns a plain estimate, so
that it can be read, tested and reasoned about on its own. The same rule is written
in French for users in docs/guide/competences.md.

The rule: **newer and more reliable evidence weighs more.**

1. Each observation says "level x, give or take s" (s is a standard deviation, in
   levels). When the source gives no s (a Pix import, an advisor's observation), the
   default of its source applies (DEFAULT_SD): Pix 0.5, the diagnostic 0.75, an
   advisor 1.0, a training attended 1.25, a self-declaration 1.5. No observation is
   taken as more precise than MIN_SD (0.25), so that one very confident measure
   cannot silence every later one.
2. Skills drift: what was true two years ago is less certain today. An observation's
   variance grows by DRIFT_VARIANCE_PER_YEAR (0.5 level², a random walk) for each
   year (365 days) between its date and the date of the **newest** observation:
       v = s² + 0.5 × age_in_years
   Age is counted from the newest observation, not from today, so the estimate only
   changes when evidence changes (and the history of the profile means something).
3. Each observation weighs w = 1 / v (its precision). The estimate is the weighted
   mean, bounded to 0–8, and its own standard deviation is sqrt(1 / Σw):
       level = Σ(w × x) / Σw        sd = sqrt(1 / Σw)
   Several agreeing observations thus give a smaller uncertainty than any one alone.

Worked example (in the tests): two advisor observations (s = 1), level 2 then level 4
a year later. Old: v = 1 + 0.5 = 1.5, w = 2/3. New: v = 1, w = 1. Level =
(2 × 2/3 + 4 × 1) / (5/3) = 3.2; sd = sqrt(3/5) ≈ 0.77.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from typing import NamedTuple

# Keys are EvidenceSource values; tests check that both lists agree.
DEFAULT_SD: dict[str, float] = {
    "pix": 0.5,
    "diagnostic": 0.75,
    "advisor": 1.0,
    "training": 1.25,
    "self": 1.5,
}
FALLBACK_SD = 1.5  # a source this module does not know is trusted like a self-declaration
MIN_SD = 0.25
DRIFT_VARIANCE_PER_YEAR = 0.5
DAYS_PER_YEAR = 365
MIN_LEVEL, MAX_LEVEL = 0, 8
PIX_PER_LEVEL = 8


# NamedTuples rather than frozen dataclasses: an import merges 80,000 profile entries,
# and a frozen dataclass takes five times longer to build (one object.__setattr__ per
# field). Both stay immutable and are read by attribute.
class Observation(NamedTuple):
    level: float
    source: str
    observed_on: dt.date
    sd: float | None = None
    key: Hashable = None  # the caller's identifier, handed back with the weights


class Estimate(NamedTuple):
    level: float  # 0–8, two decimals
    sd: float  # two decimals
    as_of: dt.date  # date of the newest observation
    count: int
    main_source: str  # the source that weighs most in the estimate
    weights: tuple[tuple[Hashable, float], ...]  # (observation key, share of the weight, 0–1)


def base_sd(observation: Observation) -> float:
    sd = observation.sd
    if sd is None:
        sd = DEFAULT_SD.get(observation.source, FALLBACK_SD)
    return max(float(sd), MIN_SD)


def variance(observation: Observation, as_of: dt.date) -> float:
    """The observation's variance, inflated by its age at `as_of`."""
    age_years = max((as_of - observation.observed_on).days, 0) / DAYS_PER_YEAR
    return base_sd(observation) ** 2 + DRIFT_VARIANCE_PER_YEAR * age_years


def merge(observations: Sequence[Observation]) -> Estimate | None:
    """The precision-weighted mean of the observations, older ones weighing less.
    None when there is no observation: "not measured" is not level 0."""
    if not observations:
        return None
    as_of = max(o.observed_on for o in observations)
    precisions = [1.0 / variance(o, as_of) for o in observations]
    total = sum(precisions)
    mean = sum(w * float(o.level) for w, o in zip(precisions, observations, strict=True)) / total
    by_source: dict[str, float] = {}
    for w, o in zip(precisions, observations, strict=True):
        by_source[o.source] = by_source.get(o.source, 0.0) + w
    main_source = max(by_source.items(), key=lambda item: item[1])[0]
    return Estimate(
        level=round(min(max(mean, MIN_LEVEL), MAX_LEVEL), 2),
        sd=round(math.sqrt(1.0 / total), 2),
        as_of=as_of,
        count=len(observations),
        main_source=main_source,
        weights=tuple((o.key, w / total) for w, o in zip(precisions, observations, strict=True)),
    )


def pix_to_level(pix: float) -> int:
    """Pix counts 8 pix per level on each competence: level = floor(pix / 8), 0–8."""
    return min(max(math.floor(float(pix) / PIX_PER_LEVEL), MIN_LEVEL), MAX_LEVEL)


def whole_level(level: float) -> int:
    """The whole level an estimate stands for, rounded half up (2.5 → 3): the level
    shown to people and compared with what a job requires."""
    return int(math.floor(float(level) + 0.5))
