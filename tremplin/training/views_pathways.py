"""Pathway pages: the agent's "Mon parcours" (phone, plain French), the list for HR,
managers, advisors and mobility (filters, bulk validation, CSV/XLSX export), and one
agent's pathway with its steps, their actions and their history."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.forms import AccessibleFormMixin
from tremplin.core.models import AuditEntry
from tremplin.core.tabular import csv_response, xlsx_response
from tremplin.organisation.models import Agent, OrgUnit

from .enums import OPEN_STEP_STATUSES, DoneReason, StepOrigin, StepStatus
from .models import Module, Pathway, PathwayStep, StepTransitionError

PER_PAGE = 50
HISTORY_LIMIT = 50
STATUS_FILTERS = [
    ("", "Tous"),
    ("to_validate", "Avec des étapes à valider"),
    ("in_progress", "Avec une étape en cours"),
    ("flagged", "Avec une étape qui n'est plus nécessaire"),
    ("finished", "Parcours terminé"),
]
EXPORT_HEADERS = [
    "Matricule",
    "Nom",
    "Prénom",
    "Unité",
    "Métier",
    "Ordre",
    "Module",
    "État",
    "Pourquoi",
    "Origine",
    "Validée le",
    "Faite le",
    "Plus nécessaire",
]


def _unit_label(unit: OrgUnit) -> str:
    return f"{'— ' * unit.depth}{unit.name}"


class PathwayFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label="Nom ou matricule", required=False)
    unit = forms.ModelChoiceField(
        label="Unité (et ses sous-unités)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="Toutes",
    )
    module = forms.ModelChoiceField(
        label="Module", queryset=Module.objects.none(), required=False, empty_label="Tous"
    )
    status = forms.ChoiceField(label="Parcours", choices=STATUS_FILTERS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).only(
            "pk", "name", "depth", "path"
        )
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["module"].queryset = Module.objects.only("pk", "title")

    def filter(self, pathways):
        if not self.is_valid():
            return pathways
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            pathways = pathways.filter(
                Q(agent__matricule=q)
                | Q(agent__last_name__icontains=q)
                | Q(agent__first_name__icontains=q)
            )
        if data["unit"]:
            pathways = pathways.filter(agent__unit__path__startswith=data["unit"].path)
        if data["module"]:
            pathways = pathways.filter(steps__module=data["module"]).distinct()
        status = data["status"]
        if status == "to_validate":
            pathways = pathways.filter(proposed__gt=0)
        elif status == "in_progress":
            pathways = pathways.filter(in_progress__gt=0)
        elif status == "flagged":
            pathways = pathways.filter(flagged__gt=0)
        elif status == "finished":
            pathways = pathways.filter(open_steps=0, done__gt=0)
        return pathways


def _with_counts(pathways):
    return pathways.annotate(
        proposed=Count("steps", filter=Q(steps__status=StepStatus.PROPOSED)),
        validated=Count("steps", filter=Q(steps__status=StepStatus.VALIDATED)),
        in_progress=Count("steps", filter=Q(steps__status=StepStatus.IN_PROGRESS)),
        done=Count("steps", filter=Q(steps__status=StepStatus.DONE)),
        open_steps=Count("steps", filter=Q(steps__status__in=OPEN_STEP_STATUSES)),
        flagged=Count(
            "steps",
            filter=Q(steps__no_longer_needed=True, steps__status__in=OPEN_STEP_STATUSES),
        ),
        changed=Max("steps__updated_at"),
    )


# --- The agent's own pathway ----------------------------------------------------------------


@login_required
def my_pathway(request):
    """ "Mon parcours", on a phone: the next steps, why, and what is already done."""
    agent_id = request.user.agent_id
    if not agent_id:
        return redirect("core:home")
    steps = (
        PathwayStep.objects.filter(pathway__agent_id=agent_id, pathway__target_job__isnull=True)
        .exclude(status=StepStatus.CANCELLED)
        .select_related("module")
        .order_by("position")
    )
    upcoming = [s for s in steps if s.is_open]
    done = [s for s in steps if s.status == StepStatus.DONE]
    _attach_dates(agent_id, upcoming)
    return render(
        request,
        "training/my_pathway.html",
        {
            "upcoming": upcoming,
            "done": done,
            "crumbs": [("Mon parcours", None)],
        },
    )


def _attach_dates(agent_id: int, steps) -> None:
    """For each step: the session the agent is registered to (`booking`), or whether
    dates are open to choose (`has_dates`). Two queries whatever the number of steps."""
    from tremplin.planning.models import Registration, Session

    modules = {s.module_id for s in steps}
    now = timezone.now()
    bookings = {
        r.session.module_id: r
        for r in Registration.objects.active()
        .filter(agent_id=agent_id, session__module_id__in=modules, session__ends_at__gt=now)
        .filter(session__in=Session.objects.live())
        .select_related("session__room__site")
        .order_by("-session__starts_at")
    }
    with_dates = set(
        Session.objects.live()
        .filter(module_id__in=modules, starts_at__gt=now)
        .values_list("module_id", flat=True)
    )
    for step in steps:
        step.booking = bookings.get(step.module_id)
        step.has_dates = step.module_id in with_dates


# --- Lists ----------------------------------------------------------------------------------


@login_required
def pathway_list(request):
    user = request.user
    perms.require(perms.can_list_pathways(user))
    form = PathwayFilterForm(request.GET or None, user=user)
    pathways = _with_counts(
        Pathway.objects.visible_to(user)
        .filter(target_job__isnull=True, agent__in=Agent.objects.present())
        .select_related("agent__unit", "agent__job")
    )
    pathways = form.filter(pathways).order_by("agent__last_name", "agent__first_name", "pk")
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _export(pathways, export)
    page = Paginator(pathways, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/pathway_list.html",
        {
            "form": form,
            "page": page,
            "can_validate": perms.can_validate_pathway_any(user),
            "query": request.GET.urlencode(),
            "crumbs": [("Formation", reverse("training:home")), ("Parcours", None)],
        },
    )


def _export(pathways, kind: str):
    steps = (
        PathwayStep.objects.filter(pathway__in=pathways.values("pk"))
        .select_related("pathway__agent__unit", "pathway__agent__job", "module")
        .order_by(
            "pathway__agent__last_name", "pathway__agent__first_name", "pathway_id", "position"
        )
    )
    audit.record(
        AuditAction.EXPORT,
        target_type="training.pathway",
        summary=f"export des parcours ({kind})",
    )

    def rows():
        for step in steps.iterator(chunk_size=2000):
            agent = step.pathway.agent
            yield [
                agent.matricule,
                agent.last_name,
                agent.first_name,
                agent.unit.name if agent.unit else "",
                agent.job.title if agent.job else "",
                step.position,
                step.module.title,
                step.get_status_display(),
                step.reason,
                step.get_origin_display(),
                step.validated_at.date().isoformat() if step.validated_at else "",
                step.done_on.isoformat() if step.done_on else "",
                "oui" if step.no_longer_needed else "",
            ]

    name = f"parcours-{timezone.localdate():%Y-%m-%d}.{kind}"
    if kind == "csv":
        return csv_response(name, EXPORT_HEADERS, rows())
    return xlsx_response(name, EXPORT_HEADERS, rows(), title="Parcours")


@require_POST
@login_required
def bulk_validate(request):
    """Validates the proposed steps of the checked agents' pathways (manager or HR,
    within scope; the user's own pathway is never validated by themself)."""
    user = request.user
    perms.require(perms.can_validate_pathway_any(user))
    ids = [int(i) for i in request.POST.getlist("pathway") if i.isdigit()]
    # visible_to() already limits to the user's scope: only their own pathway is left out.
    steps = (
        PathwayStep.objects.filter(
            pathway__in=Pathway.objects.visible_to(user).filter(pk__in=ids),
            status=StepStatus.PROPOSED,
        )
        .exclude(pathway__agent_id=user.agent_id)
        .select_related("module")
    )
    validated = 0
    with transaction.atomic():
        for step in steps:
            step.validate(by=user)
            validated += 1
    if validated:
        messages.success(
            request,
            f"{validated} étape{'s' if validated > 1 else ''} validée{'s' if validated > 1 else ''}.",
        )
    else:
        messages.info(request, "Aucune étape à valider dans les parcours cochés.")
    back = reverse("training:pathway_list")
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


# --- One agent's pathway --------------------------------------------------------------------


class AddStepForm(AccessibleFormMixin, forms.Form):
    module = forms.ModelChoiceField(
        label="Ajouter un module", queryset=Module.objects.none(), empty_label="— Choisissez —"
    )
    reason = forms.CharField(
        label="Pourquoi (l'agent le lit)",
        max_length=300,
        help_text="Une phrase simple, par exemple « Pour préparer votre changement de poste ».",
    )

    def __init__(self, *args, pathway, **kwargs):
        super().__init__(*args, **kwargs)
        taken = pathway.steps.values("module_id") if pathway else []
        self.fields["module"].queryset = Module.objects.active().exclude(pk__in=taken)


def _agent_or_403(request, pk):
    agent = get_object_or_404(Agent.objects.select_related("unit", "job"), pk=pk)
    perms.require(perms.can_view_pathway(request.user, agent))
    return agent


def _history(pathway) -> list[AuditEntry]:
    """The audit entries of the pathway and its steps, newest first, each with its status
    change in words (`status_change`: before, after) when it has one."""
    step_ids = [str(pk) for pk in pathway.steps.values_list("pk", flat=True)]
    entries = list(
        AuditEntry.objects.filter(
            Q(target_type="training.pathwaystep", target_id__in=step_ids)
            | Q(target_type="training.pathway", target_id=str(pathway.pk))
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:HISTORY_LIMIT]
    )
    labels = dict(StepStatus.choices)
    for entry in entries:
        before, after = (entry.changes or {}).get("status", [None, None])
        entry.status_change = (labels.get(before, "—"), labels.get(after, "")) if after else None
    return entries


@login_required
def pathway_detail(request, pk, add_form=None):
    user = request.user
    agent = _agent_or_403(request, pk)
    if user.agent_id != agent.pk:
        audit.record_read(agent, "consultation du parcours de formation")
    pathways = list(
        agent.pathways.select_related("target_job").prefetch_related(
            Prefetch(
                "steps",
                queryset=PathwayStep.objects.select_related(
                    "module", "competence", "goal", "validated_by"
                ),
            )
        )
    )
    own = next((p for p in pathways if p.target_job_id is None), None)
    can_edit = perms.can_edit_pathway(user, agent)
    return render(
        request,
        "training/pathway_detail.html",
        {
            "agent": agent,
            "own": own,
            "targets": [p for p in pathways if p.target_job_id is not None],
            "can_validate": perms.can_validate_pathway(user, agent),
            "can_edit": can_edit,
            "can_generate": perms.can_generate_pathways(user),
            "add_form": add_form or (AddStepForm(pathway=own) if can_edit else None),
            "history": _history(own) if own else [],
            "crumbs": [
                ("Formation", reverse("training:home")),
                (
                    "Parcours",
                    reverse("training:pathway_list") if perms.can_list_pathways(user) else None,
                ),
                (agent.full_name, None),
            ],
        },
    )


STEP_ACTIONS = {
    # action: (permission, method, success message)
    "validate": ("validate", lambda step, user: step.validate(by=user), "Étape validée."),
    "start": ("edit", lambda step, user: step.start(), "Étape notée en cours."),
    "done": (
        "edit",
        lambda step, user: step.mark_done(on=timezone.localdate(), reason=DoneReason.MANUAL),
        "Étape notée faite.",
    ),
    "cancel": ("edit", lambda step, user: step.cancel(), "Étape annulée."),
    "reopen": ("edit", lambda step, user: step.reopen(), "Étape proposée à nouveau."),
}


@require_POST
@login_required
def step_action(request, pk, step_pk):
    user = request.user
    agent = _agent_or_403(request, pk)
    step = get_object_or_404(
        PathwayStep.objects.select_related("module"), pk=step_pk, pathway__agent=agent
    )
    action = STEP_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Action inconnue.")
        return redirect("training:pathway_detail", pk=agent.pk)
    right, run, done = action
    allowed = (
        perms.can_validate_pathway(user, agent)
        if right == "validate"
        else perms.can_edit_pathway(user, agent)
    )
    perms.require(allowed)
    try:
        run(step, user)
    except StepTransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("training:pathway_detail", pk=agent.pk)


@require_POST
@login_required
def move_step(request, pk, step_pk):
    """Moves an open step one place up or down (HR and advisors)."""
    user = request.user
    agent = _agent_or_403(request, pk)
    perms.require(perms.can_edit_pathway(user, agent))
    step = get_object_or_404(PathwayStep, pk=step_pk, pathway__agent=agent)
    steps = list(step.pathway.steps.order_by("position", "pk"))
    index = steps.index(step)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
        with transaction.atomic():
            for position, item in enumerate(steps, start=1):
                if item.position != position:
                    item.position = position
                    item.save(update_fields=["position", "updated_at"])
    return redirect("training:pathway_detail", pk=agent.pk)


@require_POST
@login_required
def add_step(request, pk):
    user = request.user
    agent = _agent_or_403(request, pk)
    perms.require(perms.can_edit_pathway(user, agent))
    pathway = agent.pathways.filter(target_job__isnull=True).first()
    form = AddStepForm(request.POST, pathway=pathway)
    if not form.is_valid():
        return pathway_detail(request, agent.pk, add_form=form)
    with transaction.atomic():
        if pathway is None:
            pathway = Pathway.objects.create(agent=agent, created_by=user)
        last = pathway.steps.aggregate(last=Max("position"))["last"] or 0
        PathwayStep.objects.create(
            pathway=pathway,
            module=form.cleaned_data["module"],
            position=last + 1,
            origin=StepOrigin.MANUAL,
            reason=form.cleaned_data["reason"],
        )
    messages.success(request, f"« {form.cleaned_data['module']} » ajouté au parcours.")
    return redirect("training:pathway_detail", pk=agent.pk)


@require_POST
@login_required
def regenerate(request, pk):
    """Computes the agent's pathway again from today's profile, job and goals."""
    user = request.user
    agent = _agent_or_403(request, pk)
    perms.require(perms.can_generate_pathways(user))
    from .pathways import generate_for

    report = generate_for([agent.pk], by=user)
    messages.success(request, f"Parcours recalculé. {report.summary()}")
    return redirect("training:pathway_detail", pk=agent.pk)


# --- Hub ------------------------------------------------------------------------------------


@login_required
def home(request):
    """The training office's entry: what each role may open."""
    user = request.user
    links = [
        (
            perms.can_list_pathways(user),
            "training:pathway_list",
            "Parcours des agents",
            "Les étapes proposées, à valider, en cours ; export.",
        ),
        (
            perms.can_view_catalogue(user),
            "training:catalogue_list",
            "Catalogue",
            "Les modules de formation, ce qu'ils apportent, leurs prérequis.",
        ),
        (
            perms.can_view_goals(user),
            "training:goal_list",
            "Objectifs",
            "Où en est chaque objectif de la collectivité, et à quel rythme.",
        ),
        (
            perms.can_view_segments(user),
            "training:segment_list",
            "Agents éloignés du numérique",
            "Les groupes d'agents à aider d'abord, par unité.",
        ),
        (
            perms.can_view_sessions(user),
            "planning:session_list",
            "Séances",
            "Les séances à venir, les inscrits et les listes d'attente.",
        ),
        (
            perms.can_plan_training(user),
            "planning:plan_list",
            "Calcul du planning",
            "Placer les étapes des parcours dans des séances, sur un an, en un calcul.",
        ),
        (
            perms.can_view_resources(user),
            "planning:calendar",
            "Calendrier des séances",
            "Par formateur, par salle, par site ; à la semaine ou au mois.",
        ),
        (
            perms.can_view_resources(user),
            "planning:trainer_list",
            "Formateurs, salles, continuité de service",
            "Qui anime quoi et quand, les salles et leur équipement, les règles par équipe.",
        ),
        (
            perms.can_view_no_shows(user),
            "planning:no_shows",
            "Absences aux formations",
            "Les agents et les équipes qui ne sont pas venus, sur les 12 derniers mois.",
        ),
        (
            perms.can_validate_pathway_any(user),
            "planning:approvals",
            "Inscriptions à accepter",
            "Les dates de formation choisies par vos agents, qui attendent votre accord.",
        ),
        (
            perms.can_generate_pathways(user),
            "training:generation",
            "Calculer des parcours",
            "Pour un groupe d'agents, et les parcours types par famille de métiers.",
        ),
    ]
    shown = [(reverse(name), label, text) for allowed, name, label, text in links if allowed]
    perms.require(bool(shown))
    return render(request, "training/home.html", {"links": shown, "crumbs": [("Formation", None)]})
