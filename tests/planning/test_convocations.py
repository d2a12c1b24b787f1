"""Convocations: an email with an .ics invitation calendars accept (parsed back with
icalendar), the cancellation with the same UID and a higher SEQUENCE, the promoted
agent convened, and the PDF letters for agents without email."""

import shutil
import subprocess

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import AgentFactory
from tests.planning.test_registrations import make_session
from tremplin.accounts.enums import Role
from tremplin.core.models import OutboxMessage
from tremplin.organisation.enums import ContactChannel
from tremplin.planning import registrations
from tremplin.planning.enums import RegistrationStatus


def reader(**kwargs):
    return AgentFactory(contact_channel=ContactChannel.EMAIL, email="lea@ville.test", **kwargs)


def events(message):
    """The VEVENTs of the calendar parts of an email as a mail client reads it (the
    outbox sends the .ics inline and attached: the same event, counted once)."""
    found, seen = [], set()
    for part in message.message().walk():
        if part.get_content_type() != "text/calendar":
            continue
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        for event in calendar.walk("VEVENT"):
            key = (str(event["UID"]), int(event["SEQUENCE"]))
            if key not in seen:
                seen.add(key)
                found.append((calendar, event))
    return found


@pytest.mark.django_db
def test_a_registered_agent_gets_an_invitation(django_capture_on_commit_callbacks):
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(session, reader(first_name="Léa"))
    assert OutboxMessage.objects.get().status == "sent"
    message = mail.outbox[0]
    assert message.to == ["lea@ville.test"]
    assert "Bonjour Léa" in message.body and str(session.module) in message.body
    [(calendar, event)] = events(message)
    assert calendar["METHOD"] == "REQUEST"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert str(session.module) in str(event["SUMMARY"])


@pytest.mark.django_db
def test_a_cancellation_keeps_the_uid_and_raises_the_sequence(django_capture_on_commit_callbacks):
    session = make_session(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        held = registrations.register(session, reader())
        waiting = registrations.register(
            session, AgentFactory(contact_channel=ContactChannel.EMAIL, email="paul@ville.test")
        )
        registrations.cancel(held)
    sent = {m.to[0]: m for m in mail.outbox if m.subject.startswith("Annulé")}
    [(calendar, cancelled)] = events(sent["lea@ville.test"])
    [(_c, first)] = events(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    assert cancelled["UID"] == first["UID"]
    assert cancelled["SEQUENCE"] == first["SEQUENCE"] + 1
    # The freed seat went to Paul, who is convened.
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert any(
        m.to == ["paul@ville.test"] and m.subject.startswith("Convocation") for m in mail.outbox
    )


@pytest.mark.django_db
def test_agents_without_email_get_no_email_and_a_pdf_letter(world, client):
    session = make_session()
    paper = world.agents[("Équipe A1a", "ville")]
    paper.contact_channel = ContactChannel.PAPER
    paper.save()
    registrations.register(session, paper)
    assert not OutboxMessage.objects.exists()
    client.force_login(world.users[Role.HR])
    response = client.get(reverse("planning:convocation_letters", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) absent: the letter's text is not read back.")
    text = subprocess.run(  # noqa: S603 (our own PDF, a fixed program found on PATH)
        [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Convocation à une formation" in text
    assert paper.full_name in text
    assert str(session.module) in text
