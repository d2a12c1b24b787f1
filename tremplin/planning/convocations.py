"""Convocations: what an agent receives when a seat is theirs, and when it is taken back.

Agents who read their mail get an email with an `.ics` invitation through the outbox
(queued in the registration's transaction, sent after commit, retried when the mail
server is down). The others get a printable letter their manager hands over (PDF,
`letters_pdf`). A cancellation sends the same UID with a higher SEQUENCE and
METHOD:CANCEL, so calendars remove the event instead of adding a second one.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from tremplin.core import ics
from tremplin.core.outbox import Attachment, queue_email
from tremplin.core.pdf import render_pdf
from tremplin.organisation.enums import ContactChannel

from .models import Registration

KIND_CONVOCATION = "convocation"
KIND_CANCELLATION = "annulation"


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


def _context(registration: Registration, *, cancelled: bool = False) -> dict:
    session = registration.session
    return {
        "registration": registration,
        "agent": registration.agent,
        "session": session,
        "start": timezone.localtime(session.starts_at),
        "end": timezone.localtime(session.ends_at),
        "cancelled": cancelled,
    }


def send_convocation(registration: Registration) -> bool:
    """Queues the email with its invitation; False when the agent gets a letter instead.
    Call inside the registration's transaction."""
    if not reads_email(registration):
        return False
    body = render_to_string("planning/convocation_email.txt", _context(registration))
    queue_email(
        to=registration.agent.email,
        subject=f"Convocation : {registration.session.module}",
        body=body,
        kind=KIND_CONVOCATION,
        attachments=[Attachment.ics(ics.request_ics(_invitation(registration)))],
        related_label=f"planning.registration:{registration.pk}",
    )
    return True


def send_cancellation(registration: Registration) -> bool:
    """Queues the cancellation notice (same UID, next SEQUENCE, METHOD:CANCEL)."""
    if not reads_email(registration):
        return False
    registration.ics_sequence += 1
    registration.save(update_fields=["ics_sequence", "updated_at"])
    body = render_to_string(
        "planning/convocation_email.txt", _context(registration, cancelled=True)
    )
    queue_email(
        to=registration.agent.email,
        subject=f"Annulé : {registration.session.module}",
        body=body,
        kind=KIND_CANCELLATION,
        attachments=[Attachment.ics(ics.cancel_ics(_invitation(registration)), "annulation.ics")],
        related_label=f"planning.registration:{registration.pk}",
    )
    return True


def letters_pdf(registrations, *, base_url: str) -> bytes:
    """One convocation letter per page, for the agents without email."""
    return render_pdf(
        "planning/convocation_letters.html",
        {"letters": [_context(r) for r in registrations]},
        base_url=base_url,
    )
