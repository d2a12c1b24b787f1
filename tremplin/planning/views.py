"""Sessions for the training office and the advisors (list, create, change, registrations
with the waiting list), registration of an agent by HR or their manager, and the agent's
"Mes sessions" on the phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.organisation.models import Agent

from . import convocations, registrations
from .enums import SEAT_STATUSES, RegistrationStatus, SessionStatus
from .forms import RegisterForm, SessionForm
from .forms_registration import CancelSessionForm
from .models import Registration, Session

PER_PAGE = 30
LETTER_BUTTONS = {
    convocations.KIND_CONVOCATION: "Convocations à imprimer (PDF)",
    convocations.KIND_CHANGE: "Courriers de changement (PDF)",
    convocations.KIND_CANCELLATION: "Courriers d'annulation (PDF)",
}


def _crumbs(*tail):
    return [
        ("Formation", reverse("training:home")),
        ("Séances", reverse("planning:session_list")),
        *tail,
    ]


@login_required
def session_list(request):
    user = request.user
    perms.require(perms.can_view_sessions(user))
    show_past = request.GET.get("passees") == "1"
    sessions = Session.objects.select_related("module", "room__site").annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )
    now = timezone.now()
    sessions = (
        sessions.filter(ends_at__lt=now).order_by("-starts_at")
        if show_past
        else sessions.filter(ends_at__gte=now).order_by("starts_at")
    )
    page = Paginator(sessions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/session_list.html",
        {
            "page": page,
            "show_past": show_past,
            "can_manage": perms.can_manage_sessions(user),
            "can_view_resources": perms.can_view_resources(user),
            "crumbs": [("Formation", reverse("training:home")), ("Séances", None)],
        },
    )


def _save(request, form, *, created: bool):
    with transaction.atomic():
        session = form.save(commit=False)
        if created:
            session.created_by = request.user
        session.save()
        form.save_m2m()
        report = (
            registrations.ChangeReport()
            if created
            else registrations.session_changed(session, form.changed_data)
        )
    messages.success(request, "Séance enregistrée.")
    _tell_notified(request, session, report, kind=convocations.KIND_CHANGE)
    if report.clashes:
        messages.warning(
            request,
            "À la nouvelle heure, ces agents ont une autre séance : "
            f"{', '.join(report.clashes)}. Appelez-les ou désinscrivez-les.",
        )
    return redirect("planning:session_detail", pk=session.pk)


def _tell_notified(request, session, report, *, kind):
    """Says who was told by email and offers the letters for the others."""
    if report.emailed:
        messages.info(request, f"{report.emailed} agent(s) prévenu(s) par courriel.")
    if report.letters:
        button = LETTER_BUTTONS[kind]
        messages.warning(
            request,
            f"{report.letters} agent(s) sans courriel : imprimez leur courrier avec le bouton "
            f"« {button} » et faites-le remettre par leur encadrant.",
        )


@login_required
def session_create(request):
    perms.require(perms.can_manage_sessions(request.user))
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, created=True)
    return render(
        request,
        "planning/session_form.html",
        {"form": form, "session": None, "crumbs": _crumbs(("Nouvelle séance", None))},
    )


@login_required
def session_edit(request, pk):
    perms.require(perms.can_manage_sessions(request.user))
    session = get_object_or_404(Session, pk=pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, created=False)
    return render(
        request,
        "planning/session_form.html",
        {"form": form, "session": session, "crumbs": _crumbs((str(session), None))},
    )


@login_required
def session_detail(request, pk, register_form=None):
    user = request.user
    perms.require(perms.can_view_sessions(user))
    session = get_object_or_404(
        Session.objects.select_related("module", "room__site").prefetch_related("trainers"),
        pk=pk,
    )
    visible = Agent.objects.visible_to(user).values("pk")
    rows = (
        session.registrations.active()
        .filter(agent__in=visible)
        .select_related("agent__unit")
        .order_by("status", "waiting_position", "agent__last_name")
    )
    return render(
        request,
        "planning/session_detail.html",
        {
            "session": session,
            "registered": [r for r in rows if r.status in SEAT_STATUSES],
            "waiting": [r for r in rows if r.status == RegistrationStatus.WAITING],
            "seats_left": registrations.seats_left(session),
            "can_manage": perms.can_manage_sessions(user),
            "can_issue_codes": perms.can_issue_login_codes_any(user),
            "is_open": session.status in (SessionStatus.PLANNED, SessionStatus.CONFIRMED)
            and session.starts_at > timezone.now(),
            "register_form": register_form or RegisterForm(),
            "crumbs": _crumbs((str(session), None)),
        },
    )


@require_POST
@login_required
def register_agent(request, pk):
    user = request.user
    session = get_object_or_404(Session, pk=pk)
    perms.require(perms.can_view_sessions(user))
    form = RegisterForm(request.POST)
    if form.is_valid():
        agent = (
            Agent.objects.visible_to(user)
            .present()
            .filter(matricule__iexact=form.cleaned_data["matricule"].strip())
            .first()
        )
        if agent is None:
            form.add_error("matricule", "Aucun agent présent de votre périmètre n'a ce matricule.")
        elif not perms.can_register(user, agent):
            form.add_error("matricule", "Vous ne pouvez pas inscrire cet agent.")
        else:
            try:
                registration = registrations.register(session, agent, by=user)
            except registrations.RegistrationError as exc:
                form.add_error("matricule", str(exc))
            else:
                if registration.status == RegistrationStatus.WAITING:
                    messages.info(
                        request,
                        f"Séance complète : {agent.full_name} est sur la liste d'attente "
                        f"(rang {registration.waiting_position}).",
                    )
                else:
                    messages.success(request, f"{agent.full_name} est inscrit(e).")
                if registration.outside_work_pattern:
                    messages.warning(
                        request,
                        f"Attention : la séance tombe en dehors des horaires de {agent.full_name}.",
                    )
                return redirect("planning:session_detail", pk=session.pk)
    return session_detail(request, session.pk, register_form=form)


@require_POST
@login_required
def cancel_registration(request, pk, registration_pk):
    user = request.user
    registration = get_object_or_404(
        Registration.objects.select_related("agent"), pk=registration_pk, session_id=pk
    )
    perms.require(perms.can_register(user, registration.agent) or perms.can_manage_sessions(user))
    try:
        promoted = registrations.cancel(registration, by=user)
    except registrations.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{registration.agent.full_name} est désinscrit(e).")
        if promoted is not None:
            messages.info(
                request, f"La place libérée revient à {promoted.agent.full_name} (liste d'attente)."
            )
    return redirect("planning:session_detail", pk=pk)


@login_required
def convocation_letters(request, pk):
    """The letters of the registered agents without email, one per page, as a PDF: the
    convocation, the notice of a change (`?courrier=modification`) or, for a cancelled
    session, the cancellation. Posted (HR), the convocations also carry a personal
    login code for the agents who never had one."""
    user = request.user
    perms.require(perms.can_manage_sessions(user))
    session = get_object_or_404(Session.objects.select_related("module", "room__site"), pk=pk)
    if session.status == SessionStatus.CANCELLED:
        kind = convocations.KIND_CANCELLATION
    elif request.GET.get("courrier") == convocations.KIND_CHANGE:
        kind = convocations.KIND_CHANGE
    else:
        kind = convocations.KIND_CONVOCATION
    letters = [
        r
        for r in session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .filter(agent__in=Agent.objects.visible_to(user).values("pk"))
        .select_related("agent__unit", "session__module", "session__room__site")
        .order_by("agent__unit__name", "agent__last_name")
        if not convocations.reads_email(r)
    ]
    if not letters:
        messages.info(request, "Aucun courrier à imprimer : les inscrits reçoivent un courriel.")
        return redirect("planning:session_detail", pk=pk)
    codes = {}
    if request.method == "POST" and kind == convocations.KIND_CONVOCATION:
        codes = convocations.issue_codes(
            letters, allowed=lambda agent: perms.can_issue_login_code(user, agent)
        )
    audit.record(
        AuditAction.EXPORT,
        obj=session,
        summary=f"impression de {len(letters)} courrier(s) ({kind}), "
        f"{len(codes)} code(s) personnel(s)",
    )
    pdf = convocations.letters_pdf(
        letters,
        base_url=request.build_absolute_uri("/"),
        kind=kind,
        codes=codes,
        login_url=request.build_absolute_uri(reverse("accounts:login")),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}s-seance-{session.pk}.pdf"'
    return response


@login_required
def session_cancel(request, pk):
    """Cancel the whole session, with the reason the agents will read."""
    perms.require(perms.can_manage_sessions(request.user))
    session = get_object_or_404(Session.objects.select_related("module", "room__site"), pk=pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = registrations.cancel_session(
                session, reason=form.cleaned_data["reason"], by=request.user
            )
        except registrations.RegistrationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Séance annulée.")
            _tell_notified(request, session, report, kind=convocations.KIND_CANCELLATION)
        return redirect("planning:session_detail", pk=session.pk)
    convened = session.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    return render(
        request,
        "planning/session_cancel.html",
        {
            "session": session,
            "form": form,
            "convened": convened,
            "crumbs": _crumbs(
                (str(session), reverse("planning:session_detail", args=[session.pk])),
                ("Annuler", None),
            ),
        },
    )


@require_POST
@login_required
def session_confirm(request, pk):
    perms.require(perms.can_manage_sessions(request.user))
    session = get_object_or_404(Session, pk=pk)
    try:
        registrations.confirm_session(session)
    except registrations.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Séance confirmée : elle aura lieu.")
    return redirect("planning:session_detail", pk=pk)
