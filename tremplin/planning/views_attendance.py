"""Attendance sheets (on a tablet and printed), no-shows per agent and per team, and the
attestation an attendee downloads."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.pdf import render_pdf
from tremplin.organisation.models import Agent

from . import attendance
from .enums import Attendance, RegistrationStatus, SessionStatus
from .forms_attendance import AttendanceSheetForm, NoShowFilterForm, NoShowView, WalkInForm
from .models import Registration, Session

PER_PAGE = 30
# Longer than this, a session spans a lunch break: the printed sheet has a morning and
# an afternoon signature.
HALF_DAY = dt.timedelta(hours=4)


def _crumbs(session, *tail):
    return [
        ("Formation", reverse("training:home")),
        ("Séances", reverse("planning:session_list")),
        (str(session), reverse("planning:session_detail", args=[session.pk])),
        *tail,
    ]


def _session(pk):
    return get_object_or_404(
        Session.objects.select_related("module", "room__site").prefetch_related("trainers"),
        pk=pk,
    )


def _sheet_rows(session):
    """Every agent registered in the session, whatever the viewer's scope: whoever runs
    the session must be able to call each name (a Fresque facilitator has no scope)."""
    return list(
        attendance.registered(session)
        .select_related("agent__unit")
        .order_by("agent__last_name", "agent__first_name", "pk")
    )


def _duration_label(session) -> str:
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} minutes"
    label = f"{hours} heure{'s' if hours > 1 else ''}"
    return f"{label} {minutes:02d}" if minutes else label


@require_POST
@login_required
def attendance_walk_in(request, pk):
    """Adds an agent who came without a seat to the sheet, present."""
    user = request.user
    session = _session(pk)
    perms.require(perms.can_take_attendance(user, session))
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            attendance.add_walk_in(session, form.agent, by=user)
        except attendance.AttendanceError as exc:
            form.add_error("matricule", str(exc))
        else:
            messages.success(request, f"{form.agent.full_name} ajouté(e) à la feuille, présent(e).")
            return redirect("planning:attendance_sheet", pk=session.pk)
    return attendance_sheet(request, pk, walk_in_form=form)


@login_required
def attendance_sheet(request, pk, walk_in_form=None):
    """The sheet on a tablet: one radio group per registered agent, "Enregistrer" and
    "Clore la feuille", and a walk-in by matricule. Once closed, read-only except for
    HR's corrections."""
    user = request.user
    session = _session(pk)
    perms.require(perms.can_take_attendance(user, session))
    rows = _sheet_rows(session)
    closed = session.attendance_closed_at is not None
    cancelled = session.status == SessionStatus.CANCELLED
    started = session.starts_at <= timezone.now()
    editable = not cancelled and started and (not closed or perms.can_correct_attendance(user))
    form = AttendanceSheetForm(
        request.POST if request.method == "POST" and editable and walk_in_form is None else None,
        registrations=rows,
    )
    if form.is_bound and form.is_valid():
        closing = "clore" in request.POST and not closed
        try:
            # One transaction: a sheet that cannot be closed keeps none of its marks, and
            # the trainer sees their ticks again with the reason.
            with transaction.atomic():
                changed = attendance.record(session, form.marks(), by=user)
                completed = attendance.close(session, by=user) if closing else None
        except attendance.AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            if completed is not None:
                present = sum(1 for m in form.marks().values() if m == Attendance.PRESENT)
                messages.success(
                    request,
                    f"Feuille close : {present} présent{'s' if present > 1 else ''} sur "
                    f"{len(rows)}. {completed.steps_done} étape(s) de parcours faite(s), "
                    f"{completed.evidence} observation(s) de compétence ajoutée(s).",
                )
            elif changed:
                messages.success(request, f"Présences enregistrées ({changed} changement(s)).")
            else:
                messages.info(request, "Aucun changement.")
            return redirect("planning:attendance_sheet", pk=session.pk)
    counts = dict.fromkeys(Attendance.values, 0)
    for registration in rows:
        if registration.attendance:
            counts[registration.attendance] += 1
    others = (
        session.registrations.filter(
            status__in=(RegistrationStatus.WAITING, RegistrationStatus.PENDING)
        )
        .select_related("agent__unit")
        .order_by("status", "waiting_position", "agent__last_name")
    )
    return render(
        request,
        "planning/attendance/sheet.html",
        {
            "session": session,
            "form": form,
            "rows": rows,
            "others": others,
            "counts": counts,
            "unmarked": sum(1 for r in rows if not r.attendance),
            "closed": closed,
            "cancelled": cancelled,
            "started": started,
            "editable": editable,
            "walk_in_form": walk_in_form or WalkInForm(),
            "crumbs": _crumbs(session, ("Feuille d'émargement", None)),
        },
    )


@login_required
def attendance_sheet_pdf(request, pk):
    """The printable sheet: one row per registered agent with a box to sign (morning and
    afternoon for a session longer than a half day), and the trainers' signature."""
    user = request.user
    session = _session(pk)
    perms.require(perms.can_take_attendance(user, session))
    rows = _sheet_rows(session)
    audit.record(
        AuditAction.EXPORT,
        obj=session,
        summary=f"impression de la feuille d'émargement ({len(rows)} inscrit(s))",
    )
    pdf = render_pdf(
        "planning/attendance/sheet_pdf.html",
        {
            "session": session,
            "rows": rows,
            "start": timezone.localtime(session.starts_at),
            "end": timezone.localtime(session.ends_at),
            "duration": _duration_label(session),
            "trainers": list(session.trainers.all()),
            "two_halves": session.ends_at - session.starts_at > HALF_DAY,
        },
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="emargement-seance-{session.pk}.pdf"'
    return response


def _counts(queryset):
    """Registered (attendance noted), present, absent, excused and the absence rate, in
    SQL, on a queryset of registrations grouped by `values(...)`."""
    return queryset.annotate(
        registered=Count("pk"),
        present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
        absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
        excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)),
        rate=Cast(F("absent"), FloatField()) * 100.0 / Cast(F("registered"), FloatField()),
    )


@login_required
def no_shows(request):
    """Absences per agent or per team within the user's scope, over a period (the last
    twelve months by default), most absences first. Counts the registered agents whose
    presence was noted at a session that was not cancelled."""
    user = request.user
    perms.require(perms.can_view_no_shows(user))
    form = NoShowFilterForm(request.GET or None)
    starts_on, ends_on = form.period
    per = form.counted_per
    tz = timezone.get_current_timezone()
    noted = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        agent__in=Agent.objects.visible_to(user).values("pk"),
        session__starts_at__gte=dt.datetime.combine(starts_on, dt.time.min, tzinfo=tz),
        session__starts_at__lt=dt.datetime.combine(
            ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=tz
        ),
    ).exclude(attendance="")
    noted = noted.exclude(session__status=SessionStatus.CANCELLED)
    if per == NoShowView.UNITS:
        rows = _counts(noted.values("agent__unit_id", "agent__unit__name")).order_by(
            "-absent", "-rate", "agent__unit__name"
        )
    else:
        rows = _counts(
            noted.values(
                "agent_id",
                "agent__last_name",
                "agent__first_name",
                "agent__matricule",
                "agent__unit__name",
            )
        ).order_by("-absent", "-rate", "agent__last_name", "agent__first_name", "agent_id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/attendance/no_shows.html",
        {
            "form": form,
            "page": page,
            "per_unit": per == NoShowView.UNITS,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "crumbs": [
                ("Formation", reverse("training:home")),
                ("Séances", reverse("planning:session_list")),
                ("Absences", None),
            ],
        },
    )


@login_required
def attestation_pdf(request, registration_pk):
    """The attestation of an agent present at a held session; 404 for any other
    registration (absent, excused, not yet held, waiting list)."""
    registration = get_object_or_404(
        Registration.objects.select_related(
            "agent", "session__module", "session__room__site"
        ).filter(
            status=RegistrationStatus.REGISTERED,
            attendance=Attendance.PRESENT,
            session__status=SessionStatus.HELD,
        ),
        pk=registration_pk,
    )
    perms.require(perms.can_view_attestation(request.user, registration.agent))
    session = registration.session
    if session.attendance_closed_at is None:  # held but never closed: not a fact yet
        raise Http404
    audit.record(
        AuditAction.EXPORT,
        obj=registration,
        summary=f"attestation de formation de {registration.agent.full_name}",
    )
    pdf = render_pdf(
        "planning/attendance/attestation_pdf.html",
        {
            "registration": registration,
            "agent": registration.agent,
            "session": session,
            "module": session.module,
            "start": timezone.localtime(session.starts_at),
            "end": timezone.localtime(session.ends_at),
            "duration": _duration_label(session),
            "outcomes": list(session.module.outcomes.select_related("competence")),
            "trainers": list(session.trainers.all()),
            "issued_on": timezone.localdate(),
        },
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="attestation-{session.module.code}-{session.pk}.pdf"'
    )
    return response
