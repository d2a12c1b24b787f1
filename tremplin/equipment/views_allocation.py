"""Handing a device over (from the stock or from a need in the queue), taking it back,
and the handover and return receipts printed to be signed on paper."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.pdf import render_pdf

from .charter import CHARTER_PARAGRAPHS, CHARTER_TITLE, CHARTER_VERSION
from .enums import DeviceState, NeedStatus
from .forms import AllocationForm, NeedAllocationForm, ReturnForm, add_domain_errors
from .models import Allocation, Device, DeviceNeed
from .views import crumbs


def _device(user, pk):
    device = get_object_or_404(Device.objects.select_related("site"), pk=pk)
    perms.require(perms.can_manage_equipment(user) and perms.can_view_device(user, device))
    return device


def _charter():
    return {
        "charter_title": CHARTER_TITLE,
        "charter_paragraphs": CHARTER_PARAGRAPHS,
        "charter_version": CHARTER_VERSION,
    }


def _handed_over(request, allocation):
    messages.success(
        request,
        f"Appareil remis à {allocation.holder_label}. Faites signer le reçu de remise : sur "
        "la tablette, ou imprimé sur papier.",
    )
    return redirect("equipment:device_detail", pk=allocation.device_id)


@login_required
def allocate(request, pk):
    user = request.user
    device = _device(user, pk)
    form = AllocationForm(request.POST or None, user=user, device=device)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation = device.allocate(
                agent=data.get("agent_obj"),
                site=data.get("site"),
                on=data["starts_on"],
                by=user,
                charter_accepted=data.get("charter_accepted", False),
                second_device_reason=data.get("second_device_reason", ""),
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            return _handed_over(request, allocation)
    return render(
        request,
        "equipment/allocate.html",
        {
            "form": form,
            "device": device,
            **_charter(),
            "crumbs": crumbs(
                (str(device), reverse("equipment:device_detail", args=[device.pk])),
                ("Remettre l'appareil", None),
            ),
        },
    )


@login_required
def need_allocate(request, pk):
    """Serving a need from the queue: an available device of the kind asked."""
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    need = get_object_or_404(
        DeviceNeed.objects.visible_to(user).select_related("agent__job", "agent__unit"), pk=pk
    )
    # Reconditioned devices first, then the oldest: the stock is used before new ones.
    devices = (
        Device.objects.visible_to(user)
        .available()
        .filter(kind=need.kind)
        .annotate(
            fresh=Case(
                When(state=DeviceState.RECONDITIONED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("fresh", "purchase_date", "pk")
    )
    form = NeedAllocationForm(request.POST or None, devices=devices)
    if need.status != NeedStatus.WAITING:
        messages.info(request, "Cette demande n'est plus en attente.")
        return redirect("equipment:needs")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation = data["device"].allocate(
                agent=need.agent,
                on=data["starts_on"],
                by=user,
                charter_accepted=data["charter_accepted"],
                second_device_reason=data["second_device_reason"],
                need=need,
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            return _handed_over(request, allocation)
    return render(
        request,
        "equipment/need_allocate.html",
        {
            "form": form,
            "need": need,
            "available": devices.count(),
            **_charter(),
            "crumbs": crumbs(
                ("Demandes", reverse("equipment:needs")), (f"Équiper {need.agent}", None)
            ),
        },
    )


def _allocation(user, pk):
    allocation = get_object_or_404(
        Allocation.objects.visible_to(user).select_related(
            "device", "agent__unit", "agent__employer", "site", "handed_over_by", "returned_to"
        ),
        pk=pk,
    )
    return allocation


@login_required
def return_device(request, pk):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    allocation = _allocation(user, pk)
    if not allocation.is_open:
        messages.info(request, f"Cet appareil a déjà été rendu le {allocation.ends_on:%d/%m/%Y}.")
        return redirect("equipment:device_detail", pk=allocation.device_id)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation.close(
                on=data["ends_on"],
                by=user,
                condition=data["return_condition"],
                note=data["return_note"],
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request, "Appareil rendu. Imprimez le reçu de retour et faites-le signer."
            )
            return redirect("equipment:device_detail", pk=allocation.device_id)
    return render(
        request,
        "equipment/return.html",
        {
            "form": form,
            "allocation": allocation,
            "crumbs": crumbs(
                (
                    str(allocation.device),
                    reverse("equipment:device_detail", args=[allocation.device_id]),
                ),
                ("Reprendre l'appareil", None),
            ),
        },
    )


def receipt_context(allocation, kind: str) -> dict:
    return {
        "allocation": allocation,
        "device": allocation.device,
        "kind": kind,
        "number": allocation.handover_number if kind == "remise" else allocation.return_number,
        "signature": allocation.handover_signature
        if kind == "remise"
        else allocation.return_signature,
        "signed_at": allocation.handover_signed_at
        if kind == "remise"
        else allocation.return_signed_at,
        "issued_on": timezone.localdate(),
        **_charter(),
    }


def _receipt(request, pk, kind: str):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    allocation = _allocation(user, pk)
    if kind == "retour" and allocation.is_open:
        messages.error(request, "L'appareil n'a pas encore été rendu : pas de reçu de retour.")
        return redirect("equipment:device_detail", pk=allocation.device_id)
    audit.record(AuditAction.EXPORT, obj=allocation, summary=f"impression du reçu de {kind}")
    pdf = render_pdf(
        "equipment/pdf/receipt.html",
        receipt_context(allocation, kind),
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    number = receipt_context(allocation, kind)["number"]
    response["Content-Disposition"] = f'inline; filename="recu-{kind}-{number}.pdf"'
    return response


@login_required
def handover_receipt(request, pk):
    return _receipt(request, pk, "remise")


@login_required
def return_receipt(request, pk):
    return _receipt(request, pk, "retour")


def _sign(request, pk, moment: str):
    """The tablet passed to the agent: the receipt's facts, the charter at the handover,
    and a frame to sign in. Paper stays the way for who cannot or will not sign here."""
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    allocation = _allocation(user, pk)
    error = ""
    if request.method == "POST":
        try:
            allocation.sign(moment=moment, data_url=request.POST.get("signature", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Signature enregistrée : elle figure sur le reçu.")
            return redirect("equipment:device_detail", pk=allocation.device_id)
    return render(
        request,
        "equipment/sign.html",
        {
            "allocation": allocation,
            "moment": moment,
            "error": error,
            **_charter(),
            "crumbs": crumbs(
                (
                    str(allocation.device),
                    reverse("equipment:device_detail", args=[allocation.device_id]),
                ),
                (f"Signer le reçu de {moment}", None),
            ),
        },
    )


@login_required
def sign_handover(request, pk):
    return _sign(request, pk, "remise")


@login_required
def sign_return(request, pk):
    return _sign(request, pk, "retour")
