from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.qr import qr_svg
from tremplin.organisation.models import Agent

from . import perms
from .forms import KioskCodeForm, LoginForm
from .models import KioskToken, user_for_agent


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        with audit.acting_as(self.request.user):
            audit.record(AuditAction.LOGIN, obj=self.request.user, summary="connexion")
        return response


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit.record(AuditAction.LOGOUT, obj=request.user, summary="déconnexion")
    logout(request)
    messages.info(request, "Vous êtes déconnecté.")
    return redirect("accounts:login")


@login_required
def kiosk_open(request):
    """An advisor picks an agent and gets a 6-digit code and a QR code for the tablet."""
    if not perms.can_open_kiosk(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    results = []
    if len(query) >= 2:
        results = (
            (
                Agent.objects.visible_to(request.user)
                .present()
                .filter(last_name__icontains=query)
                .select_related("unit", "employer")[:20]
            )
            if not query.isdigit()
            else (
                Agent.objects.visible_to(request.user)
                .present()
                .filter(matricule=query)
                .select_related("unit", "employer")
            )
        )
    if request.method == "POST":
        agent = get_object_or_404(
            Agent.objects.visible_to(request.user).present(), pk=request.POST.get("agent")
        )
        with transaction.atomic():
            token = KioskToken.open_for(agent_user=user_for_agent(agent), advisor=request.user)
            audit.record(AuditAction.KIOSK, obj=agent, summary="ouverture d'une session kiosque")
        return redirect("accounts:kiosk_opened", pk=token.pk)
    return render(
        request,
        "accounts/kiosk_open.html",
        {"query": query, "results": results, "crumbs": [("Kiosque", None)]},
    )


@login_required
def kiosk_opened(request, pk):
    token = get_object_or_404(KioskToken, pk=pk, created_by=request.user)
    url = request.build_absolute_uri(reverse("accounts:kiosk_token", args=[token.token]))
    svg = qr_svg(url)
    return render(
        request,
        "accounts/kiosk_opened.html",
        {
            "token": token,
            "qr_svg": svg,
            "crumbs": [("Kiosque", reverse("accounts:kiosk_open")), ("Code", None)],
        },
    )


def _start_kiosk_session(request, token: KioskToken):
    with transaction.atomic():
        locked = KioskToken.objects.select_for_update().usable().filter(pk=token.pk).first()
        if locked is None:
            return None
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
    logout(request)
    login(request, locked.agent_user, backend="django.contrib.auth.backends.ModelBackend")
    until = timezone.now() + timezone.timedelta(minutes=locked.session_minutes)
    request.session["kiosk_until"] = until.isoformat()
    request.session.set_expiry(locked.session_minutes * 60)
    with audit.acting_as(locked.created_by):
        audit.record(
            AuditAction.KIOSK,
            obj=locked.agent_user,
            summary=f"session kiosque ouverte pour {locked.session_minutes} minutes",
        )
    return locked


def kiosk_enter(request):
    """On the shared tablet: the agent (or the advisor beside them) types the code."""
    form = KioskCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = KioskToken.objects.usable().filter(code=form.cleaned_data["code"]).first()
        if token and _start_kiosk_session(request, token):
            return redirect("core:home")
        form.add_error(
            "code",
            "Ce code n'est pas valable ou a déjà servi. Demandez un nouveau code au conseiller.",
        )
    return render(request, "accounts/kiosk_enter.html", {"form": form})


def kiosk_token(request, token):
    """The QR code leads here: one scan opens the agent's session."""
    found = KioskToken.objects.usable().filter(token=token).first()
    if found and request.method == "POST" and _start_kiosk_session(request, found):
        return redirect("core:home")
    return render(request, "accounts/kiosk_token.html", {"valid": found is not None})


@require_POST
def kiosk_end(request):
    logout(request)
    messages.info(request, "C'est fini. Merci ! Vous pouvez rendre la tablette.")
    return redirect("accounts:kiosk_enter")


@login_required
def login_code_letter(request, agent_pk):
    """HR prints a letter with a new personal login code for an agent without email."""
    agent = get_object_or_404(
        Agent.objects.select_related("employer", "unit", "manager"), pk=agent_pk
    )
    if not perms.can_issue_login_code(request.user, agent):
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request,
            "accounts/login_code_confirm.html",
            {
                "agent": agent,
                "crumbs": [
                    ("Agents", reverse("organisation:agent_list")),
                    (str(agent), reverse("organisation:agent_detail", args=[agent.pk])),
                    ("Code personnel", None),
                ],
            },
        )
    with transaction.atomic():
        user = user_for_agent(agent)
        code = user.issue_login_code()
    return render(
        request,
        "accounts/login_code_letter.html",
        {
            "agent": agent,
            "login_user": user,
            "code": code,
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
        },
    )
