"""Registrations: seats, waiting list, overlaps and service continuity, kept true under
concurrent requests.

Every change runs in one transaction that first locks, in this order (always the same,
so two requests never wait for each other crosswise): the agent's team when it has a
continuity rule, the agent, then the session. On PostgreSQL these are row locks
(SELECT … FOR UPDATE); on SQLite the settings open every transaction with BEGIN
IMMEDIATE, which serialises writers. Counting seats after taking the locks is then
exact: two requests for the last seat cannot both see it free.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from tremplin.organisation.enums import WorkPattern
from tremplin.organisation.models import Agent, OrgUnit

from . import convocations
from .enums import SEAT_STATUSES, RegistrationStatus, SessionStatus
from .models import ContinuityRule, Registration, Session

# Working hours of each work pattern (start, end); NIGHT runs past midnight.
WORK_HOURS = {
    WorkPattern.OFFICE_HOURS: (dt.time(8), dt.time(18)),
    WorkPattern.MORNING: (dt.time(6), dt.time(14)),
    WorkPattern.AFTERNOON: (dt.time(13), dt.time(21)),
    WorkPattern.NIGHT: (dt.time(21), dt.time(7)),
}
OFFICE_DAYS = {1, 2, 3, 4, 5}


class RegistrationError(ValueError):
    """The registration cannot be made; the message is French and names the reason."""


def _slot(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return f"le {start:%d/%m/%Y} de {start:%H h %M} à {end:%H h %M}"


def outside_work_pattern(agent: Agent, session: Session) -> bool:
    """Whether the session falls outside the agent's working time: a day off, a weekend
    for office hours, or hours outside their shift. Rotating shifts are not known in
    advance: never flagged."""
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    weekday = start.isoweekday()
    if weekday in agent.days_off_list:
        return True
    pattern = agent.work_pattern
    if pattern == WorkPattern.OFFICE_HOURS and weekday not in OFFICE_DAYS:
        return True
    hours = WORK_HOURS.get(pattern)
    if hours is None:
        return False
    begin, finish = hours
    if begin < finish:
        return start.time() < begin or end.time() > finish or end.date() != start.date()
    # A night shift: inside when the session sits in [begin, midnight) ∪ [midnight, finish].
    inside_evening = start.time() >= begin and (end.date() > start.date() or end.time() >= begin)
    inside_morning = end.time() <= finish and end.date() == start.date() and start.time() < finish
    return not (inside_evening or inside_morning)


def _check_overlap(agent: Agent, session: Session) -> None:
    clash = (
        Registration.objects.filter(agent=agent, status__in=SEAT_STATUSES)
        .exclude(session=session)
        .filter(session__in=Session.objects.live().overlapping(session.starts_at, session.ends_at))
        .select_related("session__module")
        .first()
    )
    if clash is not None:
        raise RegistrationError(
            f"{agent.full_name} est déjà inscrit(e) à « {clash.session.module} » "
            f"{_slot(clash.session)} : une personne ne peut pas être à deux séances à la fois."
        )


def _check_continuity(agent: Agent, session: Session, rule: ContinuityRule | None) -> None:
    if rule is None:
        return
    team_size = Agent.objects.present().filter(unit_id=agent.unit_id).count()
    away = (
        Registration.objects.filter(
            agent__unit_id=agent.unit_id,
            status__in=SEAT_STATUSES,
            session__in=Session.objects.live().overlapping(session.starts_at, session.ends_at),
        )
        .exclude(agent=agent)
        .values("agent")
        .distinct()
        .count()
    )
    allowed = rule.max_absent(team_size)
    if away + 1 > allowed:
        raise RegistrationError(
            f"Continuité de service de l'équipe « {rule.unit.name} » : {away} agent"
            f"{'s' if away > 1 else ''} sur {team_size} déjà en formation {_slot(session)}, "
            f"au plus {allowed} à la fois ({rule.max_absent_percent} %). Choisissez une autre "
            "séance."
        )


def _lock(agent: Agent, session: Session):
    """Takes the locks in the module's order; returns the fresh rows and the rule."""
    rule = None
    if agent.unit_id is not None:
        rule = ContinuityRule.objects.filter(unit_id=agent.unit_id).select_related("unit").first()
        if rule is not None:
            OrgUnit.objects.select_for_update().filter(pk=agent.unit_id).first()
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    session = Session.objects.select_for_update().select_related("module").get(pk=session.pk)
    return agent, session, rule


def register(
    session: Session, agent: Agent, *, by=None, step=None, needs_approval: bool = False
) -> Registration:
    """Gives the agent a seat, or a place on the waiting list when the session is full.
    `needs_approval`: the seat is held until the agent's manager agrees (a registration
    the agent asked for, on a module that requires it). Raises RegistrationError."""
    with transaction.atomic():
        agent, session, rule = _lock(agent, session)
        if session.status in (SessionStatus.CANCELLED, SessionStatus.HELD):
            raise RegistrationError(
                f"La séance « {session.module} » {_slot(session)} est "
                f"{session.get_status_display().lower()} : on ne peut plus s'y inscrire."
            )
        if session.starts_at <= timezone.now():
            raise RegistrationError("Cette séance a déjà commencé : choisissez-en une autre.")
        if Registration.objects.active().filter(session=session, agent=agent).exists():
            raise RegistrationError(f"{agent.full_name} est déjà inscrit(e) à cette séance.")
        taken = Registration.objects.filter(session=session, status__in=SEAT_STATUSES).count()
        if taken < session.capacity:
            _check_overlap(agent, session)
            _check_continuity(agent, session, rule)
            status = RegistrationStatus.PENDING if needs_approval else RegistrationStatus.REGISTERED
            position = None
        else:
            status = RegistrationStatus.WAITING
            last = Registration.objects.filter(
                session=session, status=RegistrationStatus.WAITING
            ).aggregate(last=Max("waiting_position"))["last"]
            position = (last or 0) + 1
        registration = Registration.objects.create(
            session=session,
            agent=agent,
            status=status,
            waiting_position=position,
            step=step,
            outside_work_pattern=outside_work_pattern(agent, session),
            requested_by=by,
        )
        if status == RegistrationStatus.REGISTERED:
            convocations.send_convocation(registration)
        return registration


def approve(registration: Registration, *, by) -> Registration:
    """The manager agrees: the held seat becomes a registration."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.PENDING:
            raise RegistrationError("Cette inscription n'attend pas d'accord.")
        registration.status = RegistrationStatus.REGISTERED
        registration.approved_by = by
        registration.save(update_fields=["status", "approved_by", "updated_at"])
        convocations.send_convocation(registration)
    return registration


def refuse(registration: Registration, *, by) -> Registration | None:
    """The manager says no: the held seat is freed (the waiting list moves up, see cancel)
    and the agent is told, by email when they read it (else "Mon parcours" offers the
    date again)."""
    with transaction.atomic():
        if registration.status != RegistrationStatus.PENDING:
            raise RegistrationError("Cette inscription n'attend pas d'accord.")
        promoted = cancel(registration, by=by)
        convocations.send_refusal(registration)
    return promoted


def cancel(registration: Registration, *, by=None) -> Registration | None:
    """Frees the seat (or the waiting place). When a seat frees, the first agent of the
    waiting list who can still come (no other session at that time, team continuity
    kept) takes it; returns their registration, or None."""
    with transaction.atomic():
        registration = Registration.objects.select_related("agent", "session").get(
            pk=registration.pk
        )
        agent, session, _rule = _lock(registration.agent, registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationError("Cette inscription est déjà annulée.")
        freed = registration.status in SEAT_STATUSES
        convened = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.waiting_position = None
        registration.save(update_fields=["status", "waiting_position", "updated_at"])
        if convened and session.status != SessionStatus.CANCELLED:
            convocations.send_cancellation(registration)
        if not freed or session.starts_at <= timezone.now():
            return None
        return _promote(session)


def _promote(session: Session) -> Registration | None:
    waiting = (
        Registration.objects.filter(session=session, status=RegistrationStatus.WAITING)
        .select_related("agent")
        .order_by("waiting_position", "pk")
    )
    for candidate in waiting:
        rule = ContinuityRule.objects.filter(unit_id=candidate.agent.unit_id).first()
        try:
            _check_overlap(candidate.agent, session)
            _check_continuity(candidate.agent, session, rule)
        except RegistrationError:
            continue  # stays on the list: the next seat may suit them
        candidate.status = RegistrationStatus.REGISTERED
        candidate.waiting_position = None
        candidate.save(update_fields=["status", "waiting_position", "updated_at"])
        convocations.send_convocation(candidate)
        return candidate
    return None


def seats_left(session: Session) -> int:
    taken = Registration.objects.filter(session=session, status__in=SEAT_STATUSES).count()
    return max(session.capacity - taken, 0)


# --- The session itself changes -------------------------------------------------------------

# Fields whose change the convened agents must hear about.
NOTIFIED_FIELDS = ("starts_at", "ends_at", "room")


@dataclass
class ChangeReport:
    """What a session change or cancellation did, for the page that made it."""

    emailed: int = 0
    letters: int = 0
    clashes: list[str] = field(default_factory=list)


def _registered(session: Session):
    return (
        Registration.objects.filter(session=session, status=RegistrationStatus.REGISTERED)
        .select_related("agent", "session__module", "session__room__site")
        .order_by("pk")
    )


def session_changed(session: Session, changed_fields) -> ChangeReport:
    """Call in the transaction that saved the session. When its day, time or room moved,
    every convened agent gets the updated invitation (same UID, next SEQUENCE) or is
    counted for a letter; agents whom the new time puts in two places at once are named
    (their seat is kept: the training office calls them), and the work-pattern flag is
    computed again."""
    report = ChangeReport()
    if not set(changed_fields) & set(NOTIFIED_FIELDS):
        return report
    Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
    for registration in _registered(session):
        agent = registration.agent
        flag = outside_work_pattern(agent, session)
        if flag != registration.outside_work_pattern:
            registration.outside_work_pattern = flag
            registration.save(update_fields=["outside_work_pattern", "updated_at"])
        try:
            _check_overlap(agent, session)
        except RegistrationError:
            report.clashes.append(agent.full_name)
        if convocations.send_change(registration):
            report.emailed += 1
        else:
            report.letters += 1
    return report


def cancel_session(session: Session, *, reason: str, by=None) -> ChangeReport:
    """The whole session is cancelled: convened agents get the cancellation (email with
    METHOD:CANCEL, or a letter to print). Registrations stay as they were, on a
    cancelled session: they no longer hold a seat anywhere, the agent's pathway step
    stays open for another date, and the history shows who was convened."""
    report = ChangeReport()
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("module").get(pk=session.pk)
        if session.status == SessionStatus.CANCELLED:
            raise RegistrationError("Cette séance est déjà annulée.")
        if session.status == SessionStatus.HELD:
            raise RegistrationError("Cette séance a eu lieu : on ne peut plus l'annuler.")
        session.status = SessionStatus.CANCELLED
        session.cancellation_reason = reason
        session.save(update_fields=["status", "cancellation_reason"])
        for registration in _registered(session):
            if convocations.send_cancellation(registration, reason=reason):
                report.emailed += 1
            else:
                report.letters += 1
    return report


def confirm_session(session: Session) -> Session:
    """Planned → confirmed: the session will be held (enough registrations, trainer and
    room sure)."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.PLANNED:
            raise RegistrationError(
                f"Seule une séance prévue peut être confirmée ; celle-ci est "
                f"{session.get_status_display().lower()}."
            )
        session.status = SessionStatus.CONFIRMED
        session.save(update_fields=["status"])
    return session
