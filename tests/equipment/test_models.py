"""Domain rules of devices, allocations, needs and repairs: each refusal says why in
French and changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from tests.equipment.factories import DeviceFactory, KioskTabletFactory
from tremplin.accounts.enums import Role
from tremplin.core.models import AuditEntry
from tremplin.equipment.enums import (
    Condition,
    DeviceKind,
    DeviceState,
    NeedPriority,
    NeedReason,
    NeedStatus,
    RepairOutcome,
)
from tremplin.equipment.models import Allocation, Device, DeviceNeed, Repair, imei_is_valid
from tremplin.organisation.enums import WorkKind
from tremplin.training.models import FragilitySegment

TODAY = timezone.localdate()


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def snapshot():
    return (
        list(Device.objects.order_by("pk").values()),
        list(Allocation.objects.order_by("pk").values()),
        list(Repair.objects.order_by("pk").values()),
        list(DeviceNeed.objects.order_by("pk").values()),
    )


@pytest.fixture
def agent(world):
    return world.agents[("Service A2", "ville")]


@pytest.fixture
def hr(world):
    return world.users[Role.HR]


# --- IMEI ----------------------------------------------------------------------------------


def test_imei_check_digit():
    assert imei_is_valid("490154203237518")  # the example of 3GPP TS 23.003's check digit
    assert not imei_is_valid("490154203237517")
    assert not imei_is_valid("49015420323751")
    assert not imei_is_valid("49015420323751A")


@pytest.mark.django_db
def test_duplicate_imei_is_refused_in_french():
    first = DeviceFactory()
    twin = Device(
        kind=DeviceKind.SMARTPHONE,
        model_name="Autre",
        imei=first.imei,
        purchase_date=TODAY - dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()
    assert errors_of(excinfo)["imei"] == [f"Un autre appareil a déjà l'IMEI {first.imei}."]
    # And the database refuses it too, whatever the path.
    with pytest.raises(IntegrityError):
        Device.objects.create(
            kind=DeviceKind.SMARTPHONE, model_name="x", imei=first.imei, purchase_date=TODAY
        )


@pytest.mark.django_db
def test_bad_imei_and_dates_are_refused():
    device = Device(
        kind=DeviceKind.SMARTPHONE,
        model_name="X",
        imei="123",
        purchase_date=TODAY - dt.timedelta(days=10),
        warranty_end=TODAY - dt.timedelta(days=20),
    )
    with pytest.raises(ValidationError) as excinfo:
        device.full_clean()
    errors = errors_of(excinfo)
    assert "15 chiffres" in errors["imei"][0]
    assert errors["warranty_end"] == ["La fin de garantie précède la date d'achat."]


@pytest.mark.django_db
def test_expected_end_of_life_defaults_to_the_reference_life():
    device = DeviceFactory(purchase_date=dt.date(2024, 2, 29))
    assert device.expected_end_of_life == dt.date(2027, 2, 28)  # smartphone: 3 years


# --- Allocation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_allocate_to_an_agent_records_holder_charter_and_audit(agent, hr):
    device = DeviceFactory()
    before = AuditEntry.objects.count()
    allocation = device.allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    device.refresh_from_db()
    assert device.state == DeviceState.ALLOCATED
    assert device.holder == agent
    assert allocation.charter_accepted_at is not None
    assert allocation.charter_version
    assert allocation.handed_over_by == hr
    # The allocation's creation and the device's change are both in the audit log.
    types = set(
        AuditEntry.objects.all()[: AuditEntry.objects.count() - before].values_list(
            "target_type", flat=True
        )
    )
    assert {"equipment.allocation", "equipment.device"} <= types


@pytest.mark.django_db
def test_allocating_a_retired_device_is_refused_and_changes_nothing(agent, hr):
    device = DeviceFactory()
    device.retire(on=TODAY, by=hr)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        device.allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [
        "Cet appareil est réformé : il ne peut plus être attribué."
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_allocating_an_allocated_device_is_refused(world, agent, hr):
    device = DeviceFactory()
    device.allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    other = world.agents[("Service A2", "metropole")]
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        device.allocate(agent=other, on=TODAY, by=hr, charter_accepted=True)
    message = errors_of(excinfo)[NON_FIELD_ERRORS][0]
    assert message.startswith(f"Cet appareil est déjà attribué à {agent}")
    assert snapshot() == before


@pytest.mark.django_db
def test_allocation_before_purchase_is_refused(agent, hr):
    device = DeviceFactory(purchase_date=TODAY - dt.timedelta(days=10))
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        device.allocate(agent=agent, on=TODAY - dt.timedelta(days=11), by=hr, charter_accepted=True)
    assert errors_of(excinfo)["starts_on"] == [
        "L'attribution ne peut pas commencer avant l'achat de l'appareil (acheté le "
        f"{device.purchase_date:%d/%m/%Y})."
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_charter_must_be_accepted(agent, hr):
    device = DeviceFactory()
    with pytest.raises(ValidationError) as excinfo:
        device.allocate(agent=agent, on=TODAY, by=hr)
    assert "charte" in errors_of(excinfo)["charter_accepted"][0]
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_a_second_device_of_the_same_kind_needs_a_reason(agent, hr):
    DeviceFactory().allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    second = DeviceFactory()
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        second.allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    assert (
        "Indiquez pourquoi il lui en faut un second"
        in errors_of(excinfo)["second_device_reason"][0]
    )
    assert snapshot() == before
    allocation = second.allocate(
        agent=agent,
        on=TODAY,
        by=hr,
        charter_accepted=True,
        second_device_reason="Astreinte de nuit : un téléphone dédié.",
    )
    assert allocation.second_device_reason.startswith("Astreinte")
    # A device of another kind needs no reason.
    DeviceFactory(kind=DeviceKind.TABLET, imei="").allocate(
        agent=agent, on=TODAY, by=hr, charter_accepted=True
    )


@pytest.mark.django_db
def test_kiosk_tablet_goes_to_a_site_not_an_agent(world, agent, hr):
    tablet = KioskTabletFactory()
    with pytest.raises(ValidationError) as excinfo:
        tablet.allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    assert "se confie à un site" in errors_of(excinfo)["agent"][0]
    allocation = tablet.allocate(site=world.site, on=TODAY, by=hr)
    tablet.refresh_from_db()
    assert tablet.state == DeviceState.SHARED and tablet.holder is None
    assert allocation.charter_accepted_at is None


@pytest.mark.django_db
def test_neither_agent_nor_site_is_refused(hr):
    with pytest.raises(ValidationError) as excinfo:
        DeviceFactory().allocate(on=TODAY, by=hr)
    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [
        "Indiquez soit un agent, soit un site (pas les deux)."
    ]


@pytest.mark.django_db
def test_departed_agent_gets_nothing(agent, hr):
    agent.departure_date = TODAY - dt.timedelta(days=1)
    agent.save()
    with pytest.raises(ValidationError) as excinfo:
        DeviceFactory().allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    assert "a quitté la collectivité" in errors_of(excinfo)["agent"][0]


# --- Return --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_return_puts_the_device_back_in_stock(agent, hr):
    device = DeviceFactory()
    allocation = device.allocate(
        agent=agent, on=TODAY - dt.timedelta(days=30), by=hr, charter_accepted=True
    )
    allocation.close(on=TODAY, by=hr, condition=Condition.WORN, note="Sans chargeur")
    device.refresh_from_db()
    assert (device.state, device.holder, device.condition) == (
        DeviceState.IN_STOCK,
        None,
        Condition.WORN,
    )
    assert allocation.ends_on == TODAY and allocation.returned_to == hr


@pytest.mark.django_db
def test_returning_twice_is_refused_and_changes_nothing(agent, hr):
    device = DeviceFactory()
    allocation = device.allocate(
        agent=agent, on=TODAY - dt.timedelta(days=30), by=hr, charter_accepted=True
    )
    allocation.close(on=TODAY - dt.timedelta(days=2), by=hr)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        allocation.close(on=TODAY, by=hr)
    assert errors_of(excinfo)[NON_FIELD_ERRORS] == [
        f"Cet appareil a déjà été rendu le {TODAY - dt.timedelta(days=2):%d/%m/%Y}."
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_return_before_handover_is_refused(agent, hr):
    allocation = DeviceFactory().allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        allocation.close(on=TODAY - dt.timedelta(days=1), by=hr)
    assert "précède la date de remise" in errors_of(excinfo)["ends_on"][0]
    assert snapshot() == before


@pytest.mark.django_db
def test_new_allocation_cannot_start_before_the_last_return(world, agent, hr):
    device = DeviceFactory()
    allocation = device.allocate(
        agent=agent, on=TODAY - dt.timedelta(days=30), by=hr, charter_accepted=True
    )
    allocation.close(on=TODAY - dt.timedelta(days=5), by=hr)
    other = world.agents[("Service A2", "metropole")]
    with pytest.raises(ValidationError) as excinfo:
        device.allocate(agent=other, on=TODAY - dt.timedelta(days=10), by=hr, charter_accepted=True)
    assert "a été rendu le" in errors_of(excinfo)["starts_on"][0]


# --- Repairs and end of life ---------------------------------------------------------------


@pytest.mark.django_db
def test_repair_keeps_the_allocation_and_returns_the_device_to_its_holder(agent, hr):
    device = DeviceFactory()
    device.allocate(agent=agent, on=TODAY - dt.timedelta(days=20), by=hr, charter_accepted=True)
    repair = device.send_to_repair(problem="Écran cassé", on=TODAY - dt.timedelta(days=5), by=hr)
    device.refresh_from_db()
    assert device.state == DeviceState.IN_REPAIR and device.holder == agent
    with pytest.raises(ValidationError) as excinfo:
        device.send_to_repair(problem="Encore", on=TODAY, by=hr)
    assert "déjà en réparation" in errors_of(excinfo)[NON_FIELD_ERRORS][0]
    repair.close(outcome=RepairOutcome.REPAIRED, on=TODAY, cost=Decimal("89.90"), by=hr)
    device.refresh_from_db()
    assert device.state == DeviceState.ALLOCATED and device.holder == agent
    with pytest.raises(ValidationError) as excinfo:
        repair.close(outcome=RepairOutcome.REPAIRED, on=TODAY, by=hr)
    assert "déjà close" in errors_of(excinfo)[NON_FIELD_ERRORS][0]


@pytest.mark.django_db
def test_device_beyond_repair_is_retired_and_its_allocation_ends(agent, hr):
    device = DeviceFactory()
    allocation = device.allocate(
        agent=agent, on=TODAY - dt.timedelta(days=20), by=hr, charter_accepted=True
    )
    repair = device.send_to_repair(problem="Tombé à l'eau", on=TODAY - dt.timedelta(days=3), by=hr)
    repair.close(outcome=RepairOutcome.BEYOND_REPAIR, on=TODAY, by=hr)
    device.refresh_from_db()
    allocation.refresh_from_db()
    assert device.state == DeviceState.RETIRED and device.actual_end_of_life == TODAY
    assert device.holder is None and allocation.ends_on == TODAY


@pytest.mark.django_db
def test_reconditioned_device_is_available_again(hr):
    device = DeviceFactory()
    repair = device.send_to_repair(problem="Remise en état", on=TODAY, by=hr)
    assert not Device.objects.available().filter(pk=device.pk).exists()
    repair.close(outcome=RepairOutcome.RECONDITIONED, on=TODAY, by=hr)
    device.refresh_from_db()
    assert device.state == DeviceState.RECONDITIONED
    assert Device.objects.available().filter(pk=device.pk).exists()


@pytest.mark.django_db
def test_repair_return_before_request_is_refused(hr):
    repair = DeviceFactory().send_to_repair(problem="Batterie", on=TODAY, by=hr)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        repair.close(outcome=RepairOutcome.REPAIRED, on=TODAY - dt.timedelta(days=1), by=hr)
    assert "précède la demande" in errors_of(excinfo)["returned_on"][0]
    assert snapshot() == before


@pytest.mark.django_db
def test_retiring_an_allocated_device_is_refused(agent, hr):
    device = DeviceFactory()
    device.allocate(agent=agent, on=TODAY, by=hr, charter_accepted=True)
    with pytest.raises(ValidationError) as excinfo:
        device.retire(on=TODAY, by=hr)
    assert "reprenez-le d'abord" in errors_of(excinfo)[NON_FIELD_ERRORS][0]
    device.refresh_from_db()
    assert device.state == DeviceState.ALLOCATED


@pytest.mark.django_db
def test_extend_life_and_due_for_renewal(hr):
    device = DeviceFactory(
        purchase_date=TODAY - dt.timedelta(days=3 * 365),
        expected_end_of_life=TODAY + dt.timedelta(days=10),
    )
    assert device.due_for_renewal()
    assert Device.objects.due_for_renewal().filter(pk=device.pk).exists()
    device.extend_life(years=1, by=hr)
    assert device.expected_end_of_life.year == (TODAY + dt.timedelta(days=10)).year + 1
    assert not device.due_for_renewal()


# --- Needs ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_need_priority_follows_fragility_segments(world, hr):
    field_agent = world.agents[("Service A2", "ville")]  # field job, see make_demo_world
    office_agent = world.agents[("Service A2", "metropole")]
    assert field_agent.job.work_kind == WorkKind.FIELD
    need = DeviceNeed.open_for(agent=field_agent, kind="smartphone", reason="no_device", by=hr)
    assert need.priority == NeedPriority.MEDIUM
    assert (
        DeviceNeed.open_for(agent=office_agent, kind="smartphone", reason="advisor", by=hr).priority
        == NeedPriority.NORMAL
    )
    FragilitySegment.objects.create(name="Jamais mesurés", never_measured=True)
    flagged = DeviceNeed.open_for(agent=office_agent, kind="tablet", reason="pathway", by=hr)
    assert flagged.priority == NeedPriority.HIGH
    queue = list(DeviceNeed.objects.queue())
    assert queue[0] == flagged


@pytest.mark.django_db
def test_a_second_waiting_need_of_the_same_kind_is_refused(agent, hr):
    DeviceNeed.open_for(agent=agent, kind="smartphone", reason=NeedReason.NO_DEVICE, by=hr)
    with pytest.raises(ValidationError) as excinfo:
        DeviceNeed.open_for(agent=agent, kind="smartphone", reason=NeedReason.ADVISOR, by=hr)
    assert "déjà en attente" in errors_of(excinfo)["agent"][0]
    assert DeviceNeed.objects.count() == 1


@pytest.mark.django_db
def test_serving_a_need_closes_it(agent, hr):
    need = DeviceNeed.open_for(agent=agent, kind="smartphone", reason="no_device", by=hr)
    allocation = DeviceFactory().allocate(
        agent=agent, on=TODAY, by=hr, charter_accepted=True, need=need
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.SERVED and need.allocation == allocation
    with pytest.raises(ValidationError):
        need.cancel(by=hr)


@pytest.mark.django_db
def test_visible_to_scopes_devices(world, hr):
    inside = world.agents[("Service A2", "ville")]
    outside = world.agents[("Direction B", "ville")]
    held_inside = DeviceFactory()
    held_inside.allocate(agent=inside, on=TODAY, by=hr, charter_accepted=True)
    held_outside = DeviceFactory()
    held_outside.allocate(agent=outside, on=TODAY, by=hr, charter_accepted=True)
    in_stock = DeviceFactory()
    team_member = world.agents[("Équipe A1a", "metropole")]
    held_by_team = DeviceFactory()
    held_by_team.allocate(agent=team_member, on=TODAY, by=hr, charter_accepted=True)

    def visible(role):
        return set(Device.objects.visible_to(world.users[role]))

    assert visible(Role.HR) == {held_inside, in_stock, held_by_team}
    assert visible(Role.ADMIN) == {held_inside, held_outside, in_stock, held_by_team}
    assert visible(Role.MANAGER) == {held_by_team}
    assert visible(Role.AGENT) == {held_inside}  # the agent user is « Service A2 / ville »
    assert visible(Role.DIRECTION) == set()
    assert visible(Role.ADVISOR) == set()


@pytest.mark.django_db
def test_needs_visible_per_scope(world, hr):
    inside = DeviceNeed.open_for(
        agent=world.agents[("Service A2", "ville")], kind="smartphone", reason="no_device", by=hr
    )
    advisor = world.users[Role.ADVISOR]
    outside = DeviceNeed.open_for(
        agent=world.agents[("Direction B", "ville")],
        kind="smartphone",
        reason="advisor",
        by=advisor,
    )

    def visible(role):
        return set(DeviceNeed.objects.visible_to(world.users[role]))

    assert visible(Role.HR) == {inside}
    assert visible(Role.ADMIN) == {inside, outside}
    assert visible(Role.ADVISOR) == {inside, outside}
    assert visible(Role.DIRECTION) == set()
    assert visible(Role.AGENT) == set()
