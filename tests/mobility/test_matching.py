"""The pure matching on a hand-built dataset: no database."""

from tremplin.mobility import matching as m

# Competences 1 (« 3.1 ») and 2 (« 1.3 »).
CODES = {1: "3.1", 2: "1.3"}
OFFICE = 10
SITE, OTHER_SITE = 100, 200
POSITION = m.PositionData(
    id=1, job_id=OFFICE, family="Administration", category="C", site_id=SITE,
    requirements={1: 3, 2: 2},
)  # fmt: skip
MODULES = [
    # 3.1 from 1 to 2 in 7 h, then 2 to 3 in 7 h; a long one 1 → 3 in 21 h.
    m.ModuleData(11, "Tableur 1", 7, (m.Outcome(1, 1, 2),)),
    m.ModuleData(12, "Tableur 2", 7, (m.Outcome(1, 2, 3),)),
    m.ModuleData(13, "Tableur intensif", 21, (m.Outcome(1, 1, 3),)),
    # 1.3 from 0 to 2, 3.5 h.
    m.ModuleData(14, "Courriel", 3.5, (m.Outcome(2, 0, 2),)),
]


def agent(pk, name, levels, *, category="C", site=SITE, jobs=(), families=()):
    return m.AgentData(pk, name, category, site, levels, frozenset(jobs), frozenset(families))


READY = agent(1, "Prête", {1: 3.0, 2: 2.2})
CLOSE_WISHING = agent(2, "Proche", {1: 2.4, 2: 2.0}, families={"Administration"})
CLOSE = agent(3, "Proche bis", {1: 2.0, 2: 2.0}, site=OTHER_SITE)
FAR = agent(4, "Loin", {1: 0.6, 2: 0.0})
UNMEASURED = agent(5, "Inconnue", {})
CATEGORY_B = agent(6, "Catégorie B", {1: 3.0, 2: 2.0}, category="B")


def test_ranking_on_the_hand_built_dataset():
    fits = m.rank_agents(
        POSITION, [FAR, CATEGORY_B, UNMEASURED, CLOSE, CLOSE_WISHING, READY], MODULES, CODES
    )
    assert [(f.agent_name, f.score) for f in fits] == [
        ("Prête", 100),  # every level, same site
        ("Proche", 96),  # 1 level in 3.1 (2.4 rounds to 2): 100 - 8 - 4 - 2 (7 h) + 10 (wish)
        ("Proche bis", 81),  # the same gap, another site, no wish: 100 - 8 - 4 - 2 - 5
        ("Catégorie B", 70),  # every level, but another category
        ("Inconnue", 70),  # nothing measured: 2 × 15, after every measured close fit
        ("Loin", 54),  # 4 levels (worst 2), 24,5 h: 100 - 32 - 8 - 6
    ]


def test_gap_sum_worst_gap_and_hours():
    (far,) = m.rank_agents(POSITION, [FAR], MODULES, CODES)
    # 0.6 rounds to 1: 3.1 misses 2 levels; 1.3 misses 2 levels.
    assert (far.gap_sum, far.worst_gap) == (4, 2)
    # Tableur intensif (1 → 3 in one module) beats two modules at equal reach; + Courriel.
    assert far.module_ids == [13, 14]
    assert far.hours == 24.5


def test_explanation_in_french():
    (close,) = m.rank_agents(POSITION, [CLOSE_WISHING], MODULES, CODES)
    assert close.explanation == (
        "manque 1 niveau en 3.1 ; ~7 h de formation ; même site ; a exprimé ce souhait"
    )
    (far,) = m.rank_agents(POSITION, [FAR], MODULES, CODES)
    assert far.explanation.startswith("manque 2 niveaux en 1.3 ; manque 2 niveaux en 3.1")
    assert "~24,5 h de formation" in far.explanation


def test_unmeasured_is_no_gap_but_costs_points():
    (unknown,) = m.rank_agents(POSITION, [UNMEASURED], MODULES, CODES)
    assert unknown.gap_sum == 0
    assert unknown.hours == 0
    assert unknown.score == 100 - 2 * m.PENALTY_PER_UNMEASURED
    assert "jamais mesuré en 1.3, 3.1" in unknown.explanation


def test_gap_the_catalogue_cannot_close():
    position = m.PositionData(2, OFFICE, requirements={1: 5})
    (fit,) = m.rank_agents(position, [READY], MODULES, CODES)
    assert [g.code for g in fit.uncovered] == ["3.1"]
    assert fit.score == 100 - 2 * 8 - 2 * 4 - m.PENALTY_PER_UNCOVERED - m.PENALTY_OTHER_SITE
    assert "aucun module du catalogue pour 3.1" in fit.explanation
    # Two levels would be within reach, but no module closes them: not promised.
    assert not fit.within_reach
    closable = m.PositionData(4, OFFICE, requirements={1: 3})
    (fit,) = m.rank_agents(closable, [CLOSE], MODULES, CODES)
    assert fit.worst_gap == 1 and not fit.uncovered and fit.within_reach
    too_far = m.PositionData(3, OFFICE, requirements={1: 7})
    (fit,) = m.rank_agents(too_far, [READY], MODULES, CODES)
    assert fit.worst_gap == 4 and not fit.within_reach


def test_module_shared_by_two_gaps_counts_once():
    shared = [m.ModuleData(20, "Bureautique", 14, (m.Outcome(1, 2, 3), m.Outcome(2, 1, 2)))]
    (fit,) = m.rank_agents(POSITION, [agent(7, "X", {1: 2, 2: 1})], shared, CODES)
    assert fit.module_ids == [20]
    assert fit.hours == 14


def test_positions_within_reach_for_an_agent():
    far_position = m.PositionData(3, 30, category="C", requirements={1: 7})
    other_category = m.PositionData(4, 40, category="A", requirements={})
    fits = m.rank_positions(CLOSE, [far_position, other_category, POSITION], MODULES, CODES)
    assert [f.position_id for f in fits] == [1]
    every = m.rank_positions(
        CLOSE, [far_position, other_category, POSITION], MODULES, CODES, reachable_only=False
    )
    assert len(every) == 3
