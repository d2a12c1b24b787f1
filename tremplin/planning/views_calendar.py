"""Calendars of sessions: per trainer, per room, per site, and an overall one with
filters; a week view (Monday to Sunday) and a month view (`?semaine=2026-W49`,
`?mois=2026-12`; a bad value shows the current week or month). A trainer who has an
account opens their own calendar without the resource role ("Mon planning
d'animation")."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts import perms
from tremplin.organisation.models import Site

from . import calendar
from .enums import SEAT_STATUSES
from .forms_resources import CalendarFilterForm
from .models import Room, Session, Trainer, TrainerAbsence


@dataclass
class Period:
    """A week, or a month shown as whole weeks; the query strings of the links around."""

    is_month: bool
    first: dt.date  # the Monday of the week, or the 1st of the month
    start: dt.date  # first day shown
    end: dt.date  # day after the last day shown
    period_end: dt.date  # day after the week or the month
    previous: str
    next: str
    current: str
    switch: str  # the same place in the other view (week ↔ month)
    param_name: str
    param_value: str

    @property
    def last(self) -> dt.date:
        return self.period_end - dt.timedelta(days=1)

    @property
    def week_number(self) -> int:
        return self.first.isocalendar()[1]


def _query(request, **changes) -> str:
    """The current filters with another period (the period parameters are replaced)."""
    params = request.GET.copy()
    for key in ("semaine", "mois"):
        params.pop(key, None)
    for key, value in changes.items():
        params[key] = value
    return f"?{params.urlencode()}"


def period_of(request, today: dt.date) -> Period:
    """The week or month the query string asks for; `today` is shown by default."""
    if "mois" in request.GET:
        first = calendar.parse_month(request.GET.get("mois"), today)
        month_end = calendar.month_end(first)
        weeks = calendar.month_weeks(first)
        in_month = first <= today < month_end
        return Period(
            is_month=True,
            first=first,
            start=weeks[0][0],
            end=weeks[-1][-1] + dt.timedelta(days=1),
            period_end=month_end,
            previous=_query(request, mois=calendar.month_param(calendar.add_months(first, -1))),
            next=_query(request, mois=calendar.month_param(month_end)),
            current=_query(request, mois=calendar.month_param(today.replace(day=1))),
            switch=_query(
                request,
                semaine=calendar.week_param(calendar.week_start(today if in_month else first)),
            ),
            param_name="mois",
            param_value=calendar.month_param(first),
        )
    monday = calendar.parse_week(request.GET.get("semaine"), today)
    week = dt.timedelta(days=7)
    # The ISO rule: a week belongs to the month of its Thursday.
    thursday = monday + dt.timedelta(days=3)
    return Period(
        is_month=False,
        first=monday,
        start=monday,
        end=monday + week,
        period_end=monday + week,
        previous=_query(request, semaine=calendar.week_param(monday - week)),
        next=_query(request, semaine=calendar.week_param(monday + week)),
        current=_query(request, semaine=calendar.week_param(calendar.week_start(today))),
        switch=_query(request, mois=calendar.month_param(thursday.replace(day=1))),
        param_name="semaine",
        param_value=calendar.week_param(monday),
    )


def _calendar(
    request,
    *,
    title: str,
    sessions,
    absences=None,
    crumb: str,
    intro: str = "",
    filter_form=None,
    links=(),
    own=False,
):
    """The page shared by every calendar: `sessions` and `absences` are querysets that
    this function bounds to the period shown (two queries, plus one for the trainers).
    `links` are (label, url, same_period): a link to another calendar keeps the period.
    `own`: the user's own calendar as a trainer, whose sessions link to the attendance
    sheet when the session pages are closed to them."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    period = period_of(request, today)
    starts, ends = calendar.day_bounds(period.start, period.end, tz)
    rows = list(
        sessions.filter(starts_at__gte=starts, starts_at__lt=ends)
        .select_related("module", "room__site")
        .prefetch_related("trainers")
        .annotate(taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)))
        .order_by("starts_at", "pk")
    )
    away = []
    if absences is not None:
        away = [
            (a.starts_on, a.ends_on, a)
            for a in absences.filter(
                starts_on__lt=period.end, ends_on__gte=period.start
            ).select_related("trainer")
        ]
    days = calendar.build_days(
        [period.start + dt.timedelta(days=i) for i in range((period.end - period.start).days)],
        [(timezone.localtime(s.starts_at, tz).date(), s) for s in rows],
        today=today,
        absences=away,
        period=(period.first, period.period_end),
    )
    return render(
        request,
        "planning/calendar/calendar.html",
        {
            "title": title,
            "intro": intro,
            "period": period,
            "days": days,
            "weeks": calendar.split_weeks(days),
            "busy_days": [d for d in days if d.in_period and d.busy],
            "session_count": sum(len(d.items) for d in days if d.in_period),
            "link_sessions": perms.can_view_sessions(request.user),
            "link_attendance": own,
            "filter_form": filter_form,
            "links": links,
            "crumbs": _crumbs(request.user, crumb),
        },
    )


def _crumbs(user, crumb: str) -> list:
    """A trainer without a staff role only has their own calendar: no links above it."""
    if not perms.can_view_sessions(user):
        return [(crumb, None)]
    return [
        ("Formation", reverse("training:home")),
        ("Séances", reverse("planning:session_list")),
        *(
            [("Calendrier", reverse("planning:calendar"))]
            if perms.can_view_resources(user) and crumb != "Calendrier"
            else []
        ),
        (crumb, None),
    ]


@login_required
def overall_calendar(request):
    perms.require(perms.can_view_resources(request.user))
    form = CalendarFilterForm(request.GET or None)
    sessions = Session.objects.all()
    absences = None
    if form.is_valid():
        site, trainer, module = (form.cleaned_data[k] for k in ("site", "trainer", "module"))
        if site:
            sessions = sessions.filter(room__site=site)
        if trainer:
            sessions = sessions.filter(trainers=trainer)
            absences = trainer.absences.all()
        if module:
            sessions = sessions.filter(module=module)
    return _calendar(
        request,
        title="Calendrier des séances",
        sessions=sessions,
        absences=absences,
        crumb="Calendrier",
        filter_form=form,
    )


def _may_see_trainer(user, trainer: Trainer) -> bool:
    # The exception of "Mon planning d'animation": a trainer's own calendar needs no role.
    own = getattr(user, "trainer", None) if user.is_authenticated else None
    return perms.can_view_resources(user) or (own is not None and own.pk == trainer.pk)


@login_required
def trainer_calendar(request, pk):
    trainer = get_object_or_404(Trainer.objects.select_related("home_site"), pk=pk)
    perms.require(_may_see_trainer(request.user, trainer))
    links = []
    if perms.can_view_resources(request.user):
        links.append(("Fiche du formateur", reverse("planning:trainer_detail", args=[pk]), False))
    user_trainer = getattr(request.user, "trainer", None)
    own = user_trainer is not None and user_trainer.pk == trainer.pk
    return _calendar(
        request,
        title="Mon planning d'animation" if own else f"Calendrier de {trainer.name}",
        own=own,
        intro=f"Les séances animées par {trainer.name} et ses absences.",
        sessions=Session.objects.filter(trainers=trainer),
        absences=TrainerAbsence.objects.filter(trainer=trainer),
        crumb=trainer.name,
        links=links,
    )


@login_required
def my_calendar(request):
    """The menu entry "Mon planning d'animation": the calendar of the user's trainer."""
    trainer = getattr(request.user, "trainer", None)
    perms.require(trainer is not None)
    query = request.GET.urlencode()
    url = reverse("planning:trainer_calendar", args=[trainer.pk])
    return redirect(f"{url}?{query}" if query else url)


@login_required
def room_calendar(request, pk):
    perms.require(perms.can_view_resources(request.user))
    room = get_object_or_404(Room.objects.select_related("site"), pk=pk)
    return _calendar(
        request,
        title=f"Calendrier de la salle {room.name}",
        intro=f"{room.site}, {room.capacity} places.",
        sessions=Session.objects.filter(room=room),
        crumb=f"Salle {room.name}",
        links=[(f"Toutes les salles du site {room.site}", _site_url(room.site_id), True)],
    )


def _site_url(site_id: int) -> str:
    return reverse("planning:site_calendar", args=[site_id])


@login_required
def site_calendar(request, pk):
    perms.require(perms.can_view_resources(request.user))
    site = get_object_or_404(Site, pk=pk)
    rooms = list(Room.objects.filter(site=site).only("pk", "name"))
    return _calendar(
        request,
        title=f"Calendrier du site {site.name}",
        intro=f"Les séances de toutes les salles du site ({len(rooms)} salle{'s' if len(rooms) > 1 else ''}).",
        sessions=Session.objects.filter(room__site=site),
        crumb=f"Site {site.name}",
        links=[
            (f"Salle {room.name}", reverse("planning:room_calendar", args=[room.pk]), True)
            for room in rooms
        ],
    )
