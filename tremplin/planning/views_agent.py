"""The agent's own pages: "Mes séances" on the phone."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from .enums import Attendance, RegistrationStatus, SessionStatus
from .models import Registration, Session

# A trainer with an account sees the sessions they run from a week back (a sheet left
# open) to a month ahead.
TRAINER_PAST = dt.timedelta(days=7)
TRAINER_AHEAD = dt.timedelta(days=31)


@login_required
def my_sessions(request):
    """The agent's sessions to come and the ones they attended (with their attestation),
    in plain French; for a trainer with an account, the sessions they run."""
    user = request.user
    agent_id = user.agent_id
    trainer = getattr(user, "trainer", None)
    if not agent_id and trainer is None:
        return redirect("core:home")
    now = timezone.now()
    upcoming, attended = [], []
    if agent_id:
        mine = (
            Registration.objects.filter(agent_id=agent_id)
            .active()
            .select_related("session__module", "session__room__site")
            .order_by("session__starts_at")
        )
        # A session whose sheet is closed is over, even if its end time is not past.
        upcoming = [
            r for r in mine if r.session.ends_at >= now and r.session.attendance_closed_at is None
        ]
        attended = (
            Registration.objects.filter(
                agent_id=agent_id,
                status=RegistrationStatus.REGISTERED,
                attendance=Attendance.PRESENT,
                session__status=SessionStatus.HELD,
                session__attendance_closed_at__isnull=False,
            )
            .select_related("session__module", "session__room__site")
            .order_by("-session__starts_at")
        )
    running = []
    if trainer is not None:
        running = (
            Session.objects.filter(
                trainers=trainer,
                starts_at__gte=now - TRAINER_PAST,
                starts_at__lt=now + TRAINER_AHEAD,
            )
            .live()
            .select_related("module", "room__site")
            .order_by("starts_at")
        )
    return render(
        request,
        "planning/my_sessions.html",
        {
            "upcoming": upcoming,
            "attended": attended,
            "running": running,
            "is_agent": bool(agent_id),
            "crumbs": [("Mes séances", None)],
        },
    )
