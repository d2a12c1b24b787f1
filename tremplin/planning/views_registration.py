"""Registrations beyond one matricule: several agents at once (a manager for their team,
HR for the agents whose pathway holds the module), the manager's agreement when the
module asks for it, and the agent who picks a date for a step of their pathway."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.accounts.enums import Role
from tremplin.organisation.models import Agent
from tremplin.training.enums import StepStatus
from tremplin.training.models import PathwayStep

from . import registrations
from .enums import ACTIVE_STATUSES, SEAT_STATUSES, RegistrationStatus, SessionStatus
from .forms_registration import AgentChoiceForm
from .models import Registration, Session

# Agents offered at once on the "several agents" page: a team, or the first of a long list.
MAX_CANDIDATES = 300
# Steps the agent may book a date for: their manager agreed to the step.
BOOKABLE_STEP_STATUSES = (StepStatus.VALIDATED, StepStatus.IN_PROGRESS)


def _open_step(agent_id: int, module_id: int):
    """The agent's open step for that module, validated ones first."""
    return (
        PathwayStep.objects.filter(
            pathway__agent_id=agent_id,
            pathway__target_job__isnull=True,
            module_id=module_id,
            status__in=(StepStatus.PROPOSED, *BOOKABLE_STEP_STATUSES),
        )
        .order_by(
            Case(When(status=StepStatus.PROPOSED, then=Value(1)), default=Value(0)),
            "position",
        )
        .first()
    )


def _outcome(registration) -> str:
    if registration.status == RegistrationStatus.WAITING:
        return f"sur la liste d'attente (rang {registration.waiting_position})"
    text = "inscrit(e)"
    if registration.outside_work_pattern:
        text += ", en dehors de ses horaires"
    return text


@login_required
def register_several(request, pk):
    """Tick agents and register them in one go. A manager sees their team; HR and the
    advisors see the agents of their scope whose pathway holds this module. Each
    registration is checked on its own (seats, overlaps, continuity): one refusal does
    not stop the others, and the page says what happened to each."""
    user = request.user
    perms.require(perms.can_view_sessions(user))
    session = get_object_or_404(Session.objects.select_related("module", "room__site"), pk=pk)
    wants_module = PathwayStep.objects.filter(
        pathway__agent=OuterRef("pk"),
        pathway__target_job__isnull=True,
        module_id=session.module_id,
        status__in=(StepStatus.PROPOSED, *BOOKABLE_STEP_STATUSES),
    )
    already = Registration.objects.filter(
        session=session, agent=OuterRef("pk"), status__in=ACTIVE_STATUSES
    )
    scope = (
        Agent.objects.visible_to(user)
        .present()
        .annotate(wants_module=Exists(wants_module))
        .exclude(Exists(already))
        .exclude(pk=user.agent_id or -1)  # one does not register oneself from here
    )
    if not user.has_role(Role.MANAGER) or user.is_superuser:
        scope = scope.filter(wants_module=True)
    ids = list(
        scope.order_by("-wants_module", "unit__name", "last_name", "first_name").values_list(
            "pk", flat=True
        )[:MAX_CANDIDATES]
    )
    candidates = (
        Agent.objects.filter(pk__in=ids)
        .annotate(wants_module=Exists(wants_module))
        .select_related("unit")
        .order_by("-wants_module", "unit__name", "last_name", "first_name")
    )
    form = AgentChoiceForm(
        request.POST if request.method == "POST" else None, candidates=candidates
    )
    results = []
    if request.method == "POST" and form.is_valid():
        for agent in form.cleaned_data["agents"]:
            if not perms.can_register(user, agent):
                results.append((agent, "refusé : vous ne pouvez pas inscrire cet agent", False))
                continue
            step = _open_step(agent.pk, session.module_id)
            try:
                registration = registrations.register(session, agent, by=user, step=step)
            except registrations.RegistrationError as exc:
                results.append((agent, f"refusé : {exc}", False))
            else:
                results.append((agent, _outcome(registration), True))
        done = sum(1 for _a, _t, ok in results if ok)
        messages.success(request, f"{done} inscription(s) faite(s) sur {len(results)}.")
    return render(
        request,
        "planning/register_several.html",
        {
            "session": session,
            "form": form,
            "candidates": candidates,
            "results": results,
            "truncated": len(ids) == MAX_CANDIDATES,
            "seats_left": registrations.seats_left(session),
            "crumbs": [
                ("Formation", reverse("training:home")),
                ("Séances", reverse("planning:session_list")),
                (str(session), reverse("planning:session_detail", args=[session.pk])),
                ("Inscrire plusieurs agents", None),
            ],
        },
    )


# --- The manager's agreement ----------------------------------------------------------------


@login_required
def approvals(request):
    """Registrations waiting for the manager's agreement, in the user's scope."""
    user = request.user
    perms.require(perms.can_validate_pathway_any(user))
    pending = (
        Registration.objects.filter(
            status=RegistrationStatus.PENDING,
            agent__in=Agent.objects.visible_to(user).values("pk"),
            session__starts_at__gt=timezone.now(),
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .exclude(agent_id=user.agent_id or -1)  # nobody agrees to their own registration
        .select_related("agent__unit", "session__module", "session__room__site")
        .order_by("session__starts_at", "agent__last_name")
    )
    return render(
        request,
        "planning/approvals.html",
        {
            "pending": pending,
            "crumbs": [
                ("Formation", reverse("training:home")),
                ("Inscriptions à accepter", None),
            ],
        },
    )


def _pending_for(request, registration_pk):
    registration = get_object_or_404(
        Registration.objects.select_related("agent", "session__module"), pk=registration_pk
    )
    perms.require(perms.can_approve_registration(request.user, registration.agent))
    return registration


@require_POST
@login_required
def approve(request, registration_pk):
    registration = _pending_for(request, registration_pk)
    try:
        registrations.approve(registration, by=request.user)
    except registrations.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Accord donné : {registration.agent.full_name} est inscrit(e) à "
            f"« {registration.session.module} ».",
        )
    return redirect("planning:approvals")


@require_POST
@login_required
def refuse(request, registration_pk):
    registration = _pending_for(request, registration_pk)
    if registration.status != RegistrationStatus.PENDING:
        messages.error(request, "Cette inscription n'attend pas d'accord.")
        return redirect("planning:approvals")
    registrations.refuse(registration, by=request.user)
    messages.success(
        request,
        f"Inscription refusée : la place de {registration.agent.full_name} est libérée ; "
        "l'agent est prévenu.",
    )
    return redirect("planning:approvals")


# --- The agent picks a date -----------------------------------------------------------------


def _own_step(request, step_pk):
    agent_id = request.user.agent_id
    if not agent_id:
        raise Http404
    return get_object_or_404(
        PathwayStep.objects.select_related("module"),
        pk=step_pk,
        pathway__agent_id=agent_id,
        status__in=BOOKABLE_STEP_STATUSES,
    )


@login_required
def choose_date(request, step_pk):
    """The sessions to come for one step of the agent's pathway, in plain French; the
    agent picks one. When the module needs the manager's agreement, the seat is held
    until the manager says yes."""
    step = _own_step(request, step_pk)
    agent = request.user.agent
    if request.method == "POST":
        session = get_object_or_404(
            Session.objects.live(), pk=request.POST.get("session"), module_id=step.module_id
        )
        try:
            registration = registrations.register(
                session,
                agent,
                by=request.user,
                step=step,
                needs_approval=step.module.needs_manager_approval,
            )
        except registrations.RegistrationError as exc:
            messages.error(request, str(exc))
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.info(
                    request,
                    "C'est complet : vous êtes sur la liste d'attente. "
                    "Nous vous prévenons si une place se libère.",
                )
            elif registration.status == RegistrationStatus.PENDING:
                messages.success(
                    request,
                    "Votre place est gardée. Votre encadrant doit donner son accord.",
                )
            else:
                messages.success(request, "C'est noté : vous êtes inscrit(e).")
            return redirect("planning:my_sessions")
    sessions = (
        Session.objects.live()
        .filter(module_id=step.module_id, starts_at__gt=timezone.now())
        .exclude(status=SessionStatus.HELD)
        .select_related("room__site")
        .annotate(
            taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
            mine=Count(
                "registrations",
                filter=Q(registrations__agent=agent, registrations__status__in=ACTIVE_STATUSES),
                output_field=IntegerField(),
            ),
        )
        .order_by("starts_at")[:30]
    )
    rows = [
        {
            "session": s,
            "left": max(s.capacity - s.taken, 0),
            "mine": bool(s.mine),
            "outside": registrations.outside_work_pattern(agent, s),
        }
        for s in sessions
    ]
    return render(
        request,
        "planning/choose_date.html",
        {
            "step": step,
            "rows": rows,
            "crumbs": [
                ("Mon parcours", reverse("training:my_pathway")),
                ("Choisir une date", None),
            ],
        },
    )


@require_POST
@login_required
def cancel_mine(request, registration_pk):
    """The agent gives back their seat (or leaves the waiting list) before the session."""
    registration = get_object_or_404(
        Registration.objects.select_related("session"),
        pk=registration_pk,
        agent_id=request.user.agent_id or -1,
    )
    if registration.session.starts_at <= timezone.now():
        messages.error(request, "Cette séance a déjà commencé.")
        return redirect("planning:my_sessions")
    try:
        registrations.cancel(registration, by=request.user)
    except registrations.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "C'est noté : vous ne venez pas à cette séance.")
    return redirect("planning:my_sessions")
