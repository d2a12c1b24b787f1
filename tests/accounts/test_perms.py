import pytest

from tremplin.accounts import perms
from tremplin.accounts.enums import Role

ALL = set(Role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "predicate, allowed",
    [
        (perms.can_list_agents, {Role.MANAGER, Role.HR, Role.MOBILITY, Role.ADVISOR, Role.ADMIN}),
        (perms.can_view_org_tree, ALL - {Role.AGENT}),
        (perms.can_import_agents, {Role.HR, Role.ADMIN}),
        (perms.can_manage_identities, {Role.HR, Role.ADMIN}),
        (perms.can_view_identity_coverage, {Role.HR, Role.ADMIN, Role.DIRECTION, Role.MANAGER}),
        (perms.can_open_kiosk, {Role.ADVISOR, Role.HR, Role.ADMIN}),
        (perms.can_view_audit, {Role.ADMIN}),
    ],
)
def test_predicates_per_role(world, predicate, allowed):
    granted = {role for role, user in world.users.items() if predicate(user)}
    assert granted == allowed


@pytest.mark.django_db
def test_view_agent_follows_scope(world):
    other_direction_agent = world.agents[("Direction B", "ville")]
    own_team_agent = world.agents[("Équipe A1a", "metropole")]
    assert perms.can_view_agent(world.users[Role.MANAGER], own_team_agent)
    assert not perms.can_view_agent(world.users[Role.MANAGER], other_direction_agent)
    assert not perms.can_view_agent(world.users[Role.HR], other_direction_agent)
    assert perms.can_view_agent(world.users[Role.ADVISOR], other_direction_agent)
    assert not perms.can_view_agent(world.users[Role.DIRECTION], own_team_agent)
    agent_user = world.users[Role.AGENT]
    assert perms.can_view_agent(agent_user, agent_user.agent)
    assert not perms.can_view_agent(agent_user, own_team_agent)


@pytest.mark.django_db
def test_login_code_only_for_hr_in_scope(world):
    inside = world.agents[("Service A2", "metropole")]
    outside = world.agents[("Direction B", "metropole")]
    assert perms.can_issue_login_code(world.users[Role.HR], inside)
    assert not perms.can_issue_login_code(world.users[Role.HR], outside)
    assert not perms.can_issue_login_code(world.users[Role.ADVISOR], inside)
    assert not perms.can_issue_login_code(world.users[Role.MANAGER], inside)


@pytest.mark.django_db
def test_superuser_without_roles_passes_every_predicate(world):
    from tests.factories import UserFactory

    boss = UserFactory(username="root", is_superuser=True)
    assert perms.can_view_audit(boss) and perms.can_import_agents(boss)
