"""The needs queue: who needs a device and why, most fragile agents first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms

from .enums import DeviceKind, NeedPriority
from .forms import NeedForm, add_domain_errors
from .models import Device, DeviceNeed
from .views import crumbs

PER_PAGE = 50


@login_required
def needs(request):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    queue = (
        DeviceNeed.objects.visible_to(user)
        .queue()
        .select_related("agent__unit", "agent__job", "requested_by")
    )
    page = Paginator(queue, PER_PAGE).get_page(request.GET.get("page"))
    available = dict.fromkeys(DeviceKind.values, 0)
    for kind in Device.objects.visible_to(user).available().values_list("kind", flat=True):
        available[kind] += 1
    return render(
        request,
        "equipment/needs.html",
        {
            "page": page,
            "available": {DeviceKind(k).label: n for k, n in available.items()},
            "high": NeedPriority.HIGH,
            "crumbs": crumbs(("Demandes d'appareils", None)),
        },
    )


@login_required
def need_create(request):
    """HR, an advisor or a manager asks for a device for an agent."""
    user = request.user
    perms.require(perms.can_request_devices_any(user))
    form = NeedForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        agent = form.cleaned_data["agent_obj"]
        if not perms.can_request_device(user, agent):
            form.add_error("agent", "Vous ne pouvez pas demander un appareil pour cet agent.")
        else:
            try:
                need = DeviceNeed.open_for(
                    agent=agent,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    by=user,
                )
            except ValidationError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Demande enregistrée pour {agent.full_name} "
                    f"(priorité {need.get_priority_display().split(' (')[0].lower()}).",
                )
                if perms.can_manage_equipment(user):
                    return redirect("equipment:needs")
                return redirect("equipment:need_create")
    mine = DeviceNeed.objects.filter(requested_by=user).select_related("agent")[:20]
    return render(
        request,
        "equipment/need_form.html",
        {
            "form": form,
            "mine": mine,
            "crumbs": crumbs(("Demander un appareil", None))
            if perms.can_manage_equipment(user)
            else [("Demander un appareil", None)],
        },
    )


@require_POST
@login_required
def need_cancel(request, pk):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    need = get_object_or_404(DeviceNeed.objects.visible_to(user), pk=pk)
    try:
        need.cancel(by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Demande annulée : {need}.")
    return redirect(reverse("equipment:needs"))
