"""Demo trends: the month-ends of the last year computed from the demo's dates, so that
the dashboard's charts are not empty on the first visit."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import snapshots
from .models import IndicatorSnapshot

MONTHS = 12


def seed(*, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    """`seed` is unused (the figures follow from the other apps' demo data); kept for the
    same signature as every app's demo."""
    today = today or timezone.localdate()
    rows = 0
    for as_of in [*snapshots.past_month_ends(today, MONTHS), today]:
        rows += snapshots.write(as_of, today)
    return {"indicateurs mémorisés": rows}


def wipe() -> None:
    IndicatorSnapshot.objects.all().delete()
