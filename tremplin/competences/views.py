from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import csv_response, xlsx_response
from tremplin.diagnostic import pix_history
from tremplin.organisation.models import Agent, Job

from . import gaps, profile
from .enums import EvidenceSource
from .forms import GapFilterForm, MapFilterForm, ObservationForm, RequirementsForm
from .models import Competence, JobRequirement
from .services import record_evidence

AGENTS_PER_PAGE = 50
# The direction sees figures, never names: a share computed on fewer agents than this
# could tell a team's head how one named colleague did.
MIN_MEASURED_FOR_FIGURE_ONLY_ROLES = 5


@login_required
def competence_map(request):
    """Heat map: per unit and competence, the share of measured agents below the level
    their job requires."""
    user = request.user
    perms.require(perms.can_view_competence_map(user))
    form = MapFilterForm(request.GET or None, user=user)
    unit = form.value("unit")
    figures_only = not perms.can_list_agents(user)
    heat = gaps.heat_map(
        user, unit, min_measured=MIN_MEASURED_FOR_FIGURE_ONLY_ROLES if figures_only else 0
    )
    return render(
        request,
        "competences/map.html",
        {
            "form": form,
            "unit": unit,
            "heat": heat,
            "worst": heat.worst(),
            "worst_min": gaps.WORST_MIN_MEASURED,
            "can_list_gaps": perms.can_list_competence_gaps(user),
            "crumbs": [("Compétences", None)],
        },
    )


@login_required
def gap_list(request):
    """Agents below what their job requires, in the user's scope."""
    user = request.user
    perms.require(perms.can_list_competence_gaps(user))
    form = GapFilterForm(request.GET or None, user=user)
    competence = form.value("competence")
    agents = gaps.agents_with_gaps(
        user,
        unit=form.value("unit"),
        job=form.value("job"),
        competence=competence,
        show=form.shown,
    ).select_related("unit", "job")
    page = Paginator(agents, AGENTS_PER_PAGE).get_page(request.GET.get("page"))
    details = gaps.gap_details(page.object_list, competence)
    rows = [(agent, details[agent.pk]) for agent in page.object_list]
    return render(
        request,
        "competences/gap_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "crumbs": [
                ("Compétences", reverse("competences:map")),
                ("Agents sous le niveau demandé", None),
            ],
        },
    )


@login_required
def job_list(request):
    user = request.user
    perms.require(perms.can_view_job_requirements(user))
    jobs = Job.objects.order_by("family", "title").prefetch_related(
        Prefetch(
            "competence_requirements",
            queryset=JobRequirement.objects.select_related("competence").order_by(
                "competence__position", "competence__code"
            ),
        )
    )
    families = defaultdict(list)
    for job in jobs:
        families[job.family or "Sans famille"].append(job)
    return render(
        request,
        "competences/job_list.html",
        {
            "families": sorted(families.items(), key=lambda item: item[0].casefold()),
            "can_edit": perms.can_edit_job_requirements(user),
            "crumbs": [
                ("Compétences", reverse("competences:map")),
                ("Niveaux demandés par métier", None),
            ],
        },
    )


@login_required
def job_requirements(request, pk):
    """The levels a job requires, one choice per competence; HR edits them here."""
    user = request.user
    perms.require(perms.can_view_job_requirements(user))
    job = get_object_or_404(Job, pk=pk)
    can_edit = perms.can_edit_job_requirements(user)
    if request.method == "POST":
        perms.require(can_edit)
    existing = {
        r.competence_id: r
        for r in JobRequirement.objects.filter(job=job).select_related("competence")
    }
    competences = Competence.objects.select_related("domain")
    form = RequirementsForm(
        request.POST if request.method == "POST" else None,
        competences=competences,
        current={cid: r.level for cid, r in existing.items()},
    )
    if request.method == "POST" and form.is_valid():
        wanted = form.levels()
        with transaction.atomic():
            # Row by row through the ORM: a job has at most a few dozen, each one audited.
            for competence_id, requirement in existing.items():
                if competence_id not in wanted:
                    requirement.delete()
                elif requirement.level != wanted[competence_id]:
                    requirement.level = wanted[competence_id]
                    requirement.save(update_fields=["level"])
            for competence_id, level in wanted.items():
                if competence_id not in existing:
                    JobRequirement.objects.create(job=job, competence_id=competence_id, level=level)
        messages.success(request, f"Niveaux demandés enregistrés pour « {job.title} ».")
        return redirect("competences:job_list")
    return render(
        request,
        "competences/job_requirements.html",
        {
            "job": job,
            "form": form,
            "can_edit": can_edit,
            "requirements": sorted(
                existing.values(), key=lambda r: (r.competence.position, r.competence.code)
            ),
            "crumbs": [
                ("Compétences", reverse("competences:map")),
                ("Niveaux demandés par métier", reverse("competences:job_list")),
                (job.title, None),
            ],
        },
    )


def _agent_for(request, pk):
    agent = get_object_or_404(Agent.objects.select_related("job", "unit", "employer"), pk=pk)
    perms.require(perms.can_view_competence_profile(request.user, agent))
    return agent


def _profile_page(request, agent, observation_form=None):
    user = request.user
    crumbs = [(agent, reverse("organisation:agent_detail", args=[agent.pk])), ("Compétences", None)]
    if perms.can_list_agents(user):
        crumbs.insert(0, ("Agents", reverse("organisation:agent_list")))
    return render(
        request,
        "competences/agent_profile.html",
        {
            "agent": agent,
            "is_self": user.agent_id == agent.pk,
            "summary": profile.summary_for(agent),
            "evidence": profile.weighted_evidence(agent),
            "history": profile.history_for(agent),
            "pix_history": pix_history.history_for(agent),
            "observation_form": observation_form,
            "crumbs": crumbs,
        },
    )


@login_required
def agent_profile(request, pk):
    """An agent's profile: level per competence against their job, the evidence behind
    each level with its weight, and the earlier estimates."""
    agent = _agent_for(request, pk)
    if request.user.agent_id != agent.pk:
        audit.record_read(agent, "consultation du profil de compétences")
    form = ObservationForm() if perms.can_record_observation(request.user, agent) else None
    return _profile_page(request, agent, form)


@require_POST
@login_required
def add_observation(request, pk):
    """An advisor records what they observed while coaching the agent."""
    agent = _agent_for(request, pk)
    perms.require(perms.can_record_observation(request.user, agent))
    form = ObservationForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, agent, form)
    data = form.cleaned_data
    record_evidence(
        agent=agent,
        competence=data["competence"],
        level=data["level"],
        source=EvidenceSource.ADVISOR,
        observed_on=data["observed_on"],
        author=request.user,
        note=data["note"],
    )
    messages.success(
        request, f"Observation enregistrée : {data['competence'].code}, niveau {data['level']}."
    )
    return redirect("competences:agent_profile", pk=agent.pk)


@login_required
def agent_profile_export(request, pk):
    agent = _agent_for(request, pk)
    file_format = request.GET.get("format")
    if file_format not in ("csv", "xlsx"):
        return redirect("competences:agent_profile", pk=agent.pk)
    audit.record(
        AuditAction.EXPORT,
        obj=agent,
        summary=f"export du profil de compétences ({file_format})",
    )
    name = f"competences-{agent.employer.code}-{agent.matricule}.{file_format}"
    if file_format == "csv":
        rows = profile.export_rows(agent, decimal_comma=True)
        return csv_response(name, profile.EXPORT_HEADERS, rows)
    rows = profile.export_rows(agent, decimal_comma=False)
    return xlsx_response(name, profile.EXPORT_HEADERS, rows, title="Compétences")
