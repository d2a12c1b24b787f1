"""The planner in the app: HR launches a run over a horizon (background task, progress
bar, can be stopped), reviews the proposed sessions with the figures, fixes some
sessions (they are created now and kept by the next run), re-runs around them, and
accepts the rest (sessions and registrations created, convocations follow)."""

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core.tabular import csv_response, xlsx_response
from tremplin.organisation.models import Agent

from . import calendar, planner, views_calendar
from .forms_plan import PlanningRunForm
from .forms_resources import CalendarFilterForm
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
    form = PlanningRunForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            run = form.save(commit=False)
            run.created_by = user
            run.save()
            form.save_m2m()
            planner.launch(run, user)
        return redirect("planning:plan_detail", pk=run.pk)
    return render(
        request,
        "planning/plan/list.html",
        {
            "form": form,
            "runs": PlanningRun.objects.select_related("created_by", "unit", "segment")[:20],
            "crumbs": _crumbs(),
        },
    )


def _proposals(run: PlanningRun) -> list[dict]:
    """The proposed sessions with their day, half-day and the names of the module, room,
    site and trainer (two queries)."""
    sessions = run.plan.get("sessions", [])
    rooms = {
        r.pk: r
        for r in Room.objects.select_related("site").filter(pk__in={s["room"] for s in sessions})
    }
    trainers = dict(
        Trainer.objects.filter(pk__in={s["trainer"] for s in sessions}).values_list("pk", "name")
    )
    rows = []
    for index, s in enumerate(sessions):
        day_text, half = run.plan["slots"][str(s["slot"])]
        room = rooms.get(s["room"])
        rows.append(
            {
                "index": index,
                "day": dt.date.fromisoformat(day_text),
                "half": HALF_LABELS.get(half, half),
                "module_id": s["module"],
                "module": s["module_name"],
                "room": room,
                "site_id": room.site_id if room else None,
                "trainer_id": s["trainer"],
                "trainer": trainers.get(s["trainer"], "?"),
                "seats": sum(s["seats"].values()),
                "capacity": s["capacity"],
                "fixed": s["fixed"] is not None,
                "locked": s.get("locked_session"),
            }
        )
    return rows


def _months(rows: list[dict]) -> list[dict]:
    """Sessions and seats per month, each month a link to its calendar."""
    months = defaultdict(lambda: {"sessions": 0, "seats": 0})
    for row in rows:
        month = months[row["day"].replace(day=1)]
        month["sessions"] += 1
        month["seats"] += row["seats"]
    return [
        {"first": first, "param": calendar.month_param(first), **figures}
        for first, figures in sorted(months.items())
    ]


@login_required
def plan_detail(request, pk):
    perms.require(perms.can_plan_training(request.user))
    run = get_object_or_404(
        PlanningRun.objects.select_related("job", "created_by", "unit", "segment"), pk=pk
    )
    shown = run.status in (PlanningRunStatus.READY, PlanningRunStatus.APPLIED)
    return render(
        request,
        "planning/plan/detail.html",
        {
            "run": run,
            "job": run.job,
            "figures": run.figures,
            "modules": list(run.modules.values_list("title", flat=True)),
            "goals": [
                {**goal, "deadline": dt.date.fromisoformat(goal["deadline"])}
                for goal in run.figures.get("goals", [])
            ],
            "months": _months(_proposals(run)) if shown else [],
            "crumbs": _crumbs((str(run), None)),
        },
    )


@login_required
def plan_calendar(request, pk):
    """The proposed sessions on a week or month calendar, filtered by site, trainer or
    module; from the week view HR fixes a session."""
    perms.require(perms.can_plan_training(request.user))
    run = get_object_or_404(PlanningRun, pk=pk)
    if run.status not in (PlanningRunStatus.READY, PlanningRunStatus.APPLIED):
        return redirect("planning:plan_detail", pk=pk)
    rows = _proposals(run)
    form = CalendarFilterForm(request.GET or None)
    if form.is_valid():
        site, trainer, module = (form.cleaned_data[k] for k in ("site", "trainer", "module"))
        rows = [
            row
            for row in rows
            if (site is None or row["site_id"] == site.pk)
            and (trainer is None or row["trainer_id"] == trainer.pk)
            and (module is None or row["module_id"] == module.pk)
        ]
    if "semaine" not in request.GET and "mois" not in request.GET:
        first = rows[0]["day"] if rows else run.starts_on
        period = views_calendar.period_of(request, first)
    else:
        period = views_calendar.period_of(request, run.starts_on)
    days = calendar.build_days(
        [period.start + dt.timedelta(days=i) for i in range((period.end - period.start).days)],
        [(row["day"], row) for row in rows],
        today=timezone.localdate(),
        period=(period.first, period.period_end),
    )
    return render(
        request,
        "planning/plan/calendar.html",
        {
            "run": run,
            "period": period,
            "days": days,
            "weeks": calendar.split_weeks(days),
            "busy_days": [d for d in days if d.in_period and d.busy],
            "session_count": sum(len(d.items) for d in days if d.in_period),
            "filter_form": form,
            "crumbs": _crumbs(
                (str(run), reverse("planning:plan_detail", args=[run.pk])),
                ("Calendrier proposé", None),
            ),
        },
    )


EXPORT_HEADERS = [
    "Date",
    "Demi-journée",
    "Module",
    "Site",
    "Salle",
    "Formateur",
    "Places données",
    "Places",
    "État",
]


@login_required
def plan_export(request, pk, kind):
    """The proposed sessions as a list (CSV for Excel, or XLSX), to share before accepting."""
    perms.require(perms.can_plan_training(request.user))
    run = get_object_or_404(PlanningRun, pk=pk)
    if kind not in ("csv", "xlsx"):
        raise Http404
    if run.status not in (PlanningRunStatus.READY, PlanningRunStatus.APPLIED):
        return redirect("planning:plan_detail", pk=pk)

    def rows():
        for row in _proposals(run):
            room = row["room"]
            yield [
                row["day"].isoformat(),
                row["half"],
                row["module"],
                room.site.name if room else "",
                room.name if room else "",
                row["trainer"],
                row["seats"],
                row["capacity"],
                "fixée" if row["locked"] else "déjà prévue" if row["fixed"] else "proposée",
            ]

    name = f"planning-{run.starts_on:%Y-%m-%d}-{run.ends_on:%Y-%m-%d}.{kind}"
    if kind == "csv":
        return csv_response(name, EXPORT_HEADERS, rows())
    return xlsx_response(name, EXPORT_HEADERS, rows(), title="Séances proposées")


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
            unit_id=old.unit_id,
            segment_id=old.segment_id,
            previous=old,
            created_by=user,
        )
        run.modules.set(old.modules.all())
        planner.launch(run, user)
    return redirect("planning:plan_detail", pk=run.pk)


@require_POST
@login_required
def plan_lock(request, pk, index):
    """Fixes one proposed session: created now, locked, with its registrations; the next
    run keeps it as it is. Back to the calendar week it was fixed from."""
    user = request.user
    perms.require(perms.can_plan_training(user))
    back = _back_to_calendar(request, pk)
    with transaction.atomic():
        run = get_object_or_404(PlanningRun.objects.select_for_update(), pk=pk)
        sessions = run.plan.get("sessions", [])
        if run.status != PlanningRunStatus.READY or not 0 <= index < len(sessions):
            messages.error(request, "Cette séance ne peut plus être fixée.")
            return redirect(back)
        proposal = sessions[index]
        if proposal["fixed"] is not None:
            messages.info(request, "Cette séance est déjà fixée.")
            return redirect(back)
        report, session_id = planner.lock_session(run, index, by=user)
    messages.success(
        request,
        f"Séance fixée et créée : {report.registered} inscrit(s), {report.waiting} en "
        f"liste d'attente, {report.refused} refusé(s). Relancez le calcul pour replanifier "
        "autour d'elle.",
    )
    return redirect(back)


@login_required
def plan_session(request, pk, index):
    """One proposed session and the agents it seats (those the user may see by name)."""
    user = request.user
    perms.require(perms.can_plan_training(user))
    run = get_object_or_404(PlanningRun, pk=pk)
    rows = (
        _proposals(run)
        if run.status in (PlanningRunStatus.READY, PlanningRunStatus.APPLIED)
        else []
    )
    if not 0 <= index < len(rows):
        raise Http404
    row = rows[index]
    seated = planner.seated_agents(run, index)
    agents = (
        Agent.objects.visible_to(user)
        .filter(pk__in=seated)
        .select_related("unit", "job", "site")
        .order_by("last_name", "first_name")
    )
    return render(
        request,
        "planning/plan/session.html",
        {
            "run": run,
            "row": row,
            "agents": agents,
            "hidden": len(seated) - len(agents),
            "calendar_query": f"semaine={calendar.week_param(calendar.week_start(row['day']))}",
            "crumbs": _crumbs(
                (str(run), reverse("planning:plan_detail", args=[run.pk])),
                (
                    "Calendrier proposé",
                    reverse("planning:plan_calendar", args=[run.pk])
                    + f"?semaine={calendar.week_param(calendar.week_start(row['day']))}",
                ),
                (f"{row['module']}, {row['day']:%d/%m/%Y}", None),
            ),
        },
    )


def _back_to_calendar(request, pk) -> str:
    """The proposal's calendar with the period and filters the form came from."""
    url = reverse("planning:plan_calendar", args=[pk])
    query = request.POST.get("retour", "")
    return f"{url}?{query}" if query and "/" not in query and ":" not in query else url


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
