"""Registrations beyond one matricule: a manager ticks agents of their team, an agent
picks a date for a validated step of their pathway, the manager agrees or refuses when
the module asks for it, the agent gives back their seat."""

import html

import pytest
from django.urls import reverse

from tests.factories import AgentFactory, user_with_role
from tests.planning.test_registrations import make_session
from tests.training.test_pathway_views import module, pathway_for
from tremplin.accounts.enums import Role
from tremplin.core.models import OutboxMessage
from tremplin.organisation.enums import ContactChannel
from tremplin.planning import registrations
from tremplin.planning.enums import RegistrationStatus
from tremplin.planning.models import Registration
from tremplin.training.enums import StepStatus


@pytest.fixture
def team(world):
    m = module("messagerie", "Ma messagerie")
    session = make_session(capacity=1, m=m)
    report = world.agents[("Équipe A1a", "metropole")]  # managed by the "manager" user
    colleague = AgentFactory(unit=report.unit, employer=report.employer)
    outside = world.agents[("Direction B", "ville")]
    return session, report, colleague, outside


@pytest.mark.django_db
def test_a_manager_registers_several_agents_of_their_team(client, world, team):
    session, report, colleague, outside = team
    pathway_for(report, session.module, status=StepStatus.VALIDATED)
    client.force_login(world.users[Role.MANAGER])
    url = reverse("planning:register_several", args=[session.pk])
    page = client.get(url).content.decode()
    assert report.full_name in page and colleague.full_name in page
    assert outside.full_name not in page
    assert world.users[Role.MANAGER].agent.full_name not in page  # not themself
    assert "Dans son parcours" in page
    response = client.post(url, {"agents": [report.pk, colleague.pk]})
    text = html.unescape(response.content.decode())
    assert "2 inscription(s) faite(s) sur 2." in text
    assert "sur la liste d'attente (rang 1)" in text
    held = Registration.objects.get(agent=report)
    assert held.status == RegistrationStatus.REGISTERED
    assert held.step.module == session.module  # the step it serves, for attendance later
    # An agent outside the scope cannot be slipped in the POST.
    response = client.post(url, {"agents": [outside.pk]})
    assert "inscription(s) faite(s)" not in response.content.decode()
    assert not Registration.objects.filter(agent=outside).exists()


@pytest.mark.django_db
def test_hr_sees_only_the_agents_whose_pathway_holds_the_module(client, world, team):
    session, report, colleague, _outside = team
    pathway_for(report, session.module)
    client.force_login(world.users[Role.HR])
    page = client.get(reverse("planning:register_several", args=[session.pk])).content.decode()
    assert report.full_name in page and colleague.full_name not in page
    response = client.post(reverse("planning:register_several", args=[session.pk]), {})
    assert "Cochez au moins un agent." in response.content.decode()


@pytest.mark.django_db
def test_the_agent_picks_a_date_and_the_manager_agrees(client, world):
    m = module("tableur", "Le tableur")
    m.needs_manager_approval = True
    m.save()
    session = make_session(capacity=2, m=m)
    agent_user = user_with_role(Role.AGENT, agent=world.agents[("Équipe A1a", "metropole")])
    pathway = pathway_for(agent_user.agent, m, status=StepStatus.VALIDATED)
    step = pathway.steps.get()
    client.force_login(agent_user)
    mine = client.get(reverse("training:my_pathway")).content.decode()
    assert reverse("planning:choose_date", args=[step.pk]) in mine
    page = client.get(reverse("planning:choose_date", args=[step.pk])).content.decode()
    assert "Il reste 2 places." in page
    response = client.post(
        reverse("planning:choose_date", args=[step.pk]), {"session": session.pk}, follow=True
    )
    assert "Votre encadrant doit donner son accord." in response.content.decode()
    registration = Registration.objects.get(agent=agent_user.agent)
    assert registration.status == RegistrationStatus.PENDING and registration.step == step
    assert (
        "Votre encadrant doit donner son accord"
        in client.get(reverse("training:my_pathway")).content.decode()
    )

    # The agent's own manager agrees; an advisor may not.
    client.force_login(user_with_role(Role.ADVISOR))
    assert client.get(reverse("planning:approvals")).status_code == 403
    assert (
        client.post(reverse("planning:approve_registration", args=[registration.pk])).status_code
        == 403
    )
    manager = world.users[Role.MANAGER]
    client.force_login(manager)
    assert agent_user.agent.full_name in client.get(reverse("planning:approvals")).content.decode()
    client.post(reverse("planning:approve_registration", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.approved_by == manager


@pytest.mark.django_db
def test_a_refusal_frees_the_seat_for_the_waiting_list(client, world):
    m = module("visio", "La visio")
    session = make_session(capacity=1, m=m)
    agent = world.agents[("Équipe A1a", "metropole")]  # the manager's report
    agent.email, agent.contact_channel = "agent@example.org", ContactChannel.EMAIL
    agent.save()
    pending = registrations.register(session, agent, needs_approval=True)
    waiting = registrations.register(session, world.agents[("Équipe A1a", "ville")])
    client.force_login(world.users[Role.MANAGER])
    client.post(reverse("planning:refuse_registration", args=[pending.pk]))
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.REGISTERED
    # The agent is told, in plain words, with what to do next; no invitation attached.
    [email] = OutboxMessage.objects.filter(kind="refus")
    assert email.to == "agent@example.org" and "La visio" in email.subject
    assert "choisir une autre date" in email.body and "« Mon parcours »" in email.body
    assert not email.attachments
    # Refusing twice is refused, and tells nothing more.
    client.post(reverse("planning:refuse_registration", args=[pending.pk]))
    assert OutboxMessage.objects.filter(kind="refus").count() == 1


@pytest.mark.django_db
def test_an_agent_cannot_book_a_step_not_validated_nor_someone_else(client, world):
    m = module("photo", "Les photos")
    session = make_session(m=m)
    agent_user = world.users[Role.AGENT]
    proposed = pathway_for(agent_user.agent, m).steps.get()
    other = pathway_for(world.agents[("Équipe A1a", "ville")], m, status=StepStatus.VALIDATED)
    client.force_login(agent_user)
    assert client.get(reverse("planning:choose_date", args=[proposed.pk])).status_code == 404
    other_step = other.steps.get()
    url = reverse("planning:choose_date", args=[other_step.pk])
    assert client.post(url, {"session": session.pk}).status_code == 404
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_agent_gives_back_their_seat(client, world):
    session = make_session(capacity=1)
    agent_user = world.users[Role.AGENT]
    mine = registrations.register(session, agent_user.agent)
    someone = registrations.register(session, world.agents[("Équipe A1a", "ville")])
    client.force_login(world.users[Role.MANAGER])
    assert client.post(reverse("planning:cancel_mine", args=[mine.pk])).status_code == 404
    client.force_login(agent_user)
    client.post(reverse("planning:cancel_mine", args=[mine.pk]))
    mine.refresh_from_db()
    someone.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert someone.status == RegistrationStatus.REGISTERED


@pytest.mark.django_db
def test_the_approval_list_is_bounded_in_queries(client, world, django_assert_max_num_queries):
    report = world.agents[("Équipe A1a", "metropole")]
    team = [report, *(AgentFactory(unit=report.unit, employer=report.employer) for _ in range(3))]
    own = world.users[Role.MANAGER].agent
    for agent in [*team, own]:
        registrations.register(make_session(capacity=5), agent, needs_approval=True)
    client.force_login(world.users[Role.MANAGER])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("planning:approvals")).content.decode()
    assert page.count("Accepter<span") == 4  # not their own
