"""Reminders a week and a day before: sent once to each convened agent who reads
email, not to agents convened less than a week before, not for cancelled sessions."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import AgentFactory
from tests.planning.test_convocations import events, reader
from tests.planning.test_registrations import at, make_session
from tremplin.core import outbox
from tremplin.core.models import OutboxMessage
from tremplin.planning import registrations, reminders
from tremplin.planning.enums import SessionStatus
from tremplin.planning.models import Registration, Session


def registered_long_ago(session, agent):
    registration = registrations.register(session, agent)
    Registration.objects.filter(pk=registration.pk).update(
        created_at=session.starts_at - dt.timedelta(days=20)
    )
    return registration


def kinds():
    return list(OutboxMessage.objects.filter(kind="rappel").values_list("related_label", flat=True))


@pytest.mark.django_db
def test_week_and_day_reminders_are_sent_once():
    in_five_days = make_session(start=at(5, 9))
    tomorrow = make_session(start=at(1, 14))
    week = registered_long_ago(in_five_days, reader())
    day = registrations.register(tomorrow, reader())  # convened yesterday: still reminded
    counts = reminders.send_due()
    assert (counts.week_before, counts.day_before) == (1, 1)
    assert sorted(kinds()) == sorted(
        [f"planning.registration:{week.pk}", f"planning.registration:{day.pk}"]
    )
    # The same day, or the day after for the week reminder: nothing again.
    assert str(reminders.send_due()) == "0 rappel(s) à une semaine, 0 rappel(s) la veille"
    week.refresh_from_db()
    assert week.reminded_week_before_at is not None and week.reminded_day_before_at is None


@pytest.mark.django_db
def test_the_reminder_carries_the_invitation_unchanged():
    from django.core import mail

    session = make_session(start=at(1, 9))
    registrations.register(session, reader(first_name="Léa"))
    outbox.send_due()
    reminders.send_due()
    outbox.send_due()
    [first, reminder] = mail.outbox
    assert reminder.subject.startswith("Rappel")
    assert "votre formation a lieu demain" in reminder.body
    [(_c, convocation)] = events(first)
    [(calendar, again)] = events(reminder)
    assert calendar["METHOD"] == "REQUEST"
    assert (again["UID"], again["SEQUENCE"]) == (convocation["UID"], convocation["SEQUENCE"])


@pytest.mark.django_db
def test_no_reminder_when_it_makes_no_sense():
    recent = make_session(start=at(4, 9))
    registrations.register(recent, reader())  # convened 4 days before: no "week" reminder
    cancelled = make_session(start=at(1, 9))
    registered_long_ago(cancelled, reader())
    Session.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED)
    letter = make_session(start=at(1, 10))
    registered_long_ago(letter, AgentFactory())  # no email: the manager hands letters
    far = make_session(start=at(12, 9))
    registered_long_ago(far, reader())
    assert reminders.due() == ([], [])


@pytest.mark.django_db
def test_the_command_is_a_dry_run_by_default(capsys):
    session = make_session(start=at(1, 9))
    registrations.register(session, reader())
    call_command("send_reminders")
    assert "1 rappel(s) la veille" in capsys.readouterr().out
    assert kinds() == []
    call_command("send_reminders", "--wet-run")
    assert "1 rappel(s) la veille" in capsys.readouterr().out
    assert len(kinds()) == 1
    assert timezone.now() > session.created_at
