import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from tests.steering.dashboard_data import END, build
from tremplin.accounts.enums import Role
from tremplin.steering import snapshots
from tremplin.steering.indicators import Scope
from tremplin.steering.models import IndicatorSnapshot


@pytest.fixture
def data(world):
    return build(world)


def _value(key, unit=None, day=END):
    return IndicatorSnapshot.objects.get(date=day, key=key, unit=unit, employer=None)


def test_snapshot_is_idempotent_and_as_of_its_date(world, data):
    call_command("snapshot_indicators", "--date", END.isoformat(), verbosity=0)
    first = set(IndicatorSnapshot.objects.values_list("unit_id", "employer_id", "key", "value"))
    call_command("snapshot_indicators", "--date", END.isoformat(), verbosity=0)
    assert (
        set(IndicatorSnapshot.objects.values_list("unit_id", "employer_id", "key", "value"))
        == first
    )
    assert IndicatorSnapshot.objects.count() == len(first)
    # On 30 June: a1_city and b_city had an active identity, 2 of 6.
    whole = _value("identity_share")
    assert (whole.value, whole.numerator, whole.denominator) == (33, 2, 6)
    assert _value("identity_share", world.dir_a).value == 25
    # June: only a2_city's 30 min coaching.
    assert _value("training_hours").value == 0.5
    # A past day: the share below the requirement is not rebuilt.
    assert not IndicatorSnapshot.objects.filter(key="below_share").exists()


def test_backfill_writes_past_month_ends(world, data):
    call_command("snapshot_indicators", "--date", END.isoformat(), "--backfill", "3", verbosity=0)
    days = sorted(set(IndicatorSnapshot.objects.values_list("date", flat=True)))
    assert days == [dt.date(2026, 3, 31), dt.date(2026, 4, 30), dt.date(2026, 5, 31), END]
    # March: the tableur session (a1_city, b_city 120 min each) and no coaching: 4 h.
    assert _value("training_hours", day=dt.date(2026, 3, 31)).value == 4.0


def test_trend_of_a_direction_user_is_their_direction(world, data):
    call_command("snapshot_indicators", "--date", END.isoformat(), "--backfill", "1", verbosity=0)
    target = snapshots.trend_target(Scope(world.users[Role.DIRECTION]))
    assert target == (world.dir_a.pk, None)
    series = snapshots.trend(target, ["identity_share"])
    assert [v for _d, v in series["identity_share"]] == [25, 25]
    assert snapshots.trend_target(Scope(world.users[Role.ADMIN])) == (None, None)


def test_future_date_refused(db):
    with pytest.raises(CommandError):
        call_command("snapshot_indicators", "--date", "2999-01-01", verbosity=0)


def test_a_direction_for_the_whole_collectivite_gets_its_trend_and_the_shared_figures(
    world, data, client
):
    """The DGA's account: direction role without employer or unit. Its history is the
    collectivité's, and devices and moves (counted for everyone only) show."""
    from tests.factories import user_with_role

    call_command("snapshot_indicators", "--date", END.isoformat(), "--backfill", "1", verbosity=0)
    dga = user_with_role(Role.DIRECTION)
    assert Scope(dga).is_everything
    assert snapshots.trend_target(Scope(dga)) == (None, None)
    assert not Scope(world.users[Role.DIRECTION]).is_everything
    client.force_login(dga)
    board = client.get("/pilotage/").context["board"]
    assert board.trends["identity_share"] and board.equipment is not None


def test_units_grouped_figures_equal_each_units_own(world, data):
    """The snapshot counts every unit's training and goals with grouped queries summed up
    the tree; on each unit they must equal the dashboard's own count for that unit."""
    from tremplin.organisation.models import OrgUnit
    from tremplin.steering.indicators import Period

    units = list(OrgUnit.objects.all())
    kept = {u.pk for u in units if u.depth <= snapshots.SNAPSHOT_DEPTH}
    for month in (
        Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        Period(END.replace(day=1), END),
    ):
        grouped = snapshots._units_figures(units, kept, month, month.end)
        for unit in units:
            if unit.pk in kept:
                own = snapshots._scope_figures(Scope(None, None, unit), month, month.end)
                assert grouped[unit.pk] == own, unit.name
    assert any(v[0] for figures in grouped.values() for v in figures.values())


def test_nightly_runs_keep_one_date_a_month(world, data):
    """A year of nightly runs leaves twelve dates, not 365: each night drops the earlier
    nights of its month; a past day recomputed later drops nothing and is not shown
    after its month's last night."""
    for night in (dt.date(2026, 5, 31), dt.date(2026, 6, 10), dt.date(2026, 6, 20)):
        snapshots.write(night, today=night)
    kept = sorted(set(IndicatorSnapshot.objects.values_list("date", flat=True)))
    assert kept == [dt.date(2026, 5, 31), dt.date(2026, 6, 20)]
    call_command("snapshot_indicators", "--date", "2026-06-05", verbosity=0)
    assert IndicatorSnapshot.objects.filter(date=dt.date(2026, 6, 20)).exists()
    series = snapshots.trend((None, None), ["identity_share"])
    assert [day for day, _value in series["identity_share"]] == [
        dt.date(2026, 5, 31),
        dt.date(2026, 6, 20),
    ]


def test_trends_table_has_a_row_a_month_and_a_column_a_figure(world, data, client):
    import csv
    import io

    for day in ("2026-05-31", "2026-06-20"):
        call_command("snapshot_indicators", "--date", day, verbosity=0)
    client.force_login(world.users[Role.ADMIN])
    response = client.get("/pilotage/tableaux/tendances.csv")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:3] == ["Arrêté au", "Identité numérique active", "Diagnostic fait"]
    assert "Heures de formation (séances et accompagnements)" in header
    assert [row[0] for row in rows] == ["31/05/2026", "20/06/2026"]
    # 33 %, written as a whole number, as the page shows it; hours keep their decimal.
    assert _value("identity_share", day=dt.date(2026, 6, 20)).value == 33
    assert rows[1][1] == "33"
    hours = header.index("Heures de formation (séances et accompagnements)")
    assert rows[1][hours] == "0,5"  # June: a2_city's 30 min coaching
    page = client.get("/pilotage/").content.decode()
    table = page[page.index('aria-label="Tableau : Tendances"') :]
    assert table.index(">Arrêté au</th>") < table.index(">31/05/2026</th>")
    assert table.index(">31/05/2026</th>") < table.index(">20/06/2026</th>")
