"""The dashboard's figures, kept for a few minutes once computed.

At 100,000 agents the figures take about two seconds of SQL on two cores, whatever the
query plan (bench/README.md): the direction does not need them to the minute, so the
page reads back what was computed less than `TREMPLIN_DASHBOARD_MINUTES` ago, says
when, and offers « Recalculer ». `manage.py refresh_dashboard`, run by cron more often
than that, computes every steering user's default view ahead of them; any other view
is computed on first visit and kept as long. HR's working lists (gaps, goals, sessions)
stay live: only this page reads stored figures.

What is stored is the `Board`'s figures (its cached properties), pickled: written and read
by the application only, like Django's database cache. Stored figures are keyed by what
decides them (the agents and units the scope covers, as SQL, the filters, the day, the
small-cell rule), so two users with the same scope share them and no user ever reads
figures of a scope that is not theirs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import pickle
import time

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.accounts.perms import STEERING_ROLES
from tremplin.organisation.models import Agent, OrgUnit
from tremplin.training import goals as training_goals

from . import indicators
from .indicators import Scope, default_period
from .models import ComputedBoard

log = logging.getLogger(__name__)

# The Board's cached properties the page and its downloads read.
FIGURES = (
    "units",
    "levels",
    "pathways",
    "training",
    "coaching",
    "goals",
    "trend_target",
    "trends",
    "equipment",
    "mobility",
)
# The shape of what is stored: a deploy that adds or renames a field of these changes
# the keys, so figures pickled by the older code are never read back.
FORMAT = repr(
    [
        (cls.__name__, [f.name for f in dataclasses.fields(cls)])
        for cls in (
            indicators.UnitFigures,
            indicators.UnitTable,
            indicators.LevelRow,
            indicators.Training,
            indicators.Coaching,
            training_goals.Progress,
        )
    ]
)
# Rows older than this are deleted by `refresh_dashboard`.
KEEP = dt.timedelta(days=1)


def max_age() -> dt.timedelta:
    return dt.timedelta(minutes=settings.TREMPLIN_DASHBOARD_MINUTES)


def _sql(queryset) -> str:
    try:
        return str(queryset.query)
    except EmptyResultSet:  # a scope that covers nobody
        return "-"


def key(board) -> str:
    """What decides the board's figures, hashed: the agents and units its user counts
    (their SQL), the filters, the period, the day and the small-cell rule."""
    scope = board.scope
    parts = [
        FORMAT,
        _sql(Agent.objects.filter(scope.agent_q())),
        _sql(OrgUnit.objects.visible_to(scope.user)) if scope.user is not None else "*",
        scope.is_everything,
        scope.employer.pk if scope.employer else None,
        scope.unit.pk if scope.unit else None,
        board.period.start,
        board.period.end,
        board.today,
        board.small_cell,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def load(board, *, refresh: bool = False) -> None:
    """Fills the board with its figures: read back when computed less than `max_age()`
    ago (unless `refresh`), otherwise computed now and stored. Sets `board.computed_at`."""
    found = key(board)
    if not refresh and settings.TREMPLIN_DASHBOARD_MINUTES > 0:
        row = (
            ComputedBoard.objects.filter(key=found, computed_at__gte=timezone.now() - max_age())
            .only("computed_at", "figures")
            .first()
        )
        if row is not None:
            try:
                figures = pickle.loads(bytes(row.figures))  # noqa: S301 - written by us only
            except Exception:  # written by an older version of the code: recompute
                log.warning("stored dashboard figures unreadable, recomputed")
            else:
                board.__dict__.update(figures)
                board.computed_at = row.computed_at
                return
    started = time.perf_counter()
    figures = {name: getattr(board, name) for name in FIGURES}
    board.computed_at = timezone.now()
    if settings.TREMPLIN_DASHBOARD_MINUTES > 0:
        _store(found, board.computed_at, time.perf_counter() - started, figures)


def _store(found: str, computed_at, seconds: float, figures: dict) -> None:
    values = {
        "computed_at": computed_at,
        "seconds": seconds,
        "figures": pickle.dumps(figures, protocol=pickle.HIGHEST_PROTOCOL),
    }
    try:
        with transaction.atomic():
            ComputedBoard.objects.update_or_create(key=found, defaults=values)
    except IntegrityError:  # another request stored the same figures meanwhile
        ComputedBoard.objects.filter(key=found).update(**values)


def prune() -> int:
    """Deletes figures older than a day (a past day's keys are never read again)."""
    deleted, _ = ComputedBoard.objects.filter(computed_at__lt=timezone.now() - KEEP).delete()
    return deleted


def steering_users():
    """Active users who may open the dashboard (`perms.can_view_steering`)."""
    steering = Q(is_superuser=True) | Q(role_assignments__role__in=STEERING_ROLES)
    return User.objects.filter(steering, is_active=True).distinct().order_by("pk")


def refresh_all(today: dt.date | None = None) -> tuple[int, float]:
    """Computes every steering user's default view (whole scope, last twelve months) now;
    users with the same scope share one computation. Returns (views computed, seconds)."""
    from .views_dashboard import Board  # the view module imports this one

    today = today or timezone.localdate()
    period = default_period(today)
    done: set[str] = set()
    started = time.perf_counter()
    for user in steering_users():
        board = Board(user, Scope(user), period, today)
        found = key(board)
        if found not in done:
            load(board, refresh=True)
            done.add(found)
    return len(done), time.perf_counter() - started
