"""« Mon matériel » for an agent, and the devices of a manager's team."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tremplin.accounts import perms
from tremplin.accounts.enums import Role
from tremplin.accounts.scopes import agent_scope_q
from tremplin.organisation.models import Agent

from .charter import CHARTER_PARAGRAPHS, CHARTER_TITLE
from .models import Allocation, Device

PER_PAGE = 50


@login_required
def mine(request):
    user = request.user
    allocations = []
    if user.agent_id:
        allocations = list(
            Allocation.objects.filter(agent_id=user.agent_id)
            .select_related("device")
            .order_by("ends_on", "-starts_on")  # current ones first (no end date)
        )
    return render(
        request,
        "equipment/mine.html",
        {
            "current": [a for a in allocations if a.is_open],
            "past": [a for a in allocations if not a.is_open],
            "has_agent": bool(user.agent_id),
            "charter_title": CHARTER_TITLE,
            "charter_paragraphs": CHARTER_PARAGRAPHS,
            "crumbs": [("Mon matériel", None)],
        },
    )


@login_required
def team(request):
    user = request.user
    perms.require(perms.can_view_team_equipment(user))
    devices = (
        Device.objects.filter(holder__isnull=False)
        .filter(agent_scope_q(user, (Role.MANAGER,), prefix="holder__"))
        .select_related("holder__unit")
        .order_by("holder__last_name", "holder__first_name", "kind", "pk")
    )
    page = Paginator(devices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "equipment/team.html",
        {"page": page, "crumbs": [("Matériel de mon équipe", None)]},
    )


@login_required
def agent_devices(request, pk):
    """Every device an agent has held, current ones first: HR and their managers."""
    user = request.user
    agent = get_object_or_404(Agent.objects.select_related("unit", "job"), pk=pk)
    perms.require(
        (perms.can_manage_equipment(user) or perms.can_view_team_equipment(user))
        and perms.can_view_agent(user, agent)
    )
    allocations = (
        Allocation.objects.filter(agent=agent)
        .select_related("device", "handed_over_by", "returned_to")
        .order_by("ends_on", "-starts_on")
    )
    needs = agent.device_needs.order_by("-created_at").select_related("requested_by")
    return render(
        request,
        "equipment/agent_devices.html",
        {
            "agent": agent,
            "allocations": allocations,
            "needs": needs,
            "can_manage": perms.can_manage_equipment(user),
            "crumbs": [
                ("Matériel", reverse("equipment:home")),
                (f"Matériel de {agent.full_name}", None),
            ],
        },
    )
