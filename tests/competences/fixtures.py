from types import SimpleNamespace

import pytest

from tests.competences.helpers import measure
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Competence, JobRequirement


@pytest.fixture
def gaps_world(world):
    """The world of tests.factories, with what its two jobs require and a few measures.

    Field job: 2.1 level 2, 4.1 level 1. Office job: 3.1 level 3, 1.3 level 2.
    agent (unit, employer)   job     measured                       gaps / not measured
    A1a0 (Équipe A1a, ville)  field  2.1=1, 4.1=1                   2.1 (1 level)
    A1a1 (Équipe A1a, métro)  office 3.1=3                          1.3 not measured
    A20  (Service A2, ville)  field  2.1=2, 4.1=0                   4.1 (1 level)
    A21  (Service A2, métro)  office 3.1=2.5 (diagnostic), 1.3=1    1.3 (1 level)
    B0   (Direction B, ville) field  2.1=0                          2.1 (2 levels), 4.1 not measured
    B1   (Direction B, métro) office nothing                        1.3 and 3.1 not measured
    """
    agents = world.agents
    field_job = agents[("Équipe A1a", "ville")].job
    office_job = agents[("Équipe A1a", "metropole")].job
    codes = dict(Competence.objects.values_list("code", "pk"))
    for job, code, level in [
        (field_job, "2.1", 2),
        (field_job, "4.1", 1),
        (office_job, "3.1", 3),
        (office_job, "1.3", 2),
    ]:
        JobRequirement.objects.create(job=job, competence_id=codes[code], level=level)
    a1a0, a1a1 = agents[("Équipe A1a", "ville")], agents[("Équipe A1a", "metropole")]
    a20, a21 = agents[("Service A2", "ville")], agents[("Service A2", "metropole")]
    b0, b1 = agents[("Direction B", "ville")], agents[("Direction B", "metropole")]
    measure(a1a0, "2.1", 1)
    measure(a1a0, "4.1", 1)
    measure(a1a1, "3.1", 3)
    measure(a20, "2.1", 2)
    measure(a20, "4.1", 0)
    measure(a21, "3.1", 2.5, source=EvidenceSource.DIAGNOSTIC, sd=0.5)
    measure(a21, "1.3", 1)
    measure(b0, "2.1", 0)
    return SimpleNamespace(
        world=world,
        field_job=field_job,
        office_job=office_job,
        a1a0=a1a0,
        a1a1=a1a1,
        a20=a20,
        a21=a21,
        b0=b0,
        b1=b1,
        users=world.users,
    )
