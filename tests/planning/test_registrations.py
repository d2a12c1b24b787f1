"""Registrations: seats and waiting list, promotion when a seat frees, no agent in two
sessions at once, service continuity per team, work-pattern flag, manager approval, and
never more registrations than seats under concurrent requests (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.training.test_pathway_views import module
from tremplin.organisation.enums import WorkPattern
from tremplin.planning import registrations
from tremplin.planning.enums import RegistrationStatus, SessionStatus
from tremplin.planning.models import ContinuityRule, Registration, Room, Session
from tremplin.planning.registrations import RegistrationError

TZ = timezone.get_current_timezone()


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment `days` from today, local time; Mondays are easy to find: see monday()."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def monday(weeks: int = 1) -> int:
    """Days from today to a Monday at least `weeks` weeks ahead."""
    today = timezone.localdate()
    return (7 - today.weekday()) % 7 + 7 * weeks


def make_session(capacity=3, start=None, hours=2, m=None):
    start = start or at(monday(), 9)
    room = Room.objects.create(
        site=SiteFactory(), name=f"Salle {Room.objects.count()}", capacity=12
    )
    return Session.objects.create(
        module=m or module(f"m{Session.objects.count()}"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        room=room,
        capacity=capacity,
    )


@pytest.mark.django_db
def test_seats_then_waiting_list_in_order():
    session = make_session(capacity=2)
    agents = [AgentFactory() for _ in range(4)]
    made = [registrations.register(session, a) for a in agents]
    assert [r.status for r in made] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
    ]
    assert [r.waiting_position for r in made[2:]] == [1, 2]
    assert registrations.seats_left(session) == 0


@pytest.mark.django_db
def test_a_freed_seat_goes_to_the_first_on_the_waiting_list():
    session = make_session(capacity=1)
    first, second, third = (registrations.register(session, AgentFactory()) for _ in range(3))
    promoted = registrations.cancel(first)
    assert promoted == second
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.REGISTERED
    assert third.status == RegistrationStatus.WAITING
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    with pytest.raises(RegistrationError, match="déjà annulée"):
        registrations.cancel(first)


@pytest.mark.django_db
def test_the_promotion_skips_someone_now_busy_at_that_time():
    session = make_session(capacity=1)
    other = make_session(capacity=5, start=session.starts_at)
    holder = registrations.register(session, AgentFactory())
    busy = AgentFactory()
    free = AgentFactory()
    waiting_busy = registrations.register(session, busy)
    registrations.register(session, free)
    registrations.register(other, busy)  # meanwhile, busy took another session then
    promoted = registrations.cancel(holder)
    assert promoted.agent == free
    waiting_busy.refresh_from_db()
    assert waiting_busy.status == RegistrationStatus.WAITING


@pytest.mark.django_db
def test_an_agent_is_never_in_two_sessions_at_once():
    agent = AgentFactory(first_name="Alice", last_name="Martin")
    morning = make_session(start=at(monday(), 9), hours=3)
    overlapping = make_session(start=at(monday(), 11), hours=2)
    afterwards = make_session(start=at(monday(), 14), hours=2)
    registrations.register(morning, agent)
    with pytest.raises(RegistrationError, match="déjà inscrit.*deux séances à la fois"):
        registrations.register(overlapping, agent)
    assert registrations.register(afterwards, agent).status == RegistrationStatus.REGISTERED
    assert not Registration.objects.filter(session=overlapping).exists()


@pytest.mark.django_db
def test_twice_in_the_same_session_is_refused():
    session = make_session()
    agent = AgentFactory()
    registrations.register(session, agent)
    with pytest.raises(RegistrationError, match="déjà inscrit"):
        registrations.register(session, agent)


@pytest.mark.django_db
def test_service_continuity_names_the_team_and_the_slot():
    team = OrgUnitFactory(name="EHPAD Les Tilleuls — équipe de jour")
    members = [AgentFactory(unit=team) for _ in range(10)]
    ContinuityRule.objects.create(unit=team, max_absent_percent=20)  # 2 of 10
    session = make_session(capacity=8, start=at(monday(), 14))
    registrations.register(session, members[0])
    registrations.register(session, members[1])
    with pytest.raises(RegistrationError) as refused:
        registrations.register(session, members[2])
    message = str(refused.value)
    assert "EHPAD Les Tilleuls — équipe de jour" in message
    assert "2 agents sur 10 déjà en formation" in message
    assert f"le {session.starts_at.astimezone(TZ):%d/%m/%Y} de 14 h 00 à 16 h 00" in message
    # Another slot is fine.
    later = make_session(start=at(monday(), 17))
    assert registrations.register(later, members[2]).status == RegistrationStatus.REGISTERED


@pytest.mark.django_db
def test_sessions_outside_the_work_pattern_are_flagged():
    night = AgentFactory(work_pattern=WorkPattern.NIGHT)
    office = AgentFactory(work_pattern=WorkPattern.OFFICE_HOURS, days_off="3")
    day_session = make_session(start=at(monday(), 9))
    wednesday = make_session(start=at(monday() + 2, 9))
    evening = make_session(start=at(monday(), 22), hours=2)
    assert registrations.register(day_session, night).outside_work_pattern
    assert not registrations.register(evening, night).outside_work_pattern
    assert not registrations.register(day_session, office).outside_work_pattern
    assert registrations.register(wednesday, office).outside_work_pattern  # day off


@pytest.mark.django_db
def test_manager_approval_holds_the_seat():
    session = make_session(capacity=1)
    asked = registrations.register(session, AgentFactory(), needs_approval=True)
    assert asked.status == RegistrationStatus.PENDING
    assert registrations.register(session, AgentFactory()).status == RegistrationStatus.WAITING
    registrations.approve(asked, by=None)
    asked.refresh_from_db()
    assert asked.status == RegistrationStatus.REGISTERED
    with pytest.raises(RegistrationError):
        registrations.approve(asked, by=None)


@pytest.mark.django_db
def test_cancelled_or_past_sessions_take_nobody():
    cancelled = make_session()
    cancelled.status = SessionStatus.CANCELLED
    cancelled.save()
    with pytest.raises(RegistrationError, match="annulée"):
        registrations.register(cancelled, AgentFactory())
    past = make_session(start=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(RegistrationError, match="déjà commencé"):
        registrations.register(past, AgentFactory())


@pytest.mark.django_db
def test_registrations_are_audited():
    from tremplin.core.models import AuditEntry

    session = make_session()
    registration = registrations.register(session, AgentFactory())
    assert AuditEntry.objects.filter(
        target_type="planning.registration", target_id=str(registration.pk)
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overfill_a_session():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks under concurrent threads are checked on PostgreSQL (CI runs it).")
    from tremplin.competences.models import Competence  # noqa: F401 (apps loaded)

    session = make_session(capacity=5)
    agents = [AgentFactory() for _ in range(30)]
    barrier = threading.Barrier(len(agents))
    errors = []

    def worker(agent):
        try:
            barrier.wait()
            registrations.register(session, agent)
        except Exception as exc:  # recorded, asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    statuses = list(Registration.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == 5
    assert statuses.count(RegistrationStatus.WAITING) == 25
    positions = sorted(
        Registration.objects.filter(session=session, status=RegistrationStatus.WAITING).values_list(
            "waiting_position", flat=True
        )
    )
    assert positions == list(range(1, 26))
