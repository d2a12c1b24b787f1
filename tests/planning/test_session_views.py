"""Session pages: per-role access, the session form's refusals (French, on the field,
nothing saved), registering by matricule with the waiting list, unregistering with
promotion, and the agent's "Mes séances"."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from tests.factories import AgentFactory, SiteFactory
from tests.planning.test_registrations import at, make_session, monday
from tests.training.test_pathway_views import module
from tremplin.accounts.enums import Role
from tremplin.planning.enums import RegistrationStatus
from tremplin.planning.models import ContinuityRule, Registration, Room, Session, Trainer
from tremplin.training.enums import TrainerKind

VIEWERS = {Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER}
MANAGERS = {Role.HR, Role.ADMIN, Role.ADVISOR}


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_pages_per_role(world, client):
    session = make_session()
    pages = [
        (reverse("planning:session_list"), VIEWERS),
        (reverse("planning:session_detail", args=[session.pk]), VIEWERS),
        (reverse("planning:session_create"), MANAGERS),
        (reverse("planning:session_edit", args=[session.pk]), MANAGERS),
    ]
    failures = []
    for url, allowed in pages:
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (status == 200) != (role in allowed):
                failures.append(f"{url} {role} {status}")
    assert not failures, failures


def form_data(m, room, start, hours=2, capacity=6, trainers=()):
    return {
        "module": m.pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M"),
        "room": room.pk,
        "trainers": [t.pk for t in trainers],
        "capacity": capacity,
        "min_participants": 2,
        "notes": "",
    }


@pytest.fixture
def setup(world):
    m = module("messagerie", "Ma messagerie")
    room = Room.objects.create(site=SiteFactory(), name="Salle A", capacity=8)
    trainer = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    trainer.modules.add(m)
    return m, room, trainer


@pytest.mark.django_db
def test_a_session_is_created(world, client, setup):
    m, room, trainer = setup
    client.force_login(world.users[Role.ADVISOR])
    response = client.post(
        reverse("planning:session_create"), form_data(m, room, at(monday(), 9), trainers=[trainer])
    )
    session = Session.objects.get()
    assert response["Location"] == reverse("planning:session_detail", args=[session.pk])
    assert list(session.trainers.all()) == [trainer]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"start": "past"}, "starts_at", "Cette date est passée"),
        ({"hours": -1}, "ends_at", "La fin doit venir après le début"),
        ({"capacity": 10}, "capacity", "La salle « Salle A » n'a que 8 places"),
        ({"capacity": 9, "room_capacity": 20}, "capacity", "se fait à 8 personnes au plus"),
    ],
)
def test_bad_sessions_are_refused_on_their_field(world, client, setup, change, field, message):
    m, room, _trainer = setup
    if "room_capacity" in change:
        room.capacity = change["room_capacity"]
        room.save()
    start = at(-2, 9) if change.get("start") == "past" else at(monday(), 9)
    data = form_data(
        m, room, start, hours=change.get("hours", 2), capacity=change.get("capacity", 6)
    )
    client.force_login(world.users[Role.HR])
    response = client.post(reverse("planning:session_create"), data)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert f'id="id_{field}-erreur"' in page
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_room_or_a_trainer_taken_at_that_time_is_refused(world, client, setup):
    m, room, trainer = setup
    client.force_login(world.users[Role.HR])
    url = reverse("planning:session_create")
    client.post(url, form_data(m, room, at(monday(), 9), trainers=[trainer]))
    other_room = Room.objects.create(site=room.site, name="Salle B", capacity=8)
    response = client.post(url, form_data(m, room, at(monday(), 10)))
    assert "La salle est déjà prise par « Ma messagerie »" in text(response)
    response = client.post(url, form_data(m, other_room, at(monday(), 10), trainers=[trainer]))
    assert "Nadia Conseil anime déjà « Ma messagerie »" in text(response)
    unqualified = Trainer.objects.create(name="Paul Ext", kind=TrainerKind.EXTERNAL)
    response = client.post(url, form_data(m, other_room, at(monday(), 14), trainers=[unqualified]))
    assert "Paul Ext n'anime pas « Ma messagerie »" in text(response)
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_register_by_matricule_then_waiting_list(world, client):
    session = make_session(capacity=1)
    first, second = world.agents[("Équipe A1a", "ville")], world.agents[("Service A2", "ville")]
    client.force_login(world.users[Role.HR])
    url = reverse("planning:register_agent", args=[session.pk])
    client.post(url, {"matricule": first.matricule})
    response = client.post(url, {"matricule": second.matricule}, follow=True)
    assert "Séance complète" in text(response) and "rang 1" in text(response)
    statuses = dict(Registration.objects.values_list("agent_id", "status"))
    assert statuses == {
        first.pk: RegistrationStatus.REGISTERED,
        second.pk: RegistrationStatus.WAITING,
    }
    # Out of scope (direction B for an HR officer of direction A): refused on the field.
    outside = world.agents[("Direction B", "ville")]
    response = client.post(url, {"matricule": outside.matricule})
    assert "Aucun agent présent de votre périmètre" in text(response)


@pytest.mark.django_db
def test_a_continuity_refusal_shows_on_the_field(world, client):
    team = world.serv_a2
    ContinuityRule.objects.create(unit=team, max_absent_percent=10)
    a, b = world.agents[("Service A2", "ville")], world.agents[("Service A2", "metropole")]
    session = make_session(capacity=5)
    client.force_login(world.users[Role.HR])
    url = reverse("planning:register_agent", args=[session.pk])
    client.post(url, {"matricule": a.matricule})
    response = client.post(url, {"matricule": b.matricule})
    page = text(response)
    assert "Continuité de service de l'équipe « Service A2 »" in page
    assert 'id="id_matricule-erreur"' in page
    assert not Registration.objects.filter(agent=b).exists()


@pytest.mark.django_db
def test_unregistering_promotes_the_waiting_list(world, client):
    session = make_session(capacity=1)
    holder = Registration.objects.create(
        session=session,
        agent=AgentFactory(unit=world.team_a1a),
        status=RegistrationStatus.REGISTERED,
    )
    waiting = Registration.objects.create(
        session=session,
        agent=AgentFactory(unit=world.team_a1a),
        status=RegistrationStatus.WAITING,
        waiting_position=1,
    )
    client.force_login(world.users[Role.HR])
    response = client.post(
        reverse("planning:cancel_registration", args=[session.pk, holder.pk]), follow=True
    )
    assert "revient à" in text(response)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


@pytest.mark.django_db
def test_the_agent_sees_their_sessions(world, client):
    agent = world.users[Role.AGENT].agent
    session = make_session()
    Registration.objects.create(session=session, agent=agent, status=RegistrationStatus.REGISTERED)
    client.force_login(world.users[Role.AGENT])
    page = text(client.get(reverse("planning:my_sessions")))
    assert str(session.module) in page
    assert "Vous êtes inscrit(e)." in page
