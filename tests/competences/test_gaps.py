"""Gaps and heat map figures on the small dataset of conftest.gaps_world, against numbers
computed by hand (see the table in its docstring)."""

import pytest

from tests.competences.helpers import measure
from tremplin.competences import gaps
from tremplin.competences.enums import GapListShow, GapStatus
from tremplin.competences.models import Competence

pytestmark = pytest.mark.django_db


def names(agents):
    return [a.last_name for a in agents]


def statuses(agent):
    return {line.competence.code: (line.status, line.gap) for line in gaps.agent_lines(agent)}


def test_lines_of_one_agent(gaps_world):
    assert statuses(gaps_world.b0) == {
        "2.1": (GapStatus.GAP, 2),
        "4.1": (GapStatus.UNMEASURED, 0),
    }
    assert statuses(gaps_world.a1a0) == {"2.1": (GapStatus.GAP, 1), "4.1": (GapStatus.MET, 0)}
    # 2.5 rounds half up to 3: the diagnostic's 2.5 meets a level-3 requirement.
    assert statuses(gaps_world.a21) == {"1.3": (GapStatus.GAP, 1), "3.1": (GapStatus.MET, 0)}
    assert statuses(gaps_world.b1) == {
        "1.3": (GapStatus.UNMEASURED, 0),
        "3.1": (GapStatus.UNMEASURED, 0),
    }


def test_a_level_measured_but_not_required_is_shown_as_not_required(gaps_world):
    measure(gaps_world.b1, "5.2", 4)
    assert statuses(gaps_world.b1)["5.2"] == (GapStatus.NOT_REQUIRED, 0)


def test_just_under_half_a_level_below_is_a_gap(gaps_world):
    measure(gaps_world.b1, "3.1", 2.49, source="diagnostic", sd=0.5)
    assert statuses(gaps_world.b1)["3.1"] == (GapStatus.GAP, 1)
    assert "B1" in names(gaps.agents_with_gaps(gaps_world.users["admin"]))


def test_agents_with_gaps_most_gaps_first(gaps_world):
    admin = gaps_world.users["admin"]
    agents = list(gaps.agents_with_gaps(admin))
    # All have one gap; B0 also has an unmeasured requirement; then by name.
    assert names(agents) == ["B0", "A1a0", "A20", "A21"]
    assert [(a.gap_count, a.unmeasured_count) for a in agents] == [(1, 1), (1, 0), (1, 0), (1, 0)]


def test_agents_not_measured_are_listed_apart(gaps_world):
    admin = gaps_world.users["admin"]
    assert names(gaps.agents_with_gaps(admin, show=GapListShow.UNMEASURED)) == ["B0", "B1", "A1a1"]
    assert len(gaps.agents_with_gaps(admin, show=GapListShow.BOTH)) == 6


def test_filters_by_unit_subtree_job_and_competence(gaps_world):
    admin = gaps_world.users["admin"]
    world = gaps_world.world
    assert names(gaps.agents_with_gaps(admin, unit=world.dir_a)) == ["A1a0", "A20", "A21"]
    assert names(gaps.agents_with_gaps(admin, unit=world.serv_a1)) == ["A1a0"]
    assert names(gaps.agents_with_gaps(admin, job=gaps_world.office_job)) == ["A21"]
    competence = Competence.objects.get(code="2.1")
    by_competence = list(gaps.agents_with_gaps(admin, competence=competence))
    assert names(by_competence) == ["A1a0", "B0"]
    # Counts are about that competence only: B0's unmeasured 4.1 does not count.
    assert [(a.gap_count, a.unmeasured_count) for a in by_competence] == [(1, 0), (1, 0)]


def test_the_list_follows_the_user_scope(gaps_world):
    users = gaps_world.users
    assert names(gaps.agents_with_gaps(users["hr"])) == ["A1a0", "A20", "A21"]
    # The manager leads Équipe A1a (A1a0 is the manager's own record).
    assert names(gaps.agents_with_gaps(users["manager"])) == ["A1a0"]
    assert names(gaps.agents_with_gaps(users["direction"])) == []


def test_departed_agents_are_left_out(gaps_world):
    import datetime as dt

    gaps_world.b0.departure_date = dt.date(2020, 1, 1)
    gaps_world.b0.save()
    assert "B0" not in names(gaps.agents_with_gaps(gaps_world.users["admin"]))
    heat = gaps.heat_map(gaps_world.users["admin"])
    assert figures(heat.total)["2.1"] == (2, 2, 1, 50)


def test_gap_details_of_a_page(gaps_world):
    details = gaps.gap_details([gaps_world.b0, gaps_world.b1, gaps_world.a21])
    b0 = details[gaps_world.b0.pk]
    assert [(c.code, level, required) for c, level, required in b0.gaps] == [("2.1", 0, 2)]
    assert [c.code for c in b0.unmeasured] == ["4.1"]
    assert [c.code for c in details[gaps_world.b1.pk].unmeasured] == ["1.3", "3.1"]
    assert [(c.code, lv, rq) for c, lv, rq in details[gaps_world.a21.pk].gaps] == [("1.3", 1, 2)]


# --- Heat map ---------------------------------------------------------------------------


def figures(row):
    """{code: (required, measured, below, share %)}"""
    return {
        code: (cell.required, cell.measured, cell.below, cell.share)
        for code, cell in zip(
            [c.code for c in Competence.objects.filter(pk__in=row.cells)],
            row.ordered_cells,
            strict=True,
        )
    }


def test_heat_map_per_direction(gaps_world):
    heat = gaps.heat_map(gaps_world.users["admin"])
    assert [c.code for c in heat.competences] == ["1.3", "2.1", "3.1", "4.1"]
    assert [row.label for row in heat.rows] == ["Direction A", "Direction B"]
    direction_a, direction_b = heat.rows
    assert figures(direction_a) == {
        "1.3": (2, 1, 1, 100),
        "2.1": (2, 2, 1, 50),
        "3.1": (2, 2, 0, 0),
        "4.1": (2, 2, 1, 50),
    }
    assert figures(direction_b) == {
        "1.3": (1, 0, 0, None),
        "2.1": (1, 1, 1, 100),
        "3.1": (1, 0, 0, None),
        "4.1": (1, 0, 0, None),
    }
    assert figures(heat.total) == {
        "1.3": (3, 1, 1, 100),
        "2.1": (3, 3, 2, 67),  # 2 of 3, rounded half up
        "3.1": (3, 2, 0, 0),
        "4.1": (3, 2, 1, 50),
    }
    overall = heat.overall
    assert (overall.required, overall.measured, overall.below, overall.unmeasured) == (
        12,
        8,
        4,
        4,
    )
    assert direction_a.drill and not direction_b.drill


def test_heat_map_of_the_sub_units_of_a_unit(gaps_world):
    world = gaps_world.world
    heat = gaps.heat_map(gaps_world.users["admin"], world.dir_a)
    assert [row.label for row in heat.rows] == ["Service A1", "Service A2"]
    service_a1, service_a2 = heat.rows
    assert figures(service_a1) == {
        "1.3": (1, 0, 0, None),
        "2.1": (1, 1, 1, 100),
        "3.1": (1, 1, 0, 0),
        "4.1": (1, 1, 0, 0),
    }
    assert figures(service_a2) == {
        "1.3": (1, 1, 1, 100),
        "2.1": (1, 1, 0, 0),
        "3.1": (1, 1, 0, 0),
        "4.1": (1, 1, 1, 100),
    }
    assert heat.total.label == "Total Direction A"
    assert figures(heat.total)["2.1"] == (2, 2, 1, 50)


def test_heat_map_follows_the_scope_and_hides_small_cells_on_request(gaps_world):
    heat = gaps.heat_map(gaps_world.users["direction"], min_measured=5)
    assert [row.label for row in heat.rows] == ["Direction A"]
    (row,) = heat.rows
    assert all(cell.share is None for cell in row.ordered_cells)
    assert all(cell.hidden for cell in row.ordered_cells if cell.measured)
    assert heat.worst() == []


def test_the_text_summary_names_the_largest_shares(gaps_world):
    # Make one cell big enough for the summary: 10 more measured office agents in Service A2.
    from tests.factories import AgentFactory

    world = gaps_world.world
    for i in range(10):
        agent = AgentFactory(unit=world.serv_a2, job=gaps_world.office_job, last_name=f"X{i}")
        measure(agent, "1.3", 1 if i < 6 else 3)
    heat = gaps.heat_map(gaps_world.users["admin"])
    ((row, competence, cell),) = heat.worst()
    assert (row.label, competence.code, cell.below, cell.measured, cell.share) == (
        "Direction A",
        "1.3",
        7,
        11,
        64,
    )


def test_heat_map_counts_in_sql_not_per_agent(gaps_world, django_assert_num_queries):
    admin = gaps_world.users["admin"]
    admin.role_set  # noqa: B018 (warms the role cache that every request warms too)
    with django_assert_num_queries(4):
        gaps.heat_map(admin)
