"""The small dataset the reports' tests count by hand (a fixture, no test here).

The six agents of tests.factories.make_demo_world, with a category and a gender:

agent  unit         employer   category gender   in HR's and direction's scope (direction A)
A1a0   Équipe A1a   ville      C        F        yes
A1a1   Équipe A1a   métropole  B        M        yes
A20    Service A2   ville      C        F        yes (the « agent » login)
A21    Service A2   métropole  A        —        yes
B0     Direction B  ville      C        M        no
B1     Direction B  métropole  —        F        no

Modules: messagerie (internal, 2 h, 0 €), bureautique (external CNFPT, 7 h, 150 €),
securite (external « Cabinet Sûr », 3 h 30, 80 €), fresque (Fresque facilitators, 3 h,
active, nothing planned).

Sessions of YEAR (last year, inside the year selector):
S1 messagerie 15/03, held, 8 seats: present A1a0, A20, A21, B0; absent A1a1.
S2 bureautique 10/06, held, 12 seats: present A1a0, A1a1; excused A20.
S3 securite 01/10, held, 10 seats: present A21, B1.
S4 messagerie 15/12, planned, 6 seats: A1a1 registered.
S5 bureautique 20/11, cancelled, 10 seats: not counted.
S0 messagerie 31/12 of the year before, held: A1a1 present, not counted.

Coaching: 05/05/YEAR, 60 min, A20 and B1 (theme « Messagerie », a private note);
02/02 of the year before, 30 min, A1a0: not counted.

Pathway steps: A1a0 messagerie done 15/03/YEAR, bureautique done 10/06/YEAR; A1a1
messagerie validated, bureautique done 10/06/YEAR; A20 bureautique proposed (goal
« Bureautique pour tous »); A21 securite in progress, messagerie cancelled; B0 messagerie
done the year before (not counted); B1 securite proposed.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.planning.enums import (
    Attendance,
    Autonomy,
    CoachingPlace,
    RegistrationStatus,
    SessionStatus,
)
from tremplin.planning.models import CoachingEntry, CoachingTheme, Registration, Session, Trainer
from tremplin.training.enums import ModuleFormat, StepOrigin, StepStatus, TrainerKind
from tremplin.training.models import CoverageGoal, Module, Pathway, PathwayStep

YEAR = timezone.localdate().year - 1


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def make_module(code, title, minutes, kind, provider="", cost=0, fmt=ModuleFormat.GROUP):
    return Module.objects.create(
        code=code,
        title=title,
        objective=f"Savoir faire : {title}.",
        format=fmt,
        duration_minutes=minutes,
        trainer_kind=kind,
        provider=provider,
        cost_per_agent=Decimal(cost),
    )


def make_session(module, day, status, capacity, closed=True):
    start = at(day)
    return Session.objects.create(
        module=module,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=module.duration_minutes),
        capacity=capacity,
        status=status,
        attendance_closed_at=start + dt.timedelta(hours=8)
        if closed and status == SessionStatus.HELD
        else None,
    )


def mark(session, agent, attendance=""):
    return Registration.objects.create(
        session=session, agent=agent, status=RegistrationStatus.REGISTERED, attendance=attendance
    )


def step(agent, module, status, position=1, done_on=None, goal=None):
    pathway, _ = Pathway.objects.get_or_create(agent=agent, target_job=None)
    return PathwayStep.objects.create(
        pathway=pathway,
        module=module,
        position=position,
        origin=StepOrigin.GOAL if goal else StepOrigin.GAP,
        reason="Pour le test.",
        status=status,
        done_on=done_on,
        goal=goal,
    )


@pytest.fixture
def reports_world(world):
    a = world.agents
    a1a0, a1a1 = a[("Équipe A1a", "ville")], a[("Équipe A1a", "metropole")]
    a20, a21 = a[("Service A2", "ville")], a[("Service A2", "metropole")]
    b0, b1 = a[("Direction B", "ville")], a[("Direction B", "metropole")]
    for agent, category, gender in [
        (a1a0, "C", "F"),
        (a1a1, "B", "M"),
        (a20, "C", "F"),
        (a21, "A", ""),
        (b0, "C", "M"),
        (b1, "", "F"),
    ]:
        agent.category, agent.gender = category, gender
        agent.save()

    mail = make_module("messagerie", "Ma messagerie", 120, TrainerKind.ADVISOR)
    office = make_module(
        "bureautique", "Bureautique", 420, TrainerKind.EXTERNAL, provider="CNFPT", cost=150
    )
    security = make_module(
        "securite", "Sécurité numérique", 210, TrainerKind.EXTERNAL, "Cabinet Sûr", cost=80
    )
    fresque = make_module("fresque", "Fresque du Climat", 180, TrainerKind.FRESQUE, cost=10)
    Trainer.objects.create(name="Conseillère", kind=TrainerKind.ADVISOR).modules.add(mail)

    s1 = make_session(mail, dt.date(YEAR, 3, 15), SessionStatus.HELD, 8)
    for agent in (a1a0, a20, a21, b0):
        mark(s1, agent, Attendance.PRESENT)
    mark(s1, a1a1, Attendance.ABSENT)
    s2 = make_session(office, dt.date(YEAR, 6, 10), SessionStatus.HELD, 12)
    mark(s2, a1a0, Attendance.PRESENT)
    mark(s2, a1a1, Attendance.PRESENT)
    mark(s2, a20, Attendance.EXCUSED)
    s3 = make_session(security, dt.date(YEAR, 10, 1), SessionStatus.HELD, 10, closed=False)
    mark(s3, a21, Attendance.PRESENT)
    mark(s3, b1, Attendance.PRESENT)
    s4 = make_session(mail, dt.date(YEAR, 12, 15), SessionStatus.PLANNED, 6)
    mark(s4, a1a1)
    s5 = make_session(office, dt.date(YEAR, 11, 20), SessionStatus.CANCELLED, 10)
    mark(s5, a20)
    s0 = Session.objects.create(
        module=mail,
        starts_at=at(dt.date(YEAR - 1, 12, 31), 22),
        ends_at=at(dt.date(YEAR - 1, 12, 31), 23),
        capacity=4,
        status=SessionStatus.HELD,
    )
    mark(s0, a1a1, Attendance.PRESENT)

    advisor = world.users[Role.ADVISOR]
    theme = CoachingTheme.objects.create(name="Messagerie")
    entry = CoachingEntry.objects.create(
        advisor=advisor,
        happened_on=dt.date(YEAR, 5, 5),
        duration_minutes=60,
        place=CoachingPlace.REMOTE,
        autonomy=Autonomy.PARTLY,
        notes="Note privée du conseiller",
    )
    entry.agents.add(a20, b1)
    entry.themes.add(theme)
    old = CoachingEntry.objects.create(
        advisor=advisor,
        happened_on=dt.date(YEAR - 1, 2, 2),
        duration_minutes=30,
        place=CoachingPlace.REMOTE,
        autonomy=Autonomy.AUTONOMOUS,
    )
    old.agents.add(a1a0)

    goal = CoverageGoal.objects.create(
        name="Bureautique pour tous",
        module=office,
        starts_on=dt.date(YEAR, 1, 1),
        deadline=dt.date(YEAR + 2, 12, 31),
    )
    CoverageGoal.objects.create(
        name="Fresque pour tous",
        module=fresque,
        starts_on=dt.date(YEAR, 1, 1),
        deadline=dt.date(YEAR + 3, 12, 31),
    )
    step(a1a0, mail, StepStatus.DONE, 1, done_on=dt.date(YEAR, 3, 15))
    step(a1a0, office, StepStatus.DONE, 2, done_on=dt.date(YEAR, 6, 10))
    step(a1a1, mail, StepStatus.VALIDATED, 1)
    step(a1a1, office, StepStatus.DONE, 2, done_on=dt.date(YEAR, 6, 10))
    step(a20, office, StepStatus.PROPOSED, 1, goal=goal)
    step(a21, security, StepStatus.IN_PROGRESS, 1)
    step(a21, mail, StepStatus.CANCELLED, 2)
    step(b0, mail, StepStatus.DONE, 1, done_on=dt.date(YEAR - 1, 12, 31))
    step(b1, security, StepStatus.PROPOSED, 1)

    return SimpleNamespace(
        world=world,
        year=YEAR,
        a1a0=a1a0,
        a1a1=a1a1,
        a20=a20,
        a21=a21,
        b0=b0,
        b1=b1,
        mail=mail,
        office=office,
        security=security,
        fresque=fresque,
        s1=s1,
        s2=s2,
        s3=s3,
        coaching=entry,
    )
