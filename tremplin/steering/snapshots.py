"""The month-end figures behind the trends: computed by `indicators` "as of" a date,
written by `manage.py snapshot_indicators` (nightly, and `--backfill` for past
month-ends), read back by the dashboard in one query.

Kept for the whole collectivité, each employer, and each unit down to SNAPSHOT_DEPTH
(the directions and their services), so that a direction user's trend is their own.
A figure that past data cannot rebuild (the share below the job's requirement needs the
profiles as they were) is only written for today, never backfilled.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from tremplin.organisation.models import Agent, Employer, OrgUnit
from tremplin.organisation.unit_figures import share_percent
from tremplin.planning.enums import Attendance

from . import indicators
from .indicators import Period, Scope
from .models import IndicatorSnapshot

SNAPSHOT_DEPTH = 1  # roots (depth 0) and their children

# Keys of the trend charts: (key, label, is a share).
SHARES = (
    ("identity_share", "Identité numérique active"),
    ("diagnosed_share", "Diagnostic fait"),
    ("pix_share", "Résultat Pix partagé"),
)
MONTHLY = (
    ("training_hours", "Heures de formation (séances et accompagnements)"),
    ("sessions", "Séances faites"),
    ("no_shows", "Absences non excusées"),
)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def past_month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` months before today's, oldest first."""
    ends = []
    day = today.replace(day=1) - dt.timedelta(days=1)
    for _ in range(months):
        ends.append(day)
        day = day.replace(day=1) - dt.timedelta(days=1)
    return sorted(ends)


def _share_row(key, part, whole):
    value = share_percent(part, whole)
    return key, (float(value if value is not None else 0), part, whole)


def _unit_figures(row: indicators.UnitFigures, current: bool) -> dict:
    figures = dict(
        [
            ("agents", (float(row.agents), None, None)),
            _share_row("identity_share", row.identities, row.agents),
            _share_row("diagnosed_share", row.diagnosed_ever, row.agents),
            _share_row("pix_share", row.pix_ever, row.agents),
        ]
    )
    if current:
        figures.update([_share_row("below_share", row.below, row.assessed)])
    return figures


def _flow_figures(done: indicators.Training) -> dict:
    return {
        "training_hours": (done.hours, None, None),
        "sessions": (float(done.sessions), None, None),
        "no_shows": (float(done.no_shows), None, None),
        "fill_rate": (float(done.fill_rate or 0), done.seats_taken, done.capacity),
    }


def _goal_figures(goals, counts: dict) -> dict:
    return dict(
        _share_row(
            f"goal:{goal.pk}",
            counts.get(f"g{goal.pk}_reached", 0),
            counts.get(f"g{goal.pk}_population", 0),
        )
        for goal in goals
    )


def _scope_figures(scope: Scope, month: Period, as_of: dt.date) -> dict:
    figures = _flow_figures(indicators.training(scope, month))
    for progress in indicators.goal_progress(scope, as_of):
        figures.update(
            [_share_row(f"goal:{progress.goal.pk}", progress.reached, progress.population)]
        )
    return figures


def _kept_ancestors(units: list[OrgUnit], kept: set[int]) -> dict[int, list[int]]:
    """{unit id: the kept units whose subtree holds it (itself included)}, from the paths."""
    return {
        u.pk: [int(part) for part in u.path.strip("/").split("/") if part and int(part) in kept]
        for u in units
    }


def _units_figures(units: list[OrgUnit], kept: set[int], month: Period, as_of: dt.date) -> dict:
    """The month's training and the goals of every kept unit's subtree, in five grouped
    queries summed up the tree: the same figures as `_scope_figures` on each unit (a
    test compares them), without a dozen queries per unit and per date."""
    up = _kept_ancestors(units, kept)
    registrations = (
        indicators.held_registrations(Scope(None), month)
        .values("agent__unit_id", "session_id")
        .annotate(
            present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
            minutes=Sum(
                "session__module__duration_minutes", filter=Q(attendance=Attendance.PRESENT)
            ),
            no_shows=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
        )
        .order_by()
    )
    flows = defaultdict(lambda: {"present": 0, "minutes": 0, "no_shows": 0, "sessions": set()})
    for row in registrations:
        for unit_id in up.get(row["agent__unit_id"], ()):
            flow = flows[unit_id]
            flow["present"] += row["present"]
            flow["minutes"] += row["minutes"] or 0
            flow["no_shows"] += row["no_shows"]
            flow["sessions"].add(row["session_id"])
    seats = indicators.session_seats({s for f in flows.values() for s in f["sessions"]})
    coaching = defaultdict(int)
    for row in (
        indicators.coached(Scope(None), month)
        .values("agent__unit_id")
        .annotate(m=Sum("coachingentry__duration_minutes"))
        .order_by()
    ):
        for unit_id in up.get(row["agent__unit_id"], ()):
            coaching[unit_id] += row["m"] or 0
    goals = indicators.visible_goals(None)
    goal_counts = defaultdict(lambda: defaultdict(int))
    if goals:
        for row in (
            Agent.objects.filter(indicators.present_q(as_of))
            .values("unit_id")
            .annotate(**indicators.goal_counts(goals, as_of))
            .order_by()
        ):
            unit_id = row.pop("unit_id")
            for ancestor in up.get(unit_id, ()):
                for key, value in row.items():
                    goal_counts[ancestor][key] += value
    found = {}
    for unit_id in kept:
        flow = flows.get(unit_id, {"present": 0, "minutes": 0, "no_shows": 0, "sessions": set()})
        done = indicators.Training(
            present=flow["present"],
            session_minutes=flow["minutes"],
            coaching_minutes=coaching[unit_id],
            no_shows=flow["no_shows"],
            sessions=len(flow["sessions"]),
            capacity=sum(seats[s][0] for s in flow["sessions"]),
            seats_taken=sum(seats[s][1] for s in flow["sessions"]),
        )
        found[unit_id] = _flow_figures(done) | _goal_figures(goals, goal_counts[unit_id])
    return found


def figures_on(as_of: dt.date, today: dt.date) -> list[IndicatorSnapshot]:
    """Every figure kept for `as_of`, unsaved. The month's flows (hours, sessions…) run
    from the first of the month to `as_of`."""
    current = as_of >= today
    month = Period(as_of.replace(day=1), as_of)
    units = list(OrgUnit.objects.only("pk", "name", "parent_id", "path", "depth"))
    kept = [u for u in units if u.depth <= SNAPSHOT_DEPTH]
    employers = list(Employer.objects.all())
    found: dict[tuple, dict] = defaultdict(dict)
    for employer in [None, *employers]:
        direct = indicators.direct_counts(Scope(None, employer), month, today)
        if employer is None:
            nodes = indicators.subtree_sums(units, direct)
            for unit in kept:
                found[(unit, None)].update(_unit_figures(nodes[unit.pk], current))
        total = indicators.UnitFigures(None, "")
        for counts in direct.values():
            total.add_counts(counts)
        found[(None, employer)].update(_unit_figures(total, current))
    by_unit = _units_figures(units, {u.pk for u in kept}, month, as_of)
    for unit, employer in list(found):
        if unit is None:
            found[(unit, employer)].update(_scope_figures(Scope(None, employer), month, as_of))
        else:
            found[(unit, employer)].update(by_unit[unit.pk])
    return [
        IndicatorSnapshot(
            date=as_of,
            unit=unit,
            employer=employer,
            key=key,
            value=value,
            numerator=numerator,
            denominator=denominator,
        )
        for (unit, employer), figures in found.items()
        for key, (value, numerator, denominator) in figures.items()
    ]


@transaction.atomic
def write(as_of: dt.date, today: dt.date | None = None) -> int:
    """Replaces the figures of `as_of`: running twice leaves the same rows. The nightly
    run (`as_of` today) also drops the earlier nights of its month, so that one date a
    month is kept (its last night so far), not 365 a year; recomputing a past day
    (`--date`, `--backfill`) drops nothing else, such as a night's share below the
    requirement, which past data cannot rebuild."""
    today = today or timezone.localdate()
    rows = figures_on(as_of, today)
    IndicatorSnapshot.objects.filter(date=as_of).delete()
    if as_of >= today:
        IndicatorSnapshot.objects.filter(date__gte=as_of.replace(day=1), date__lt=as_of).delete()
    IndicatorSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def trend_target(scope: Scope) -> tuple[int | None, int | None] | None:
    """(unit id, employer id) of the snapshots that are this scope's history, or None
    when none is kept (a team below the directions, a user with several subtrees)."""
    if scope.unit is not None:
        if scope.employer is not None or scope.unit.depth > SNAPSHOT_DEPTH:
            return None
        return scope.unit.pk, None
    if scope.is_everything or (scope.employer is not None and Scope(scope.user).is_everything):
        return None, scope.employer.pk if scope.employer else None
    if scope.employer is not None:
        return None
    roots = [
        u
        for u in OrgUnit.objects.visible_to(scope.user).only("pk", "parent_id", "depth")
        if u.depth <= SNAPSHOT_DEPTH
    ]
    ids = {u.pk for u in roots}
    tops = [u for u in roots if u.parent_id not in ids]
    return (tops[0].pk, None) if len(tops) == 1 else None


def trend(target: tuple[int | None, int | None], keys: list[str]) -> dict[str, list]:
    """{key: [(date, value)…]} oldest first, one date a month (its latest: a day computed
    with `--date` after the month's end is left out): one query."""
    unit_id, employer_id = target
    latest: dict[str, dict[tuple[int, int], tuple]] = defaultdict(dict)
    rows = IndicatorSnapshot.objects.filter(
        unit_id=unit_id, employer_id=employer_id, key__in=keys
    ).order_by("date")
    for key, day, value in rows.values_list("key", "date", "value"):
        latest[key][(day.year, day.month)] = (day, value)
    return defaultdict(list, {key: list(months.values()) for key, months in latest.items()})
