"""A session that moves or is cancelled: convened agents get the updated invitation
(same UID, next SEQUENCE, METHOD:CANCEL for a cancellation) or a letter to print; the
page says who was told; a cancelled session holds no seat any more."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import AgentFactory, user_with_role
from tests.planning.test_convocations import events, reader
from tests.planning.test_registrations import make_session
from tremplin.accounts.enums import Role
from tremplin.core import outbox
from tremplin.core.models import OutboxMessage
from tremplin.planning import registrations
from tremplin.planning.enums import RegistrationStatus, SessionStatus
from tremplin.planning.models import Session


def edit_data(session, **changes):
    data = {
        "module": session.module_id,
        "starts_at": session.starts_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
        "ends_at": session.ends_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
        "room": session.room_id,
        "capacity": session.capacity,
        "min_participants": session.min_participants,
        "notes": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_moving_a_session_sends_the_same_invitation_with_the_next_sequence(
    client, django_capture_on_commit_callbacks
):
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(session, reader(first_name="Léa"))
    letter_agent = AgentFactory()
    registrations.register(session, letter_agent)
    client.force_login(user_with_role(Role.HR))
    later = session.starts_at + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("planning:session_edit", args=[session.pk]),
            edit_data(
                session,
                starts_at=later.astimezone().strftime("%Y-%m-%dT%H:%M"),
                ends_at=(later + dt.timedelta(hours=2)).astimezone().strftime("%Y-%m-%dT%H:%M"),
            ),
            follow=True,
        )
    outbox.send_due()
    text = response.content.decode()
    assert "1 agent(s) prévenu(s) par courriel." in text
    assert "1 agent(s) sans courriel" in text
    [first, change] = [m for m in mail.outbox if m.to == ["lea@ville.test"]]
    assert change.subject.startswith("Changement")
    assert "Votre formation a changé" in change.body
    [(_c, original)] = events(first)
    [(calendar, moved)] = events(change)
    assert calendar["METHOD"] == "REQUEST"
    assert moved["UID"] == original["UID"]
    assert moved["SEQUENCE"] == original["SEQUENCE"] + 1
    assert moved.decoded("DTSTART") == later
    session.refresh_from_db()
    assert session.sequence == 1


@pytest.mark.django_db
def test_changing_only_the_notes_tells_nobody(client, django_capture_on_commit_callbacks):
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(session, reader())
    client.force_login(user_with_role(Role.HR))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("planning:session_edit", args=[session.pk]),
            edit_data(session, notes="Apporter son badge"),
        )
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["convocation"]
    session.refresh_from_db()
    assert session.sequence == 0


@pytest.mark.django_db
def test_a_move_that_puts_an_agent_in_two_places_names_them():
    first = make_session()
    second = make_session(start=first.starts_at + dt.timedelta(days=1))
    agent = AgentFactory(first_name="Inès", last_name="Double")
    registrations.register(first, agent)
    registrations.register(second, agent)
    second.starts_at, second.ends_at = first.starts_at, first.ends_at
    second.save()
    report = registrations.session_changed(second, ["starts_at", "ends_at"])
    assert report.clashes == [agent.full_name]


@pytest.mark.django_db
def test_cancelling_a_session_tells_the_convened_and_frees_their_time(
    client, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(session, reader())
    waiting = registrations.register(session, AgentFactory())
    client.force_login(user_with_role(Role.ADVISOR))
    url = reverse("planning:session_cancel", args=[session.pk])
    assert "1 agent(s) convoqué(s)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Formatrice malade"}, follow=True)
    outbox.send_due()
    assert "Séance annulée" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.cancellation_reason == "Formatrice malade"
    notice = mail.outbox[-1]
    assert notice.subject.startswith("Annulé")
    assert "Pourquoi : Formatrice malade" in notice.body
    [(calendar, event)] = events(notice)
    assert calendar["METHOD"] == "CANCEL" and event["SEQUENCE"] == 1
    # The waiting agent is not promoted into a cancelled session, and the convened one
    # may take another session at the same time.
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITING
    other = make_session(start=session.starts_at)
    assert registrations.register(other, session.registrations.first().agent).status == (
        RegistrationStatus.REGISTERED
    )
    # Twice: refused, nothing sent again.
    sent = len(mail.outbox)
    with pytest.raises(registrations.RegistrationError, match="déjà annulée"):
        registrations.cancel_session(session, reason="x")
    assert len(mail.outbox) == sent


@pytest.mark.django_db
def test_cancelling_needs_a_reason_and_the_right_role(client):
    session = make_session()
    url = reverse("planning:session_cancel", args=[session.pk])
    client.force_login(user_with_role(Role.MANAGER))
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(user_with_role(Role.HR))
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


@pytest.mark.django_db
def test_confirming_a_planned_session_once(client):
    session = make_session()
    client.force_login(user_with_role(Role.HR))
    url = reverse("planning:session_confirm", args=[session.pk])
    client.post(url)
    session.refresh_from_db()
    assert session.status == SessionStatus.CONFIRMED
    response = client.post(url, follow=True)
    assert "Seule une séance prévue peut être confirmée" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils absent")
def test_letters_say_cancelled_or_changed(client):
    session = make_session()
    registrations.register(session, AgentFactory(first_name="Marc"))
    client.force_login(user_with_role(Role.HR))
    url = reverse("planning:convocation_letters", args=[session.pk])

    def text(response):
        return subprocess.run(  # noqa: S603 (our own PDF, a fixed program found on PATH)
            [shutil.which("pdftotext"), "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        ).stdout.decode()

    assert "Convocation à une formation" in text(client.get(url))
    assert "Changement de date" in text(client.get(url + "?courrier=modification"))
    registrations.cancel_session(session, reason="Salle inondée")
    cancelled = text(client.get(url))
    assert "Formation annulée" in cancelled and "Salle inondée" in cancelled


@pytest.mark.django_db
def test_a_cancelled_or_past_session_offers_no_registration(client):
    session = make_session()
    client.force_login(user_with_role(Role.HR))
    url = reverse("planning:session_detail", args=[session.pk])
    assert "Inscrire plusieurs agents" in client.get(url).content.decode()
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    page = client.get(url).content.decode()
    assert "Inscrire plusieurs agents" not in page
    assert "Courriers d'annulation (PDF)" in page


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils absent")
def test_hr_prints_convocations_with_a_login_code_once(client, world):
    from tremplin.accounts.models import User

    session = make_session()
    paper = world.agents[("Équipe A1a", "metropole")]  # no email: gets a letter
    registrations.register(session, paper)
    url = reverse("planning:convocation_letters", args=[session.pk])

    def text(response):
        return subprocess.run(  # noqa: S603 (our own PDF, a fixed program found on PATH)
            [shutil.which("pdftotext"), "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        ).stdout.decode()

    client.force_login(world.users[Role.ADVISOR])
    assert "Code personnel" not in text(client.post(url))  # advisors print, not codes
    assert not User.objects.filter(agent=paper).exists()
    client.force_login(world.users[Role.HR])
    assert "Code personnel" not in text(client.get(url))
    letter = text(client.post(url))
    user = User.objects.get(agent=paper)
    assert "Code personnel" in letter and user.username in letter
    assert user.login_code_issued_at is not None
    # A reprint never replaces the code already handed over.
    assert "Code personnel" not in text(client.post(url))
