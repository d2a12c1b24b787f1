"""Calendar invitations (`.ics`, RFC 5545 / iTIP RFC 5546) that Outlook, Gmail and
Thunderbird accept: one VEVENT per file, one attendee per file.

Pure functions on plain values: `Invitation` in, bytes out; nothing here reads the
database. Only `organizer_from_settings()` reads Django settings, for callers that
want the training office's address.

Times are written in UTC (`DTSTART:20260316T080000Z`), not as Europe/Paris with a
VTIMEZONE. A convocation is a single, non-recurring event, so the daylight-saving
rules a VTIMEZONE carries are never needed; UTC is the one form every client reads
the same way (it is what Google Calendar itself writes for single events), whereas a
VTIMEZONE is a second source of truth that Outlook trusts over its own zone database:
a wrong or truncated one silently shifts the hour. Clients show the time in the
reader's zone, and the email and letter state the local time in words.

An update is the same file with the same UID and a higher SEQUENCE; a cancellation is
METHOD:CANCEL and STATUS:CANCELLED, with the same UID and a higher SEQUENCE again.
The caller keeps the sequence (a counter on the registration, say) and raises it at
each notice it sends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.utils import parseaddr

import icalendar

PRODID = "-//Tremplin//Convocations//FR"
CONTENT_TYPE = "text/calendar"


@dataclass(frozen=True, kw_only=True)
class Invitation:
    """One attendee's invitation to one event. Datetimes must be timezone-aware."""

    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    organizer_email: str
    organizer_name: str = ""
    attendee_email: str
    attendee_name: str = ""
    # No reply by default: a seat is taken or given back in Tremplin (approval,
    # waiting list), and a "Decline" sent by a calendar to the office would free nothing.
    rsvp: bool = False
    # When the file is made (DTSTAMP); now if not given.
    stamp: dt.datetime | None = field(default=None, compare=False)

    def __post_init__(self):
        for name in ("start", "end") + (("stamp",) if self.stamp is not None else ()):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"Invitation.{name} must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("Invitation.end must be after Invitation.start")
        if self.sequence < 0:
            raise ValueError("Invitation.sequence cannot be negative")
        if "@" not in self.organizer_email or "@" not in self.attendee_email:
            raise ValueError("Invitation needs organizer and attendee email addresses")


def session_uid(session_id: int, agent_id: int, organizer_email: str) -> str:
    """A UID that stays the same for one agent at one session, so that every notice
    about it updates the same calendar entry. The domain is the organizer's, which a
    collectivité keeps."""
    domain = organizer_email.rpartition("@")[2].strip().lower() or "tremplin.invalid"
    return f"session-{session_id}-agent-{agent_id}@{domain}"


def organizer_from_settings() -> tuple[str, str]:
    """(name, address) of the sender in settings.DEFAULT_FROM_EMAIL, which may read
    "Service formation <formation@ville.fr>" or just the address."""
    from django.conf import settings

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name, address


def request_ics(invitation: Invitation) -> bytes:
    """The invitation, or an update of it (same UID, higher sequence)."""
    return _calendar(invitation, method="REQUEST", status="CONFIRMED")


def cancel_ics(invitation: Invitation) -> bytes:
    """The cancellation of an invitation sent before: give the same UID and a sequence
    higher than the last one sent."""
    return _calendar(invitation, method="CANCEL", status="CANCELLED")


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _address(email: str, name: str, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    address.params.update(params)
    return address


def _calendar(invitation: Invitation, *, method: str, status: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = icalendar.Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", _utc(invitation.stamp or dt.datetime.now(dt.UTC)))
    event.add("dtstart", _utc(invitation.start))
    event.add("dtend", _utc(invitation.end))
    event.add("summary", invitation.summary)
    if invitation.location:
        event.add("location", invitation.location)
    if invitation.description:
        event.add("description", invitation.description)
    if invitation.url:
        event.add("url", invitation.url)
    event.add("organizer", _address(invitation.organizer_email, invitation.organizer_name))
    event.add(
        "attendee",
        _address(
            invitation.attendee_email,
            invitation.attendee_name,
            CUTYPE="INDIVIDUAL",
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="NEEDS-ACTION",
            RSVP="TRUE" if invitation.rsvp and method == "REQUEST" else "FALSE",
        ),
    )
    event.add("status", status)
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()
