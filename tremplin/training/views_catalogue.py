"""The training catalogue: list with filters, a module's page (what it brings, what it
needs, who needs it, its history from the audit log), and for HR the module form with
its outcomes and prerequisites, retirement, and deletion of a module nobody uses."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry

from .enums import OPEN_STEP_STATUSES
from .forms_catalogue import (
    CatalogueFilterForm,
    ModuleForm,
    OutcomeFormSet,
    PrerequisiteFormSet,
)
from .models import (
    Module,
    ModuleOutcome,
    ModulePrerequisite,
    PathwayStep,
    PathwayTemplateStep,
)

MODULES_PER_PAGE = 30
HISTORY_LIMIT = 30
MODULE_TYPE = "training.module"
# Keys of the audit entry the form writes for the rows edited with the module.
ROWS_LABELS = {"outcomes": "compétences travaillées", "prerequisites": "prérequis"}


def _crumbs(module=None, *tail):
    crumbs = [
        ("Formation", reverse("training:home")),
        ("Catalogue", reverse("training:catalogue_list") if module or tail else None),
    ]
    if module is not None:
        url = reverse("training:catalogue_detail", args=[module.pk])
        crumbs.append((module.title, url if tail else None))
    crumbs.extend((label, None) for label in tail)
    return crumbs


def _outcomes_prefetch():
    return Prefetch(
        "outcomes",
        queryset=ModuleOutcome.objects.select_related("competence").order_by(
            "competence__position", "competence__code"
        ),
    )


# --- List and detail ---------------------------------------------------------------------------


@login_required
def catalogue_list(request):
    user = request.user
    perms.require(perms.can_view_catalogue(user))
    form = CatalogueFilterForm(request.GET or None)
    modules = form.filter(Module.objects.all()).prefetch_related(_outcomes_prefetch())
    page = Paginator(modules.order_by("position", "title", "pk"), MODULES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/catalogue_list.html",
        {
            "form": form,
            "page": page,
            "can_edit": perms.can_edit_catalogue(user),
            "crumbs": _crumbs(),
        },
    )


@dataclass
class Usage:
    """What points at a module: why it cannot be deleted, what retiring it changes."""

    steps: int
    open_steps: int
    goals: int
    templates: int
    required_by: list

    @property
    def blocks_deletion(self) -> bool:
        return bool(self.steps or self.goals or self.templates or self.required_by)


def _usage(module) -> Usage:
    steps = PathwayStep.objects.filter(module=module)
    return Usage(
        steps=steps.count(),
        open_steps=steps.filter(status__in=OPEN_STEP_STATUSES).count(),
        goals=module.goals.count(),
        templates=PathwayTemplateStep.objects.filter(module=module).count(),
        required_by=[
            p.module
            for p in module.required_by.select_related("module").order_by(
                "module__position", "module__title"
            )
        ],
    )


@dataclass
class HistoryLine:
    entry: AuditEntry
    changes: list[tuple[str, str, str]]


def _words(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return " ; ".join(str(v) for v in value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def module_history(module) -> list[HistoryLine]:
    """The module's audit entries, newest first, each change in words."""
    fields = {f.attname: f for f in Module._meta.concrete_fields}
    entries = AuditEntry.objects.filter(target_type=MODULE_TYPE, target_id=str(module.pk))
    lines = []
    for entry in entries.order_by("-at", "-id")[:HISTORY_LIMIT]:
        changes = []
        if entry.action == AuditAction.UPDATE:
            for name, (before, after) in entry.changes.items():
                field = fields.get(name)
                label = str(field.verbose_name) if field else ROWS_LABELS.get(name, name)
                changes.append((label, _words(field, before), _words(field, after)))
        lines.append(HistoryLine(entry, changes))
    return lines


@login_required
def catalogue_detail(request, pk):
    user = request.user
    perms.require(perms.can_view_catalogue(user))
    module = get_object_or_404(
        Module.objects.prefetch_related(
            _outcomes_prefetch(),
            Prefetch(
                "prerequisites",
                queryset=ModulePrerequisite.objects.select_related(
                    "required_module", "competence"
                ).order_by("required_module__position", "competence__position", "pk"),
            ),
        ),
        pk=pk,
    )
    return render(
        request,
        "training/catalogue_detail.html",
        {
            "module": module,
            "usage": _usage(module),
            "history": module_history(module),
            "can_edit": perms.can_edit_catalogue(user),
            "crumbs": _crumbs(module),
        },
    )


# --- Create and edit ---------------------------------------------------------------------------


def _rows(module) -> dict[str, list[str]]:
    """The outcomes and prerequisites in words, as the form's lines() writes them."""
    if module.pk is None:
        return {"outcomes": [], "prerequisites": []}
    outcomes = sorted(
        f"{o.competence.code} : niveau {o.level_from} → {o.level_to}"
        for o in module.outcomes.select_related("competence")
    )
    prerequisites = sorted(
        f"module « {p.required_module.title} »"
        if p.required_module_id
        else f"{p.competence.code} niveau {p.min_level} au moins"
        for p in module.prerequisites.select_related("required_module", "competence")
    )
    return {"outcomes": outcomes, "prerequisites": prerequisites}


def _module_form(request, module):
    created = module.pk is None
    data = request.POST if request.method == "POST" else None
    form = ModuleForm(data, instance=module)
    outcomes = OutcomeFormSet(data, instance=module, prefix="competences")
    prerequisites = PrerequisiteFormSet(data, instance=module, prefix="prerequis")
    if data is not None:
        # The module form first: the cycle check names the module with its new title.
        valid = form.is_valid()
        valid = outcomes.is_valid() and valid
        valid = prerequisites.is_valid() and valid
        if valid:
            before = _rows(module)
            after = {"outcomes": outcomes.lines(), "prerequisites": prerequisites.lines()}
            try:
                with transaction.atomic():
                    module = form.save()
                    outcomes.instance = prerequisites.instance = module
                    outcomes.save()
                    prerequisites.save()
                    changes = audit.diff(before, after)
                    if changes:
                        audit.record(
                            AuditAction.UPDATE,
                            obj=module,
                            summary=f"{module.title} : compétences et prérequis"[:255],
                            changes=changes,
                        )
            except IntegrityError:
                messages.error(
                    request,
                    "L'enregistrement n'a pas pu se faire : deux lignes échangent leur "
                    "compétence. Enregistrez une ligne à la fois.",
                )
            else:
                messages.success(request, "Module ajouté." if created else "Module modifié.")
                return redirect("training:catalogue_detail", module.pk)
    return render(
        request,
        "training/catalogue_form.html",
        {
            "form": form,
            "outcomes": outcomes,
            "prerequisites": prerequisites,
            "module": None if created else module,
            "crumbs": _crumbs(None, "Nouveau module") if created else _crumbs(module, "Modifier"),
        },
    )


@login_required
def catalogue_create(request):
    perms.require(perms.can_edit_catalogue(request.user))
    return _module_form(request, Module())


@login_required
def catalogue_edit(request, pk):
    perms.require(perms.can_edit_catalogue(request.user))
    return _module_form(request, get_object_or_404(Module, pk=pk))


# --- Retire, restore, delete -------------------------------------------------------------------


@login_required
def catalogue_retire(request, pk):
    """GET: what retiring (or deleting) the module changes. POST: retire it."""
    perms.require(perms.can_edit_catalogue(request.user))
    module = get_object_or_404(Module, pk=pk)
    if request.method == "POST":
        if module.active:
            module.active = False
            module.save()
            messages.success(
                request,
                "Module retiré du catalogue : il n'est plus proposé dans les nouveaux parcours.",
            )
        return redirect("training:catalogue_detail", module.pk)
    return render(
        request,
        "training/catalogue_retire.html",
        {"module": module, "usage": _usage(module), "crumbs": _crumbs(module, "Retirer")},
    )


@require_POST
@login_required
def catalogue_restore(request, pk):
    perms.require(perms.can_edit_catalogue(request.user))
    module = get_object_or_404(Module, pk=pk)
    if not module.active:
        module.active = True
        module.save()
        messages.success(request, "Module remis au catalogue.")
    return redirect("training:catalogue_detail", module.pk)


@require_POST
@login_required
def catalogue_delete(request, pk):
    """Only a module nothing uses: a module in a pathway, a goal or a pathway template, or
    required by another module, is kept (and can be retired)."""
    perms.require(perms.can_edit_catalogue(request.user))
    module = get_object_or_404(Module, pk=pk)
    refused = (
        "Ce module ne peut pas être supprimé : il figure dans des parcours, des objectifs "
        "ou des parcours types, ou un autre module le demande. Retirez-le du catalogue : "
        "l'historique est ainsi gardé."
    )
    if _usage(module).blocks_deletion:
        messages.error(request, refused)
        return redirect("training:catalogue_retire", module.pk)
    title = module.title
    try:
        with transaction.atomic():
            module.delete()
    except ProtectedError:
        messages.error(request, refused)
        return redirect("training:catalogue_retire", module.pk)
    messages.success(request, f"Module « {title} » supprimé.")
    return redirect("training:catalogue_list")
