"""The agent's own pages: "Mes séances" on the phone."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from .models import Registration


@login_required
def my_sessions(request):
    """The agent's sessions to come and the ones they attended, in plain French."""
    agent_id = request.user.agent_id
    if not agent_id:
        return redirect("core:home")
    mine = (
        Registration.objects.filter(agent_id=agent_id)
        .active()
        .select_related("session__module", "session__room__site")
        .order_by("session__starts_at")
    )
    now = timezone.now()
    return render(
        request,
        "planning/my_sessions.html",
        {
            "upcoming": [r for r in mine if r.session.ends_at >= now],
            "crumbs": [("Mes séances", None)],
        },
    )
