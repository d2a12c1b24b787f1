import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import AgentFactory, JobFactory, SiteFactory
from tremplin.equipment import demo, footprint
from tremplin.equipment.enums import DeviceState, NeedStatus
from tremplin.equipment.models import Allocation, Device, DeviceNeed, FootprintReference, Repair
from tremplin.organisation.enums import WorkKind

TODAY = timezone.localdate()


@pytest.fixture
def field_workforce(world):
    job = JobFactory(title="Agent de propreté", work_kind=WorkKind.FIELD)
    sites = [SiteFactory(has_training_room=i < 2) for i in range(4)]
    for i in range(150):
        AgentFactory(employer=world.city, unit=world.serv_a2, job=job, site=sites[i % 4])
    return world


def _fingerprint():
    return sorted(Device.objects.values_list("serial_number", "imei", "state", "purchase_date"))


@pytest.mark.django_db
def test_demo_stock_is_realistic_and_reproducible(field_workforce):
    counts = demo.seed(seed=5, today=TODAY)
    assert counts["appareils"] == Device.objects.count() >= 60
    states = set(Device.objects.values_list("state", flat=True))
    assert {
        DeviceState.ALLOCATED,
        DeviceState.SHARED,
        DeviceState.IN_STOCK,
        DeviceState.RECONDITIONED,
        DeviceState.RETIRED,
        DeviceState.IN_REPAIR,
    } <= states
    # Every holder holds one phone at most, with the charter accepted.
    open_allocations = Allocation.objects.open().exclude(agent=None)
    assert open_allocations.values("agent").distinct().count() == open_allocations.count()
    assert not open_allocations.filter(charter_accepted_at=None).exists()
    assert Repair.objects.filter(returned_on=None).exists()
    assert DeviceNeed.objects.filter(status=NeedStatus.WAITING).count() == 35
    assert Device.objects.due_for_renewal(TODAY).exists()
    fleet = footprint.fleet_footprint()
    assert fleet.gain_total > 0
    assert any(k.retired_life_years for k in fleet.kinds)
    first = _fingerprint()
    demo.wipe()
    assert not Device.objects.exists() and not Allocation.objects.exists()
    assert FootprintReference.objects.count() == 4  # the references stay
    demo.seed(seed=5, today=TODAY)
    assert _fingerprint() == first


@pytest.mark.django_db
def test_demo_without_field_agents_does_nothing(world):
    for agent in world.agents.values():
        agent.departure_date = TODAY - dt.timedelta(days=1)
        agent.save()
    assert demo.seed(seed=1, today=TODAY) == {}
    assert not Device.objects.exists()
