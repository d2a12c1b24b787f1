"""Reminders a week and a day before a session, by email with the invitation.

`send_due(now)` is run once a day (the `send_reminders` command from cron, or the
background task it enqueues). A reminder goes to each convened agent who reads their
mail, for a live session starting:
- in 2 to 7 days (local dates), when the convocation was sent more than a week before
  the session — an agent convened three days before needs no "in a week" reminder;
- tomorrow (local date).
Each reminder is stamped on the registration in the same transaction as the email is
queued, so a run repeated the same day, or after a missed day, sends nothing twice.
Agents who get letters have no reminder: their manager has the convocation list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tremplin.organisation.enums import ContactChannel

from . import convocations
from .enums import RegistrationStatus, SessionStatus
from .models import Registration

WEEK = 7


@dataclass
class ReminderCounts:
    week_before: int = 0
    day_before: int = 0

    def __str__(self):
        return f"{self.week_before} rappel(s) à une semaine, {self.day_before} rappel(s) la veille"


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _candidates(now: dt.datetime):
    return (
        Registration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            session__status__in=(SessionStatus.PLANNED, SessionStatus.CONFIRMED),
            agent__contact_channel=ContactChannel.EMAIL,
            session__starts_at__gt=now,
        )
        .exclude(agent__email="")
        .select_related("agent", "session__module", "session__room__site")
        .order_by("session__starts_at", "pk")
    )


def due(now: dt.datetime | None = None) -> tuple[list[Registration], list[Registration]]:
    """(week-before reminders, day-before reminders) not sent yet."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tomorrow = _local_midnight(today + dt.timedelta(days=1))
    day_after = _local_midnight(today + dt.timedelta(days=2))
    week_end = _local_midnight(today + dt.timedelta(days=WEEK + 1))
    day_before = list(
        _candidates(now).filter(
            reminded_day_before_at__isnull=True,
            session__starts_at__gte=tomorrow,
            session__starts_at__lt=day_after,
        )
    )
    week_before = [
        r
        for r in _candidates(now).filter(
            reminded_week_before_at__isnull=True,
            session__starts_at__gte=day_after,
            session__starts_at__lt=week_end,
        )
        if r.created_at <= r.session.starts_at - dt.timedelta(days=WEEK)
    ]
    return week_before, day_before


def send_due(now: dt.datetime | None = None) -> ReminderCounts:
    now = now or timezone.now()
    week_before, day_before = due(now)
    counts = ReminderCounts()
    with transaction.atomic():
        for registration in week_before:
            convocations.send_reminder(registration)
            counts.week_before += 1
        for registration in day_before:
            convocations.send_reminder(registration)
            counts.day_before += 1
        Registration.objects.filter(pk__in=[r.pk for r in week_before]).update(
            reminded_week_before_at=now
        )
        Registration.objects.filter(pk__in=[r.pk for r in day_before]).update(
            reminded_day_before_at=now
        )
    return counts


@task()
def send_reminders() -> str:
    return str(send_due())
