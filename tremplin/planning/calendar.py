"""Pure date helpers for the calendars: ISO weeks and months from query parameters,
the days of a week, the month grid (whole weeks, Monday first), and the day buckets
the templates walk through. No ORM here: views pass plain (date, item) pairs."""

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

WEEK_PARAM = re.compile(r"^(\d{4})-W(\d{1,2})$")
MONTH_PARAM = re.compile(r"^(\d{4})-(\d{1,2})$")


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week that holds `day`."""
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str | None, today: dt.date) -> dt.date:
    """`2026-W49` → the Monday of that ISO week; anything else → this week's Monday."""
    match = WEEK_PARAM.match((value or "").strip().upper())
    if match:
        try:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:  # week 54, year 0…
            pass
    return week_start(today)


def parse_month(value: str | None, today: dt.date) -> dt.date:
    """`2026-12` → 1 December 2026; anything else → the first day of this month."""
    match = MONTH_PARAM.match((value or "").strip())
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), 1)
        except ValueError:  # month 13, year 0…
            pass
    return today.replace(day=1)


def week_param(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def month_param(first: dt.date) -> str:
    return f"{first.year}-{first.month:02d}"


def add_months(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(first: dt.date) -> dt.date:
    """The first day of the next month (an exclusive bound)."""
    return add_months(first, 1)


def week_days(monday: dt.date) -> list[dt.date]:
    return [monday + dt.timedelta(days=i) for i in range(7)]


def month_weeks(first: dt.date) -> list[list[dt.date]]:
    """The weeks that cover the month, Monday to Sunday: the days before the 1st and
    after the last day come from the months around it, as on a wall calendar."""
    start = week_start(first)
    end = month_end(first)
    weeks = []
    while start < end:
        weeks.append(week_days(start))
        start += dt.timedelta(days=7)
    return weeks


def day_bounds(
    first_day: dt.date, end_day: dt.date, tz: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from midnight of `first_day` to midnight of `end_day` (exclusive),
    in local time: a week that changes to summer time lasts 167 hours, not 168."""
    return (
        dt.datetime.combine(first_day, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end_day, dt.time.min, tzinfo=tz),
    )


@dataclass
class Day:
    date: dt.date
    in_period: bool = True
    is_today: bool = False
    items: list = field(default_factory=list)
    absences: list = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.items or self.absences)


def build_days(
    days: list[dt.date],
    items: list[tuple[dt.date, object]],
    *,
    today: dt.date,
    absences: list[tuple[dt.date, dt.date, object]] = (),
    period: tuple[dt.date, dt.date] | None = None,
) -> list[Day]:
    """One `Day` per date, with the items that fall on it (in the order given) and the
    absences (first day, last day inclusive, item) that cover it. `period` (start,
    exclusive end) marks the days outside it: the leading and trailing days of a month."""
    by_date = {day: Day(day, is_today=day == today) for day in days}
    for day, item in items:
        if day in by_date:
            by_date[day].items.append(item)
    for starts_on, ends_on, item in absences:
        for day in days:
            if starts_on <= day <= ends_on:
                by_date[day].absences.append(item)
    if period:
        for day in by_date.values():
            day.in_period = period[0] <= day.date < period[1]
    return [by_date[day] for day in days]


def split_weeks(days: list[Day]) -> list[list[Day]]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]
