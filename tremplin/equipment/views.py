"""HR's stock: the list with its filters and exports, a device's page with its history,
adding and correcting a device."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tremplin.accounts import perms
from tremplin.core.tabular import export_response

from . import exports
from .enums import DeviceState
from .forms import DeviceFilterForm, DeviceForm
from .models import Allocation, Device, DeviceNeed, FootprintReference

PER_PAGE = 50


def crumbs(*tail):
    return [("Matériel", reverse("equipment:stock")), *tail]


@login_required
def home(request):
    """The « Matériel » entry: each role lands on its own page."""
    user = request.user
    perms.require(perms.can_open_equipment(user))
    if perms.can_manage_equipment(user):
        return redirect("equipment:stock")
    if perms.can_view_team_equipment(user):
        return redirect("equipment:team")
    if perms.can_view_footprint(user):
        return redirect("equipment:footprint")
    if perms.can_request_devices_any(user):
        return redirect("equipment:need_create")
    return redirect("equipment:mine")


def _filtered_devices(request, user):
    form = DeviceFilterForm(request.GET or None)
    devices = Device.objects.visible_to(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            words = data["q"].split()
            for word in words:
                devices = devices.filter(
                    Q(model_name__icontains=word)
                    | Q(serial_number__icontains=word)
                    | Q(imei__contains=word)
                    | Q(holder__last_name__icontains=word)
                    | Q(holder__first_name__icontains=word)
                    | Q(holder__matricule__iexact=word)
                )
        if data["kind"]:
            devices = devices.filter(kind=data["kind"])
        if data["state"]:
            devices = devices.filter(state=data["state"])
        if data["site"]:
            devices = devices.filter(site=data["site"])
        if data["renewal"]:
            devices = devices.due_for_renewal()
        if data["departed"]:
            devices = devices.held_by_departed()
    return form, devices


@login_required
def stock(request):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    form, devices = _filtered_devices(request, user)
    if request.GET.get("format") in ("csv", "xlsx"):
        devices = devices.order_by("kind", "model_name", "pk")
        return export_response(
            request,
            name="materiel",
            title="du stock",
            headers=exports.STOCK_HEADERS,
            rows=lambda as_text: exports.stock_rows(devices, as_text=as_text),
            target_type="equipment.device",
            count=devices.count(),
        )
    devices = devices.select_related("site", "holder").order_by("kind", "model_name", "pk")
    page = Paginator(devices, PER_PAGE).get_page(request.GET.get("page"))
    references = FootprintReference.by_kind()
    for device in page:
        device.yearly_kg = device.yearly_footprint(references.get(device.kind))
    return render(
        request,
        "equipment/stock.html",
        {
            "form": form,
            "page": page,
            "waiting_needs": _waiting_needs(user),
            "due_count": Device.objects.visible_to(user).due_for_renewal().count(),
            "departed_count": Device.objects.visible_to(user).held_by_departed().count(),
            "crumbs": [("Matériel", None)],
        },
    )


def _waiting_needs(user) -> int:
    return DeviceNeed.objects.visible_to(user).waiting().count()


def _device_or_404(user, pk):
    device = get_object_or_404(Device.objects.select_related("site", "holder__unit"), pk=pk)
    perms.require(perms.can_view_device(user, device))
    return device


@login_required
def device_detail(request, pk):
    user = request.user
    device = _device_or_404(user, pk)
    reference = FootprintReference.objects.filter(kind=device.kind).first()
    allocations = (
        Allocation.objects.visible_to(user)
        .filter(device=device)
        .select_related("agent", "site", "handed_over_by", "returned_to")
        .order_by("-starts_on", "-pk")
    )
    hidden = device.allocations.count() - len(allocations)
    can_manage = perms.can_manage_equipment(user)
    return render(
        request,
        "equipment/device_detail.html",
        {
            "device": device,
            "reference": reference,
            "life_years": device.life_years(reference),
            "yearly_kg": device.yearly_footprint(reference),
            "allocations": allocations,
            "hidden_allocations": hidden,
            "open_allocation": next((a for a in allocations if a.is_open), None),
            "repairs": device.repairs.select_related("requested_by").order_by("-requested_on"),
            "can_manage": can_manage,
            "due": device.due_for_renewal(),
            "retired": device.state == DeviceState.RETIRED,
            "crumbs": _detail_crumbs(user, device),
        },
    )


def _detail_crumbs(user, device):
    if perms.can_manage_equipment(user):
        return crumbs((str(device), None))
    if perms.can_view_team_equipment(user) and device.holder_id != user.agent_id:
        return [("Matériel de mon équipe", reverse("equipment:team")), (str(device), None)]
    return [("Mon matériel", reverse("equipment:mine")), (str(device), None)]


@login_required
def device_create(request):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    form = DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = form.save()
        messages.success(request, f"Appareil ajouté au stock : {device}.")
        return redirect("equipment:device_detail", pk=device.pk)
    return render(
        request,
        "equipment/device_form.html",
        {"form": form, "crumbs": crumbs(("Ajouter un appareil", None))},
    )


@login_required
def device_edit(request, pk):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    device = _device_or_404(user, pk)
    form = DeviceForm(request.POST or None, instance=device)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Fiche de l'appareil enregistrée.")
        return redirect("equipment:device_detail", pk=device.pk)
    return render(
        request,
        "equipment/device_form.html",
        {
            "form": form,
            "device": device,
            "crumbs": crumbs(
                (str(device), reverse("equipment:device_detail", args=[device.pk])),
                ("Modifier", None),
            ),
        },
    )


@login_required
def allocation_export(request):
    """Every allocation the user may see (current and past), as CSV or XLSX."""
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    allocations = Allocation.objects.visible_to(user).order_by("-starts_on", "-pk")
    return export_response(
        request,
        name="attributions",
        title="des attributions",
        headers=exports.ALLOCATION_HEADERS,
        rows=lambda as_text: exports.allocation_rows(allocations, as_text=as_text),
        target_type="equipment.allocation",
        count=allocations.count(),
    )
