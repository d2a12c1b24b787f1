"""What each role may see of the workforce, as query filters.

Every list of agents or units goes through these filters (via the models'
`visible_to(user)`); views never filter by role themselves.
"""

from django.db.models import Q

from .enums import Role

# Roles that see nominative lists of agents within their scope.
AGENT_LIST_ROLES = (Role.MANAGER, Role.HR, Role.MOBILITY, Role.ADMIN)
# Advisors coach anybody, so they see every agent (names, unit, site, contact).
UNSCOPED_ROLES = (Role.ADVISOR, Role.ADMIN)
NOTHING = Q(pk__in=[])


def _assignments(user, roles):
    if not hasattr(user, "_assignment_cache"):
        user._assignment_cache = list(
            user.role_assignments.select_related("org_unit").values_list(
                "role", "employer_id", "org_unit__path"
            )
        )
    return [a for a in user._assignment_cache if a[0] in roles]


# Roles that see counts (org tree, coverage) but no nominative list.
AGENT_COUNT_ROLES = (*AGENT_LIST_ROLES, Role.DIRECTION)


def agent_scope_q(user, roles=AGENT_LIST_ROLES, prefix: str = "") -> Q:
    """Agents the user may see; `prefix` ("agent__") filters a model pointing at Agent."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser or user.has_role(*UNSCOPED_ROLES):
        return Q()
    q = NOTHING
    for _role, employer_id, unit_path in _assignments(user, roles):
        part = Q()
        if employer_id:
            part &= Q(**{f"{prefix}employer_id": employer_id})
        if unit_path:
            part &= Q(**{f"{prefix}unit__path__startswith": unit_path})
        if not part:  # an assignment without limits: everybody (Q() | x would drop it)
            return Q()
        q |= part
    if user.agent_id:
        q |= Q(**{f"{prefix}pk": user.agent_id})
        if user.has_role(Role.MANAGER):
            q |= Q(**{f"{prefix}manager_id": user.agent_id})
    return q


def unit_scope_q(user, field: str = "path") -> Q:
    """Units a user may browse: their scoped subtrees (direction sees counts there too)."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser or user.has_role(*UNSCOPED_ROLES):
        return Q()
    q = NOTHING
    for _role, _employer_id, unit_path in _assignments(
        user, (Role.MANAGER, Role.HR, Role.MOBILITY, Role.DIRECTION)
    ):
        q |= Q(**{f"{field}__startswith": unit_path or "/"})
    return q


def is_unlimited(user, roles=AGENT_COUNT_ROLES) -> bool:
    """The user counts the whole collectivité through one of these roles: an assignment
    without employer or unit (or a role that is never scoped)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.has_role(*UNSCOPED_ROLES):
        return True
    return any(
        not employer_id and not unit_path
        for _role, employer_id, unit_path in _assignments(user, roles)
    )


def employer_ids(user, roles) -> set[int] | None:
    """Employers a user's roles are limited to; None means all employers."""
    if user.is_superuser or user.has_role(*UNSCOPED_ROLES):
        return None
    found = set()
    for _role, employer_id, _path in _assignments(user, roles):
        if employer_id is None:
            return None
        found.add(employer_id)
    return found
