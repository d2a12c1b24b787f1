"""New evidence (a diagnostic, a Pix import, an advisor's observation) updates the
agent's open pathway once committed: a step whose level is now reached is done."""

import pytest

from tests.competences.helpers import measure
from tests.factories import AgentFactory, JobFactory
from tests.training.test_pathways import make_module
from tremplin.competences.models import Competence, JobRequirement
from tremplin.diagnostic import pix_import
from tremplin.training import pathways
from tremplin.training.enums import DoneReason, StepStatus
from tremplin.training.models import PathwayStep


@pytest.fixture
def step(db):
    job = JobFactory(title="Gestionnaire")
    JobRequirement.objects.create(job=job, competence=Competence.objects.get(code="1.1"), level=3)
    make_module("recherche", "Chercher une information", outcomes=[("1.1", 0, 3)])
    agent = AgentFactory(job=job, matricule="M0001", last_name="Martin", first_name="Alice")
    measure(agent, "1.1", 1)
    pathways.generate_for([agent.pk])
    return PathwayStep.objects.get(pathway__agent=agent)


@pytest.mark.django_db
def test_an_observation_completes_the_step_once_committed(step, django_capture_on_commit_callbacks):
    assert step.status == StepStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        measure(step.pathway.agent, "1.1", 4)
    step.refresh_from_db()
    assert (step.status, step.done_reason) == (StepStatus.DONE, DoneReason.EVIDENCE)


@pytest.mark.django_db
def test_a_pix_import_refreshes_the_pathways_it_touches(step, django_capture_on_commit_callbacks):
    from tests.diagnostic.test_pix_views import export

    agent = step.pathway.agent
    data = export([(agent.last_name, agent.first_name, agent.matricule, True, 5)])
    with django_capture_on_commit_callbacks(execute=True):
        plan, result = pix_import.import_file(data, wet=True)
    assert result["evidence"] == 1
    step.refresh_from_db()
    assert step.status == StepStatus.DONE


@pytest.mark.django_db
def test_nothing_happens_before_commit(step, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        measure(step.pathway.agent, "1.1", 4)
    step.refresh_from_db()
    assert step.status == StepStatus.PROPOSED
    assert len(callbacks) == 1
