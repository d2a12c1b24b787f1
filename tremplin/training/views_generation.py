"""Computing pathways in bulk, and the pathway templates per job family, for HR:
choose a population, see how many agents it holds, run the computation in the
background and read its report; write templates (ordered modules) and add them to the
pathways of a job family's agents. The rules live in pathways.py and generator.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core.forms import AccessibleFormMixin
from tremplin.core.models import BackgroundJob
from tremplin.organisation.models import Agent, Job, OrgUnit

from . import pathways
from .models import FragilitySegment, Module, PathwayTemplate, PathwayTemplateStep
from .tasks import GENERATION_JOB_KIND, run_generation

RECENT_JOBS = 5
MAX_ORDER = 99


def _unit_label(unit: OrgUnit) -> str:
    return f"{'— ' * unit.depth}{unit.name}"


def _families() -> list[str]:
    return list(
        Job.objects.exclude(family="")
        .order_by("family")
        .values_list("family", flat=True)
        .distinct()
    )


def _crumbs(*tail):
    crumbs = [("Formation", reverse("training:home"))]
    crumbs.append(("Calculer des parcours", reverse("training:generation") if tail else None))
    crumbs.extend(tail)
    return crumbs


# --- Bulk generation -------------------------------------------------------------------------


class PopulationForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Pour qui", choices=pathways.POPULATION_CHOICES, initial=pathways.POPULATION_ALL
    )
    unit = forms.ModelChoiceField(
        label="Unité (avec ses sous-unités)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="—",
    )
    family = forms.ChoiceField(label="Famille de métiers", required=False)
    segment = forms.ModelChoiceField(
        label="Groupe d'agents éloignés du numérique",
        queryset=FragilitySegment.objects.none(),
        required=False,
        empty_label="—",
    )

    MISSING = {
        pathways.POPULATION_UNIT: ("unit", "Choisissez l'unité."),
        pathways.POPULATION_FAMILY: ("family", "Choisissez la famille de métiers."),
        pathways.POPULATION_SEGMENT: ("segment", "Choisissez le groupe d'agents."),
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).only(
            "pk", "name", "depth", "path"
        )
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["family"].choices = [("", "—")] + [(f, f) for f in _families()]
        self.fields["segment"].queryset = FragilitySegment.objects.filter(active=True)

    def clean(self):
        data = super().clean()
        missing = self.MISSING.get(data.get("kind"))
        if missing and not data.get(missing[0]):
            self.add_error(missing[0], missing[1])
        return data

    def population(self) -> dict:
        """The population as the background task takes it (plain JSON values)."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "kind": kind,
            "unit_id": data["unit"].pk if kind == pathways.POPULATION_UNIT else None,
            "family": data["family"] if kind == pathways.POPULATION_FAMILY else "",
            "segment_id": data["segment"].pk if kind == pathways.POPULATION_SEGMENT else None,
        }

    def description(self) -> str:
        data = self.cleaned_data
        kind = data["kind"]
        if kind == pathways.POPULATION_UNIT:
            return f"les agents de « {data['unit'].name} » et de ses sous-unités"
        if kind == pathways.POPULATION_FAMILY:
            return f"les agents de la famille de métiers « {data['family']} »"
        if kind == pathways.POPULATION_SEGMENT:
            return f"les agents du groupe « {data['segment'].name} »"
        return "tous les agents de votre périmètre"


@login_required
def generation(request):
    """Step 1: choose a population and see its size; step 2 (POST): run the computation
    in the background and follow it."""
    user = request.user
    perms.require(perms.can_generate_pathways(user))
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "kind" in request.GET else None)
    )
    form = PopulationForm(data, user=user)
    count, description = None, ""
    if form.is_bound and form.is_valid():
        population = form.population()
        description = form.description()
        count = pathways.population_agents(user, **population).count()
        if request.method == "POST":
            if not count:
                form.add_error("kind", "Aucun agent dans ce groupe : rien à calculer.")
            else:
                job = BackgroundJob.objects.create(
                    kind=GENERATION_JOB_KIND,
                    created_by=user,
                    total=count,
                    message="En attente…",
                )
                run_generation.enqueue(job_id=job.pk, population=population)
                return redirect("training:generation_job", pk=job.pk)
    recent = BackgroundJob.objects.filter(kind=GENERATION_JOB_KIND, created_by=user)[:RECENT_JOBS]
    return render(
        request,
        "training/generation.html",
        {
            "form": form,
            "count": count,
            "description": description,
            "recent": recent,
            "templates_count": PathwayTemplate.objects.count(),
            "crumbs": _crumbs(),
        },
    )


@login_required
def generation_job(request, pk):
    perms.require(perms.can_generate_pathways(request.user))
    job = get_object_or_404(BackgroundJob, pk=pk, kind=GENERATION_JOB_KIND)
    if job.created_by_id != request.user.pk:
        raise Http404
    return render(
        request,
        "training/generation_job.html",
        {
            "job": job,
            "result": job.result or {},
            "crumbs": _crumbs(("Avancement", None)),
        },
    )


# --- Templates -------------------------------------------------------------------------------


class TemplateForm(AccessibleFormMixin, forms.ModelForm):
    """A template: its name, its job family, and the order of the modules it holds (a
    number per module; empty: not in the template)."""

    job_family = forms.ChoiceField(label="Famille de métiers")

    class Meta:
        model = PathwayTemplate
        fields = ["name", "job_family"]
        labels = {"name": "Nom du parcours type"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        families = _families()
        if self.instance.job_family and self.instance.job_family not in families:
            families.append(self.instance.job_family)
        self.fields["job_family"].choices = [("", "—")] + [(f, f) for f in sorted(families)]
        current = {}
        if self.instance.pk:
            current = dict(self.instance.steps.values_list("module_id", "position"))
        self.modules = list(Module.objects.active().only("pk", "title", "duration_minutes"))
        for module in self.modules:
            name = self.field_name(module)
            self.fields[name] = forms.IntegerField(
                label=module.title,
                required=False,
                min_value=1,
                max_value=MAX_ORDER,
                initial=current.get(module.pk),
                help_text=module.duration_label,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )
        self.module_fields = [self[self.field_name(m)] for m in self.modules]
        self.header_fields = [self["name"], self["job_family"]]

    @staticmethod
    def field_name(module) -> str:
        return f"module_{module.pk}"

    def clean(self):
        data = super().clean()
        taken: dict[int, Module] = {}
        for module in self.modules:
            order = data.get(self.field_name(module))
            if order is None:
                continue
            if order in taken:
                self.add_error(
                    self.field_name(module),
                    f"Le numéro {order} est déjà donné à « {taken[order].title} ».",
                )
            else:
                taken[order] = module
        if not taken and not self.errors:
            self.add_error(
                self.field_name(self.modules[0]) if self.modules else None,
                "Numérotez au moins un module (1 pour le premier).",
            )
        return data

    def ordered_module_ids(self) -> list[int]:
        chosen = [
            (self.cleaned_data[self.field_name(m)], m.pk)
            for m in self.modules
            if self.cleaned_data.get(self.field_name(m)) is not None
        ]
        return [pk for _order, pk in sorted(chosen)]

    def save_steps(self, template: PathwayTemplate) -> None:
        """Writes the template's modules in order (row by row through the ORM: a few
        rows, each audited)."""
        wanted = self.ordered_module_ids()
        existing = {s.module_id: s for s in template.steps.all()}
        for module_id, step in existing.items():
            if module_id not in wanted:
                step.delete()
        for position, module_id in enumerate(wanted, start=1):
            step = existing.get(module_id)
            if step is None:
                PathwayTemplateStep.objects.create(
                    template=template, module_id=module_id, position=position
                )
            elif step.position != position:
                step.position = position
                step.save(update_fields=["position"])


def _family_counts(user) -> dict[str, int]:
    return dict(
        Agent.objects.visible_to(user)
        .present()
        .exclude(job__family="")
        .values_list("job__family")
        .annotate(n=Count("pk"))
        .order_by()
    )


@login_required
def template_list(request):
    user = request.user
    perms.require(perms.can_generate_pathways(user))
    templates = PathwayTemplate.objects.annotate(module_count=Count("steps")).order_by(
        "job_family", "name"
    )
    counts = _family_counts(user)
    rows = [(t, counts.get(t.job_family, 0)) for t in templates]
    return render(
        request,
        "training/template_list.html",
        {"rows": rows, "crumbs": _crumbs(("Parcours types", None))},
    )


def _template_form_page(request, template: PathwayTemplate | None):
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            form.save_steps(saved)
        messages.success(request, f"Parcours type « {saved.name} » enregistré.")
        return redirect("training:template_list")
    title = f"Modifier « {template.name} »" if template else "Nouveau parcours type"
    return render(
        request,
        "training/template_form.html",
        {
            "form": form,
            "template": template,
            "title": title,
            "crumbs": _crumbs(("Parcours types", reverse("training:template_list")), (title, None)),
        },
    )


@login_required
def template_create(request):
    perms.require(perms.can_generate_pathways(request.user))
    return _template_form_page(request, None)


@login_required
def template_edit(request, pk):
    perms.require(perms.can_generate_pathways(request.user))
    return _template_form_page(request, get_object_or_404(PathwayTemplate, pk=pk))


@require_POST
@login_required
def template_delete(request, pk):
    """Deletes a template; the steps it added to pathways stay (they are the agents')."""
    perms.require(perms.can_generate_pathways(request.user))
    template = get_object_or_404(PathwayTemplate, pk=pk)
    name = template.name
    template.delete()  # its steps go with it, each one audited
    messages.success(request, f"Parcours type « {name} » supprimé.")
    return redirect("training:template_list")


@login_required
def template_apply(request, pk):
    """Confirm, then add the template's modules to the pathways of the agents of its job
    family (within the user's scope); applying twice adds nothing more."""
    user = request.user
    perms.require(perms.can_generate_pathways(user))
    template = get_object_or_404(PathwayTemplate, pk=pk)
    agents = Agent.objects.visible_to(user).present().filter(job__family=template.job_family)
    modules = list(
        template.steps.select_related("module")
        .order_by("position")
        .values_list("module__title", flat=True)
    )
    if request.method == "POST":
        if not modules:
            messages.error(request, "Ce parcours type n'a aucun module : rien à ajouter.")
            return redirect("training:template_edit", pk=template.pk)
        report = pathways.apply_template(template, agents, by=user)
        messages.success(request, f"Parcours type « {template.name} » appliqué. {report.summary()}")
        return redirect("training:template_list")
    return render(
        request,
        "training/template_apply.html",
        {
            "template": template,
            "modules": modules,
            "count": agents.count(),
            "crumbs": _crumbs(
                ("Parcours types", reverse("training:template_list")),
                (f"Appliquer « {template.name} »", None),
            ),
        },
    )
