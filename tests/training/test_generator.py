"""The pathway generator on hand-built catalogues, without a database: which modules,
in which order, why, and what no module can close."""

import datetime as dt

from tremplin.training import generator as g
from tremplin.training.enums import Audience, ModuleFormat, StepOrigin

O = g.OutcomeSpec  # noqa: E741 (reads like the catalogue's arrows)

WORDS = {
    "2.1": "Échanger avec les autres : messages, appels, visio",
    "1.2": "Ranger et retrouver ses fichiers",
    "1.3": "Utiliser des tableaux et des chiffres",
    "4.1": "Se protéger des virus et des arnaques",
}

SMARTPHONE = g.ModuleSpec(
    1, "smartphone", "Premiers pas avec un smartphone", 120, outcomes=(O("2.1", 0, 1),)
)
MAIL = g.ModuleSpec(
    2, "messagerie", "Ma messagerie", 180, outcomes=(O("2.1", 1, 3),), required_module_ids=(1,)
)
FILES = g.ModuleSpec(3, "fichiers", "Fichiers et dossiers", 120, outcomes=(O("1.2", 0, 2),))
SHEET = g.ModuleSpec(
    4,
    "tableur",
    "Un premier tableur",
    240,
    outcomes=(O("1.3", 0, 2),),
    level_prerequisites=(("1.2", 1),),
)
MAIL_ONLINE = g.ModuleSpec(
    5,
    "messagerie-en-ligne",
    "Messagerie en ligne",
    60,
    format="elearning",
    outcomes=(O("2.1", 1, 3),),
)
FRESQUE = g.ModuleSpec(6, "fresque-du-climat", "Fresque du Climat", 180)
PHISHING = g.ModuleSpec(
    7, "hameconnage", "Mots de passe et arnaques", 90, outcomes=(O("4.1", 0, 2),)
)

FRESQUE_GOAL = g.GoalSpec(
    40, "une Fresque du Climat pour chaque agent", dt.date(2032, 3, 1), module_id=6
)


def catalogue(*modules, weights=None):
    return g.Catalogue(modules, WORDS, weights)


def plan(situation, *modules):
    return g.plan_pathway(situation, catalogue(*modules))


def field_agent(**kwargs):
    return g.AgentSituation(work_kind="field", job_family="Propreté", **kwargs)


def office_agent(**kwargs):
    return g.AgentSituation(work_kind="office", job_family="Administration", **kwargs)


def test_generator_constants_are_the_model_choices():
    assert {
        g.ORIGIN_GAP,
        g.ORIGIN_TARGET,
        g.ORIGIN_GOAL,
        g.ORIGIN_PREREQUISITE,
    } <= set(StepOrigin.values)
    assert {g.FIELD, g.OFFICE, g.ALL_AUDIENCES} == set(Audience.values)
    assert {g.FORMAT_ELEARNING, g.FORMAT_COACHING} <= set(ModuleFormat.values)


def test_nothing_to_do_when_the_agent_meets_the_job():
    result = plan(office_agent(levels={"2.1": 3}, required={"2.1": 3}), SMARTPHONE, MAIL)
    assert result.steps == ()
    assert result.unclosed == ()


def test_modules_chain_from_the_agent_level_to_the_required_level():
    result = plan(field_agent(levels={"2.1": 0}, required={"2.1": 3}), SMARTPHONE, MAIL, FILES)
    assert result.module_ids == (1, 2)
    assert [s.origin for s in result.steps] == ["gap", "gap"]
    assert result.steps[0].reason == (
        "Votre métier demande de savoir échanger avec les autres : messages, appels, visio "
        "(niveau 3). Aujourd'hui : niveau 0."
    )
    assert result.steps[0].competence == "2.1"


def test_a_module_the_agent_is_not_ready_for_waits_for_the_one_before():
    """Level 0 cannot follow the 1→3 mailbox alone: the first steps come first."""
    advanced_only = plan(field_agent(levels={"2.1": 0}, required={"2.1": 3}), MAIL)
    assert advanced_only.steps == ()
    assert advanced_only.unclosed == (g.UnclosedGap("2.1", 0, 3, g.SOURCE_JOB),)


def test_an_agent_already_at_level_1_skips_the_first_steps():
    result = plan(field_agent(levels={"2.1": 1}, required={"2.1": 3}), SMARTPHONE, MAIL)
    # The smartphone module is the mailbox's prerequisite, but the agent already masters
    # what it brings (2.1 level 1).
    assert result.module_ids == (2,)


def test_field_agents_get_group_sessions_office_agents_the_short_e_learning():
    situation = {"levels": {"2.1": 1}, "required": {"2.1": 3}}
    assert plan(field_agent(**situation), MAIL, MAIL_ONLINE, SMARTPHONE).module_ids == (2,)
    assert plan(office_agent(**situation), MAIL, MAIL_ONLINE, SMARTPHONE).module_ids == (5,)


def test_modules_for_the_other_audience_or_family_are_avoided_not_forbidden():
    for_office = g.ModuleSpec(
        8, "bureau", "Messagerie au bureau", 60, audience="office", outcomes=(O("2.1", 1, 3),)
    )
    own_family = g.ModuleSpec(
        9,
        "propre",
        "Messagerie des équipes",
        200,
        job_families=("Propreté",),
        outcomes=(O("2.1", 1, 3),),
    )
    situation = field_agent(levels={"2.1": 1}, required={"2.1": 3})
    assert plan(situation, for_office, MAIL).module_ids == (2,)
    assert plan(situation, for_office, MAIL, own_family).module_ids == (9,)
    # The only module left is for office agents: still proposed rather than nothing.
    assert plan(situation, for_office).module_ids == (8,)


def test_weighted_set_cover_takes_one_module_covering_two_gaps():
    both = g.ModuleSpec(
        10, "bureautique", "Bureautique", 240, outcomes=(O("1.2", 0, 2), O("1.3", 0, 2))
    )
    result = plan(
        office_agent(levels={"1.2": 0, "1.3": 0}, required={"1.2": 2, "1.3": 2}),
        FILES,
        g.ModuleSpec(11, "tableur-seul", "Tableur", 240, outcomes=(O("1.3", 0, 2),)),
        both,
    )
    assert result.module_ids == (10,)


def test_a_module_made_useless_by_a_later_choice_is_dropped():
    """Greedy takes the cheap 1.2 module first, then a module covering both 1.2 and 1.3:
    the first one is then useless and goes."""
    both = g.ModuleSpec(
        10, "bureautique", "Bureautique", 180, outcomes=(O("1.2", 0, 2), O("1.3", 0, 3))
    )
    cheap = g.ModuleSpec(12, "fichiers-court", "Fichiers", 30, outcomes=(O("1.2", 0, 2),))
    result = plan(
        office_agent(levels={"1.2": 0, "1.3": 0}, required={"1.2": 2, "1.3": 3}), cheap, both
    )
    assert result.module_ids == (10,)


def test_required_modules_are_added_transitively_and_come_first():
    a = g.ModuleSpec(20, "a", "A", 60, outcomes=(O("5.1", 0, 1),))
    b = g.ModuleSpec(21, "b", "B", 60, outcomes=(O("5.2", 0, 1),), required_module_ids=(20,))
    c = g.ModuleSpec(22, "c", "C", 30, outcomes=(O("4.1", 0, 2),), required_module_ids=(21,))
    result = plan(office_agent(levels={"4.1": 0}, required={"4.1": 2}), c, b, a)
    assert result.module_ids == (20, 21, 22)
    assert [s.origin for s in result.steps] == ["prerequisite", "prerequisite", "gap"]
    assert result.steps[0].reason == "À faire avant « B »."
    assert result.steps[1].reason == "À faire avant « C »."


def test_a_module_a_prerequisite_makes_useless_is_dropped():
    """« Ma messagerie » is taken for 2.1; then the security module needs a long course
    that brings 2.1 to 3 as well: the mailbox is no longer needed."""
    long_course = g.ModuleSpec(70, "long", "Parcours complet", 500, outcomes=(O("2.1", 0, 3),))
    security = g.ModuleSpec(
        71, "secu", "Sécurité", 60, outcomes=(O("4.1", 0, 2),), required_module_ids=(70,)
    )
    mail = g.ModuleSpec(72, "mail", "Courriel", 60, outcomes=(O("2.1", 1, 3),))
    result = plan(
        office_agent(levels={"2.1": 1, "4.1": 0}, required={"2.1": 3, "4.1": 2}),
        long_course,
        security,
        mail,
    )
    assert result.module_ids == (70, 71)
    assert all(step.reason for step in result.steps)
    assert result.unclosed == ()


def test_done_modules_are_neither_proposed_nor_required_again():
    result = plan(
        field_agent(levels={"2.1": 0}, required={"2.1": 3}, done_module_ids=frozenset({1})),
        SMARTPHONE,
        MAIL,
    )
    # The profile still says 0 (attendance gave no evidence): the mailbox, from level 1,
    # cannot be followed yet and the first steps are not proposed twice: the gap is told.
    assert result.module_ids == ()
    assert result.unclosed == (g.UnclosedGap("2.1", 0, 3, g.SOURCE_JOB),)
    result = plan(
        field_agent(levels={"2.1": 1}, required={"2.1": 3}, done_module_ids=frozenset({1})),
        SMARTPHONE,
        MAIL,
    )
    assert result.module_ids == (2,)


def test_a_level_prerequisite_adds_the_module_that_brings_the_level():
    result = plan(office_agent(levels={"1.3": 0, "1.2": 0}, required={"1.3": 2}), SHEET, FILES)
    assert result.module_ids == (3, 4)
    files, sheet = result.steps
    assert files.origin == "prerequisite"
    assert files.reason == "À faire avant « Un premier tableur »."
    assert files.competence == "1.2"
    assert sheet.origin == "gap"


def test_a_level_prerequisite_never_measured_counts_as_level_zero():
    result = plan(office_agent(levels={"1.3": 0}, required={"1.3": 2}), SHEET, FILES)
    assert result.module_ids == (3, 4)


def test_a_level_prerequisite_already_met_adds_nothing():
    result = plan(office_agent(levels={"1.3": 0, "1.2": 1}, required={"1.3": 2}), SHEET, FILES)
    assert result.module_ids == (4,)


def test_a_level_prerequisite_no_module_reaches_is_reported():
    result = plan(office_agent(levels={"1.3": 0, "1.2": 0}, required={"1.3": 2}), SHEET)
    assert result.module_ids == (4,)
    assert result.unclosed == (g.UnclosedGap("1.2", 0, 1, g.SOURCE_PREREQUISITE),)


def test_unreachable_gap_is_reported_with_where_the_catalogue_stops():
    result = plan(
        office_agent(levels={"2.1": 0, "4.1": 1}, required={"2.1": 5, "4.1": 3}),
        SMARTPHONE,
        MAIL,
    )
    assert result.module_ids == (1, 2)
    assert result.unclosed == (
        g.UnclosedGap("2.1", 3, 5, g.SOURCE_JOB),
        g.UnclosedGap("4.1", 1, 3, g.SOURCE_JOB),
    )


def test_never_measured_competences_are_listed_not_planned():
    result = plan(office_agent(levels={}, required={"2.1": 3, "4.1": 2}), SMARTPHONE, PHISHING)
    assert result.steps == ()
    assert result.unmeasured == ("2.1", "4.1")


def test_module_goal_adds_its_module_with_the_goal_reason():
    result = plan(field_agent(goals=(FRESQUE_GOAL,)), FRESQUE)
    (step,) = result.steps
    assert (step.module_id, step.origin, step.goal_id) == (6, "goal", 40)
    assert step.reason == (
        "Objectif de la collectivité : une Fresque du Climat pour chaque agent, "
        "avant le 1er mars 2032."
    )


def test_level_goal_above_the_job_says_it_is_the_goal():
    goal = g.GoalSpec(
        41, "tous au niveau 2 en sécurité", dt.date(2027, 6, 30), competence="4.1", level=2
    )
    result = plan(field_agent(levels={"4.1": 0}, goals=(goal,)), PHISHING)
    (step,) = result.steps
    assert (step.origin, step.goal_id, step.competence) == ("goal", 41, "4.1")
    assert step.reason.startswith("Objectif de la collectivité : tous au niveau 2")


def test_a_level_goal_on_a_never_measured_competence_waits_for_a_measure():
    goal = g.GoalSpec(41, "sécurité", dt.date(2027, 6, 30), competence="4.1", level=2)
    assert plan(field_agent(goals=(goal,)), PHISHING).steps == ()


def test_target_job_reasons_speak_of_the_job_aimed_at():
    result = plan(office_agent(levels={"1.2": 0}, required={"1.2": 2}, target_job=True), FILES)
    (step,) = result.steps
    assert step.origin == "target"
    assert step.reason.startswith("Le métier visé demande de savoir ranger et retrouver")


def test_validated_steps_still_useful_are_kept_over_a_cheaper_module():
    situation = office_agent(
        levels={"2.1": 1}, required={"2.1": 3}, committed_module_ids=frozenset({2})
    )
    assert plan(situation, MAIL, MAIL_ONLINE, SMARTPHONE).module_ids == (2,)


def test_validated_steps_no_longer_useful_are_left_out():
    situation = office_agent(
        levels={"2.1": 3}, required={"2.1": 3}, committed_module_ids=frozenset({2})
    )
    assert plan(situation, MAIL).steps == ()


def test_kept_steps_stay_and_count_for_the_gaps():
    situation = field_agent(levels={"2.1": 1}, required={"2.1": 3}, kept_module_ids=frozenset({5}))
    result = plan(situation, MAIL, MAIL_ONLINE)
    assert result.module_ids == (5,)
    assert result.steps[0].kept


def test_kept_steps_keep_their_order():
    situation = office_agent(kept_module_ids=(6, 3, 1))
    assert plan(situation, SMARTPHONE, FILES, FRESQUE).module_ids == (6, 3, 1)


def test_cancelled_modules_are_not_proposed_again():
    situation = field_agent(
        levels={"2.1": 1}, required={"2.1": 3}, unavailable_module_ids=frozenset({2})
    )
    assert plan(situation, MAIL, MAIL_ONLINE).module_ids == (5,)


def test_modules_open_in_another_pathway_count_but_are_not_added():
    situation = office_agent(
        levels={"2.1": 1},
        required={"2.1": 3},
        elsewhere_module_ids=frozenset({2}),
        target_job=True,
    )
    assert plan(situation, MAIL, MAIL_ONLINE).steps == ()


def test_order_ties_lower_level_first_then_shorter():
    long_ = g.ModuleSpec(30, "long", "Long", 300, outcomes=(O("4.1", 0, 2),))
    short = g.ModuleSpec(31, "court", "Court", 60, outcomes=(O("1.2", 0, 2),))
    higher = g.ModuleSpec(32, "haut", "Haut", 30, outcomes=(O("1.3", 1, 2),))
    result = plan(
        office_agent(
            levels={"4.1": 0, "1.2": 0, "1.3": 1}, required={"4.1": 2, "1.2": 2, "1.3": 2}
        ),
        higher,
        long_,
        short,
    )
    assert result.module_ids == (31, 30, 32)


def test_prerequisite_cycles_in_old_data_do_not_block():
    a = g.ModuleSpec(50, "a", "A", 60, outcomes=(O("1.2", 0, 2),), required_module_ids=(51,))
    b = g.ModuleSpec(51, "b", "B", 60, outcomes=(O("1.3", 0, 2),), required_module_ids=(50,))
    result = plan(office_agent(levels={"1.2": 0, "1.3": 0}, required={"1.2": 2}), a, b)
    assert sorted(result.module_ids) == [50, 51]
    itself = g.ModuleSpec(52, "c", "C", 60, outcomes=(O("4.1", 0, 2),), required_module_ids=(52,))
    assert plan(office_agent(levels={"4.1": 0}, required={"4.1": 2}), itself).module_ids == (52,)


def test_a_required_module_no_longer_offered_does_not_hold_back():
    orphan = g.ModuleSpec(60, "x", "X", 60, outcomes=(O("4.1", 0, 2),), required_module_ids=(99,))
    assert plan(office_agent(levels={"4.1": 0}, required={"4.1": 2}), orphan).module_ids == (60,)


def test_reasons_fit_the_column():
    long_words = g.Catalogue([PHISHING], {"4.1": "x" * 400})
    result = g.plan_pathway(office_agent(levels={"4.1": 0}, required={"4.1": 2}), long_words)
    assert len(result.steps[0].reason) == g.REASON_MAX


def test_the_same_input_gives_the_same_plan():
    situation = field_agent(
        levels={"2.1": 0, "1.3": 0, "1.2": 0},
        required={"2.1": 3, "1.3": 2},
        goals=(FRESQUE_GOAL,),
    )
    modules = (SMARTPHONE, MAIL, FILES, SHEET, MAIL_ONLINE, FRESQUE)
    first = plan(situation, *modules)
    assert first == plan(situation, *reversed(modules))
    assert first.module_ids == (1, 3, 6, 4, 2)
