"""The catalogue's pure rules: the prerequisite graph and the recommendation triggers.
No database: plain data in, plain data out."""

import dataclasses
from itertools import pairwise

import pytest

from tremplin.training.catalogue import (
    Catalogue,
    CatalogueModule,
    LevelPrerequisite,
    Outcome,
    cycle_through,
    describe_cycle,
    find_cycle,
    prerequisite_order,
    shortest_path,
)

# --- Cycles ------------------------------------------------------------------------------------


def is_closed_walk(cycle, requires):
    """(a, b, …, a) where each step follows an edge."""
    return cycle[0] == cycle[-1] and all(b in requires.get(a, ()) for a, b in pairwise(cycle))


def test_an_acyclic_graph_has_no_cycle():
    requires = {
        "visio": ["messagerie"],
        "tableur": ["document"],
        "partage": ["messagerie", "document"],
    }
    assert find_cycle(requires) is None


@pytest.mark.parametrize(
    "requires",
    [
        {"a": ["b"], "b": ["a"]},
        {"a": ["b"], "b": ["c"], "c": ["a"]},
        {"x": [], "a": ["b"], "b": ["c"], "c": ["d"], "d": ["b"]},
        {"a": ["a"]},
    ],
    ids=["two", "three", "four-with-a-tail", "itself"],
)
def test_a_cycle_is_found_and_returned_closed(requires):
    cycle = find_cycle(requires)
    assert cycle is not None
    assert is_closed_walk(cycle, requires)


def test_the_cycle_found_leaves_out_the_path_leading_to_it():
    requires = {"start": ["a"], "a": ["b"], "b": ["c"], "c": ["a"]}
    assert set(find_cycle(requires)) == {"a", "b", "c"}


def test_a_long_chain_does_not_hit_the_recursion_limit():
    chain = {i: [i + 1] for i in range(5000)}
    assert find_cycle(chain) is None
    chain[5000] = [0]
    assert len(find_cycle(chain)) == 5002


def test_shortest_path_follows_needs_edges():
    requires = {1: [2, 3], 2: [4], 3: [4], 4: []}
    assert shortest_path(requires, 1, 4) in {(1, 2, 4), (1, 3, 4)}
    assert shortest_path(requires, 4, 1) is None


def test_cycle_through_a_new_prerequisite_is_named_from_the_edited_module():
    saved = {"tableur": ["messagerie"]}
    assert cycle_through(saved, "messagerie", ["tableur"]) == (
        "messagerie",
        "tableur",
        "messagerie",
    )


def test_a_longer_cycle_is_named_whole():
    saved = {"a": ["b"], "b": ["c"]}
    assert cycle_through(saved, "c", ["a"]) == ("c", "a", "b", "c")


def test_the_shortest_cycle_is_named_when_there_are_several():
    saved = {"a": ["b"], "b": ["c"], "d": ["c"]}
    assert cycle_through(saved, "c", ["a", "d"]) == ("c", "d", "c")


def test_the_edited_modules_saved_edges_are_replaced_not_added():
    # c needed a (a cycle with a → b → c); the edit gives c another prerequisite instead.
    saved = {"a": ["b"], "b": ["c"], "c": ["a"]}
    assert cycle_through(saved, "c", ["x"]) is None


def test_requiring_itself_is_a_cycle():
    assert cycle_through({}, "a", ["a"]) == ("a", "a")


def test_a_cycle_is_described_with_titles():
    titles = {1: "Messagerie", 2: "Tableur"}
    assert describe_cycle((1, 2, 1), titles) == "« Messagerie » → « Tableur » → « Messagerie »"


# --- Order -------------------------------------------------------------------------------------


def test_prerequisites_come_first_then_catalogue_order():
    requires = {1: [3], 2: [], 3: [], 4: [2]}
    position = {1: 10, 2: 40, 3: 30, 4: 20}
    assert prerequisite_order([1, 2, 3, 4], requires, position) == [3, 1, 2, 4]


def test_order_ignores_prerequisites_outside_the_set():
    requires = {1: [9], 2: [1]}
    assert prerequisite_order([2, 1], requires, {1: 20, 2: 10}) == [1, 2]


def test_modules_caught_in_a_cycle_still_come_out_last():
    requires = {1: [2], 2: [1], 3: []}
    assert prerequisite_order([1, 2, 3], requires, {1: 1, 2: 2, 3: 3}) == [3, 1, 2]


# --- Triggers ----------------------------------------------------------------------------------


def module(id, code, outcomes=(), requires=(), levels=(), **fields):
    values = {
        "id": id,
        "code": code,
        "title": code.capitalize(),
        "position": id * 10,
        "duration_minutes": 90,
        "format": "group",
        "audience": "all",
        "job_families": (),
        "needs_device": False,
        "outcomes": tuple(Outcome(*o) for o in outcomes),
        "required_module_ids": tuple(requires),
        "level_prerequisites": tuple(LevelPrerequisite(*p) for p in levels),
    }
    values.update(fields)
    return CatalogueModule(**values)


@pytest.fixture
def demo_like():
    return Catalogue(
        (
            module(1, "smartphone", [("5.2", 0, 1)], audience="field"),
            module(2, "messagerie", [("2.1", 0, 2)], levels=[("5.2", 1)]),
            module(3, "visio", [("2.1", 2, 3)], requires=[2], audience="office"),
            module(4, "document", [("3.1", 0, 2)], levels=[("5.2", 1)]),
            module(5, "tableur", [("1.3", 0, 2)], requires=[4]),
            module(6, "accompagnement", [("5.2", 0, 2)], duration_minutes=60, format="coaching"),
            module(8, "tablette", [("5.2", 0, 2)], duration_minutes=120),
            module(7, "cnfpt", [("2.1", 3, 5)], job_families=("Direction et encadrement",)),
        )
    )


def test_catalogue_data_is_frozen(demo_like):
    with pytest.raises(dataclasses.FrozenInstanceError):
        demo_like.modules[0].title = "Autre"
    assert demo_like.by_code["visio"].outcomes == (("2.1", 2, 3),)


def test_a_module_is_triggered_below_the_level_it_brings(demo_like):
    assert [m.code for m in demo_like.triggered_by("2.1", 0)] == ["messagerie"]
    assert [m.code for m in demo_like.triggered_by("2.1", 2)] == ["visio"]
    assert demo_like.triggered_by("2.1", 5) == ()


def test_group_modules_come_before_coaching_then_the_one_going_highest(demo_like):
    assert [m.code for m in demo_like.triggered_by("5.2", 0)] == [
        "tablette",
        "smartphone",
        "accompagnement",
    ]
    assert [m.code for m in demo_like.triggered_by("5.2", 1)] == ["tablette", "accompagnement"]


def test_suits_keeps_modules_meant_for_the_agent(demo_like):
    office = demo_like.by_code["visio"]
    assert office.suits(work_kind="office", job_family="Finances")
    assert not office.suits(work_kind="field", job_family="Finances")
    cnfpt = demo_like.by_code["cnfpt"]
    assert cnfpt.suits(work_kind="office", job_family="Direction et encadrement")
    assert not cnfpt.suits(work_kind="office", job_family="Finances")


def test_path_to_level_chains_modules(demo_like):
    assert [m.code for m in demo_like.path_to_level("2.1", 0, 5)] == [
        "messagerie",
        "visio",
        "cnfpt",
    ]
    assert [m.code for m in demo_like.path_to_level("2.1", 1, 3)] == ["messagerie", "visio"]
    assert demo_like.path_to_level("2.1", 3, 3) == ()


def test_path_to_level_respects_who_the_module_is_for(demo_like):
    def field(m):
        return m.suits(work_kind="field", job_family="Propreté")

    # Visio is for office agents: the path stops at what a field agent can follow.
    assert [m.code for m in demo_like.path_to_level("2.1", 0, 3, suits=field)] == ["messagerie"]


def test_path_to_level_starts_with_the_lowest_module_when_none_fits():
    catalogue = Catalogue((module(1, "avance", [("1.3", 2, 4)]),))
    assert [m.code for m in catalogue.path_to_level("1.3", 0, 3)] == ["avance"]


def test_preparation_adds_unmet_prerequisites_in_order(demo_like):
    visio = demo_like.by_code["visio"]
    # A beginner: messagerie, which needs 5.2 level 1 first (the group module going
    # highest), before visio.
    before = demo_like.preparation_for(visio, {})
    assert [m.code for m in before] == ["tablette", "messagerie"]


def test_preparation_skips_what_the_profile_already_shows(demo_like):
    visio = demo_like.by_code["visio"]
    assert demo_like.preparation_for(visio, {"2.1": 2, "5.2": 1}) == ()
    # Messagerie done, even if the profile was not updated yet.
    assert demo_like.preparation_for(visio, {"5.2": 1}, done_ids=[2]) == ()


def test_preparation_keeps_level_paths_suited_to_the_agent(demo_like):
    tableur = demo_like.by_code["tableur"]

    def field(m):
        return m.suits(work_kind="field", job_family="Propreté")

    before = demo_like.preparation_for(tableur, {}, suits=field)
    assert [m.code for m in before] == ["tablette", "document"]

    def office(m):
        return m.suits(work_kind="office", job_family="Finances") and m.code != "tablette"

    # Smartphone is for field agents: an office agent gets there with coaching.
    before = demo_like.preparation_for(tableur, {}, suits=office)
    assert [m.code for m in before] == ["accompagnement", "document"]


def test_a_module_without_outcomes_is_never_reached_by_the_profile():
    catalogue = Catalogue((module(1, "fresque"), module(2, "suite", requires=[1])))
    assert [m.code for m in catalogue.preparation_for(catalogue.by_id[2], {"4.3": 8})] == [
        "fresque"
    ]
