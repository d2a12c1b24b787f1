"""Permission predicates: one function per decision, tested per role in
tests/accounts/test_perms.py. Views call these, never `has_role` directly."""

from django.core.exceptions import PermissionDenied

from .enums import Role


def require(allowed: bool) -> None:
    """Views call `perms.require(perms.can_…(user, …))`: a refusal is a 403 page."""
    if not allowed:
        raise PermissionDenied


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


def can_issue_login_codes_any(user) -> bool:
    """Whether the user prints personal login codes at all (on convocation letters)."""
    return _is(user, Role.HR, Role.ADMIN)


def can_view_audit(user) -> bool:
    return _is(user, Role.ADMIN)


# --- Competences ----------------------------------------------------------------------


def can_view_competence_profile(user, agent) -> bool:
    """An agent's competence profile: the agent, and within their scope HR, managers,
    mobility (who match agents to positions) and advisors (who coach anybody)."""
    if getattr(user, "agent_id", None) == agent.pk:
        return True
    return _is(
        user, Role.HR, Role.ADMIN, Role.MANAGER, Role.MOBILITY, Role.ADVISOR
    ) and can_view_agent(user, agent)


def can_record_observation(user, agent) -> bool:
    """Advisors note what they observe while coaching; admins may correct. Nobody
    observes themselves: that would be a self-declaration under an advisor's name."""
    if getattr(user, "agent_id", None) == agent.pk:
        return False
    return _is(user, Role.ADVISOR, Role.ADMIN) and can_view_agent(user, agent)


def can_list_competence_gaps(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER, Role.MOBILITY)


def can_view_competence_map(user) -> bool:
    """The heat map of gaps per unit: figures only, so the direction sees it too."""
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER, Role.MOBILITY, Role.ADVISOR, Role.DIRECTION)


def can_view_job_requirements(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER, Role.MOBILITY, Role.ADVISOR, Role.DIRECTION)


def can_edit_job_requirements(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


# --- Diagnostic (agent side) -----------------------------------------------------------


def can_take_diagnostic(user, participation) -> bool:
    """Only the invited agent takes their diagnostic, signed in or in a kiosk session;
    the personal code on the letter opens it without an account (diagnostic views).
    Nobody else sees the questions or answers of another agent."""
    agent_id = getattr(user, "agent_id", None)
    return (
        bool(getattr(user, "is_authenticated", False))
        and agent_id is not None
        and agent_id == participation.agent_id
    )


# --- Diagnostic (HR side) --------------------------------------------------------------


def can_manage_diagnostic_campaigns(user) -> bool:
    """Create campaigns, invite, remind, print letters: the training office and admins."""
    return _is(user, Role.HR, Role.ADMIN)


def can_edit_campaign(user, campaign) -> bool:
    """A scoped HR officer runs the campaigns of their own units: every unit of the
    campaign must be in their scope, and a campaign for everybody needs an unscoped one."""
    from tremplin.organisation.models import OrgUnit

    if not can_manage_diagnostic_campaigns(user):
        return False
    visible = OrgUnit.objects.visible_to(user)
    unit_ids = {u.pk for u in campaign.units.all()}
    if not unit_ids:
        return not OrgUnit.objects.exclude(pk__in=visible.values("pk")).exists()
    return visible.filter(pk__in=unit_ids).count() == len(unit_ids)


def can_follow_diagnostic_campaigns(user) -> bool:
    """Participation figures per unit; the direction sees counts, never names."""
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR, Role.DIRECTION)


def can_list_diagnostic_participants(user) -> bool:
    """Who was invited, started, finished (status only, no results), within the scope;
    advisors too, to help those who have not started."""
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR)


def can_view_item_bank_stats(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


# --- Training: catalogue, goals, segments, pathways -------------------------------------------


def can_open_training(user) -> bool:
    """The training hub: anyone who may open one of its pages."""
    return (
        can_view_catalogue(user)
        or can_view_sessions(user)
        or can_list_pathways(user)
        or can_view_goals(user)
        or can_view_segments(user)
    )


def can_view_catalogue(user) -> bool:
    """The modules and what they bring: staff who build or follow pathways."""
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR, Role.MOBILITY, Role.DIRECTION)


def can_edit_catalogue(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


def can_view_goals(user) -> bool:
    """Coverage goals and where they stand: figures, so the direction too."""
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.DIRECTION)


def can_edit_goals(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


def can_view_segments(user) -> bool:
    """Fragility segments and their counts per unit (figures only)."""
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.DIRECTION)


def can_edit_segments(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


def can_list_pathways(user) -> bool:
    """Nominative lists of pathways, within the scope."""
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR, Role.MOBILITY)


def can_view_pathway(user, agent) -> bool:
    if getattr(user, "agent_id", None) == agent.pk:
        return True
    return can_list_pathways(user) and can_view_agent(user, agent)


def can_generate_pathways(user) -> bool:
    """(Re)compute pathways, apply templates, generate for a population."""
    return _is(user, Role.HR, Role.ADMIN)


def can_edit_pathway(user, agent) -> bool:
    """Add, remove, reorder steps: HR within scope, advisors who coach the agent."""
    if getattr(user, "agent_id", None) == agent.pk:
        return False
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR) and can_view_agent(user, agent)


def can_validate_pathway_any(user) -> bool:
    """Whether the user validates pathways at all (bulk validation on the list)."""
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER)


def can_validate_pathway(user, agent) -> bool:
    """Validating steps: the agent's managers (their scope) and HR; nobody validates their
    own pathway."""
    if getattr(user, "agent_id", None) == agent.pk:
        return False
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER) and can_view_agent(user, agent)


# --- Planning: sessions and registrations ----------------------------------------------------


def can_view_sessions(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER)


def can_manage_sessions(user) -> bool:
    """Create, change and cancel sessions: the training office and the advisors."""
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR)


def can_register(user, agent) -> bool:
    """Register someone else: HR and advisors within scope, a manager for their team."""
    if getattr(user, "agent_id", None) == agent.pk:
        return False
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER) and can_view_agent(
        user, agent
    )


def can_approve_registration(user, agent) -> bool:
    """Agree to a registration the agent asked for: their manager, or HR within scope."""
    if getattr(user, "agent_id", None) == agent.pk:
        return False
    return _is(user, Role.HR, Role.ADMIN, Role.MANAGER) and can_view_agent(user, agent)


def can_manage_resources(user) -> bool:
    """Trainers (availability, absences), rooms and service-continuity rules."""
    return _is(user, Role.HR, Role.ADMIN)


def can_view_resources(user) -> bool:
    """Calendars of trainers, rooms and sites, and the resource lists."""
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR)


def can_take_attendance(user, session) -> bool:
    """Tick present / absent / excused: the training office, the advisors, and any trainer
    of that session who has an account (a Fresque facilitator on their tablet)."""
    if can_manage_sessions(user):
        return True
    trainer = getattr(user, "trainer", None) if getattr(user, "is_authenticated", False) else None
    return trainer is not None and session.trainers.filter(pk=trainer.pk).exists()


def can_correct_attendance(user) -> bool:
    """Change a mark once the attendance sheet is closed: the training office only."""
    return _is(user, Role.HR, Role.ADMIN)


def can_view_attestation(user, agent) -> bool:
    """An attendee's attestation: the agent, and staff who follow their training."""
    if getattr(user, "agent_id", None) == agent.pk:
        return True
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER) and can_view_agent(
        user, agent
    )


def can_view_no_shows(user) -> bool:
    """No-shows per agent and per team, within the scope."""
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER)


# --- Coaching log ----------------------------------------------------------------------------


def can_log_coaching(user) -> bool:
    """Record a coaching: the advisors (their own entries), HR and admins."""
    return _is(user, Role.ADVISOR, Role.HR, Role.ADMIN)


def can_view_all_coaching(user) -> bool:
    """Every advisor's entries and the overall figures."""
    return _is(user, Role.HR, Role.ADMIN)


def can_plan_training(user) -> bool:
    """Launch the planner, review, lock and accept its proposals: the training office."""
    return _is(user, Role.HR, Role.ADMIN)


# --- Equipment: devices, needs, allocations, repairs, footprint ------------------------------


def can_manage_equipment(user) -> bool:
    """The stock, allocations and returns, repairs, imports and exports: the training
    office (HR) and admins; scoped HR see the pool and the devices held in their scope."""
    return _is(user, Role.HR, Role.ADMIN)


def can_view_team_equipment(user) -> bool:
    """The devices held by the manager's team."""
    return _is(user, Role.MANAGER)


def can_view_device(user, device) -> bool:
    from tremplin.equipment.models import Device

    if not getattr(user, "is_authenticated", False):
        return False
    if device.holder_id and device.holder_id == user.agent_id:
        return True
    return (can_manage_equipment(user) or can_view_team_equipment(user)) and (
        Device.objects.visible_to(user).filter(pk=device.pk).exists()
    )


def can_request_device(user, agent) -> bool:
    """Ask for a device for someone: HR, advisors (their request is a reason of its own)
    and managers for their team; nobody asks for themselves here."""
    if getattr(user, "agent_id", None) == agent.pk:
        return False
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER) and can_view_agent(
        user, agent
    )


def can_request_devices_any(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER)


def can_view_footprint(user) -> bool:
    """Footprint figures (no names): HR, admins and the direction."""
    return _is(user, Role.HR, Role.ADMIN, Role.DIRECTION)


def can_edit_footprint_reference(user) -> bool:
    return _is(user, Role.HR, Role.ADMIN)


def can_open_equipment(user) -> bool:
    """The « Matériel » menu entry: staff pages, or an agent's own devices."""
    return bool(getattr(user, "is_authenticated", False)) and (
        can_manage_equipment(user)
        or can_view_team_equipment(user)
        or can_view_footprint(user)
        or can_request_devices_any(user)
        or bool(user.agent_id)
    )


# --- Mobility ------------------------------------------------------------------------------


def can_manage_positions(user) -> bool:
    """Positions, candidates, reachable positions, moves done: the mobility team (and
    administrators). Redeployment files are stricter: see below."""
    return _is(user, Role.MOBILITY, Role.ADMIN)


def can_match_agent(user, agent) -> bool:
    return can_manage_positions(user) and can_view_agent(user, agent)


def can_read_redeployment_files(user) -> bool:
    """Redeployment files and their medical restriction: the mobility role only. No
    superuser or administrator bypass: a restriction is health data."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.MOBILITY)


def can_read_redeployment_file(user, file) -> bool:
    return can_read_redeployment_files(user) and can_view_agent(user, file.agent)


def can_open_mobility(user) -> bool:
    """The « Mobilité » menu entry: the mobility pages, or an agent's « Métiers
    accessibles » once HR has opened them to that agent."""
    if can_manage_positions(user) or can_read_redeployment_files(user):
        return True
    from tremplin.mobility.access import reachable_jobs_opened

    agent_id = getattr(user, "agent_id", None)
    return bool(agent_id) and reachable_jobs_opened(agent_id)


def can_view_reachable_jobs(user, agent) -> bool:
    """« Métiers accessibles »: the agent once HR opened the page to them, and the
    mobility team."""
    from tremplin.mobility.access import reachable_jobs_opened

    if getattr(user, "agent_id", None) == agent.pk:
        return reachable_jobs_opened(agent.pk)
    return can_match_agent(user, agent)


# --- Steering ------------------------------------------------------------------------------


# The plan's dashboard and its tables: figures, never names. The direction, HR and
# administrators, each within their scope (also whom `refresh_dashboard` computes for).
STEERING_ROLES = (Role.DIRECTION, Role.HR, Role.ADMIN)


def can_view_steering(user) -> bool:
    return _is(user, *STEERING_ROLES)


def can_download_reports(user) -> bool:
    """The annual training plan and the Rapport social unique figures: HR writes them,
    the direction presents them."""
    return _is(user, Role.DIRECTION, Role.HR, Role.ADMIN)


def can_view_training_record(user, agent) -> bool:
    """An agent's « livret individuel de formation »: the agent, and HR within its scope."""
    if getattr(user, "agent_id", None) == agent.pk:
        return True
    return _is(user, Role.HR, Role.ADMIN) and can_view_agent(user, agent)
