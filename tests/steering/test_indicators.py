"""Each figure of the dashboard against the hand-computed dataset of dashboard_data."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.steering.dashboard_data import END, START, build
from tremplin.accounts.enums import Role
from tremplin.competences.models import ProfileEntry
from tremplin.steering import indicators
from tremplin.steering.indicators import Period, Scope
from tremplin.training import goals as training_goals

PERIOD = Period(START, END)
TODAY = timezone.localdate()


@pytest.fixture
def data(world):
    return build(world)


def test_unit_table_for_the_whole_collectivite(world, data):
    table = indicators.unit_table(Scope(world.users[Role.ADMIN]), PERIOD, TODAY)
    a, b = table.rows
    assert (a.label, b.label) == ("Direction A", "Direction B")
    # Identities active on 30 June: a1_city (A, since February), b_city (B); a2_city only
    # in July, b_metro requested.
    assert (a.agents, a.identities, a.identity_share) == (4, 1, 25)
    assert (b.agents, b.identities, b.identity_share) == (2, 1, 50)
    # Diagnostic: a2_metro in April (A); b_metro in November 2025 (B, before the period).
    assert (a.diagnosed, a.diagnosed_ever, b.diagnosed, b.diagnosed_ever) == (1, 1, 0, 1)
    # Pix: a1_metro shared in March; a1_city started without sharing.
    assert (a.pix, a.pix_ever, b.pix_ever) == (1, 1, 0)
    # Office job requires 3.1 at 3: a1_metro measured 2 (below), a2_metro 3; b_metro unmeasured.
    assert (a.assessed, a.below, a.below_share, b.assessed) == (2, 1, 50, 0)
    # Present at held sessions: a1_city 120 min + a2_metro 60 min; b_city 120 min.
    assert (a.trained_hours, b.trained_hours) == (3.0, 2.0)
    total = table.total
    assert (total.agents, total.identities, total.identity_share) == (6, 2, 33)
    assert table.elsewhere is None


def test_drilling_into_a_direction_shows_its_services(world, data):
    table = indicators.unit_table(Scope(world.users[Role.ADMIN], unit=world.dir_a), PERIOD, TODAY)
    assert [(r.label, r.agents, r.identities) for r in table.rows] == [
        ("Service A1", 2, 1),
        ("Service A2", 2, 0),
    ]
    assert table.rows[0].drill and not table.rows[1].drill  # A1 has a team below it
    assert (table.total.label, table.total.agents) == ("Total Direction A", 4)


def test_employer_narrows_every_figure(world, data):
    table = indicators.unit_table(Scope(world.users[Role.ADMIN], world.metro), PERIOD, TODAY)
    # Metropole agents: a1_metro, a2_metro (A), b_metro (B); none has an active identity.
    assert [(r.label, r.agents, r.identities) for r in table.rows] == [
        ("Direction A", 2, 0),
        ("Direction B", 1, 0),
    ]


def test_small_cells_are_hidden_from_figure_only_roles(world, data):
    table = indicators.unit_table(
        Scope(world.users[Role.DIRECTION]), PERIOD, TODAY, small_cell=indicators.SMALL_CELL
    )
    (a,) = table.rows  # the direction user sees Direction A only
    assert a.agents == 4 and a.hidden and a.identity_share is None and a.below_share is None


def test_level_distribution(world, data):
    (row,) = indicators.level_distribution(Scope(world.users[Role.ADMIN]), END)
    assert row.competence.code == "3.1"
    assert row.counts == [0, 0, 1, 1, 0, 0, 0, 0, 0]  # one agent at level 2, one at 3
    assert row.bands[1] == ("Novice (1–2)", 1) and row.bands[2] == ("Indépendant (3–4)", 1)
    hidden = indicators.level_distribution(Scope(world.users[Role.DIRECTION]), END, small_cell=5)
    assert hidden[0].hidden


def test_estimates_read_as_whole_levels_rounded_half_up(world, data):
    """A 2.5 estimate is level 3 on the chart and meets a level-3 requirement; 2.49 is
    level 2 and below it: the rule of the agent's profile page, in SQL on both databases."""
    a = world.agents
    a1_metro, a2_metro = a[("Équipe A1a", "metropole")], a[("Service A2", "metropole")]
    ProfileEntry.objects.filter(agent=a1_metro).update(level=Decimal("2.49"))
    ProfileEntry.objects.filter(agent=a2_metro).update(level=Decimal("2.50"))
    (row,) = indicators.level_distribution(Scope(world.users[Role.ADMIN]), END)
    assert row.counts == [0, 0, 1, 1, 0, 0, 0, 0, 0]
    a_row = indicators.unit_table(Scope(world.users[Role.ADMIN]), PERIOD, TODAY).rows[0]
    assert (a_row.assessed, a_row.below) == (2, 1)
    ProfileEntry.objects.filter(agent=a2_metro).update(level=Decimal("2.49"))
    a_row = indicators.unit_table(Scope(world.users[Role.ADMIN]), PERIOD, TODAY).rows[0]
    assert (a_row.assessed, a_row.below) == (2, 2)
    (row,) = indicators.level_distribution(Scope(world.users[Role.ADMIN]), END)
    assert row.counts == [0, 0, 2, 0, 0, 0, 0, 0, 0]


def test_pathway_states(world, data):
    # a1_city all done; a1_metro one done, one proposed; a2_city proposed + validated;
    # b_city validated + cancelled.
    assert indicators.pathway_states(Scope(world.users[Role.ADMIN]), END) == {
        "proposed": 1,
        "validated": 1,
        "in_progress": 1,
        "done": 1,
    }
    assert indicators.pathway_states(Scope(world.users[Role.DIRECTION]), END) == {
        "proposed": 1,
        "validated": 0,
        "in_progress": 1,
        "done": 1,
    }


def test_training_for_everybody(world, data):
    t = indicators.training(Scope(world.users[Role.ADMIN]), PERIOD)
    # March (120 min, 8 seats): a1_city, b_city present, a2_city absent, a1_metro excused.
    # May (60 min, 4 seats): a2_metro present. December 2025 and the cancelled one: out.
    assert (t.present, t.session_minutes, t.no_shows, t.sessions) == (3, 300, 1, 2)
    assert (t.capacity, t.seats_taken, t.fill_rate) == (12, 3, 25)
    # Coaching: 60 min × 2 agents + 30 min × 1 agent = 150 min; (300 + 150) / 60.
    assert (t.coaching_minutes, t.hours) == (150, 7.5)


def test_training_for_direction_a(world, data):
    t = indicators.training(Scope(world.users[Role.DIRECTION]), PERIOD)
    # a1_city 120 + a2_metro 60 present; a2_city absent; the sessions' seats stay whole.
    assert (t.present, t.session_minutes, t.no_shows, t.sessions) == (2, 180, 1, 2)
    assert (t.capacity, t.seats_taken, t.fill_rate) == (12, 3, 25)
    # Coaching: a1_city's 60 min (b_city is not theirs) + a2_city's 30 min.
    assert (t.coaching_minutes, t.hours) == (90, 4.5)


def test_coaching(world, data):
    c = indicators.coaching(Scope(world.users[Role.ADMIN]), indicators.Period(START, END))
    assert (c.entries, c.minutes, c.hours, c.autonomous, c.autonomous_share, c.advisors) == (
        2,
        90,
        1.5,
        1,
        50,
        1,
    )
    assert c.themes == [("Messagerie", 2), ("Téléphone", 1)]
    only_b = indicators.coaching(Scope(world.users[Role.ADMIN], unit=world.dir_b), PERIOD)
    assert (only_b.entries, only_b.minutes) == (1, 60)


def test_goals_reuse_goals_py(world, data):
    today = END
    (mine,) = indicators.goal_progress(Scope(world.users[Role.ADMIN]), today)
    # a1_city and a1_metro each have a done « tableur » step: 2 of 6.
    assert (mine.population, mine.reached, mine.share) == (6, 2, 33)
    (theirs,) = training_goals.progress_of([data["goal"]], world.users[Role.ADMIN], today)
    assert (mine.population, mine.reached, mine.recent) == (
        theirs.population,
        theirs.reached,
        theirs.recent,
    )
    (direction,) = indicators.goal_progress(Scope(world.users[Role.DIRECTION]), today)
    assert (direction.population, direction.reached, direction.share) == (4, 2, 50)
