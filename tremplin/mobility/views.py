from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.competences.models import Competence
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import export_response
from tremplin.organisation.models import Agent
from tremplin.training import pathways as training_pathways
from tremplin.training.models import Pathway, PathwayStep, minutes_label

from . import access, exports
from .candidates import candidates_for, fit_for, positions_for
from .enums import ACTIVE_STATUSES
from .forms import (
    ExtraRequirementFormSet,
    FileForm,
    MoveForm,
    PlacementForm,
    PositionFilterForm,
    PositionForm,
    UseHoursForm,
    WishForm,
)
from .models import Move, Position, PositionRequirement, RedeploymentFile, Wish

PER_PAGE = 50
CANDIDATES_SHOWN = 50


def _crumbs(*items):
    return [("Mobilité", reverse("mobility:positions")), *items]


@login_required
def home(request):
    user = request.user
    if perms.can_manage_positions(user):
        return redirect("mobility:positions")
    if perms.can_read_redeployment_files(user):
        return redirect("mobility:files")
    perms.require(perms.can_open_mobility(user))
    return redirect("mobility:my_jobs")


# --- Positions ---------------------------------------------------------------------------


def _filtered_positions(request):
    """The positions the list shows, and its filter form: the export gives the same."""
    form = PositionFilterForm(request.GET or None)
    positions = Position.objects.select_related("job", "unit", "site")
    status = form.data.get("status", "") if form.is_bound and form.is_valid() else ""
    if status == "all":
        pass
    elif status:
        positions = positions.filter(status=status)
    else:
        positions = positions.filter(status__in=ACTIVE_STATUSES)
    return form, positions


@login_required
def position_export(request):
    perms.require(perms.can_manage_positions(request.user))
    _form, positions = _filtered_positions(request)
    return export_response(
        request,
        name="postes",
        title="des postes",
        headers=exports.POSITION_HEADERS,
        rows=lambda as_text: exports.position_rows(positions, as_text=as_text),
        target_type="mobility.postes",
        count=positions.count(),
    )


@login_required
def position_list(request):
    perms.require(perms.can_manage_positions(request.user))
    form, positions = _filtered_positions(request)
    page = Paginator(positions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mobility/position_list.html",
        {
            "form": form,
            "page": page,
            "can_read_files": perms.can_read_redeployment_files(request.user),
            "crumbs": [("Mobilité", None)],
        },
    )


def _position_form(request, position=None):
    perms.require(perms.can_manage_positions(request.user))
    initial = []
    if position is not None:
        initial = [
            {"competence": r.competence, "level": r.level}
            for r in position.extra_requirements.select_related("competence")
        ]
    form = PositionForm(request.POST or None, instance=position)
    extra = ExtraRequirementFormSet(request.POST or None, initial=initial, prefix="extra")
    if request.method == "POST" and form.is_valid() and extra.is_valid():
        with transaction.atomic(), audit.acting_as(request.user):
            position = form.save()
            position.extra_requirements.all().delete()
            levels = {}
            for row in extra.cleaned_data:
                if row.get("competence"):
                    levels[row["competence"].pk] = row["level"]
            PositionRequirement.objects.bulk_create(
                PositionRequirement(position=position, competence_id=c, level=level)
                for c, level in levels.items()
            )
        messages.success(request, "Poste enregistré.")
        return redirect("mobility:candidates", position.pk)
    # Three empty rows to add extra requirements without JavaScript.
    if request.method != "POST":
        extra = ExtraRequirementFormSet(initial=initial + [{}] * 3, prefix="extra")
    return render(
        request,
        "mobility/position_form.html",
        {
            "form": form,
            "extra": extra,
            "position": position,
            "crumbs": _crumbs((position or "Nouveau poste", None)),
        },
    )


@login_required
def position_create(request):
    return _position_form(request)


@login_required
def position_edit(request, pk):
    return _position_form(request, get_object_or_404(Position, pk=pk))


@login_required
def candidates(request, pk):
    perms.require(perms.can_manage_positions(request.user))
    position = get_object_or_404(Position.objects.select_related("job", "unit", "site"), pk=pk)
    fits, modules = candidates_for(position, request.user)
    shown = fits[:CANDIDATES_SHOWN]
    agents = Agent.objects.in_bulk([f.agent_id for f in shown])
    rows = [(agents[f.agent_id], f, [modules[i] for i in f.module_ids]) for f in shown]
    extra = list(position.extra_requirements.select_related("competence"))
    return render(
        request,
        "mobility/candidates.html",
        {
            "position": position,
            "rows": rows,
            "total": len(fits),
            "extra": extra,
            "crumbs": _crumbs((position, None)),
        },
    )


@require_POST
@login_required
def build_pathway(request, pk, agent_pk):
    """The training app's generator with the position's job as target job, and the
    levels the position asks beyond its job."""
    position = get_object_or_404(Position.objects.select_related("job"), pk=pk)
    agent = get_object_or_404(Agent, pk=agent_pk)
    perms.require(perms.can_match_agent(request.user, agent))
    extra_levels = dict(
        position.extra_requirements.values_list("competence__code", "level").order_by(
            "competence__code"
        )
    )
    training_pathways.generate_for_target_job(
        agent, position.job, extra_levels=extra_levels, by=request.user
    )
    return redirect("mobility:pathway", pk, agent_pk)


@login_required
def pathway(request, pk, agent_pk):
    position = get_object_or_404(Position.objects.select_related("job", "unit"), pk=pk)
    agent = get_object_or_404(Agent, pk=agent_pk)
    perms.require(perms.can_match_agent(request.user, agent))
    audit.record_read(agent, "consultation du parcours vers un poste")
    found = Pathway.objects.filter(agent=agent, target_job=position.job).first()
    steps = (
        list(
            PathwayStep.objects.filter(pathway=found)
            .open()
            .select_related("module", "competence")
            .order_by("position")
        )
        if found
        else []
    )
    minutes = sum(s.module.duration_minutes for s in steps)
    extra = list(
        position.extra_requirements.select_related("competence").order_by("competence__code")
    )
    wanted = {r.competence.code: r.level for r in extra}
    return render(
        request,
        "mobility/pathway.html",
        {
            "position": position,
            "agent": agent,
            "pathway": found,
            "steps": steps,
            "duration": minutes_label(minutes),
            "extra": extra,
            "outdated": found is not None and found.extra_levels != wanted,
            "fit": fit_for(agent, position),
            "crumbs": _crumbs((position, reverse("mobility:candidates", args=[pk])), (agent, None)),
        },
    )


# --- One agent's positions -----------------------------------------------------------------


@login_required
def agent_positions(request, pk, wish_form=None):
    agent = get_object_or_404(Agent.objects.select_related("job", "site"), pk=pk)
    perms.require(perms.can_match_agent(request.user, agent))
    audit.record_read(agent, "consultation des postes accessibles")
    if request.method == "POST" and wish_form is None:
        access.set_opened(agent, opened=request.POST.get("open") == "1", by=request.user)
        messages.success(request, "Accès de l'agent mis à jour.")
        return redirect("mobility:agent_positions", pk)
    show_all = request.GET.get("tous") == "1"
    found, modules = positions_for(agent, reachable_only=not show_all)
    return render(
        request,
        "mobility/agent_positions.html",
        {
            "agent": agent,
            "rows": [(p, f, [modules[i] for i in f.module_ids]) for p, f in found],
            "show_all": show_all,
            "opened": access.reachable_jobs_opened(agent.pk),
            "wishes": Wish.objects.filter(agent=agent).select_related("job"),
            "wish_form": wish_form or WishForm(),
            "crumbs": _crumbs((agent, None)),
        },
    )


@require_POST
@login_required
def wish_add(request, pk):
    agent = get_object_or_404(Agent, pk=pk)
    perms.require(perms.can_match_agent(request.user, agent))
    form = WishForm(request.POST, instance=Wish(agent=agent))
    if form.is_valid():
        with audit.acting_as(request.user):
            form.save()
        messages.success(request, "Souhait noté.")
        return redirect("mobility:agent_positions", pk)
    response = agent_positions(request, pk, wish_form=form)
    response.status_code = 400
    return response


@login_required
def my_jobs(request):
    """« Métiers accessibles »: the agent's own page, once HR opened it to them."""
    user = request.user
    if not user.agent_id:
        return redirect("core:home")
    agent = get_object_or_404(Agent.objects.select_related("job"), pk=user.agent_id)
    perms.require(perms.can_view_reachable_jobs(user, agent))
    found, modules = positions_for(agent)
    words = {c.code: c.words for c in Competence.objects.filter(code__in=_missing_codes(found))}
    rows = []
    for position, fit in found:
        to_learn = [
            (words.get(g.code, g.code), [modules[i] for i in g.modules], g.covered)
            for g in fit.gaps
            if g.missing
        ]
        rows.append((position, to_learn))
    return render(
        request,
        "mobility/my_jobs.html",
        {
            "rows": rows,
            "crumbs": [("Métiers accessibles", None)],
        },
    )


def _missing_codes(found) -> set[str]:
    return {g.code for _p, fit in found for g in fit.gaps if g.missing}


# --- Redeployment files (mobility role only) ---------------------------------------------------


def _file_or_403(request, pk):
    perms.require(perms.can_read_redeployment_files(request.user))
    file = get_object_or_404(RedeploymentFile.objects.select_related("agent"), pk=pk)
    perms.require(perms.can_read_redeployment_file(request.user, file))
    return file


@login_required
def file_list(request):
    perms.require(perms.can_read_redeployment_files(request.user))
    files = RedeploymentFile.objects.visible_to(request.user).select_related("agent", "agent__job")
    page = Paginator(files, PER_PAGE).get_page(request.GET.get("page"))
    audit.record(
        AuditAction.READ,
        target_type="mobility.redeploymentfile",
        summary="consultation de la liste des dossiers de reclassement",
    )
    return render(
        request,
        "mobility/file_list.html",
        {"page": page, "crumbs": _crumbs(("Dossiers de reclassement", None))},
    )


@login_required
def file_detail(request, pk):
    file = _file_or_403(request, pk)
    audit.record_read(file, "consultation du dossier de reclassement")
    return render(
        request,
        "mobility/file_detail.html",
        {
            "file": file,
            "placements": file.placements.select_related("unit"),
            "hours_form": UseHoursForm(),
            "placement_form": PlacementForm(),
            "crumbs": _crumbs(
                ("Dossiers de reclassement", reverse("mobility:files")), (file.agent, None)
            ),
        },
    )


@login_required
def file_form(request, pk=None):
    perms.require(perms.can_read_redeployment_files(request.user))
    file = _file_or_403(request, pk) if pk else None
    form = FileForm(request.POST or None, instance=file, user=request.user)
    if request.method == "POST" and form.is_valid():
        with audit.acting_as(request.user):
            file = form.save()
        messages.success(request, "Dossier enregistré.")
        return redirect("mobility:file_detail", file.pk)
    if file is not None and request.method != "POST":
        audit.record_read(file, "consultation du dossier de reclassement (modification)")
    return render(
        request,
        "mobility/file_form.html",
        {
            "form": form,
            "file": file,
            "crumbs": _crumbs(
                ("Dossiers de reclassement", reverse("mobility:files")),
                (file.agent if file else "Nouveau dossier", None),
            ),
        },
    )


@require_POST
@login_required
def use_hours(request, pk):
    file = _file_or_403(request, pk)
    form = UseHoursForm(request.POST)
    if form.is_valid():
        try:
            with audit.acting_as(request.user):
                file.use_hours(form.cleaned_data["hours"])
        except ValidationError as error:
            form.add_error("hours", error.message_dict["hours"])
        else:
            messages.success(request, "Heures enregistrées.")
            return redirect("mobility:file_detail", pk)
    return _file_detail_with(request, file, hours_form=form)


@require_POST
@login_required
def placement_add(request, pk):
    file = _file_or_403(request, pk)
    form = PlacementForm(request.POST)
    form.instance.file = file
    if form.is_valid():
        with audit.acting_as(request.user):
            form.save()
        messages.success(request, "Mise en situation ajoutée.")
        return redirect("mobility:file_detail", pk)
    return _file_detail_with(request, file, placement_form=form)


def _file_detail_with(request, file, **forms):
    audit.record_read(file, "consultation du dossier de reclassement")
    context = {
        "file": file,
        "placements": file.placements.select_related("unit"),
        "hours_form": UseHoursForm(),
        "placement_form": PlacementForm(),
        "crumbs": _crumbs(
            ("Dossiers de reclassement", reverse("mobility:files")), (file.agent, None)
        ),
    }
    context.update(forms)
    return render(request, "mobility/file_detail.html", context, status=400)


# --- Moves done ----------------------------------------------------------------------------


def _visible_moves(user):
    return Move.objects.filter(agent__in=Agent.objects.visible_to(user).values("pk")).order_by(
        "-moved_on", "pk"
    )


@login_required
def move_export(request):
    perms.require(perms.can_manage_positions(request.user))
    moves = _visible_moves(request.user)
    return export_response(
        request,
        name="mobilites",
        title="des mobilités réalisées",
        headers=exports.MOVE_HEADERS,
        rows=lambda as_text: exports.move_rows(moves, as_text=as_text),
        target_type="mobility.mobilites",
        count=moves.count(),
    )


@login_required
def move_list(request):
    perms.require(perms.can_manage_positions(request.user))
    moves = _visible_moves(request.user).select_related(
        "agent", "from_job", "to_job", "position__unit"
    )
    page = Paginator(moves, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mobility/move_list.html",
        {
            "page": page,
            "can_read_files": perms.can_read_redeployment_files(request.user),
            "crumbs": _crumbs(("Mobilités réalisées", None)),
        },
    )


@login_required
def move_create(request):
    perms.require(perms.can_manage_positions(request.user))
    form = MoveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), audit.acting_as(request.user):
            move = form.save(commit=False)
            move.from_job_id = move.agent.job_id
            move.save()
            if move.position_id:
                Position.objects.filter(pk=move.position_id).update(status="filled")
        messages.success(request, "Mobilité enregistrée.")
        return redirect("mobility:moves")
    return render(
        request,
        "mobility/move_form.html",
        {
            "form": form,
            "crumbs": _crumbs(
                ("Mobilités réalisées", reverse("mobility:moves")), ("Ajouter", None)
            ),
        },
    )
