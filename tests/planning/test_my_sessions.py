"""The agent's "Mes séances": sessions to come, sessions attended with their attestation
link (only when present at a closed sheet), and, for a trainer with an account, the
sessions they run with the link to the sheet."""

import html

import pytest
from django.urls import reverse

from tests.factories import AgentFactory, user_with_role
from tests.planning.test_attendance import past_session, register
from tests.planning.test_registrations import make_session
from tests.training.test_pathway_views import module
from tremplin.accounts.enums import Role
from tremplin.planning import attendance
from tremplin.planning.enums import Attendance
from tremplin.planning.models import Trainer
from tremplin.training.enums import TrainerKind


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_attended_sessions_link_to_the_attestation(world, client):
    user = world.users[Role.AGENT]
    advisor = world.users[Role.ADVISOR]
    came = past_session(module("messagerie", "Ma messagerie"))
    missed = past_session(module("tableur", "Le tableur"), hours_ago=30)
    not_closed = past_session(module("photos", "Mes photos"), hours_ago=50)
    coming = make_session(m=module("agenda", "Mon agenda"))
    mine = {s: register(s, user.agent) for s in (came, missed, not_closed, coming)}
    attendance.record(came, {mine[came].pk: Attendance.PRESENT}, by=advisor)
    attendance.close(came, by=advisor)
    attendance.record(missed, {mine[missed].pk: Attendance.ABSENT}, by=advisor)
    attendance.close(missed, by=advisor)
    attendance.record(not_closed, {mine[not_closed].pk: Attendance.PRESENT}, by=advisor)

    client.force_login(user)
    page = text(client.get(reverse("planning:my_sessions")))
    assert "Mon agenda" in page and "Vous êtes inscrit(e)." in page
    assert "Les formations que vous avez suivies" in page
    assert reverse("planning:attestation", args=[mine[came].pk]) in page
    assert page.count("Mon attestation (PDF)") == 1
    assert "Le tableur" not in page and "Mes photos" not in page


@pytest.mark.django_db
def test_an_agent_who_attended_nothing_is_told_so(world, client):
    client.force_login(world.users[Role.AGENT])
    page = text(client.get(reverse("planning:my_sessions")))
    assert "Vous n'avez pas encore suivi de formation." in page


@pytest.mark.django_db
def test_a_trainer_with_an_account_finds_the_sheets_of_their_sessions(world, client):
    facilitator = user_with_role(Role.AGENT, username="animatrice")
    trainer = Trainer.objects.create(name="Animatrice", kind=TrainerKind.FRESQUE, user=facilitator)
    today = past_session(module("fresque", "La Fresque du Climat"), trainers=[trainer])
    register(today, AgentFactory())
    someone_elses = past_session(module("autre", "Autre module"))
    client.force_login(facilitator)
    response = client.get(reverse("planning:my_sessions"))
    assert response.status_code == 200
    page = text(response)
    assert reverse("planning:attendance_sheet", args=[today.pk]) in page
    assert reverse("planning:attendance_sheet", args=[someone_elses.pk]) not in page
    # Someone who is neither an agent nor a trainer goes back home.
    client.force_login(user_with_role(Role.ADVISOR, username="sans-agent"))
    assert client.get(reverse("planning:my_sessions"))["Location"] == reverse("core:home")
