"""Import of the existing inventory: upload and check, preview, apply."""

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core.tabular import TabularError

from . import inventory_import
from .forms import InventoryImportForm
from .views import crumbs

MAX_ERRORS_SHOWN = 100
SESSION_KEY = "inventory_import"


class _DataChanged(Exception):
    pass


@login_required
def inventory_import_view(request):
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    page_crumbs = crumbs(("Importer l'inventaire", None))
    form = InventoryImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "crumbs": page_crumbs, "columns": inventory_import.COLUMN_LABELS}
    if request.method == "POST":
        # A new upload replaces any file left waiting: only the last preview can be applied.
        request.session.pop(SESSION_KEY, None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            plan = inventory_import.plan_inventory_import(data, upload.name, user=user)
        except TabularError as exc:
            form.add_error("file", str(exc))
            return render(request, "equipment/import.html", context)
        if plan.errors:
            count = len(plan.errors)
            form.add_error(
                "file",
                f"Le fichier contient {count} erreur{'s' if count > 1 else ''} : rien n'a été "
                "enregistré. Corrigez le fichier puis envoyez-le à nouveau.",
            )
            context.update(
                errors=plan.errors[:MAX_ERRORS_SHOWN],
                error_total=count,
                more_errors=max(0, count - MAX_ERRORS_SHOWN),
            )
            return render(request, "equipment/import.html", context)
        digest = hashlib.sha256(data).hexdigest()
        if plan.changes_anything:
            request.session[SESSION_KEY] = {
                "name": upload.name,
                "data": base64.b64encode(data).decode(),
                "digest": digest,
            }
        return render(
            request,
            "equipment/import_preview.html",
            {
                "plan": plan,
                "sample": plan.changing_rows(),
                "digest": digest,
                "filename": upload.name,
                "crumbs": page_crumbs,
            },
        )
    return render(request, "equipment/import.html", context)


@require_POST
@login_required
def inventory_import_apply(request):
    """Applies the previewed file after checking it again against today's data."""
    user = request.user
    perms.require(perms.can_manage_equipment(user))
    stored = request.session.get(SESSION_KEY)
    if not stored or stored["digest"] != request.POST.get("digest"):
        messages.error(
            request, "Ce fichier n'est plus en attente : envoyez-le à nouveau pour le vérifier."
        )
        return redirect("equipment:import")
    data = base64.b64decode(stored["data"])
    try:
        with transaction.atomic():
            plan = inventory_import.plan_inventory_import(data, stored["name"], user=user)
            if plan.errors:
                raise _DataChanged
            counts = inventory_import.apply_inventory_import(plan, user=user)
    except (TabularError, _DataChanged):
        messages.error(
            request,
            "Les données ont changé depuis la vérification et le fichier contient maintenant "
            "des erreurs : rien n'a été enregistré. Envoyez-le à nouveau pour voir lesquelles.",
        )
        return redirect("equipment:import")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"Import terminé : {counts['created']} appareil(s) ajouté(s), {counts['updated']} mis à "
        f"jour, {counts['unchanged']} déjà à jour, {counts['allocated']} attribution(s) "
        f"reprise(s), {counts['retired']} réformé(s).",
    )
    return redirect("equipment:stock")
