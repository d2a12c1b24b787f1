import pytest
from django.utils import timezone

from tests.equipment.factories import DeviceFactory
from tremplin.accounts import perms
from tremplin.accounts.enums import Role

ALL = set(Role)
TODAY = timezone.localdate()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "predicate, allowed",
    [
        (perms.can_manage_equipment, {Role.HR, Role.ADMIN}),
        (perms.can_view_team_equipment, {Role.MANAGER}),
        (perms.can_view_footprint, {Role.HR, Role.ADMIN, Role.DIRECTION}),
        (perms.can_edit_footprint_reference, {Role.HR, Role.ADMIN}),
        (perms.can_request_devices_any, {Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER}),
        # The agent for « Mon matériel »; mobility has no equipment page (and its test
        # user is linked to no agent).
        (perms.can_open_equipment, ALL - {Role.MOBILITY}),
    ],
)
def test_predicates_per_role(world, predicate, allowed):
    granted = {role for role, user in world.users.items() if predicate(user)}
    assert granted == allowed


@pytest.mark.django_db
def test_view_device_follows_holder_and_scope(world):
    hr = world.users[Role.HR]
    team_member = world.agents[("Équipe A1a", "metropole")]
    outside = world.agents[("Direction B", "ville")]
    team_device = DeviceFactory()
    team_device.allocate(agent=team_member, on=TODAY, by=hr, charter_accepted=True)
    outside_device = DeviceFactory()
    outside_device.allocate(agent=outside, on=TODAY, by=hr, charter_accepted=True)
    in_stock = DeviceFactory()
    assert perms.can_view_device(world.users[Role.MANAGER], team_device)
    assert not perms.can_view_device(world.users[Role.MANAGER], outside_device)
    assert not perms.can_view_device(world.users[Role.MANAGER], in_stock)
    assert perms.can_view_device(hr, in_stock) and perms.can_view_device(hr, team_device)
    assert not perms.can_view_device(hr, outside_device)  # HR scoped on direction A
    assert perms.can_view_device(world.users[Role.ADMIN], outside_device)
    assert not perms.can_view_device(world.users[Role.AGENT], in_stock)
    assert not perms.can_view_device(world.users[Role.DIRECTION], in_stock)
    assert not perms.can_view_device(world.users[Role.ADVISOR], team_device)


@pytest.mark.django_db
def test_request_device_for_others_within_scope(world):
    inside = world.agents[("Service A2", "metropole")]
    outside = world.agents[("Direction B", "metropole")]
    team_member = world.agents[("Équipe A1a", "metropole")]
    assert perms.can_request_device(world.users[Role.HR], inside)
    assert not perms.can_request_device(world.users[Role.HR], outside)
    assert perms.can_request_device(world.users[Role.ADVISOR], outside)
    assert perms.can_request_device(world.users[Role.MANAGER], team_member)
    assert not perms.can_request_device(world.users[Role.MANAGER], inside)
    agent_user = world.users[Role.AGENT]
    assert not perms.can_request_device(agent_user, agent_user.agent)
