"""Repairs, and the devices due for renewal: each is first proposed for a repair or a
longer life before any replacement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tremplin.accounts import perms

from .footprint import french_kg, gain_of_extra_years
from .forms import RepairCloseForm, RepairForm, RetireForm, add_domain_errors
from .models import RENEWAL_WINDOW_DAYS, Device, FootprintReference, Repair
from .views import crumbs

PER_PAGE = 50


def _device(user, pk):
    device = get_object_or_404(Device.objects.select_related("site", "holder"), pk=pk)
    perms.require(perms.can_manage_equipment(user) and perms.can_view_device(user, device))
    return device


def _device_crumbs(device, label):
    return crumbs(
        (str(device), reverse("equipment:device_detail", args=[device.pk])), (label, None)
    )


@login_required
def repairs(request):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    visible = Device.objects.visible_to(user)
    all_repairs = (
        Repair.objects.filter(device__in=visible)
        .select_related("device__holder", "requested_by")
        .order_by("returned_on", "-requested_on", "-pk")  # open ones (no return) first
    )
    page = Paginator(all_repairs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "equipment/repairs.html",
        {"page": page, "crumbs": crumbs(("Réparations", None))},
    )


@login_required
def repair_create(request, pk):
    user = request.user
    device = _device(user, pk)
    form = RepairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            device.send_to_repair(
                problem=data["problem"], provider=data["provider"], on=data["requested_on"], by=user
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "Réparation demandée.")
            return redirect("equipment:device_detail", pk=device.pk)
    return render(
        request,
        "equipment/repair_form.html",
        {
            "form": form,
            "device": device,
            "crumbs": _device_crumbs(device, "Demander une réparation"),
        },
    )


@login_required
def repair_close(request, pk):
    user = request.user
    repair = get_object_or_404(Repair.objects.select_related("device"), pk=pk)
    device = _device(user, repair.device_id)
    form = RepairCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            repair.close(
                outcome=data["outcome"], on=data["returned_on"], cost=data["cost"], by=user
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"Réparation close : {repair.get_outcome_display()}.")
            return redirect("equipment:device_detail", pk=device.pk)
    return render(
        request,
        "equipment/repair_close.html",
        {
            "form": form,
            "repair": repair,
            "device": device,
            "crumbs": _device_crumbs(device, "Retour de réparation"),
        },
    )


@login_required
def retire(request, pk):
    user = request.user
    device = _device(user, pk)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device.retire(on=form.cleaned_data["on"], note=form.cleaned_data["note"], by=user)
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "Appareil réformé.")
            return redirect("equipment:device_detail", pk=device.pk)
    return render(
        request,
        "equipment/retire.html",
        {"form": form, "device": device, "crumbs": _device_crumbs(device, "Réformer")},
    )


@require_POST
@login_required
def extend(request, pk):
    user = request.user
    device = _device(user, pk)
    try:
        device.extend_life(years=1, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Fin de vie prévue repoussée au {device.expected_end_of_life:%d/%m/%Y}.",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("equipment:renewal")
    return redirect(target)


@login_required
def renewal(request):
    """Devices whose expected end of life is near or past: repair or extend first."""
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    today = timezone.localdate()
    devices = (
        Device.objects.visible_to(user)
        .due_for_renewal(today)
        .select_related("holder", "site")
        .order_by("expected_end_of_life", "pk")
    )
    page = Paginator(devices, PER_PAGE).get_page(request.GET.get("page"))
    references = FootprintReference.by_kind()
    for device in page:
        reference = references.get(device.kind)
        life = device.life_years(reference)
        device.gain_label = (
            french_kg(gain_of_extra_years(reference.manufacturing_kg, life))
            if reference and life
            else "—"
        )
        device.overdue = device.expected_end_of_life < today
    return render(
        request,
        "equipment/renewal.html",
        {
            "page": page,
            "window": RENEWAL_WINDOW_DAYS,
            "crumbs": crumbs(("À renouveler", None)),
        },
    )
