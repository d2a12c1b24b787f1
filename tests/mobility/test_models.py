import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import AgentFactory
from tests.mobility.factories import DAY, FileFactory, PositionFactory
from tremplin.mobility.figures import dashboard_figures
from tremplin.mobility.models import Move, Placement, RedeploymentFile


@pytest.fixture
def file(db):
    return FileFactory(agent=AgentFactory(category="C"))


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_ppr_over_one_year_is_refused(file):
    file.ppr_ends_on = DAY.replace(year=DAY.year + 1)
    assert errors_of(file)["ppr_ends_on"] == ["La PPR dure un an au plus."]
    file.ppr_ends_on = DAY.replace(year=DAY.year + 1) - dt.timedelta(days=1)
    file.full_clean()


def test_ppr_end_before_start_is_refused(file):
    file.ppr_ends_on = DAY - dt.timedelta(days=1)
    assert errors_of(file)["ppr_ends_on"] == ["La fin de la PPR est avant son début."]


def test_ppr_needs_both_dates(file):
    file.ppr_ends_on = None
    assert "ppr_ends_on" in errors_of(file)


@pytest.mark.parametrize(
    "category, no_diploma, doctor, rights",
    [
        ("B", False, False, 25),
        ("C", False, False, 25),
        ("C", True, False, 50),
        ("C", True, True, 200),
    ],
)
def test_hours_rights(db, category, no_diploma, doctor, rights):
    file = FileFactory(
        agent=AgentFactory(category=category), no_level3_diploma=no_diploma, doctor_opinion=doctor
    )
    assert file.hours_rights == rights


def test_fifty_hours_only_for_category_c(db):
    file = FileFactory.build(agent=AgentFactory(category="B"), no_level3_diploma=True)
    assert "no_level3_diploma" in errors_of(file)


def test_hours_used_beyond_balance_change_nothing(file):
    file.use_hours(20)
    with pytest.raises(ValidationError) as caught:
        file.use_hours(10)
    assert caught.value.message_dict["hours"] == ["Il reste 5 h : impossible d'en utiliser 10."]
    file.refresh_from_db()
    assert (file.hours_used, file.hours_balance) == (20, 5)


def test_placement_must_fit_in_the_ppr(file):
    unit = PositionFactory().unit
    placement = Placement(
        file=file, unit=unit, starts_on=DAY - dt.timedelta(days=3), ends_on=DAY + dt.timedelta(3)
    )
    assert errors_of(placement)["starts_on"] == [
        "La mise en situation doit tenir dans les dates de la PPR."
    ]
    placement.starts_on, placement.ends_on = DAY + dt.timedelta(10), DAY + dt.timedelta(5)
    assert errors_of(placement)["ends_on"] == ["La fin est avant le début."]


def test_restriction_never_reaches_the_audit_log(file):
    from tremplin.core.models import AuditEntry

    entries = AuditEntry.objects.filter(target_type="mobility.redeploymentfile")
    assert entries.exists()
    for entry in entries:
        assert "Port de charges" not in str(entry.changes) + entry.summary
        assert entry.changes["agent_id"][1] == "••••"  # nor whose file it is
        assert str(file.agent) not in entry.summary


def test_dashboard_figures_are_counts_only(db):
    opened = FileFactory(agent=AgentFactory(), opened_on=DAY)
    FileFactory(agent=AgentFactory(), opened_on=DAY, ppr_starts_on=None, ppr_ends_on=None)
    position = PositionFactory()
    Move.objects.create(
        agent=opened.agent, to_job=position.job, moved_on=DAY + dt.timedelta(days=90), file=opened
    )
    Move.objects.create(agent=AgentFactory(), to_job=position.job, moved_on=DAY)
    figures = dashboard_figures(today=DAY + dt.timedelta(days=10))
    assert figures == {"moves_done": 2, "agents_in_ppr": 1, "average_days_to_move": 90}
    assert RedeploymentFile.objects.count() == 2
    from tremplin.core.models import AuditEntry

    logged = AuditEntry.objects.filter(target_type="mobility.move")
    assert logged.count() == 2
    assert not any("file_id" in entry.changes for entry in logged)
