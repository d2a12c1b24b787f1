"""Resource pages outside the admin: trainers (modules, home site, limits, weekly slots,
absences), rooms, service-continuity rules and the periods without training. HR and admins change them; advisors
read them."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.organisation.models import Agent, OrgUnit

from . import calendar
from .enums import SessionStatus
from .forms_resources import (
    WEEKDAY_NAMES,
    AbsenceForm,
    AvailabilityFormSet,
    ClosedPeriodForm,
    ContinuityRuleForm,
    RoomForm,
    TrainerForm,
)
from .models import ClosedPeriod, ContinuityRule, Room, Session, Trainer, TrainerAbsence

PER_PAGE = 50


def _crumbs(*tail):
    return [
        ("Formation", reverse("training:home")),
        ("Séances", reverse("planning:session_list")),
        *tail,
    ]


def _trainers_crumb():
    return ("Formateurs", reverse("planning:trainer_list"))


# --- Trainers ---------------------------------------------------------------------------------


@login_required
def trainer_list(request):
    user = request.user
    perms.require(perms.can_view_resources(user))
    tz = timezone.get_current_timezone()
    first = timezone.localdate().replace(day=1)
    starts, ends = calendar.day_bounds(first, calendar.month_end(first), tz)
    this_month = Q(sessions__starts_at__gte=starts, sessions__starts_at__lt=ends) & ~Q(
        sessions__status=SessionStatus.CANCELLED
    )
    trainers = (
        Trainer.objects.select_related("home_site")
        .prefetch_related("modules")
        .annotate(month_sessions=Count("sessions", filter=this_month, distinct=True))
        .order_by("-active", "name")
    )
    page = Paginator(trainers, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/resources/trainer_list.html",
        {
            "page": page,
            "month": first,
            "can_manage": perms.can_manage_resources(user),
            "crumbs": _crumbs(("Formateurs", None)),
        },
    )


@login_required
def trainer_detail(request, pk, absence_form=None):
    user = request.user
    perms.require(perms.can_view_resources(user))
    trainer = get_object_or_404(
        Trainer.objects.select_related("home_site", "user").prefetch_related(
            "modules", "availabilities"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    return render(
        request,
        "planning/resources/trainer_detail.html",
        {
            "trainer": trainer,
            "slots": [(WEEKDAY_NAMES[slot.weekday], slot) for slot in trainer.availabilities.all()],
            "absences": trainer.absences.filter(ends_on__gte=today - dt.timedelta(days=30)),
            "next_sessions": Session.objects.filter(trainers=trainer, ends_at__gte=timezone.now())
            .select_related("module", "room__site")
            .order_by("starts_at")[:10],
            "can_manage": perms.can_manage_resources(user),
            "absence_form": absence_form or AbsenceForm(trainer=trainer),
            "crumbs": _crumbs(_trainers_crumb(), (trainer.name, None)),
        },
    )


def _trainer_form_page(request, trainer: Trainer | None):
    perms.require(perms.can_manage_resources(request.user))
    form = TrainerForm(request.POST or None, instance=trainer)
    slots = AvailabilityFormSet(
        request.POST or None, instance=trainer or Trainer(), prefix="creneaux"
    )
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        # The trainer and their slots together, or nothing.
        with transaction.atomic():
            saved = form.save()
            slots.instance = saved
            slots.save()
        messages.success(request, f"Formateur « {saved} » enregistré.")
        return redirect("planning:trainer_detail", pk=saved.pk)
    tail = (
        [(trainer.name, reverse("planning:trainer_detail", args=[trainer.pk])), ("Modifier", None)]
        if trainer
        else [("Nouveau formateur", None)]
    )
    return render(
        request,
        "planning/resources/trainer_form.html",
        {
            "form": form,
            "slots": slots,
            "trainer": trainer,
            "crumbs": _crumbs(_trainers_crumb(), *tail),
        },
    )


@login_required
def trainer_create(request):
    return _trainer_form_page(request, None)


@login_required
def trainer_edit(request, pk):
    perms.require(perms.can_manage_resources(request.user))
    return _trainer_form_page(request, get_object_or_404(Trainer, pk=pk))


@require_POST
@login_required
def absence_add(request, pk):
    perms.require(perms.can_manage_resources(request.user))
    trainer = get_object_or_404(Trainer, pk=pk)
    form = AbsenceForm(request.POST, trainer=trainer)
    if not form.is_valid():
        return trainer_detail(request, pk, absence_form=form)
    absence = form.save()
    messages.success(
        request,
        f"Absence enregistrée du {absence.starts_on:%d/%m/%Y} au {absence.ends_on:%d/%m/%Y}.",
    )
    return redirect("planning:trainer_detail", pk=pk)


@require_POST
@login_required
def absence_delete(request, pk, absence_pk):
    perms.require(perms.can_manage_resources(request.user))
    absence = get_object_or_404(TrainerAbsence, pk=absence_pk, trainer_id=pk)
    absence.delete()
    messages.success(
        request,
        f"Absence du {absence.starts_on:%d/%m/%Y} au {absence.ends_on:%d/%m/%Y} supprimée.",
    )
    return redirect("planning:trainer_detail", pk=pk)


# --- Rooms ------------------------------------------------------------------------------------


@login_required
def room_list(request):
    user = request.user
    perms.require(perms.can_view_resources(user))
    rooms = Room.objects.select_related("site").order_by("-active", "site__name", "name")
    page = Paginator(rooms, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/resources/room_list.html",
        {
            "page": page,
            "can_manage": perms.can_manage_resources(user),
            "crumbs": _crumbs(("Salles", None)),
        },
    )


def _room_form_page(request, room: Room | None):
    perms.require(perms.can_manage_resources(request.user))
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Salle « {saved.name} » enregistrée.")
        return redirect("planning:room_list")
    return render(
        request,
        "planning/resources/room_form.html",
        {
            "form": form,
            "room": room,
            "crumbs": _crumbs(
                ("Salles", reverse("planning:room_list")),
                (room.name if room else "Nouvelle salle", None),
            ),
        },
    )


@login_required
def room_create(request):
    return _room_form_page(request, None)


@login_required
def room_edit(request, pk):
    perms.require(perms.can_manage_resources(request.user))
    return _room_form_page(request, get_object_or_404(Room, pk=pk))


# --- Service-continuity rules -----------------------------------------------------------------


def _rules(user):
    """The rules of the teams the user may browse, with the team's size (present agents
    of the unit itself, as registrations count it)."""
    team_size = (
        Agent.objects.present()
        .filter(unit=OuterRef("unit"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ContinuityRule.objects.filter(unit__in=OrgUnit.objects.visible_to(user))
        .select_related("unit")
        .annotate(team_size=Coalesce(Subquery(team_size), 0))
    )


@login_required
def rule_list(request):
    user = request.user
    perms.require(perms.can_view_resources(user))
    rules = list(_rules(user).order_by("unit__path"))
    return render(
        request,
        "planning/resources/rule_list.html",
        {
            "rows": [(rule, rule.max_absent(rule.team_size)) for rule in rules],
            "can_manage": perms.can_manage_resources(user),
            "crumbs": _crumbs(("Continuité de service", None)),
        },
    )


def _rule_form_page(request, rule: ContinuityRule | None):
    user = request.user
    form = ContinuityRuleForm(request.POST or None, instance=rule, user=user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Règle enregistrée pour « {saved.unit.name} ».")
        return redirect("planning:rule_list")
    return render(
        request,
        "planning/resources/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "crumbs": _crumbs(
                ("Continuité de service", reverse("planning:rule_list")),
                (rule.unit.name if rule else "Nouvelle règle", None),
            ),
        },
    )


@login_required
def rule_create(request):
    perms.require(perms.can_manage_resources(request.user))
    return _rule_form_page(request, None)


@login_required
def rule_edit(request, pk):
    perms.require(perms.can_manage_resources(request.user))
    return _rule_form_page(request, get_object_or_404(_rules(request.user), pk=pk))


@login_required
def rule_delete(request, pk):
    user = request.user
    perms.require(perms.can_manage_resources(user))
    rule = get_object_or_404(_rules(user), pk=pk)
    if request.method == "POST":
        rule.delete()
        messages.success(request, f"Règle de « {rule.unit.name} » supprimée.")
        return redirect("planning:rule_list")
    return render(
        request,
        "planning/resources/rule_confirm_delete.html",
        {
            "rule": rule,
            "max_absent": rule.max_absent(rule.team_size),
            "crumbs": _crumbs(
                ("Continuité de service", reverse("planning:rule_list")),
                (f"Supprimer la règle de {rule.unit.name}", None),
            ),
        },
    )


# --- Periods without training -----------------------------------------------------------------


@login_required
def closed_period_list(request):
    """School holidays and closures: the list, and for HR the form to add one."""
    user = request.user
    perms.require(perms.can_view_resources(user))
    can_manage = perms.can_manage_resources(user)
    form = ClosedPeriodForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        perms.require(can_manage)
        if form.is_valid():
            period = form.save()
            messages.success(request, f"Période ajoutée : {period}.")
            return redirect("planning:closed_period_list")
    today = timezone.localdate()
    return render(
        request,
        "planning/resources/closed_periods.html",
        {
            "upcoming": ClosedPeriod.objects.filter(ends_on__gte=today),
            "past": ClosedPeriod.objects.filter(ends_on__lt=today).order_by("-starts_on")[:10],
            "form": form,
            "can_manage": can_manage,
            "crumbs": _crumbs(("Périodes sans formation", None)),
        },
    )


@require_POST
@login_required
def closed_period_delete(request, pk):
    perms.require(perms.can_manage_resources(request.user))
    period = get_object_or_404(ClosedPeriod, pk=pk)
    period.delete()
    messages.success(request, f"Période supprimée : {period}.")
    return redirect("planning:closed_period_list")
