"""The planner in the app: HR launches a run over a horizon (background task, progress
bar, can be stopped), reviews the proposed sessions with the figures, fixes some
sessions (they are created now and kept by the next run), re-runs around them, and
accepts the rest (sessions and registrations created, convocations follow)."""

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tremplin.accounts import perms

from . import planner
from .forms_plan import PlanningRunForm
from .models import PlanningRun, PlanningRunStatus, Room, Trainer
from .optimizer import model as m

HALF_LABELS = {m.MORNING: "matin", m.AFTERNOON: "après-midi"}


def _crumbs(*tail):
    return [
        ("Formation", reverse("training:home")),
        ("Calcul du planning", reverse("planning:plan_list") if tail else None),
        *tail,
    ]


@login_required
def plan_list(request):
    user = request.user
    perms.require(perms.can_plan_training(user))
    form = PlanningRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            run = form.save(commit=False)
            run.created_by = user
            run.save()
            planner.launch(run, user)
        return redirect("planning:plan_detail", pk=run.pk)
    return render(
        request,
        "planning/plan/list.html",
        {
            "form": form,
            "runs": PlanningRun.objects.select_related("created_by")[:20],
            "crumbs": _crumbs(),
        },
    )


def _weeks(run: PlanningRun):
    """The proposed sessions by week, with names for modules, rooms and trainers."""
    sessions = run.plan.get("sessions", [])
    rooms = {
        r.pk: r
        for r in Room.objects.select_related("site").filter(pk__in={s["room"] for s in sessions})
    }
    trainers = dict(
        Trainer.objects.filter(pk__in={s["trainer"] for s in sessions}).values_list("pk", "name")
    )
    weeks = defaultdict(list)
    for index, s in enumerate(sessions):
        day_text, half = run.plan["slots"][str(s["slot"])]
        day = dt.date.fromisoformat(day_text)
        weeks[day.isocalendar()[:2]].append(
            {
                "index": index,
                "day": day,
                "half": HALF_LABELS.get(half, half),
                "module": s["module_name"],
                "room": rooms.get(s["room"]),
                "trainer": trainers.get(s["trainer"], "?"),
                "seats": sum(s["seats"].values()),
                "capacity": s["capacity"],
                "fixed": s["fixed"] is not None,
                "locked": s.get("locked_session"),
            }
        )
    return [
        {"label": f"Semaine {week} ({rows[0]['day']:%d/%m/%Y})", "rows": rows}
        for (year, week), rows in sorted(weeks.items())
    ]


@login_required
def plan_detail(request, pk):
    perms.require(perms.can_plan_training(request.user))
    run = get_object_or_404(PlanningRun.objects.select_related("job", "created_by"), pk=pk)
    weeks = (
        _weeks(run) if run.status in (PlanningRunStatus.READY, PlanningRunStatus.APPLIED) else []
    )
    return render(
        request,
        "planning/plan/detail.html",
        {
            "run": run,
            "job": run.job,
            "figures": run.figures,
            "weeks": weeks,
            "crumbs": _crumbs((str(run), None)),
        },
    )


@require_POST
@login_required
def plan_stop(request, pk):
    perms.require(perms.can_plan_training(request.user))
    updated = PlanningRun.objects.filter(pk=pk, status=PlanningRunStatus.COMPUTING).update(
        status=PlanningRunStatus.CANCELLED
    )
    if updated:
        messages.info(request, "Calcul arrêté : rien n'est proposé.")
    return redirect("planning:plan_detail", pk=pk)


@require_POST
@login_required
def plan_rerun(request, pk):
    """A new run with the same parameters: the sessions fixed meanwhile are kept."""
    user = request.user
    perms.require(perms.can_plan_training(user))
    old = get_object_or_404(PlanningRun, pk=pk)
    with transaction.atomic():
        run = PlanningRun.objects.create(
            starts_on=old.starts_on,
            ends_on=old.ends_on,
            include_proposed=old.include_proposed,
            time_limit_seconds=old.time_limit_seconds,
            created_by=user,
        )
        planner.launch(run, user)
    return redirect("planning:plan_detail", pk=run.pk)


@require_POST
@login_required
def plan_lock(request, pk, index):
    """Fixes one proposed session: created now, locked, with its registrations; the next
    run keeps it as it is."""
    user = request.user
    perms.require(perms.can_plan_training(user))
    with transaction.atomic():
        run = get_object_or_404(PlanningRun.objects.select_for_update(), pk=pk)
        sessions = run.plan.get("sessions", [])
        if run.status != PlanningRunStatus.READY or not 0 <= index < len(sessions):
            messages.error(request, "Cette séance ne peut plus être fixée.")
            return redirect("planning:plan_detail", pk=pk)
        proposal = sessions[index]
        if proposal["fixed"] is not None:
            messages.info(request, "Cette séance est déjà fixée.")
            return redirect("planning:plan_detail", pk=pk)
        report, session_id = planner.lock_session(run, index, by=user)
    messages.success(
        request,
        f"Séance fixée et créée : {report.registered} inscrit(s), {report.waiting} en "
        f"liste d'attente, {report.refused} refusé(s). Relancez le calcul pour replanifier "
        "autour d'elle.",
    )
    return redirect("planning:plan_detail", pk=pk)


@require_POST
@login_required
def plan_accept(request, pk):
    user = request.user
    perms.require(perms.can_plan_training(user))
    with transaction.atomic():
        run = get_object_or_404(PlanningRun.objects.select_for_update(), pk=pk)
        if run.status != PlanningRunStatus.READY:
            messages.error(request, "Seul un planning à revoir peut être accepté.")
            return redirect("planning:plan_detail", pk=pk)
        report = planner.accept(run, by=user)
    messages.success(
        request,
        f"Planning accepté : {report.sessions} séance(s) créée(s), {report.registered} "
        f"inscription(s), {report.waiting} en liste d'attente, {report.refused} refusée(s). "
        "Les convocations partent.",
    )
    return redirect("planning:session_list")
