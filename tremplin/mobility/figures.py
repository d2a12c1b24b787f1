"""Anonymised counts for the steering dashboard: no name, no restriction, no file."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Move, RedeploymentFile


def dashboard_figures(*, today: dt.date | None = None, since: dt.date | None = None) -> dict:
    """moves_done (since `since`, all time by default), agents_in_ppr (today) and
    average_days_to_move (file opened → move, over the moves that ended a file; None
    when there is none)."""
    today = today or timezone.localdate()
    moves = Move.objects.all()
    if since:
        moves = moves.filter(moved_on__gte=since)
    delays = [
        (moved_on - opened_on).days
        for moved_on, opened_on in moves.filter(file__isnull=False).values_list(
            "moved_on", "file__opened_on"
        )
    ]
    return {
        "moves_done": moves.count(),
        "agents_in_ppr": RedeploymentFile.objects.in_ppr(today)
        .values("agent_id")
        .distinct()
        .count(),
        "average_days_to_move": round(sum(delays) / len(delays)) if delays else None,
    }
