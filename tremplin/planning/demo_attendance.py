"""Demo data for attendance: a handful of sessions held over the last four weeks, their
registered agents marked present, absent or excused and the sheets closed through the
attendance service (so pathway steps are done and evidence written as in real life).

Registrations are created directly: the registration service refuses past sessions.
An agent with an open pathway step for the module gets that step on the registration.
Call after the planning demo (it uses its trainers and rooms)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tremplin.organisation.models import Agent
from tremplin.training.models import PathwayStep

from . import attendance
from .enums import Attendance, RegistrationStatus
from .models import Registration, Room, Session, Trainer

SESSIONS = 6
AGENTS_PER_SESSION = 6
FILLERS_POOL = 400  # agents without a step who may fill a session, drawn from these


def _past_weekdays(today: dt.date, count: int) -> list[dt.date]:
    """Up to `count` weekdays before today, every third one, within the last four weeks."""
    weekdays = [
        day for day in (today - dt.timedelta(days=n) for n in range(1, 29)) if day.weekday() < 5
    ]
    return weekdays[::3][:count]


def _mark(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.8:
        return Attendance.PRESENT
    return Attendance.ABSENT if draw < 0.9 else Attendance.EXCUSED


def seed(rng: random.Random, today: dt.date) -> dict[str, int]:
    trainers = list(Trainer.objects.filter(active=True).prefetch_related("modules").order_by("pk"))
    rooms = list(Room.objects.filter(active=True).order_by("pk"))
    pairs = [
        (module, trainer)
        for trainer in trainers
        for module in trainer.modules.all()
        if module.active and module.format != "elearning"
    ]
    if not pairs or not rooms:
        return {}
    pairs.sort(key=lambda pair: (pair[0].position, pair[0].pk, pair[1].pk))
    fillers = list(
        Agent.objects.present().order_by("pk").values_list("pk", flat=True)[:FILLERS_POOL]
    )
    used: set[int] = set()
    counts = {"séances": 0, "inscrits": 0, "présents": 0, "étapes faites": 0, "observations": 0}
    tz = timezone.get_current_timezone()
    for index, day in enumerate(_past_weekdays(today, SESSIONS)):
        module, trainer = pairs[rng.randrange(len(pairs))]
        room = rooms[index % len(rooms)]
        capacity = max(1, min(module.group_max, room.capacity))
        starts_at = dt.datetime.combine(day, dt.time(9 if index % 2 == 0 else 14), tzinfo=tz)
        session = Session.objects.create(
            module=module,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=module.duration_minutes),
            room=room,
            capacity=capacity,
            min_participants=1,
        )
        session.trainers.add(trainer)
        wanted = min(capacity, AGENTS_PER_SESSION)
        steps = (
            PathwayStep.objects.open()
            .filter(module=module, pathway__agent__departure_date__isnull=True)
            .exclude(pathway__agent_id__in=used)
            .select_related("pathway")
            .order_by("pk")[: wanted * 2]
        )
        chosen: dict[int, PathwayStep | None] = {}
        for step in steps:
            if len(chosen) < wanted:
                chosen.setdefault(step.pathway.agent_id, step)
        spare = [pk for pk in fillers if pk not in used and pk not in chosen]
        for pk in rng.sample(spare, min(len(spare), max(0, wanted - len(chosen)))):
            chosen[pk] = None
        registrations = [
            Registration.objects.create(
                session=session,
                agent_id=agent_id,
                status=RegistrationStatus.REGISTERED,
                step=step,
            )
            for agent_id, step in chosen.items()
        ]
        used.update(chosen)
        marks = {r.pk: _mark(rng) for r in registrations}
        attendance.record(session, marks, by=trainer.user)
        completed = attendance.close(session, by=trainer.user)
        counts["séances"] += 1
        counts["inscrits"] += len(registrations)
        counts["présents"] += sum(1 for m in marks.values() if m == Attendance.PRESENT)
        counts["étapes faites"] += completed.steps_done
        counts["observations"] += completed.evidence
    return counts
