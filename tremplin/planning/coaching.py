"""The advisors' coaching log in figures: per ISO week, per theme, autonomy reached,
follow-ups and per advisor, each computed by one SQL aggregation over the entries the
user may see; and the entries one agent received, for the agent page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek

from .enums import Autonomy, CoachingFollowUp
from .models import CoachingEntry

DEFAULT_WEEKS = 12
MAX_DAYS = 2 * 366  # longest period shown at once (about 105 weekly rows)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 ISO weeks, this one included."""
    return monday_of(today) - dt.timedelta(weeks=DEFAULT_WEEKS - 1), today


def hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def entries_for(user, *, start: dt.date, end: dt.date, advisor=None):
    entries = CoachingEntry.objects.visible_to(user).filter(happened_on__range=(start, end))
    if advisor is not None:
        entries = entries.filter(advisor=advisor)
    return entries


@dataclass
class WeekRow:
    monday: dt.date
    count: int = 0
    minutes: int = 0
    agents: int = 0

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"S{week:02d} {year}"

    @property
    def hours(self) -> float:
        return hours(self.minutes)


@dataclass
class Share:
    value: str
    label: str
    count: int
    percent: int


@dataclass
class ThemeRow:
    name: str
    count: int
    minutes: int

    @property
    def hours(self) -> float:
        return hours(self.minutes)


@dataclass
class AdvisorRow:
    advisor_id: int
    name: str
    count: int
    minutes: int
    agents: int
    referrals: int

    @property
    def hours(self) -> float:
        return hours(self.minutes)


@dataclass
class Activity:
    start: dt.date
    end: dt.date
    count: int
    minutes: int
    agents: int
    weeks: list[WeekRow]
    themes: list[ThemeRow]
    autonomy: list[Share]
    follow_ups: list[Share]
    advisors: list[AdvisorRow]

    @property
    def hours(self) -> float:
        return hours(self.minutes)

    @property
    def referrals(self) -> int:
        return next((s.count for s in self.follow_ups if s.value == CoachingFollowUp.REFERRAL), 0)


def _weeks(entries, start: dt.date, end: dt.date) -> list[WeekRow]:
    """Every week of the period, the empty ones too (a week off is a figure as well).
    Durations and distinct agents come from two queries: summing durations over the
    agents join would count a group coaching once per agent."""
    by_week = (
        entries.annotate(week=TruncWeek("happened_on"))
        .values("week")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("week")
    )
    agents_by_week = (
        entries.annotate(week=TruncWeek("happened_on"))
        .values("week")
        .annotate(agents=Count("agents", distinct=True))
        .order_by("week")
    )
    rows: dict[dt.date, WeekRow] = {}
    monday = monday_of(start)
    while monday <= end:
        rows[monday] = WeekRow(monday)
        monday += dt.timedelta(weeks=1)
    for item in by_week:
        row = rows[_as_date(item["week"])]
        row.count, row.minutes = item["count"], item["minutes"] or 0
    for item in agents_by_week:
        rows[_as_date(item["week"])].agents = item["agents"]
    return list(rows.values())


def _as_date(value) -> dt.date:
    # TruncWeek of a DateField is a date on PostgreSQL and SQLite alike; be lenient anyway.
    return value.date() if isinstance(value, dt.datetime) else value


def _shares(entries, field: str, choices) -> list[Share]:
    counts = dict(entries.values_list(field).annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    return [
        Share(
            value,
            label,
            counts.get(value, 0),
            round(100 * counts.get(value, 0) / total) if total else 0,
        )
        for value, label in choices
    ]


def _themes(entries) -> list[ThemeRow]:
    """An entry on two themes counts for each: the hours per theme add up to more than
    the total hours."""
    rows = (
        entries.values("themes__name", "themes__position")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("-count", "themes__position", "themes__name")
    )
    return [
        ThemeRow(r["themes__name"], r["count"], r["minutes"] or 0)
        for r in rows
        if r["themes__name"] is not None
    ]


def _advisors(entries) -> list[AdvisorRow]:
    rows = (
        entries.values("advisor", "advisor__first_name", "advisor__last_name", "advisor__username")
        .annotate(
            count=Count("pk"),
            minutes=Sum("duration_minutes"),
            referrals=Count("pk", filter=Q(follow_up=CoachingFollowUp.REFERRAL)),
        )
        .order_by("advisor__last_name", "advisor__first_name", "advisor__username")
    )
    agents = dict(
        entries.values_list("advisor").annotate(n=Count("agents", distinct=True)).order_by()
    )
    return [
        AdvisorRow(
            r["advisor"],
            f"{r['advisor__first_name']} {r['advisor__last_name']}".strip()
            or r["advisor__username"],
            r["count"],
            r["minutes"] or 0,
            agents.get(r["advisor"], 0),
            r["referrals"],
        )
        for r in rows
    ]


def activity(entries, *, start: dt.date, end: dt.date, per_advisor: bool) -> Activity:
    """The figures of `entries` (already limited to the user's view and the period)."""
    totals = entries.aggregate(count=Count("pk"), minutes=Sum("duration_minutes"))
    distinct_agents = entries.aggregate(n=Count("agents", distinct=True))["n"]
    return Activity(
        start=start,
        end=end,
        count=totals["count"],
        minutes=totals["minutes"] or 0,
        agents=distinct_agents,
        weeks=_weeks(entries, start, end),
        themes=_themes(entries),
        autonomy=_shares(entries, "autonomy", Autonomy.choices),
        follow_ups=_shares(entries, "follow_up", CoachingFollowUp.choices),
        advisors=_advisors(entries) if per_advisor else [],
    )


EXPORT_HEADERS = [
    "Semaine",
    "Du",
    "Au",
    "Conseiller",
    "Accompagnements",
    "Heures",
    "Agents différents",
    "Orientations vers un autre service",
]


def export_rows(entries):
    """One row per week and advisor, for the CSV export."""
    base = entries.annotate(week=TruncWeek("happened_on"))
    rows = (
        base.values("week", "advisor", "advisor__first_name", "advisor__last_name")
        .annotate(
            count=Count("pk"),
            minutes=Sum("duration_minutes"),
            referrals=Count("pk", filter=Q(follow_up=CoachingFollowUp.REFERRAL)),
        )
        .order_by("week", "advisor__last_name", "advisor__first_name", "advisor")
    )
    agents = {
        (_as_date(week), advisor): n
        for week, advisor, n in base.values_list("week", "advisor")
        .annotate(n=Count("agents", distinct=True))
        .order_by()
    }
    for r in rows:
        week = WeekRow(_as_date(r["week"]))
        yield [
            week.label,
            week.monday.strftime("%d/%m/%Y"),
            week.sunday.strftime("%d/%m/%Y"),
            f"{r['advisor__first_name']} {r['advisor__last_name']}".strip(),
            r["count"],
            f"{hours(r['minutes'])}".replace(".", ","),
            agents.get((week.monday, r["advisor"]), 0),
            r["referrals"],
        ]


def coaching_for_agent(agent, user):
    """The coachings one agent received that `user` may see (the agent page lists them):
    HR all, an advisor their own, nobody else; newest first."""
    return (
        CoachingEntry.objects.visible_to(user)
        .filter(agents=agent)
        .select_related("advisor", "site")
        .prefetch_related("themes")
        .order_by("-happened_on", "-pk")
    )
