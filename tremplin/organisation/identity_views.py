"""Digital identity pages: coverage per unit, agents still without an active identity,
the export of accounts IT has to create, and the import of the accounts IT created."""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.forms import AccessibleFormMixin
from tremplin.core.tabular import TabularError, csv_response, xlsx_response

from . import identities as identity_logic
from .enums import IdentityStatus
from .models import Agent, OrgUnit

AGENTS_PER_PAGE = 50
MAX_ERRORS_SHOWN = 100
SESSION_KEY = "identity_import"


def _unit_field(label="Unité (et ses sous-unités)"):
    return forms.ModelChoiceField(
        label=label, queryset=OrgUnit.objects.none(), required=False, empty_label="Toutes"
    )


class UnitFilterMixin:
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)
        self.fields["unit"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.name}"

    @property
    def unit(self):
        return self.cleaned_data.get("unit") if self.is_valid() else None


class CoverageForm(UnitFilterMixin, AccessibleFormMixin, forms.Form):
    unit = _unit_field("Unité")


class MissingFilterForm(UnitFilterMixin, AccessibleFormMixin, forms.Form):
    unit = _unit_field()
    status = forms.ChoiceField(
        label="État de l'identité",
        required=False,
        choices=[
            ("", "Toutes sauf active"),
            *[(v, label) for v, label in IdentityStatus.choices if v != IdentityStatus.ACTIVE],
        ],
    )


class ExportForm(UnitFilterMixin, AccessibleFormMixin, forms.Form):
    unit = _unit_field()
    domain = forms.CharField(
        label="Domaine de messagerie",
        required=False,
        max_length=100,
        help_text="Par exemple ville-exemple.fr. Laissé vide : le domaine le plus utilisé "
        "chez chaque employeur.",
    )

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lstrip("@").lower()
        if domain and ("." not in domain or any(c.isspace() or c == "@" for c in domain)):
            raise forms.ValidationError("Écrivez seulement le domaine, comme ville-exemple.fr.")
        return domain


class IdentityImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Fichier des comptes créés (CSV ou XLSX)",
        help_text="Colonnes : Matricule, Identifiant, Messagerie. En plus si besoin : "
        "Employeur (code), Date d'activation.",
    )


@login_required
def identities(request):
    """Coverage per unit: present agents, active identities and their share."""
    user = request.user
    perms.require(perms.can_view_identity_coverage(user))
    form = CoverageForm(request.GET or None, user=user)
    coverage = identity_logic.coverage_for(user, form.unit)
    return render(
        request,
        "organisation/identities.html",
        {
            "form": form,
            "coverage": coverage,
            "filtered": form.unit is not None,
            "can_list": perms.can_list_missing_identities(user),
            "can_manage": perms.can_manage_identities(user),
            "crumbs": [("Identités numériques", None)],
        },
    )


@login_required
def identity_list(request):
    """Agents still without an active identity, in the user's scope."""
    user = request.user
    perms.require(perms.can_list_missing_identities(user))
    form = MissingFilterForm(request.GET or None, user=user)
    agents = (
        identity_logic.without_active_identity(Agent.objects.visible_to(user).present())
        .select_related("unit", "site")
        .annotate(requested_at=F("identity__requested_at"))
    )
    if form.unit is not None:
        agents = agents.filter(unit__path__startswith=form.unit.path)
    if form.is_valid() and form.cleaned_data["status"]:
        agents = agents.filter(identity_status_value=form.cleaned_data["status"])
    agents = agents.order_by("unit__path", "last_name", "first_name", "pk")
    page = Paginator(agents, AGENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisation/identity_list.html",
        {
            "form": form,
            "page": page,
            "statuses": dict(IdentityStatus.choices),
            "can_manage": perms.can_manage_identities(user),
            "crumbs": [
                ("Identités numériques", reverse("organisation:identities")),
                ("Agents sans identité active", None),
            ],
        },
    )


@login_required
def identity_export(request):
    """The accounts IT has to create: a page with the choices, then a CSV or XLSX file."""
    user = request.user
    perms.require(perms.can_manage_identities(user))
    form = ExportForm(request.GET or None, user=user)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx") and form.is_valid():
        agents = identity_logic.accounts_to_create(user, form.unit)
        count = agents.count()
        audit.record(
            AuditAction.EXPORT,
            target_type=identity_logic.IDENTITY_TYPE,
            summary=f"export des comptes à créer ({count} agent(s))",
            changes={"unit": form.unit.pk if form.unit else None, "count": count},
        )
        rows = identity_logic.export_rows(agents, domain=form.cleaned_data["domain"])
        headers = identity_logic.EXPORT_HEADERS
        if file_format == "csv":
            return csv_response("comptes-a-creer.csv", headers, rows)
        return xlsx_response("comptes-a-creer.xlsx", headers, rows, title="Comptes à créer")
    unit = form.unit
    return render(
        request,
        "organisation/identity_export.html",
        {
            "form": form,
            "unit": unit,
            "count": identity_logic.accounts_to_create(user, unit).count(),
            "crumbs": [
                ("Identités numériques", reverse("organisation:identities")),
                ("Comptes à créer", None),
            ],
        },
    )


@require_POST
@login_required
def identity_mark_requested(request):
    """Records that IT was asked to create the accounts: separate from the download on
    purpose, so that fetching a file never changes anything."""
    user = request.user
    perms.require(perms.can_manage_identities(user))
    form = ExportForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "Unité inconnue : rien n'a été modifié.")
        return redirect("organisation:identity_export")
    count = identity_logic.mark_requested(identity_logic.accounts_to_create(user, form.unit))
    if count:
        plural = "s" if count > 1 else ""
        messages.success(
            request, f"{count} identité{plural} marquée{plural} « Demandée » à la date du jour."
        )
    else:
        messages.info(request, "Aucun agent à marquer : rien n'a changé.")
    return redirect("organisation:identities")


def _stored_file(request):
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    return stored["name"], base64.b64decode(stored["data"]), stored["digest"]


@login_required
def identity_import(request):
    """Upload, check every row, then show what applying would change."""
    user = request.user
    perms.require(perms.can_manage_identities(user))
    crumbs = [
        ("Identités numériques", reverse("organisation:identities")),
        ("Importer les comptes créés", None),
    ]
    form = IdentityImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "crumbs": crumbs}
    if request.method == "POST":
        # A new upload replaces any file left waiting: only the last preview can be applied.
        request.session.pop(SESSION_KEY, None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > identity_logic.MAX_IMPORT_BYTES:
            form.add_error("file", "Le fichier dépasse 2 Mo : vérifiez que c'est le bon fichier.")
            return render(request, "organisation/identity_import.html", context)
        data = upload.read()
        try:
            plan = identity_logic.plan_identity_import(data, upload.name, user=user)
        except TabularError as exc:
            form.add_error("file", str(exc))
            return render(request, "organisation/identity_import.html", context)
        if plan.errors:
            count = len(plan.errors)
            form.add_error(
                "file",
                f"Le fichier contient {count} erreur{'s' if count > 1 else ''} : rien n'a été "
                "enregistré. Corrigez le fichier puis envoyez-le à nouveau.",
            )
            context["errors"] = plan.errors[:MAX_ERRORS_SHOWN]
            context["error_total"] = count
            context["more_errors"] = max(0, count - MAX_ERRORS_SHOWN)
            return render(request, "organisation/identity_import.html", context)
        digest = hashlib.sha256(data).hexdigest()
        if plan.changes_anything:
            request.session[SESSION_KEY] = {
                "name": upload.name,
                "data": base64.b64encode(data).decode(),
                "digest": digest,
            }
        return render(
            request,
            "organisation/identity_import_preview.html",
            {
                "plan": plan,
                "sample": identity_logic.changing_rows(plan),
                "digest": digest,
                "filename": upload.name,
                "crumbs": crumbs,
            },
        )
    return render(request, "organisation/identity_import.html", context)


@require_POST
@login_required
def identity_import_apply(request):
    """Applies the previewed file, after checking it again against today's data."""
    user = request.user
    perms.require(perms.can_manage_identities(user))
    stored = _stored_file(request)
    if stored is None or stored[2] != request.POST.get("digest"):
        messages.error(
            request, "Ce fichier n'est plus en attente : envoyez-le à nouveau pour le vérifier."
        )
        return redirect("organisation:identity_import")
    name, data, _digest = stored
    try:
        with transaction.atomic():
            plan = identity_logic.plan_identity_import(data, name, user=user)
            if not plan.errors:
                counts = identity_logic.apply_identity_import(plan)
    except TabularError:
        plan = None
    if plan is None or plan.errors:
        messages.error(
            request,
            "Les données ont changé depuis la vérification et le fichier contient maintenant "
            "des erreurs : rien n'a été enregistré. Envoyez-le à nouveau pour voir lesquelles.",
        )
        return redirect("organisation:identity_import")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"Import terminé : {counts['activated']} identité(s) activée(s), "
        f"{counts['updated']} mise(s) à jour, {counts['unchanged']} déjà à jour.",
    )
    return redirect("organisation:identities")
