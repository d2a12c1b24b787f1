"""The advisors' coaching log: log, change and delete a coaching, the list (an advisor
their own, HR everybody's) and the activity in figures with its CSV export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import csv_response
from tremplin.organisation.models import Agent

from . import coaching
from .forms_coaching import CoachingEntryForm, CoachingFilterForm, CoachingThemeForm
from .models import CoachingEntry, CoachingTheme

PER_PAGE = 30


def _crumbs(*tail):
    return [("Accompagnements", reverse("coaching:list")), *tail]


def can_change(user, entry) -> bool:
    """Its author (still an advisor or HR) and HR change or delete an entry."""
    return perms.can_log_coaching(user) and (
        entry.advisor_id == user.pk or perms.can_view_all_coaching(user)
    )


def _visible_entry(request, pk):
    perms.require(perms.can_log_coaching(request.user))
    return get_object_or_404(
        CoachingEntry.objects.visible_to(request.user).select_related("advisor", "site"), pk=pk
    )


def _with_visible_agents(entries, user):
    """Names of the agents the user may see; the others only count (agent_count)."""
    return entries.annotate(agent_count=Count("agents", distinct=True)).prefetch_related(
        "themes",
        Prefetch(
            "agents",
            queryset=Agent.objects.visible_to(user).only(
                "pk", "first_name", "last_name", "matricule"
            ),
            to_attr="visible_agents",
        ),
    )


@login_required
def entry_list(request):
    user = request.user
    perms.require(perms.can_log_coaching(user))
    see_all = perms.can_view_all_coaching(user)
    form = CoachingFilterForm(request.GET or None, all_advisors=see_all)
    entries = CoachingEntry.objects.visible_to(user).select_related("advisor", "site")
    if form.value("start"):
        entries = entries.filter(happened_on__gte=form.value("start"))
    if form.value("end"):
        entries = entries.filter(happened_on__lte=form.value("end"))
    if see_all and form.value("advisor"):
        entries = entries.filter(advisor=form.value("advisor"))
    entries = _with_visible_agents(entries.order_by("-happened_on", "-pk"), user)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/coaching/list.html",
        {
            "page": page,
            "form": form,
            "see_all": see_all,
            "crumbs": [("Accompagnements", None)],
        },
    )


@login_required
def entry_create(request):
    user = request.user
    perms.require(perms.can_log_coaching(user))
    form = CoachingEntryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        entry = form.save()
        messages.success(request, "Accompagnement enregistré.")
        return redirect("coaching:detail", pk=entry.pk)
    return render(
        request,
        "planning/coaching/form.html",
        {"form": form, "entry": None, "crumbs": _crumbs(("Noter un accompagnement", None))},
    )


@login_required
def entry_detail(request, pk):
    user = request.user
    entry = _visible_entry(request, pk)
    entry = _with_visible_agents(CoachingEntry.objects.filter(pk=entry.pk), user).get()
    if entry.advisor_id != user.pk:
        audit.record_read(entry)
    return render(
        request,
        "planning/coaching/detail.html",
        {
            "entry": entry,
            "hidden_agents": entry.agent_count - len(entry.visible_agents),
            "can_change": can_change(user, entry),
            "crumbs": _crumbs((str(entry), None)),
        },
    )


@login_required
def entry_edit(request, pk):
    user = request.user
    entry = _visible_entry(request, pk)
    perms.require(can_change(user, entry))
    form = CoachingEntryForm(request.POST or None, instance=entry, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Accompagnement modifié.")
        return redirect("coaching:detail", pk=entry.pk)
    return render(
        request,
        "planning/coaching/form.html",
        {
            "form": form,
            "entry": entry,
            "crumbs": _crumbs(
                (str(entry), reverse("coaching:detail", args=[entry.pk])), ("Modifier", None)
            ),
        },
    )


@login_required
def entry_delete(request, pk):
    user = request.user
    entry = _visible_entry(request, pk)
    perms.require(can_change(user, entry))
    if request.method == "POST":
        entry.delete()
        messages.success(request, f"{entry} supprimé.")
        return redirect("coaching:list")
    return render(
        request,
        "planning/coaching/confirm_delete.html",
        {
            "entry": entry,
            "crumbs": _crumbs(
                (str(entry), reverse("coaching:detail", args=[entry.pk])), ("Supprimer", None)
            ),
        },
    )


@login_required
def activity(request):
    user = request.user
    perms.require(perms.can_log_coaching(user))
    see_all = perms.can_view_all_coaching(user)
    form = CoachingFilterForm(request.GET or None, all_advisors=see_all)
    default_start, default_end = coaching.default_period(timezone.localdate())
    start = form.value("start") or default_start
    end = form.value("end") or default_end
    if end < start:  # one bound typed, on the wrong side of the default other one
        span = default_end - default_start
        if form.value("start"):
            end = start + span
        else:
            start = end - span
    advisor = form.value("advisor") if see_all else None
    entries = coaching.entries_for(user, start=start, end=end, advisor=advisor)
    if request.GET.get("format") == "csv":
        audit.record(
            AuditAction.EXPORT,
            target_type="planning.coachingentry",
            summary=f"export de l'activité d'accompagnement du {start:%d/%m/%Y} au {end:%d/%m/%Y}",
        )
        return csv_response(
            f"accompagnements-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv",
            coaching.EXPORT_HEADERS,
            coaching.export_rows(entries),
        )
    figures = coaching.activity(entries, start=start, end=end, per_advisor=see_all)
    return render(
        request,
        "planning/coaching/activity.html",
        {
            "form": form,
            "figures": figures,
            "see_all": see_all,
            "advisor": advisor,
            "crumbs": _crumbs(("Activité", None)),
        },
    )


# --- Themes (HR keeps the list) ---------------------------------------------------------------


@login_required
def theme_list(request):
    """The themes an advisor picks from, how often each was used, and a form to add one."""
    perms.require(perms.can_view_all_coaching(request.user))
    form = CoachingThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        theme = form.save()
        messages.success(request, f"Thème ajouté : {theme}.")
        return redirect("coaching:themes")
    themes = CoachingTheme.objects.annotate(uses=Count("entries"))
    return render(
        request,
        "planning/coaching/themes.html",
        {"themes": themes, "form": form, "crumbs": _crumbs(("Thèmes", None))},
    )


@login_required
def theme_edit(request, pk):
    perms.require(perms.can_view_all_coaching(request.user))
    theme = get_object_or_404(CoachingTheme, pk=pk)
    form = CoachingThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Thème enregistré : {theme}.")
        return redirect("coaching:themes")
    return render(
        request,
        "planning/coaching/theme_form.html",
        {
            "theme": theme,
            "form": form,
            "crumbs": _crumbs(("Thèmes", reverse("coaching:themes")), (str(theme), None)),
        },
    )
