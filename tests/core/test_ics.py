import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tremplin.core import ics

PARIS = ZoneInfo("Europe/Paris")
STAMP = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def invitation(**changes) -> ics.Invitation:
    values = {
        "uid": ics.session_uid(12, 345, "formation@ville-exemple.fr"),
        "sequence": 0,
        # The Monday after the switch to summer time (29 March 2026): UTC+2.
        "start": dt.datetime(2026, 3, 30, 9, 0, tzinfo=PARIS),
        "end": dt.datetime(2026, 3, 30, 12, 0, tzinfo=PARIS),
        "summary": "Fresque du Climat",
        "location": "Maison des associations, salle 2, 6 cours des Alliés, Rennes",
        "description": "Atelier de 3 heures.\nApportez de quoi écrire ; le café est offert.",
        "url": "https://tremplin.ville-exemple.fr/planning/mes-sessions/",
        "organizer_email": "formation@ville-exemple.fr",
        "organizer_name": "Service formation",
        "attendee_email": "zoe.lefevre@ville-exemple.fr",
        "attendee_name": "Zoé Lefèvre",
        "stamp": STAMP,
    }
    return ics.Invitation(**{**values, **changes})


def parse(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return calendar, events[0]


def test_invitation_parses_back_with_every_field():
    calendar, event = parse(ics.request_ics(invitation()))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == ics.PRODID
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == "session-12-agent-345@ville-exemple.fr"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    # 9:00 in Paris on summer time is 7:00 UTC, written in UTC.
    assert event.decoded("DTSTART") == dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2026, 3, 30, 10, 0, tzinfo=dt.UTC)
    assert event.decoded("DTSTART").astimezone(PARIS).hour == 9
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["SUMMARY"]) == "Fresque du Climat"
    assert str(event["LOCATION"]) == (
        "Maison des associations, salle 2, 6 cours des Alliés, Rennes"
    )
    assert str(event["DESCRIPTION"]) == (
        "Atelier de 3 heures.\nApportez de quoi écrire ; le café est offert."
    )
    assert str(event["URL"]) == "https://tremplin.ville-exemple.fr/planning/mes-sessions/"

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:formation@ville-exemple.fr"
    assert organizer.params["CN"] == "Service formation"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:zoe.lefevre@ville-exemple.fr"
    assert attendee.params["CN"] == "Zoé Lefèvre"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["RSVP"] == "FALSE"


def test_rsvp_can_be_asked():
    _calendar, event = parse(ics.request_ics(invitation(rsvp=True)))
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"


def test_no_timezone_definition_is_needed():
    data = ics.request_ics(invitation())
    assert b"VTIMEZONE" not in data
    assert b"DTSTART:20260330T070000Z\r\n" in data


def test_an_update_keeps_the_uid_with_a_higher_sequence():
    first = invitation()
    moved = dataclasses.replace(
        first,
        sequence=first.sequence + 1,
        start=dt.datetime(2026, 3, 31, 14, 0, tzinfo=PARIS),
        end=dt.datetime(2026, 3, 31, 17, 0, tzinfo=PARIS),
    )
    _c, before = parse(ics.request_ics(first))
    calendar, after = parse(ics.request_ics(moved))
    assert calendar["METHOD"] == "REQUEST"
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == 1 > before["SEQUENCE"]
    assert after.decoded("DTSTART") == dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


def test_a_cancellation_keeps_the_uid_with_a_higher_sequence():
    sent = invitation(sequence=1)
    calendar, cancelled = parse(ics.cancel_ics(dataclasses.replace(sent, sequence=2)))
    _c, original = parse(ics.request_ics(sent))

    assert calendar["METHOD"] == "CANCEL"
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["UID"] == original["UID"]
    assert cancelled["SEQUENCE"] == 2 > original["SEQUENCE"]
    # The attendee is named: Outlook and Gmail match the cancellation to them.
    assert str(cancelled["ATTENDEE"]) == "mailto:zoe.lefevre@ville-exemple.fr"
    assert cancelled.decoded("DTSTART") == original.decoded("DTSTART")


def test_lines_end_with_crlf_and_long_ones_are_folded_without_cutting_a_letter():
    long_text = "Séance d'initiation à la messagerie électronique et à l'intranet, " * 5
    data = ics.request_ics(invitation(description=long_text, summary=long_text[:120]))

    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    # RFC 5545 §3.1: at most 75 octets, continuation lines start with one space.
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # a fold inside a multi-byte letter would fail here
    _c, event = parse(data)
    assert str(event["DESCRIPTION"]) == long_text
    assert str(event["SUMMARY"]) == long_text[:120]


def test_text_special_characters_are_escaped():
    data = ics.request_ics(invitation(location="Salle 2; bâtiment B, 1er étage"))
    unfolded = re.sub(rb"\r\n ", b"", data)
    assert b"LOCATION:Salle 2\\; b\xc3\xa2timent B\\, 1er \xc3\xa9tage\r\n" in unfolded
    _c, event = parse(data)
    assert str(event["LOCATION"]) == "Salle 2; bâtiment B, 1er étage"


@pytest.mark.parametrize(
    "changes",
    [
        {"start": dt.datetime(2026, 3, 30, 9, 0)},
        {"end": dt.datetime(2026, 3, 30, 8, 0, tzinfo=PARIS)},
        {"sequence": -1},
        {"attendee_email": "pas-une-adresse"},
    ],
)
def test_bad_values_are_refused(changes):
    with pytest.raises(ValueError):
        invitation(**changes)


def test_organizer_comes_from_the_sender_setting(settings):
    settings.DEFAULT_FROM_EMAIL = "Service formation <formation@ville-exemple.fr>"
    assert ics.organizer_from_settings() == ("Service formation", "formation@ville-exemple.fr")
    settings.DEFAULT_FROM_EMAIL = "formation@ville-exemple.fr"
    assert ics.organizer_from_settings() == ("", "formation@ville-exemple.fr")
