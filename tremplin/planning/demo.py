"""Demo data for planning: the three digital advisors, a Fresque facilitator and the
CNFPT as trainers, a room on each site that has a training room, and sessions over the
next four weeks filled from the validated pathway steps (registrations go through
registrations.register, so seats, waiting lists and convocations are real), a few past
sessions with their attendance closed, and the advisors' coaching log. Reproducible
for a given seed; call after the training demo."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.organisation.models import Site
from tremplin.training.enums import StepStatus, TrainerKind
from tremplin.training.models import Module, PathwayStep

from . import demo_attendance, demo_coaching, registrations
from .models import (
    ClosedPeriod,
    CoachingEntry,
    ContinuityRule,
    PlanningRun,
    Registration,
    Room,
    Session,
    Trainer,
    TrainerAbsence,
    TrainerAvailability,
)

SESSION_HOURS = (9, 14)  # a morning and an afternoon slot
WEEKS = 4


def seed(*, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(f"planning-{seed}")
    modules = list(Module.objects.active().exclude(format="elearning").order_by("position"))
    if not modules:
        return {}
    advisors = []
    for username in ("conseiller1", "conseiller2", "conseiller3"):
        user = User.objects.filter(username=username).select_related("agent").first()
        name = user.agent.full_name if user and user.agent else username
        trainer = Trainer.objects.create(name=name, kind=TrainerKind.ADVISOR, user=user)
        trainer.modules.set([m for m in modules if m.trainer_kind == TrainerKind.ADVISOR])
        for weekday in range(1, 6):
            TrainerAvailability.objects.create(
                trainer=trainer, weekday=weekday, starts_at=dt.time(8, 30), ends_at=dt.time(17)
            )
        advisors.append(trainer)
    _closed_periods(today)
    fresque = Trainer.objects.create(name="Association Fresque du Climat", kind=TrainerKind.FRESQUE)
    fresque.modules.set([m for m in modules if m.trainer_kind == TrainerKind.FRESQUE])
    cnfpt = Trainer.objects.create(
        name="CNFPT Bretagne", kind=TrainerKind.EXTERNAL, provider="CNFPT"
    )
    cnfpt.modules.set([m for m in modules if m.trainer_kind == TrainerKind.EXTERNAL])
    rooms = [
        Room.objects.create(
            site=site,
            name="Salle de formation",
            capacity=rng.choice((10, 12, 16)),
            has_computers=rng.random() < 0.6,
            has_tablets=True,
            has_projector=True,
        )
        for site in Site.objects.filter(has_training_room=True).order_by("pk")[:8]
    ]
    if not rooms:
        return {"trainers": len(advisors) + 2}
    trainers_for = {
        m.pk: [t for t in (*advisors, fresque, cnfpt) if m in t.modules.all()] for m in modules
    }
    sessions, slot = [], 0
    start_day = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
    closed = ClosedPeriod.days_between(start_day, start_day + dt.timedelta(weeks=WEEKS))
    for week in range(WEEKS):
        for weekday in range(5):
            day = start_day + dt.timedelta(days=7 * week + weekday)
            if day in closed:
                continue
            for hour in SESSION_HOURS:
                module = modules[slot % len(modules)]
                room = rooms[slot % len(rooms)]
                trainers = trainers_for[module.pk]
                slot += 1
                if not trainers:
                    continue
                trainer = trainers[slot % len(trainers)]
                starts_at = dt.datetime.combine(
                    day, dt.time(hour), tzinfo=timezone.get_current_timezone()
                )
                if Session.objects.filter(
                    trainers=trainer,
                    starts_at__lt=starts_at + dt.timedelta(minutes=module.duration_minutes),
                    ends_at__gt=starts_at,
                ).exists():
                    continue
                capacity = min(module.group_max, room.capacity)
                session = Session.objects.create(
                    module=module,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=module.duration_minutes),
                    room=room,
                    capacity=capacity,
                    min_participants=min(module.group_min, capacity),
                )
                session.trainers.add(trainer)
                sessions.append(session)
    registered = waiting = 0
    for session in sessions:
        steps = list(
            PathwayStep.objects.filter(
                module=session.module,
                status=StepStatus.VALIDATED,
                registrations__isnull=True,
                pathway__agent__departure_date__isnull=True,
            )
            .select_related("pathway__agent")
            .order_by("pk")[: session.capacity + 2]
        )
        for step in steps:
            try:
                registration = registrations.register(session, step.pathway.agent, step=step)
            except registrations.RegistrationError:
                continue  # already elsewhere at that time, team at its limit: as in life
            if registration.status == "waiting":
                waiting += 1
            else:
                registered += 1
    held = demo_attendance.seed(random.Random(f"attendance-{seed}"), today)
    _plan_the_mandate(today)
    coachings = demo_coaching.seed(random.Random(f"coaching-{seed}"), today)
    return {
        "formateurs": len(advisors) + 2,
        "salles": len(rooms),
        "séances": len(sessions),
        "inscriptions": registered,
        "en liste d'attente": waiting,
        **{f"{what} (passé)": n for what, n in held.items()},
        "accompagnements": coachings,
    }


def _plan_the_mandate(today: dt.date) -> None:
    """Two planning runs after the demo's sessions, with the proposed steps too, computed
    by the background worker once the demo is served (Formation › Calcul du planning):
    - every module over the coming year (the far-from-digital agents' first modules
      first);
    - the Fresque du Climat for everyone to the end of the mandate.
    Measured on the 2-core machine with the demo's 5,565 agents: every module over a year
    2 min 08 s and 1.3 GB; the Fresque over the mandate 43 s and 1.8 GB; every module over
    the mandate 5 minutes and 4.8 GB, too heavy for a demo's first minutes."""
    from tremplin.training.demo_goals import END_OF_MANDATE, FRESQUE_CODE
    from tremplin.training.models import Module

    from . import planner

    start = today + dt.timedelta(days=7 * (WEEKS + 1) - today.weekday())
    if start >= END_OF_MANDATE:
        return
    hr = User.objects.filter(username="rh").first()
    year = PlanningRun.objects.create(
        starts_on=start,
        ends_on=min(start + dt.timedelta(days=365), END_OF_MANDATE),
        include_proposed=True,
        time_limit_seconds=120,
        created_by=hr,
    )
    planner.launch(year, hr)
    fresque = Module.objects.filter(code=FRESQUE_CODE).first()
    if fresque is not None:
        mandate = PlanningRun.objects.create(
            starts_on=start,
            ends_on=END_OF_MANDATE,
            include_proposed=True,
            time_limit_seconds=300,
            created_by=hr,
        )
        mandate.modules.add(fresque)
        planner.launch(mandate, hr)


def _closed_periods(today: dt.date) -> None:
    """Christmas fortnights and a summer closure to the end of the mandate: examples HR
    replaces with the real school holidays of its zone (Formation › Séances ›
    Périodes sans formation)."""
    from tremplin.training.demo_goals import END_OF_MANDATE

    for year in range(today.year, END_OF_MANDATE.year):
        ClosedPeriod.objects.create(
            name="Vacances de Noël",
            starts_on=dt.date(year, 12, 19),
            ends_on=dt.date(year + 1, 1, 3),
        )
        ClosedPeriod.objects.create(
            name="Fermeture d'été",
            starts_on=dt.date(year + 1, 7, 31),
            ends_on=dt.date(year + 1, 8, 22),
        )


def wipe() -> None:
    """Empties the planning tables before seed_demo --reset deletes the agents."""
    tables = (
        PlanningRun.modules.through,
        PlanningRun,
        CoachingEntry.agents.through,
        CoachingEntry.themes.through,
        CoachingEntry,
        Registration,
        Session.trainers.through,
        Session,
        TrainerAvailability,
        TrainerAbsence,
        ClosedPeriod,
        ContinuityRule,
        Trainer.modules.through,
        Trainer,
        Room,
    )
    with connection.cursor() as cursor:
        for model in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
