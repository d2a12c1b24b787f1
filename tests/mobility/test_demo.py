import datetime as dt

import pytest

from tests.factories import AgentFactory
from tremplin.competences.models import Competence, JobRequirement
from tremplin.mobility import demo
from tremplin.mobility.figures import dashboard_figures
from tremplin.mobility.models import Move, Position, RedeploymentFile, Wish

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def workforce(world):
    office = world.agents[("Équipe A1a", "metropole")].job
    field = world.agents[("Équipe A1a", "ville")].job
    JobRequirement.objects.create(
        job=office, competence=Competence.objects.get(code="3.1"), level=3
    )
    for _ in range(30):
        AgentFactory(unit=world.serv_a2, job=field, site=world.site, category="C")
    return world


def _fingerprint():
    return (
        sorted(Position.objects.values_list("job_id", "unit_id", "starts_on", "status")),
        sorted(RedeploymentFile.objects.values_list("agent_id", "opened_on", "hours_used")),
        sorted(Move.objects.values_list("agent_id", "moved_on")),
    )


@pytest.mark.django_db
def test_demo_seeds_positions_wishes_files_and_moves(workforce):
    counts = demo.seed(seed=3, today=TODAY)
    assert counts["postes"] == Position.objects.count() == demo.POSITIONS
    assert counts["souhaits"] == Wish.objects.count() == 33  # every field agent (under demo.WISHES)
    assert counts["dossiers de reclassement"] == RedeploymentFile.objects.count() == demo.FILES + 3
    assert counts["mobilités faites"] == Move.objects.count() == demo.MOVES
    for file in RedeploymentFile.objects.select_related("agent"):
        file.full_clean()  # PPR within a year, hours within the rights
    figures = dashboard_figures(today=TODAY)
    assert figures["moves_done"] == demo.MOVES
    assert figures["average_days_to_move"] is not None
    first = _fingerprint()
    demo.wipe()
    assert not Position.objects.exists() and not RedeploymentFile.objects.exists()
    demo.seed(seed=3, today=TODAY)
    assert _fingerprint() == first
