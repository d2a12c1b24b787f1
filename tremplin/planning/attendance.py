"""Attendance: the trainer ticks present / absent / excused, then closes the sheet.

Closing makes the session "held" and completes what attending means: each present
agent's pathway step for that module is done (reason ATTENDANCE, on the session's day),
and when the module says so, one training evidence per competence it works on, at the
level it brings. Everything runs in one transaction with the session row locked.

After closing, only HR may correct a mark. Absent → present completes the step and the
evidence then; present → absent keeps the step done and the evidence stored (a pathway
step is never reopened silently; HR reopens it from the pathway if it must be).
Completing is idempotent per registration: the evidence already written for a
registration (its origin) is never written twice, and a done step stays done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from tremplin.accounts import perms
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Evidence
from tremplin.competences.services import EvidenceInput, record_evidence_bulk
from tremplin.training.enums import DoneReason
from tremplin.training.models import PathwayStep

from .enums import Attendance, RegistrationStatus, SessionStatus
from .models import Registration, Session


class AttendanceError(ValueError):
    """Attendance cannot be noted or the sheet cannot be closed; the message is French."""


@dataclass(frozen=True)
class Completed:
    """What closing (or a correction after it) completed."""

    steps_done: int = 0
    evidence: int = 0


def session_day(session: Session) -> dt.date:
    return timezone.localtime(session.starts_at).date()


def registered(session: Session):
    """The agents who hold a confirmed seat: the ones on the sheet."""
    return session.registrations.filter(status=RegistrationStatus.REGISTERED)


def _locked(session: Session) -> Session:
    session = Session.objects.select_for_update().select_related("module").get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise AttendanceError("Cette séance est annulée : il n'y a pas de présence à noter.")
    if session.starts_at > timezone.now():
        start = timezone.localtime(session.starts_at)
        raise AttendanceError(
            "La séance n'a pas encore commencé : vous pourrez noter les présences à partir "
            f"du {start:%d/%m/%Y} à {start:%H h %M}."
        )
    return session


def record(session: Session, marks: dict[int, str], *, by) -> int:
    """Notes the marks {registration id: Attendance} of agents registered in the session;
    returns how many changed. Refused, changing nothing, for a cancelled session, one
    that has not started, an id that is not a registered agent of this session, an
    unknown mark, or a closed sheet when `by` is not HR."""
    with transaction.atomic():
        session = _locked(session)
        closed = session.attendance_closed_at is not None
        if closed and marks and not perms.can_correct_attendance(by):
            raise AttendanceError(
                "La feuille d'émargement est close : seul le service formation peut corriger "
                "une présence."
            )
        rows = {
            r.pk: r
            for r in registered(session)
            .filter(pk__in=list(marks))
            .select_related("agent", "step", "session__module")
        }
        strangers = set(marks) - rows.keys()
        if strangers:
            raise AttendanceError(
                f"{len(strangers)} personne{'s' if len(strangers) > 1 else ''} ne "
                f"{'sont' if len(strangers) > 1 else 'est'} pas inscrite"
                f"{'s' if len(strangers) > 1 else ''} à cette séance."
            )
        unknown = {value for value in marks.values() if value not in Attendance.values}
        if unknown:
            raise AttendanceError(f"Présence inconnue : « {', '.join(sorted(unknown))} ».")
        now = timezone.now()
        changed, now_present = 0, []
        for pk, value in marks.items():
            registration = rows[pk]
            if registration.attendance == value:
                continue
            registration.attendance = value
            registration.attendance_recorded_by = by
            registration.attendance_recorded_at = now
            registration.save(
                update_fields=[
                    "attendance",
                    "attendance_recorded_by",
                    "attendance_recorded_at",
                    "updated_at",
                ]
            )
            changed += 1
            if value == Attendance.PRESENT:
                now_present.append(registration)
        if closed and now_present:
            _complete(session, now_present, by=by)
    return changed


def add_walk_in(session: Session, agent, *, by) -> Registration:
    """An agent came without a seat: on the sheet, present. Their waiting place or held
    seat in this session becomes the seat; otherwise a registration is made at once (a
    fact, not a request: the seat count may go over, the room held them). On a closed
    sheet, HR only, and their step is completed at once."""
    with transaction.atomic():
        session = _locked(session)
        closed = session.attendance_closed_at is not None
        if closed and not perms.can_correct_attendance(by):
            raise AttendanceError(
                "La feuille d'émargement est close : seul le service formation peut ajouter "
                "un agent."
            )
        registration = (
            session.registrations.select_for_update()
            .filter(agent=agent)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if registration is not None and registration.status == RegistrationStatus.REGISTERED:
            raise AttendanceError(f"{agent.full_name} est déjà sur la feuille.")
        if registration is None:
            registration = Registration(session=session, agent=agent, requested_by=by)
        registration.step = (
            registration.step
            or PathwayStep.objects.open()
            .filter(module_id=session.module_id, pathway__agent=agent)
            .first()
        )
        registration.status = RegistrationStatus.REGISTERED
        registration.waiting_position = None
        registration.attendance = Attendance.PRESENT
        registration.attendance_recorded_by = by
        registration.attendance_recorded_at = timezone.now()
        registration.save()
        if closed:
            _complete(session, [registration], by=by)
    return registration


def close(session: Session, *, by) -> Completed:
    """Closes the sheet: the session is held, the present agents' steps are done and,
    when the module gives evidence, their evidence written. Every registered agent must
    be marked first. Closing a closed sheet changes nothing."""
    with transaction.atomic():
        session = _locked(session)
        if session.attendance_closed_at is not None:
            return Completed()
        rows = list(registered(session).select_related("agent", "step", "session__module"))
        unmarked = sum(1 for r in rows if not r.attendance)
        if unmarked:
            raise AttendanceError(
                f"{unmarked} agent{'s' if unmarked > 1 else ''} sans présence notée : "
                "notez chaque inscrit (présent, absent ou excusé) avant de clore la feuille."
            )
        session.status = SessionStatus.HELD
        session.attendance_closed_at = timezone.now()
        session.save(update_fields=["status", "attendance_closed_at"])
        return _complete(session, [r for r in rows if r.attendance == Attendance.PRESENT], by=by)


def _complete(session: Session, present: list[Registration], *, by) -> Completed:
    """Steps done and evidence for these present registrations. Inside a transaction.

    The steps come before the evidence: the evidence signal refreshes pathways after
    commit, and must find the step already done by attendance."""
    if not present:
        return Completed()
    module, day = session.module, session_day(session)
    steps: dict[int, PathwayStep] = {}
    for registration in present:
        if registration.step is not None and registration.step.is_open:
            steps[registration.step.pk] = registration.step
    # The agent's open steps for this module in any of their pathways (their own job,
    # a job they aim at): attending the module completes each.
    for step in PathwayStep.objects.open().filter(
        module=module, pathway__agent_id__in=[r.agent_id for r in present]
    ):
        steps.setdefault(step.pk, step)
    for step in steps.values():
        step.mark_done(on=day, reason=DoneReason.ATTENDANCE)
    evidence = 0
    if module.gives_evidence:
        evidence = _write_evidence(module, present, day, by=by)
    return Completed(steps_done=len(steps), evidence=evidence)


def _write_evidence(module, present: list[Registration], day: dt.date, *, by) -> int:
    outcomes = list(module.outcomes.select_related("competence"))
    if not outcomes:
        return 0
    origin_type = ContentType.objects.get_for_model(Registration)
    already = set(
        Evidence.objects.filter(
            origin_type=origin_type, origin_id__in=[str(r.pk) for r in present]
        ).values_list("origin_id", flat=True)
    )
    items = [
        EvidenceInput(
            agent_id=registration.agent_id,
            competence=outcome.competence,
            level=outcome.level_to,
            source=EvidenceSource.TRAINING,
            observed_on=day,
            origin=registration,
            note=f"Présent(e) à « {module} » le {day:%d/%m/%Y}.",
        )
        for registration in present
        if str(registration.pk) not in already
        for outcome in outcomes
    ]
    if not items:
        return 0
    return record_evidence_bulk(items, author=by)["evidence"]
