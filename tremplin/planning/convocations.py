"""Convocations: what an agent receives when a seat is theirs, and when it is taken back.

Agents who read their mail get an email with an `.ics` invitation through the outbox
(queued in the registration's transaction, sent after commit, retried when the mail
server is down). The others get a printable letter their manager hands over (PDF,
`letters_pdf`). A cancellation sends the same UID with a higher SEQUENCE and
METHOD:CANCEL, so calendars remove the event instead of adding a second one.
"""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tremplin.accounts.models import user_for_agent
from tremplin.core import ics
from tremplin.core.outbox import Attachment, queue_email
from tremplin.core.pdf import render_pdf
from tremplin.organisation.enums import ContactChannel

from .models import Registration

KIND_CONVOCATION = "convocation"
KIND_CANCELLATION = "annulation"
KIND_CHANGE = "modification"
KIND_REMINDER = "rappel"
KIND_REFUSAL = "refus"


def reads_email(registration: Registration) -> bool:
    agent = registration.agent
    return agent.contact_channel == ContactChannel.EMAIL and bool(agent.email)


def _invitation(registration: Registration) -> ics.Invitation:
    session, agent = registration.session, registration.agent
    organizer_name, organizer_email = ics.organizer_from_settings()
    return ics.Invitation(
        uid=ics.session_uid(session.pk, agent.pk, organizer_email),
        sequence=registration.ics_sequence,
        start=session.starts_at,
        end=session.ends_at,
        summary=f"Formation : {session.module}",
        location=str(session.room) if session.room else "En ligne",
        description=session.module.objective,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        attendee_email=agent.email,
        attendee_name=agent.full_name,
    )


def _context(registration: Registration, *, kind: str = KIND_CONVOCATION, reason: str = "") -> dict:
    session = registration.session
    start = timezone.localtime(session.starts_at)
    return {
        "registration": registration,
        "agent": registration.agent,
        "session": session,
        "start": start,
        "end": timezone.localtime(session.ends_at),
        "cancelled": kind == KIND_CANCELLATION,
        "changed": kind == KIND_CHANGE,
        "reminder": kind == KIND_REMINDER,
        "days_left": (start.date() - timezone.localdate()).days,
        "reason": reason,
    }


def _queue(registration: Registration, *, kind: str, subject: str, ics_bytes: bytes, reason=""):
    body = render_to_string(
        "planning/convocation_email.txt", _context(registration, kind=kind, reason=reason)
    )
    filename = "annulation.ics" if kind == KIND_CANCELLATION else "convocation.ics"
    queue_email(
        to=registration.agent.email,
        subject=f"{subject} : {registration.session.module}",
        body=body,
        kind=kind,
        attachments=[Attachment.ics(ics_bytes, filename)],
        related_label=f"planning.registration:{registration.pk}",
    )


def send_convocation(registration: Registration) -> bool:
    """Queues the email with its invitation; False when the agent gets a letter instead.
    Call inside the registration's transaction."""
    if not reads_email(registration):
        return False
    _queue(
        registration,
        kind=KIND_CONVOCATION,
        subject="Convocation",
        ics_bytes=ics.request_ics(_invitation(registration)),
    )
    return True


def send_change(registration: Registration) -> bool:
    """The session moved (day, time or room): the same invitation, next SEQUENCE, so the
    agent's calendar moves the event instead of adding a second one."""
    if not reads_email(registration):
        return False
    registration.ics_sequence += 1
    registration.save(update_fields=["ics_sequence", "updated_at"])
    _queue(
        registration,
        kind=KIND_CHANGE,
        subject="Changement",
        ics_bytes=ics.request_ics(_invitation(registration)),
    )
    return True


def send_reminder(registration: Registration) -> bool:
    """A reminder a week or a day before, with the invitation as it stands (same
    SEQUENCE: nothing changed, a calendar that has it keeps one event)."""
    if not reads_email(registration):
        return False
    _queue(
        registration,
        kind=KIND_REMINDER,
        subject="Rappel",
        ics_bytes=ics.request_ics(_invitation(registration)),
    )
    return True


def send_cancellation(registration: Registration, *, reason: str = "") -> bool:
    """Queues the cancellation notice (same UID, next SEQUENCE, METHOD:CANCEL)."""
    if not reads_email(registration):
        return False
    registration.ics_sequence += 1
    registration.save(update_fields=["ics_sequence", "updated_at"])
    _queue(
        registration,
        kind=KIND_CANCELLATION,
        subject="Annulé",
        ics_bytes=ics.cancel_ics(_invitation(registration)),
        reason=reason,
    )
    return True


def send_refusal(registration: Registration) -> bool:
    """The manager said no to a held seat: the agent learns it, and that another date can
    be chosen (no invitation: the agent was never convened)."""
    if not reads_email(registration):
        return False
    queue_email(
        to=registration.agent.email,
        subject=f"Demande non acceptée : {registration.session.module}",
        body=render_to_string(
            "planning/refusal_email.txt", _context(registration, kind=KIND_REFUSAL)
        ),
        kind=KIND_REFUSAL,
        related_label=f"planning.registration:{registration.pk}",
    )
    return True


def issue_codes(registrations, *, allowed) -> dict[int, tuple[str, str]]:
    """Personal login codes for the agents of these letters who never received one, so
    that they can open "Mes séances" and their attestations: {registration id:
    (identifier, code)}. `allowed(agent)` says whether the user may issue it. Only the
    code's hash is kept; an agent who already has a code keeps it (a reprint never
    replaces a code already handed over)."""
    codes = {}
    with transaction.atomic():
        for registration in registrations:
            agent = registration.agent
            if not allowed(agent):
                continue
            user = user_for_agent(agent)
            if user.login_code_issued_at is not None:
                continue
            codes[registration.pk] = (user.username, user.issue_login_code())
    return codes


def letters_pdf(
    registrations,
    *,
    base_url: str,
    kind: str = KIND_CONVOCATION,
    codes: dict[int, tuple[str, str]] | None = None,
    login_url: str = "",
) -> bytes:
    """One letter per page, for the agents without email: the convocation (with a
    personal login code where one was issued), or the notice that the session moved or
    was cancelled."""
    codes = codes or {}
    letters = []
    for registration in registrations:
        context = _context(registration, kind=kind, reason=registration.session.cancellation_reason)
        context["login"] = codes.get(registration.pk)
        letters.append(context)
    return render_pdf(
        "planning/convocation_letters.html",
        {"letters": letters, "login_url": login_url},
        base_url=base_url,
    )
