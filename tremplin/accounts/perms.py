"""Permission predicates: one function per decision, tested per role in
tests/accounts/test_perms.py. Views call these, never `has_role` directly."""

from .enums import Role


def _is(user, *roles) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.has_role(*roles)
    )


def can_list_agents(user) -> bool:
    return _is(user, Role.MANAGER, Role.HR, Role.MOBILITY, Role.ADVISOR, Role.ADMIN)


def can_view_agent(user, agent) -> bool:
    from tremplin.organisation.models import Agent

    if not getattr(user, "is_authenticated", False):
        return False
    if user.agent_id == agent.pk:
        return True
    return can_list_agents(user) and Agent.objects.visible_to(user).filter(pk=agent.pk).exists()


def can_view_contact_details(user, agent) -> bool:
    """Phone and email: the agent, HR, their managers and advisors (to convene them)."""
    return can_view_agent(user, agent)


def can_view_org_tree(user) -> bool:
    return _is(user, Role.MANAGER, Role.HR, Role.MOBILITY, Role.DIRECTION, Role.ADVISOR, Role.ADMIN)


def can_import_agents(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


def can_manage_identities(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


def can_view_identity_coverage(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN, Role.DIRECTION, Role.MANAGER)


def can_list_missing_identities(user) -> bool:
    """Names of agents without an active identity: coverage viewers minus the direction,
    which follows figures only."""
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER)


def can_open_kiosk(user) -> bool:
    return _is(user, Role.ADVISOR, Role.HR, Role.ADMIN)


def can_issue_login_code(user, agent) -> bool:
    """Printing a personal login code letter: HR and admins, within their scope."""
    return _is(user, Role.HR, Role.ADMIN) and can_view_agent(user, agent)


def can_view_audit(user) -> bool:
    return _is(user, Role.ADMIN)
