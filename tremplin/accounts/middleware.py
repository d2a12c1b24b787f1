import datetime as dt

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

# Pages an agent may reach on a shared tablet; everything else ends the kiosk session.
KIOSK_ALLOWED_PREFIXES = ("/static/", "/compte/kiosque/", "/agents/moi/", "/diagnostic/")


class KioskMiddleware:
    """A kiosk session ends by itself after its time, and stays on the agent's own pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        until = request.session.get("kiosk_until") if hasattr(request, "session") else None
        if until:
            if timezone.now() >= dt.datetime.fromisoformat(until):
                logout(request)
                messages.info(request, "La session sur la tablette est terminée. Merci !")
                return redirect("accounts:kiosk_enter")
            allowed = request.path == reverse("core:home") or request.path.startswith(
                KIOSK_ALLOWED_PREFIXES
            )
            if not allowed:
                return redirect("core:home")
        return self.get_response(request)
