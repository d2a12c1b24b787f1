"""A small dataset on top of `world` (tests.factories.make_demo_world) whose dashboard
figures are computed by hand in the tests. Period: 1 January – 30 June 2026.

Agents (world): Direction A = Équipe A1a (ville: field job, metropole: office job) and
Service A2 (same), Direction B (same): six agents, four in Direction A."""

import datetime as dt

from django.utils import timezone

from tests.competences.helpers import measure
from tests.factories import IdentityFactory
from tremplin.competences.models import Competence, JobRequirement
from tremplin.diagnostic.models import Campaign, Participation, PixCampaign, PixParticipation
from tremplin.organisation.enums import IdentityStatus
from tremplin.planning.enums import Attendance, Autonomy, RegistrationStatus, SessionStatus
from tremplin.planning.models import CoachingEntry, CoachingTheme, Registration, Session
from tremplin.training.enums import ModuleFormat, StepOrigin, StepStatus, TrainerKind
from tremplin.training.models import CoverageGoal, Module, Pathway, PathwayStep

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _module(code, minutes):
    return Module.objects.create(
        code=code,
        title=code.capitalize(),
        objective="Pour le test.",
        format=ModuleFormat.GROUP,
        duration_minutes=minutes,
        trainer_kind=TrainerKind.ADVISOR,
    )


def _pathway(agent, modules, *statuses, done_on=None):
    pathway = Pathway.objects.create(agent=agent)
    for position, (module, status) in enumerate(zip(modules, statuses, strict=True)):
        PathwayStep.objects.create(
            pathway=pathway,
            module=module,
            position=position,
            status=status,
            origin=StepOrigin.MANUAL,
            reason="test",
            done_on=done_on if status == StepStatus.DONE else None,
        )
    return pathway


def _session(module, day, capacity, status=SessionStatus.HELD):
    return Session.objects.create(
        module=module,
        starts_at=at(day),
        ends_at=at(day) + dt.timedelta(minutes=module.duration_minutes),
        capacity=capacity,
        min_participants=1,
        status=status,
    )


def _register(session, agent, attendance):
    return Registration.objects.create(
        session=session, agent=agent, status=RegistrationStatus.REGISTERED, attendance=attendance
    )


def build(world):
    a = world.agents
    a1_city, a1_metro = a[("Équipe A1a", "ville")], a[("Équipe A1a", "metropole")]
    a2_city, a2_metro = a[("Service A2", "ville")], a[("Service A2", "metropole")]
    b_city, b_metro = a[("Direction B", "ville")], a[("Direction B", "metropole")]

    # Identities on 30 June: a1_city and b_city (a2_city activated only in July).
    IdentityFactory(agent=a1_city, activated_at=dt.date(2026, 2, 1))
    IdentityFactory(agent=a2_city, activated_at=dt.date(2026, 7, 15))
    IdentityFactory(agent=b_city, activated_at=dt.date(2025, 1, 1))
    IdentityFactory(agent=b_metro, status=IdentityStatus.REQUESTED, activated_at=None)

    # Diagnostic finished: a2_metro in the period, b_metro before it.
    campaign = Campaign.objects.create(
        name="Test", opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2026, 12, 31)
    )
    Participation.objects.create(
        campaign=campaign, agent=a2_metro, finished_at=at(dt.date(2026, 4, 10))
    )
    Participation.objects.create(
        campaign=campaign, agent=b_metro, finished_at=at(dt.date(2025, 11, 2))
    )
    Participation.objects.create(campaign=campaign, agent=a1_city)  # invited, never finished

    # Pix shared: a1_metro in the period; a1_city started without sharing.
    pix = PixCampaign.objects.create(code="PIXTEST01", kind="assessment")
    PixParticipation.objects.create(
        campaign=pix,
        agent=a1_metro,
        person_key="k1",
        last_name="x",
        first_name="y",
        shared=True,
        shared_on=dt.date(2026, 3, 1),
        line=2,
    )
    PixParticipation.objects.create(
        campaign=pix,
        agent=a1_city,
        person_key="k2",
        last_name="x",
        first_name="z",
        shared=False,
        line=3,
    )

    # The office job requires 3.1 at level 3: a1_metro measured 2 (below), a2_metro 3.
    office = a1_metro.job
    competence = Competence.objects.get(code="3.1")
    JobRequirement.objects.create(job=office, competence=competence, level=3)
    measure(a1_metro, "3.1", 2)
    measure(a2_metro, "3.1", 3)

    # Pathways: a1_city done, a1_metro in progress, a2_city proposed, b_city validated.
    tableur = _module("tableur", 120)
    visio = _module("visio", 60)
    both = (tableur, visio)
    _pathway(a1_city, both, StepStatus.DONE, StepStatus.DONE, done_on=dt.date(2026, 3, 10))
    _pathway(a1_metro, both, StepStatus.DONE, StepStatus.PROPOSED, done_on=dt.date(2026, 3, 10))
    _pathway(a2_city, both, StepStatus.PROPOSED, StepStatus.VALIDATED)
    _pathway(b_city, both, StepStatus.VALIDATED, StepStatus.CANCELLED)

    # Sessions: two held in the period, one held before, one cancelled.
    march = _session(tableur, dt.date(2026, 3, 10), capacity=8)
    _register(march, a1_city, Attendance.PRESENT)
    _register(march, a2_city, Attendance.ABSENT)
    _register(march, b_city, Attendance.PRESENT)
    _register(march, a1_metro, Attendance.EXCUSED)
    may = _session(visio, dt.date(2026, 5, 5), capacity=4)
    _register(may, a2_metro, Attendance.PRESENT)
    before = _session(visio, dt.date(2025, 12, 1), capacity=6)
    _register(before, b_metro, Attendance.PRESENT)
    cancelled = _session(visio, dt.date(2026, 4, 1), capacity=6, status=SessionStatus.CANCELLED)
    _register(cancelled, b_metro, "")

    # Coaching: 60 min with a1_city and b_city (autonomous), 30 min with a2_city.
    advisor = world.users["advisor"]
    mail = CoachingTheme.objects.create(name="Messagerie", position=1)
    phone = CoachingTheme.objects.create(name="Téléphone", position=2)
    first = CoachingEntry.objects.create(
        advisor=advisor,
        happened_on=dt.date(2026, 2, 10),
        duration_minutes=60,
        place="site",
        autonomy=Autonomy.AUTONOMOUS,
    )
    first.agents.set([a1_city, b_city])
    first.themes.set([mail])
    second = CoachingEntry.objects.create(
        advisor=advisor,
        happened_on=dt.date(2026, 6, 1),
        duration_minutes=30,
        place="remote",
        autonomy=Autonomy.PARTLY,
    )
    second.agents.set([a2_city])
    second.themes.set([mail, phone])
    outside = CoachingEntry.objects.create(
        advisor=advisor,
        happened_on=dt.date(2025, 10, 1),
        duration_minutes=45,
        place="site",
        autonomy=Autonomy.AUTONOMOUS,
    )
    outside.agents.set([b_metro])

    # A coverage goal: the « tableur » module for everybody, reached by whoever has a
    # done step of it: a1_city and a1_metro.
    goal = CoverageGoal.objects.create(
        name="Tableur pour tous",
        module=tableur,
        starts_on=dt.date(2026, 1, 1),
        deadline=dt.date(2030, 12, 31),
    )
    return {"goal": goal, "tableur": tableur}
