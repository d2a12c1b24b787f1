"""The demo pathways: templates for the main job families, a pathway per agent, a few
steps validated or started, and Fresque du Climat sessions attended over six months."""

import datetime as dt

from tests.competences.helpers import measure
from tests.factories import AgentFactory
from tremplin.core.models import AuditEntry
from tremplin.training import demo_catalogue, demo_goals, demo_pathways
from tremplin.training.enums import DoneReason, StepStatus
from tremplin.training.models import Pathway, PathwayStep, PathwayTemplate

TODAY = dt.date(2025, 9, 1)


def test_demo_pathways(gaps_world):
    world = gaps_world.world
    for i in range(60):
        agent = AgentFactory(job=gaps_world.field_job, unit=world.serv_a2, last_name=f"Demo{i}")
        if i % 3 == 0:
            measure(agent, "2.1", 0)
    demo_catalogue.seed(seed=1)
    demo_goals.seed(seed=1, today=TODAY)

    counts = demo_pathways.seed(seed=1, today=TODAY)

    templates = {t.job_family: t for t in PathwayTemplate.objects.all()}
    assert set(templates) == {"Propreté", "Administration"}
    assert list(templates["Propreté"].steps.values_list("module__code", flat=True)) == [
        "smartphone",
        "intranet-paie",
        "securite",
        "demarches",
    ]
    assert counts["parcours types"] == 2
    # Every agent gets the Fresque du Climat goal: 66 pathways.
    assert counts["parcours"] == Pathway.objects.count() == 66
    done = PathwayStep.objects.filter(status=StepStatus.DONE)
    assert counts["Fresques du Climat suivies"] == done.count() > 0
    assert set(done.values_list("module__code", flat=True)) == {"fresque-du-climat"}
    assert set(done.values_list("done_reason", flat=True)) == {DoneReason.ATTENDANCE}
    assert all(
        TODAY - dt.timedelta(days=182) <= d <= TODAY for d in done.values_list("done_on", flat=True)
    )
    committed = PathwayStep.objects.filter(
        status__in=[StepStatus.VALIDATED, StepStatus.IN_PROGRESS]
    )
    assert committed.count() == counts["étapes validées"] + counts["étapes en cours"] > 0
    assert committed.filter(position=1).count() == committed.count()  # first steps only
    # Every change is in the history of its step.
    changed = {
        str(pk)
        for pk in PathwayStep.objects.exclude(status=StepStatus.PROPOSED).values_list(
            "pk", flat=True
        )
    }
    audited = set(
        AuditEntry.objects.filter(target_type="training.pathwaystep", action="update").values_list(
            "target_id", flat=True
        )
    )
    assert changed <= audited
