"""Bulk writes (core.bulk): what they store must be what the ORM would have stored."""

import datetime as dt
import gc
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import AgentFactory
from tremplin.competences.models import Competence, ProfileEntry, ProfileHistory
from tremplin.core.bulk import (
    copy_rows,
    create_objects,
    cyclic_gc_paused,
    insert_rows,
    insert_rows_returning_pks,
    update_values,
)
from tremplin.core.models import AuditEntry
from tremplin.diagnostic.models import PixCampaign, PixCampaignKind, PixParticipation

pytestmark = pytest.mark.django_db

AUDIT = ["at", "actor_label", "action", "target_type", "target_id", "summary", "changes"]
PROFILE = ["agent", "competence", "level", "sd", "measured_on", "evidence_count"]
PROFILE += ["main_source", "computed_at"]


def audit_row(summary, changes):
    return (timezone.now(), "test", "create", "test.row", "", summary, changes)


def test_json_values_that_compare_equal_stay_distinct():
    # True == 1 as dict keys: a cache of prepared values would store one for the other.
    insert_rows(AuditEntry, AUDIT, [audit_row("a", True), audit_row("b", 1), audit_row("c", {})])
    stored = dict(AuditEntry.objects.values_list("summary", "changes"))
    assert stored["a"] is True
    assert stored["b"] == 1 and stored["b"] is not True
    assert stored["c"] == {}


def test_ids_come_back_in_row_order():
    rows = [audit_row(f"row {i}", {"i": i}) for i in range(1200)]  # several statements
    pks = insert_rows_returning_pks(AuditEntry, AUDIT, rows)
    assert len(set(pks)) == 1200
    by_pk = dict(AuditEntry.objects.values_list("pk", "summary"))
    assert [by_pk[pk] for pk in pks] == [f"row {i}" for i in range(1200)]


def test_created_objects_get_their_ids_and_one_timestamp():
    campaign = PixCampaign.objects.create(code="BULK1", kind=PixCampaignKind.PROFILES_COLLECTION)
    agent = AgentFactory()
    made = create_objects(
        [
            PixParticipation(
                campaign=campaign,
                agent=agent if line == 2 else None,
                person_key=f"nom:{line}",
                last_name="Martin",
                first_name="Alice",
                shared_on=dt.date(2025, 3, 4),
                values={"competences": {"1.1": {"pix": 12.5}}},
                line=line,
            )
            for line in (2, 3)
        ]
    )
    assert all(p.pk and not p._state.adding for p in made)
    assert made[0].imported_at is not None and made[0].imported_at == made[1].imported_at
    stored = PixParticipation.objects.get(pk=made[0].pk)
    assert (stored.agent, stored.line, stored.shared_on) == (agent, 2, dt.date(2025, 3, 4))
    assert stored.values == {"competences": {"1.1": {"pix": 12.5}}}
    assert stored.imported_at == made[0].imported_at
    assert PixParticipation.objects.get(pk=made[1].pk).agent is None


def test_updated_and_copied_rows():
    agent = AgentFactory()
    competence = Competence.objects.get(code="1.1")
    then = timezone.now() - dt.timedelta(days=3)
    insert_rows(
        ProfileEntry,
        PROFILE,
        [
            (
                agent.pk,
                competence.pk,
                Decimal("2.50"),
                Decimal("0.50"),
                dt.date(2025, 1, 2),
                1,
                "pix",
                then,
            )
        ],
    )
    entry = ProfileEntry.objects.get()
    now = timezone.now()
    copy_rows(ProfileEntry, ProfileHistory, PROFILE, [entry.pk], replaced_at=now)
    update_values(ProfileEntry, ["level", "computed_at"], [(Decimal("3.25"), now, entry.pk)])
    entry.refresh_from_db()
    assert (entry.level, entry.sd, entry.computed_at) == (Decimal("3.25"), Decimal("0.50"), now)
    old = ProfileHistory.objects.get()
    assert (old.agent, old.competence, old.level, old.sd) == (
        agent,
        competence,
        Decimal("2.50"),
        Decimal("0.50"),
    )
    assert (old.measured_on, old.computed_at, old.replaced_at) == (dt.date(2025, 1, 2), then, now)


def test_the_cycle_collector_comes_back_as_it_was():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # whoever turned it off decides when it comes back
    finally:
        gc.enable()
