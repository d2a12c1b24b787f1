"""Recording evidence keeps the profile in step, and keeps the estimates it replaces."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.competences.helpers import DAY, audited_evidence, measure
from tests.factories import AgentFactory
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Competence, Evidence, ProfileEntry, ProfileHistory
from tremplin.competences.services import (
    EvidenceError,
    EvidenceInput,
    recompute_profiles,
    record_evidence,
    record_evidence_bulk,
)
from tremplin.core.audit import acting_as, diff, snapshot
from tremplin.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return AgentFactory()


def entry(agent, code):
    return ProfileEntry.objects.get(agent=agent, competence__code=code)


def test_recording_evidence_creates_the_profile_entry(agent):
    measure(agent, "4.1", 3)
    profile = entry(agent, "4.1")
    assert profile.level == Decimal("3.00")
    assert profile.sd == Decimal("0.50")
    assert profile.measured_on == DAY
    assert profile.evidence_count == 1
    assert profile.main_source == EvidenceSource.PIX
    assert not ProfileHistory.objects.exists()


def test_new_evidence_updates_the_profile_and_keeps_the_old_estimate(agent):
    measure(agent, "2.1", 2, source=EvidenceSource.ADVISOR)
    measure(agent, "2.1", 4, source=EvidenceSource.ADVISOR, on=DAY + dt.timedelta(days=365))
    profile = entry(agent, "2.1")
    # The worked example of merge.py: 3.2 ± 0.77.
    assert (profile.level, profile.sd, profile.evidence_count) == (
        Decimal("3.20"),
        Decimal("0.77"),
        2,
    )
    (old,) = ProfileHistory.objects.filter(agent=agent)
    assert (old.level, old.sd, old.measured_on, old.evidence_count) == (
        Decimal("2.00"),
        Decimal("1.00"),
        DAY,
        1,
    )
    assert old.replaced_at >= old.computed_at
    assert ProfileEntry.objects.filter(agent=agent).count() == 1


def test_other_competences_of_the_agent_are_left_alone(agent):
    measure(agent, "1.1", 3)
    before = entry(agent, "1.1").computed_at
    measure(agent, "2.1", 1)
    assert entry(agent, "1.1").computed_at == before
    assert not ProfileHistory.objects.exists()


def test_a_recomputation_that_changes_nothing_keeps_no_history(agent):
    measure(agent, "3.1", 3)
    changed = recompute_profiles([(agent.pk, Competence.objects.get(code="3.1").pk)])
    assert changed == 0
    assert not ProfileHistory.objects.exists()


def test_author_and_origin_are_kept(agent, world):
    advisor = world.users["advisor"]
    with acting_as(advisor):
        evidence = record_evidence(
            agent=agent, competence="5.1", level=Decimal("1.5"), source=EvidenceSource.ADVISOR
        )
    assert evidence.author == advisor
    assert evidence.observed_on == dt.date.today()
    other = record_evidence(
        agent=agent,
        competence=Competence.objects.get(code="5.1"),
        level=2,
        source=EvidenceSource.DIAGNOSTIC,
        origin=world.site,
        sd=0.6,
    )
    assert other.origin == world.site
    assert other.origin_type == ContentType.objects.get_for_model(world.site)
    assert AuditEntry.objects.filter(target_type="competences.evidence").count() == 2


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"level": 9}, "un niveau va de 0 à 8"),
        ({"level": -1}, "un niveau va de 0 à 8"),
        ({"level": "beaucoup"}, "n'est pas un nombre"),
        ({"source": "rumour"}, "Source inconnue"),
        ({"competence": "9.9"}, "Compétence inconnue : 9.9"),
        ({"sd": -0.5}, "ne peut pas être négative"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_written(agent, changes, message):
    arguments = {"agent": agent, "competence": "1.1", "level": 2, "source": "pix", **changes}
    with pytest.raises(EvidenceError, match=message):
        record_evidence(**arguments)
    assert not Evidence.objects.exists() and not ProfileEntry.objects.exists()


def test_bulk_recording_for_imports(agent):
    other = AgentFactory()
    measure(agent, "1.1", 1, on=DAY - dt.timedelta(days=30))
    result = record_evidence_bulk(
        [
            EvidenceInput(agent.pk, "1.1", 1, EvidenceSource.PIX, DAY, origin_label="Campagne X"),
            EvidenceInput(agent.pk, "1.2", "2,5", EvidenceSource.DIAGNOSTIC, DAY, sd=0.5),
            EvidenceInput(other.pk, "1.1", 6, EvidenceSource.PIX, DAY),
        ]
    )
    assert result == {"evidence": 3, "profiles_changed": 3}
    assert entry(agent, "1.1").evidence_count == 2
    assert entry(agent, "1.2").level == Decimal("2.50")
    assert entry(other, "1.1").level == Decimal("6.00")
    # The agent's 1.1 changed (one more observation, narrower uncertainty): history kept.
    assert ProfileHistory.objects.filter(agent=agent, competence__code="1.1").count() == 1
    # Every evidence is audited, bulk or not.
    assert set(audited_evidence()) == set(Evidence.objects.values_list("pk", flat=True))
    assert Evidence.objects.get(origin_label="Campagne X").level == 1


def test_bulk_recording_keeps_the_origin(agent, world):
    record_evidence_bulk(
        [EvidenceInput(agent.pk, "2.3", 2, EvidenceSource.PIX, DAY, origin=world.site)]
    )
    assert Evidence.objects.get(agent=agent).origin == world.site


def test_bulk_recording_is_all_or_nothing(agent):
    with pytest.raises(EvidenceError):
        record_evidence_bulk(
            [
                EvidenceInput(agent.pk, "1.1", 1, EvidenceSource.PIX, DAY),
                EvidenceInput(agent.pk, "1.2", 12, EvidenceSource.PIX, DAY),
            ]
        )
    assert not Evidence.objects.exists()


def test_removing_all_evidence_removes_the_entry_and_keeps_it_in_history(agent):
    measure(agent, "4.2", 2)
    Evidence.objects.filter(agent=agent).delete()
    recompute_profiles([(agent.pk, Competence.objects.get(code="4.2").pk)])
    assert not ProfileEntry.objects.filter(agent=agent).exists()
    assert ProfileHistory.objects.get(agent=agent).level == 2


def test_bulk_audit_entries_and_profiles_match_the_one_by_one_path(agent, world):
    """The bulk path writes rows itself: its audit entries must say what
    audit.diff(None, snapshot(evidence)) says, and its profile what record_evidence gives."""
    other = AgentFactory()
    advisor = world.users["advisor"]
    observations = [
        ("1.1", "2,5", EvidenceSource.DIAGNOSTIC, 0.6, world.site, "Campagne X", "vu"),
        ("1.1", 4, EvidenceSource.PIX, None, None, "", ""),
        ("3.2", 1, EvidenceSource.ADVISOR, None, None, "", ""),
    ]
    with acting_as(advisor):
        for code, level, source, sd, origin, label, note in observations:
            record_evidence(
                agent=agent,
                competence=code,
                level=level,
                source=source,
                observed_on=DAY,
                sd=sd,
                origin=origin,
                origin_label=label,
                note=note,
            )
        record_evidence_bulk(
            [
                EvidenceInput(other.pk, code, level, source, DAY, sd, origin, label, note)
                for code, level, source, sd, origin, label, note in observations
            ]
        )
    audited = audited_evidence()
    for evidence in Evidence.objects.filter(agent=other):
        logged, changes = audited[evidence.pk]
        # Three sources: three batches of one observation, each saying what one entry would.
        assert logged.target_id == str(evidence.pk)
        assert logged.summary == str(evidence)
        assert changes == diff(None, snapshot(evidence))
        assert logged.actor == advisor
    fields = ["competence_id", "level", "sd", "measured_on", "evidence_count", "main_source"]
    assert list(ProfileEntry.objects.filter(agent=other).values_list(*fields)) == list(
        ProfileEntry.objects.filter(agent=agent).values_list(*fields)
    )
    # One recomputation for the whole batch: no intermediate estimate to keep.
    assert not ProfileHistory.objects.filter(agent=other).exists()


def test_bulk_audit_has_one_entry_per_agent_and_origin_that_lists_every_observation(agent, world):
    """An import's participation gives an agent a dozen observations from one origin: one
    audit entry says all of them, each as its own entry would have."""
    other = AgentFactory()
    codes_levels = [("1.1", 1), ("1.2", 2), ("2.1", 3), ("3.4", 6)]
    with acting_as(world.users["advisor"]):
        record_evidence_bulk(
            [
                EvidenceInput(a.pk, code, level, EvidenceSource.PIX, DAY, origin=world.site)
                for a in (agent, other)
                for code, level in codes_levels
            ]
        )
    entries = AuditEntry.objects.filter(target_type="competences.evidence").order_by("pk")
    assert entries.count() == 2
    first = entries[0]
    ids = sorted(Evidence.objects.filter(agent=agent).values_list("pk", flat=True))
    assert first.changes["id"] == [None, ids]
    assert first.changes["agent_id"] == [None, agent.pk]
    assert first.changes["level"] == [None, ["1.00", "2.00", "3.00", "6.00"]]
    assert first.target_id == f"{ids[0]}-{ids[-1]}"
    assert first.summary == (
        "1.1 niveau 1.00, 1.2 niveau 2.00, 2.1 niveau 3.00, 3.4 niveau 6.00 "
        "(Pix (import), 10/03/2025)"
    )
    audited = audited_evidence()
    for evidence in Evidence.objects.all():
        assert audited[evidence.pk][1] == diff(None, snapshot(evidence))


def test_a_long_bulk_audit_summary_is_cut_between_two_observations(agent):
    codes = list(Competence.objects.crcn().values_list("code", flat=True))
    record_evidence_bulk([EvidenceInput(agent.pk, code, 4, "pix", DAY) for code in codes])
    entry = AuditEntry.objects.get(target_type="competences.evidence")
    assert len(entry.changes["id"][1]) == len(codes) == 16
    assert len(entry.summary) <= 255
    assert entry.summary.endswith("niveau 4.00… (Pix (import), 10/03/2025)")
