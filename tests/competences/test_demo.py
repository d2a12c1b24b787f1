"""Demo data: what the seeded jobs require, and evidence that makes the heat map mean
something, written by seed_demo."""

from io import StringIO

import pytest
from django.core.management import call_command

from tremplin.competences import demo
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Evidence, JobRequirement, ProfileEntry
from tremplin.competences.services import recompute_profiles
from tremplin.organisation.enums import IdentityStatus, WorkKind
from tremplin.organisation.models import Agent, Job

SMALL = 300


def seed(*args, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def small_demo(db):
    return seed(agents=SMALL, seed=1)


def evidence_snapshot():
    return sorted(
        Evidence.objects.values_list(
            "agent__matricule", "competence__code", "source", "level", "sd", "observed_on"
        )
    )


def test_believable_requirements_for_each_kind_of_job():
    field = demo.requirements_for("Agent(e) de propreté urbaine", "Propreté et hygiène", "field")
    assert field == {"2.1": 1, "4.1": 1, "5.1": 1}
    care = demo.requirements_for("Aide-soignant(e)", "Soins et accompagnement", "field")
    assert care["2.1"] == 2 and care["4.2"] == 2
    office = demo.requirements_for("Secrétaire", "Administration générale", "office")
    assert office["3.1"] == 3 and office["1.3"] == 2 and office["3.3"] == 3
    assert demo.requirements_for("Graphiste", "Communication", "office")["3.2"] == 5


def test_every_seeded_job_requires_something(small_demo):
    assert "Compétences :" in small_demo
    jobs = Job.objects.count()
    assert JobRequirement.objects.values("job").distinct().count() == jobs
    for job in Job.objects.filter(work_kind=WorkKind.FIELD):
        levels = dict(job.competence_requirements.values_list("competence__code", "level"))
        assert 1 <= levels["2.1"] <= 3 and levels["4.1"] >= 1 and levels["5.1"] >= 1


def test_evidence_is_believable(small_demo):
    office = Agent.objects.filter(job__work_kind=WorkKind.OFFICE, departure_date__isnull=True)
    far = Agent.objects.filter(job__work_kind=WorkKind.FIELD).exclude(
        identity__status=IdentityStatus.ACTIVE
    )
    pix = Evidence.objects.filter(source=EvidenceSource.PIX)
    assert pix.exists() and not pix.filter(agent__job__work_kind=WorkKind.FIELD).exists()
    measured_office = office.filter(evidence__source=EvidenceSource.PIX).distinct().count()
    assert 0.5 < measured_office / office.count() < 0.9
    # Those far from digital tools: few measured yet, by advisors at low levels, by the
    # diagnostic some of them already took, or by a training session they attended.
    far_evidence = Evidence.objects.filter(agent__in=far)
    assert set(far_evidence.values_list("source", flat=True)) <= {
        EvidenceSource.ADVISOR,
        EvidenceSource.DIAGNOSTIC,
        EvidenceSource.TRAINING,
    }
    assert far_evidence.filter(source=EvidenceSource.ADVISOR, level__gt=2).count() == 0
    assert far_evidence.values("agent").distinct().count() < 0.35 * far.count()
    # The demo agent's own page has something to say.
    assert Evidence.objects.filter(agent__user__username="agent").exists()


def test_profiles_are_what_the_merge_rule_gives(small_demo):
    pairs = list(ProfileEntry.objects.values_list("agent_id", "competence_id"))
    assert pairs
    assert recompute_profiles(pairs) == 0


def test_same_seed_same_evidence_and_reset_is_clean(small_demo):
    first = evidence_snapshot()
    seed("--reset", agents=SMALL, seed=1)
    assert evidence_snapshot() == first
    assert JobRequirement.objects.count() == len(
        set(JobRequirement.objects.values_list("job", "competence"))
    )
