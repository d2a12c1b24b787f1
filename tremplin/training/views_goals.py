"""Coverage goals and fragility segments, for HR and the direction: where each goal
stands (reached, pace, projection at the deadline, seats per month still needed), per
unit, and the groups of agents far from digital with their counts per unit.

Figures only, never names: the direction follows them too. Counting is SQL's job
(goals.py, segments.py); every figure is limited to the agents the user may count.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts import perms
from tremplin.competences.models import Competence
from tremplin.core import audit
from tremplin.core.models import AuditEntry
from tremplin.organisation.models import OrgUnit
from tremplin.organisation.unit_figures import share_percent

from . import goals as logic
from . import segments
from .forms_goals import CoverageGoalForm, FragilitySegmentForm, UnitFilterForm
from .models import CoverageGoal, FragilitySegment, Module

GOALS_PER_PAGE = 20
HISTORY_ENTRIES = 30
GOALS_LABEL = "Objectifs de formation"
SEGMENTS_LABEL = "Groupes éloignés du numérique"


def _crumbs(root: tuple[str, str], obj=None, *tail):
    label, url_name = root
    crumbs = [
        ("Formation", reverse("training:home")),
        (label, reverse(url_name) if obj is not None or tail else None),
    ]
    if obj is not None:
        detail = (
            "training:goal_detail" if isinstance(obj, CoverageGoal) else "training:segment_detail"
        )
        crumbs.append((str(obj), reverse(detail, args=[obj.pk]) if tail else None))
    crumbs.extend((text, None) for text in tail)
    return crumbs


GOAL_ROOT = (GOALS_LABEL, "training:goal_list")
SEGMENT_ROOT = (SEGMENTS_LABEL, "training:segment_list")


# --- History --------------------------------------------------------------------------------

# Foreign keys shown by name in a history: {attname: model}.
NAMED_KEYS = {
    "module_id": Module,
    "competence_id": Competence,
    "unit_id": OrgUnit,
    "segment_id": FragilitySegment,
}


def _readable(field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.attname in names:
        return names[field.attname].get(value, f"n° {value}")
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return logic.french_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value).replace(".", ",") if isinstance(field, models.DecimalField) else str(value)


def history(obj) -> list[dict]:
    """The audit entries of a goal or segment, newest first, each change as
    (field label, before, after) in words. A few queries, whatever the entries."""
    entries = list(
        AuditEntry.objects.filter(target_type=audit.label_of(obj), target_id=str(obj.pk))[
            :HISTORY_ENTRIES
        ]
    )
    fields = {f.attname: f for f in obj._meta.concrete_fields}
    wanted: dict[str, set] = {}
    for entry in entries:
        for name, values in entry.changes.items():
            if name in NAMED_KEYS:
                wanted.setdefault(name, set()).update(v for v in values if v is not None)
    names = {
        name: {pk: str(o) for pk, o in NAMED_KEYS[name].objects.in_bulk(ids).items()}
        for name, ids in wanted.items()
    }
    rows = []
    for entry in entries:
        changes = [
            (
                str(fields[name].verbose_name) if name in fields else name,
                _readable(fields.get(name), before, names),
                _readable(fields.get(name), after, names),
            )
            for name, (before, after) in entry.changes.items()
            if name != "id"
        ]
        rows.append({"entry": entry, "changes": changes})
    return rows


# --- Goals ----------------------------------------------------------------------------------


def _goals_queryset(user):
    return logic.visible_goals(user).select_related("module", "competence", "unit", "segment")


@login_required
def goal_list(request):
    user = request.user
    perms.require(perms.can_view_goals(user))
    show_all = request.GET.get("tous") == "1"
    goals = _goals_queryset(user)
    if not show_all:
        goals = goals.filter(active=True)
    page = Paginator(goals.order_by("priority", "deadline", "name", "pk"), GOALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/goal_list.html",
        {
            "page": page,
            "progress": logic.progress_of(page.object_list, user),
            "show_all": show_all,
            "scoped": logic.is_scoped(user),
            "can_edit": perms.can_edit_goals(user),
            "can_view_segments": perms.can_view_segments(user),
            "crumbs": _crumbs(GOAL_ROOT),
        },
    )


@login_required
def goal_detail(request, pk):
    user = request.user
    perms.require(perms.can_view_goals(user))
    goal = get_object_or_404(_goals_queryset(user), pk=pk)
    form = UnitFilterForm(request.GET or None, user=user)
    today = timezone.localdate()
    return render(
        request,
        "training/goal_detail.html",
        {
            "goal": goal,
            "progress": logic.progress_of([goal], user, today)[0],
            "table": logic.progress_by_unit(goal, user, today, form.chosen_unit),
            "form": form,
            "filtered": form.chosen_unit is not None,
            "history": history(goal),
            "scoped": logic.is_scoped(user),
            "can_edit": logic.can_edit(user, goal),
            "can_view_segments": perms.can_view_segments(user),
            "pace_days": logic.PACE_DAYS,
            "crumbs": _crumbs(GOAL_ROOT, goal),
        },
    )


@login_required
def goal_create(request):
    user = request.user
    perms.require(perms.can_edit_goals(user))
    form = CoverageGoalForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        goal = form.save()
        messages.success(request, "Objectif enregistré.")
        return redirect("training:goal_detail", goal.pk)
    return render(
        request,
        "training/goal_form.html",
        {"form": form, "goal": None, "crumbs": _crumbs(GOAL_ROOT, None, "Nouvel objectif")},
    )


@login_required
def goal_edit(request, pk):
    user = request.user
    perms.require(perms.can_edit_goals(user))
    goal = get_object_or_404(_goals_queryset(user), pk=pk)
    perms.require(logic.can_edit(user, goal))
    form = CoverageGoalForm(request.POST or None, instance=goal, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Objectif modifié.")
        return redirect("training:goal_detail", goal.pk)
    return render(
        request,
        "training/goal_form.html",
        {"form": form, "goal": goal, "crumbs": _crumbs(GOAL_ROOT, goal, "Modifier")},
    )


# --- Segments -------------------------------------------------------------------------------


def _sort_key(segment: FragilitySegment) -> tuple:
    """Used ones first, then by name as people read it (« Éloignés » before « Terrain »)."""
    plain = unicodedata.normalize("NFKD", segment.name).encode("ascii", "ignore").decode()
    return (not segment.active, plain.casefold(), segment.pk)


@login_required
def segment_list(request):
    """Every segment (a collectivité has a handful) with its count, in one query."""
    user = request.user
    perms.require(perms.can_view_segments(user))
    every_segment = sorted(FragilitySegment.objects.all(), key=_sort_key)
    everybody, counts = segments.counts_of(
        every_segment, logic.counted_agents(user, timezone.localdate())
    )
    rows = [
        {
            "segment": segment,
            "rules": segments.rules_summary(segment),
            "count": counts[segment.pk],
            "share": share_percent(counts[segment.pk], everybody),
        }
        for segment in every_segment
    ]
    return render(
        request,
        "training/segment_list.html",
        {
            "rows": rows,
            "everybody": everybody,
            "scoped": logic.is_scoped(user),
            "can_edit": perms.can_edit_segments(user),
            "crumbs": _crumbs(SEGMENT_ROOT),
        },
    )


@login_required
def segment_detail(request, pk):
    user = request.user
    perms.require(perms.can_view_segments(user))
    segment = get_object_or_404(FragilitySegment, pk=pk)
    form = UnitFilterForm(request.GET or None, user=user)
    agents = logic.counted_agents(user, timezone.localdate())
    return render(
        request,
        "training/segment_detail.html",
        {
            "segment": segment,
            "intro": segments.rules_intro(segment),
            "rules": segments.rule_sentences(segment),
            "table": segments.figures_by_unit(segment, agents, user, form.chosen_unit),
            "form": form,
            "filtered": form.chosen_unit is not None,
            "goals": logic.visible_goals(user).filter(segment=segment).order_by("deadline"),
            "history": history(segment),
            "scoped": logic.is_scoped(user),
            "can_edit": perms.can_edit_segments(user),
            "can_view_goals": perms.can_view_goals(user),
            "crumbs": _crumbs(SEGMENT_ROOT, segment),
        },
    )


@login_required
def segment_create(request):
    perms.require(perms.can_edit_segments(request.user))
    form = FragilitySegmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        segment = form.save()
        messages.success(request, "Groupe enregistré.")
        return redirect("training:segment_detail", segment.pk)
    return render(
        request,
        "training/segment_form.html",
        {"form": form, "segment": None, "crumbs": _crumbs(SEGMENT_ROOT, None, "Nouveau groupe")},
    )


@login_required
def segment_edit(request, pk):
    perms.require(perms.can_edit_segments(request.user))
    segment = get_object_or_404(FragilitySegment, pk=pk)
    form = FragilitySegmentForm(request.POST or None, instance=segment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, "Groupe modifié. Les objectifs qui l'utilisent suivent ses règles."
        )
        return redirect("training:segment_detail", segment.pk)
    return render(
        request,
        "training/segment_form.html",
        {"form": form, "segment": segment, "crumbs": _crumbs(SEGMENT_ROOT, segment, "Modifier")},
    )
