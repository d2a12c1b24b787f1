from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tremplin.accounts import perms
from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import csv_response, xlsx_response

from .enums import IdentityStatus
from .forms import AgentFilterForm
from .models import Agent, OrgUnit

AGENTS_PER_PAGE = 50


@login_required
def agent_list(request):
    if not perms.can_list_agents(request.user):
        raise PermissionDenied
    form = AgentFilterForm(request.GET or None, user=request.user)
    agents = (
        Agent.objects.visible_to(request.user)
        .with_identity_status()
        .select_related("unit", "job", "site", "employer")
    )
    agents = form.filter(agents) if request.GET else agents.present()
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _export_agents(agents, export)
    page = Paginator(agents, AGENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisation/agent_list.html",
        {"form": form, "page": page, "crumbs": [("Agents", None)]},
    )


EXPORT_COLUMNS = [
    "Matricule",
    "Nom",
    "Prénom",
    "Employeur",
    "Unité",
    "Métier",
    "Site",
    "Catégorie",
    "Statut",
    "Horaires",
    "Moyen de contact",
    "Courriel professionnel",
    "Identité numérique",
    "Date de départ",
]


def _export_agents(agents, kind):
    """The filtered list as HR takes it to a spreadsheet; audited like every export."""
    identity_labels = dict(IdentityStatus.choices)
    audit.record(
        AuditAction.EXPORT,
        target_type="organisation.agent",
        summary=f"export de la liste des agents ({kind.upper()})",
    )
    rows = (
        [
            a.matricule,
            a.last_name,
            a.first_name,
            a.employer.name,
            a.unit.name if a.unit else "",
            a.job.title if a.job else "",
            a.site.name if a.site else "",
            a.category,
            a.get_employment_status_display(),
            a.get_work_pattern_display(),
            a.get_contact_channel_display(),
            a.email,
            identity_labels.get(a.identity_status_value, ""),
            a.departure_date or "",
        ]
        for a in agents.iterator(chunk_size=2000)
    )
    if kind == "csv":
        return csv_response("agents.csv", EXPORT_COLUMNS, rows)
    return xlsx_response("agents.xlsx", EXPORT_COLUMNS, rows, title="Agents")


@login_required
def my_page(request):
    if not request.user.agent_id:
        return redirect("core:home")
    return agent_detail(request, request.user.agent_id)


@login_required
def agent_detail(request, pk):
    agent = get_object_or_404(
        Agent.objects.select_related("unit", "job", "site", "employer", "manager", "identity"),
        pk=pk,
    )
    if not perms.can_view_agent(request.user, agent):
        raise PermissionDenied
    if request.user.agent_id != agent.pk:
        audit.record_read(agent, "consultation de la fiche agent")
    unit_path = agent.unit.ancestors() + [agent.unit] if agent.unit_id else []
    crumbs = [(agent, None)]
    if perms.can_list_agents(request.user):
        crumbs.insert(0, ("Agents", reverse("organisation:agent_list")))
    return render(
        request,
        "organisation/agent_detail.html",
        {
            "agent": agent,
            "unit_path": unit_path,
            "identity": getattr(agent, "identity", None),
            "is_self": request.user.agent_id == agent.pk,
            "can_issue_code": perms.can_issue_login_code(request.user, agent),
            "can_see_devices": perms.can_manage_equipment(request.user)
            or perms.can_view_team_equipment(request.user),
            "can_download_record": perms.can_view_training_record(request.user, agent),
            **_training_record(request.user, agent),
            "crumbs": crumbs,
        },
    )


def _training_record(user, agent) -> dict:
    """The agent's sessions (with attestations) and coachings, for who may see them."""
    from tremplin.planning.coaching import coaching_for_agent
    from tremplin.planning.enums import RegistrationStatus
    from tremplin.planning.models import Registration

    if not perms.can_view_attestation(user, agent):
        return {}
    sessions = (
        Registration.objects.filter(agent=agent)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session__module", "session__room__site")
        .order_by("-session__starts_at")[:30]
    )
    return {
        "training_sessions": sessions,
        "coachings": list(coaching_for_agent(agent, user)[:10]),
    }


@login_required
def org_tree(request):
    """The organisation chart with, per unit, the agents present in its whole subtree."""
    if not perms.can_view_org_tree(request.user):
        raise PermissionDenied
    units = list(
        OrgUnit.objects.visible_to(request.user).only(
            "pk", "name", "kind", "parent_id", "path", "depth"
        )
    )
    # One grouped query for direct counts; subtree totals are summed up the tree in Python
    # over units (a few hundred), never over agents.
    direct = dict(
        Agent.objects.present()
        .filter(agent_scope_q(request.user, AGENT_COUNT_ROLES))
        .values_list("unit_id")
        .annotate(
            n=Count("pk"),
        )
        .values_list("unit_id", "n")
    )
    active = dict(
        Agent.objects.present()
        .filter(
            agent_scope_q(request.user, AGENT_COUNT_ROLES), identity__status=IdentityStatus.ACTIVE
        )
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    by_id = {u.pk: u for u in units}
    for unit in units:
        unit.total = 0
        unit.with_identity = 0
        unit.child_list = []
    for unit in sorted(units, key=lambda u: -u.depth):
        unit.total += direct.get(unit.pk, 0)
        unit.with_identity += active.get(unit.pk, 0)
        unit.coverage = round(100 * unit.with_identity / unit.total) if unit.total else None
        parent = by_id.get(unit.parent_id)
        if parent is not None:
            parent.total += unit.total
            parent.with_identity += unit.with_identity
    roots = []
    for unit in units:
        parent = by_id.get(unit.parent_id)
        (parent.child_list if parent is not None else roots).append(unit)
    return render(
        request,
        "organisation/org_tree.html",
        {
            "roots": roots,
            "can_list": perms.can_list_agents(request.user),
            "unassigned": direct.get(None, 0),
            "crumbs": [("Organisation", None)],
        },
    )
