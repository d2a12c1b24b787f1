"""The footprint page: manufacturing footprint spread over the devices' life, what one
more year avoids, numérique responsable coverage beside it; the editable references."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tremplin.accounts import perms

from .footprint import fleet_footprint, responsible_digital_coverage
from .forms import FootprintReferenceForm
from .models import Device, FootprintReference


@login_required
def footprint(request):
    user = request.user
    perms.require(perms.can_view_footprint(user))
    # Figures, not names: the direction counts every device of the collectivité.
    fleet = fleet_footprint(Device.objects.all())
    return render(
        request,
        "equipment/footprint.html",
        {
            "fleet": fleet,
            "coverage": responsible_digital_coverage(user),
            "can_edit": perms.can_edit_footprint_reference(user),
            "crumbs": [
                ("Matériel", reverse("equipment:home")),
                ("Empreinte carbone", None),
            ],
        },
    )


@login_required
def reference_edit(request, pk):
    user = request.user
    perms.require(perms.can_edit_footprint_reference(user))
    reference = get_object_or_404(FootprintReference, pk=pk)
    form = FootprintReferenceForm(request.POST or None, instance=reference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Référence enregistrée : {reference}.")
        return redirect("equipment:footprint")
    return render(
        request,
        "equipment/reference_form.html",
        {
            "form": form,
            "reference": reference,
            "crumbs": [
                ("Matériel", reverse("equipment:home")),
                ("Empreinte carbone", reverse("equipment:footprint")),
                (reference.get_kind_display(), None),
            ],
        },
    )
