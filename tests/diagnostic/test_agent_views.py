"""The agent's screens: who may open them (the agent, their kiosk session, the bearer of
the letter's code), and what they do with answers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.diagnostic.test_adapter import invite, make_items, open_campaign
from tremplin.accounts.enums import Role
from tremplin.accounts.models import KioskToken
from tremplin.competences.models import Competence, Evidence, JobRequirement
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.diagnostic import adapter
from tremplin.diagnostic.enums import CampaignStatus, ItemKind
from tremplin.diagnostic.models import Attempt, Item, Response
from tremplin.diagnostic.views_agent import CODE_ACTOR, CODE_SESSION_KEY


@pytest.fixture
def setup(world):
    make_items()
    agent_user = world.users[Role.AGENT]
    participation = invite(open_campaign(), agent_user.agent)
    return world, agent_user, participation


def url(name, participation, **kwargs):
    return reverse(f"diagnostic:{name}", kwargs={"pk": participation.pk, **kwargs})


def answer_screen(client, participation, **data):
    """Posts the question on screen the way its form does."""
    attempt = Attempt.objects.get(participation=participation)
    item = attempt.current_item
    payload = {"position": attempt.position, "question": item.code, "action": "repondre"}
    payload.update(data)
    return client.post(url("agent_question", participation), payload), item


# --- Who may open it -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_agent_opens_the_welcome_screen(client, setup):
    _world, agent_user, participation = setup
    client.force_login(agent_user)
    page = client.get(url("agent_welcome", participation)).content.decode()
    assert "10 à 15 minutes" in page and "Je ne sais pas" in page and "pas de piège" in page


@pytest.mark.django_db
def test_nobody_else_opens_an_agents_diagnostic(client, setup):
    world, _agent_user, participation = setup
    for role, user in world.users.items():
        if role == Role.AGENT:
            continue
        client.force_login(user)
        for name in ("agent_welcome", "agent_question", "agent_result", "agent_pause"):
            assert client.get(url(name, participation)).status_code == 404, (role, name)
        assert client.post(url("agent_start", participation)).status_code == 404
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client, setup):
    _world, _agent_user, participation = setup
    response = client.get(url("agent_welcome", participation))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_the_home_page_card_follows_the_agents_progress(client, setup):
    _world, agent_user, participation = setup
    client.force_login(agent_user)
    home = reverse("core:home")
    assert "Faire mon diagnostic" in client.get(home).content.decode()
    client.post(url("agent_start", participation))
    answer_screen(client, participation, reponse="a")
    page = client.get(home).content.decode()
    assert "Reprendre mon diagnostic" in page and "déjà répondu à 1 question." in page
    adapter.finish(Attempt.objects.get(participation=participation))
    assert "Voir mon résultat" in client.get(home).content.decode()


@pytest.mark.django_db
def test_the_letters_code_opens_only_that_diagnostic(client, setup):
    world, _agent_user, participation = setup
    other = invite(participation.campaign, world.agents[("Direction B", "ville")])
    response = client.get(reverse("diagnostic:agent_code", args=[participation.code]))
    assert response["Location"] == url("agent_welcome", participation)
    assert "_auth_user_id" not in client.session  # nobody is signed in
    assert client.get(url("agent_welcome", participation)).status_code == 200
    assert client.post(url("agent_start", participation)).status_code == 302
    assert client.get(url("agent_question", participation)).status_code == 200
    # Nothing else: the other agent's diagnostic, the agent's pages, the staff's pages.
    assert client.get(url("agent_welcome", other)).status_code == 404
    for name in ("core:home", "organisation:my_page", "organisation:agent_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("diagnostic:agent_code", args=["pas-un-code"])).status_code == 404
    # Every opening by code is in the audit log, the code standing as the author.
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN, target_id=str(participation.pk))
    assert entry.actor is None and entry.actor_label == CODE_ACTOR


@pytest.mark.django_db
def test_the_code_session_ends_by_itself(client, setup):
    _world, _agent_user, participation = setup
    client.get(reverse("diagnostic:agent_code", args=[participation.code]))
    session = client.session
    state = session[CODE_SESSION_KEY]
    assert dt.datetime.fromisoformat(state["until"]) > timezone.now() + dt.timedelta(minutes=40)
    state["until"] = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    session[CODE_SESSION_KEY] = state
    session.save()
    page = client.get(url("agent_welcome", participation)).content.decode()
    assert "fermé tout seul" in page and CODE_SESSION_KEY not in client.session
    assert client.get(url("agent_welcome", participation)).status_code == 302
    # The letter's code opens it again, where the agent left it.
    client.get(reverse("diagnostic:agent_code", args=[participation.code]))
    assert client.get(url("agent_welcome", participation)).status_code == 200


@pytest.mark.django_db
def test_closing_the_code_session_on_a_shared_phone(client, setup):
    _world, _agent_user, participation = setup
    client.get(reverse("diagnostic:agent_code", args=[participation.code]))
    assert "Fermer le diagnostic" in client.get(url("agent_pause", participation)).content.decode()
    response = client.post(reverse("diagnostic:agent_end_code_session"))
    assert response["Location"] == reverse("diagnostic:agent_goodbye")
    assert client.get(url("agent_welcome", participation)).status_code == 302


@pytest.mark.django_db
def test_a_code_opened_while_someone_else_is_signed_in_signs_them_out(client, setup):
    world, agent_user, participation = setup
    client.force_login(world.users[Role.HR])
    client.get(reverse("diagnostic:agent_code", args=[participation.code]))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("organisation:agent_list")).status_code == 302
    # The agent themself, signed in, simply goes on.
    client.force_login(agent_user)
    client.get(reverse("diagnostic:agent_code", args=[participation.code]))
    assert client.session["_auth_user_id"] == str(agent_user.pk)
    assert CODE_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_kiosk_session_reaches_the_diagnostic_and_nothing_else(client, setup):
    world, agent_user, participation = setup
    token = KioskToken.open_for(agent_user=agent_user, advisor=world.users[Role.ADVISOR])
    client.post(reverse("accounts:kiosk_enter"), {"code": token.code})
    assert "Faire mon diagnostic" in client.get(reverse("core:home")).content.decode()
    assert client.get(url("agent_welcome", participation)).status_code == 200
    response = client.get(reverse("organisation:tree"))
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


# --- Answering -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_answer_then_feedback_then_next_question(client, setup):
    _world, agent_user, participation = setup
    client.force_login(agent_user)
    assert client.post(url("agent_start", participation))["Location"] == url(
        "agent_question", participation
    )
    page = client.get(url("agent_question", participation)).content.decode()
    assert "Question 1" in page and "Écouter la question" in page
    response, item = answer_screen(client, participation, reponse="b")
    assert response["Location"] == url("agent_feedback", participation, position=0)
    feedback = client.get(response["Location"]).content.decode()
    assert "La bonne réponse était" in feedback and item.explanation in feedback
    assert "Bonne réponse 1" in feedback or "Bonne réponse 2" in feedback
    assert "Question suivante" in feedback
    assert Response.objects.get().correct is False
    assert "Question 2" in client.get(url("agent_question", participation)).content.decode()


@pytest.mark.django_db
def test_no_choice_is_an_error_in_french_and_nothing_is_stored(client, setup):
    _world, agent_user, participation = setup
    client.force_login(agent_user)
    client.post(url("agent_start", participation))
    response, _item = answer_screen(client, participation)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez une réponse, ou touchez « Je ne sais pas »." in page
    assert 'aria-describedby="erreur-reponse"' in page
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_je_ne_sais_pas_needs_no_choice(client, setup):
    _world, agent_user, participation = setup
    client.force_login(agent_user)
    client.post(url("agent_start", participation))
    response, _item = answer_screen(client, participation, action="je-ne-sais-pas", reponse="a")
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.answer is None and stored.correct is None
    assert "Pas de souci" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_double_submit_shows_the_first_answers_feedback(client, setup):
    _world, agent_user, participation = setup
    client.force_login(agent_user)
    client.post(url("agent_start", participation))
    attempt = Attempt.objects.get()
    data = {"position": 0, "question": attempt.current_item.code, "action": "repondre"}
    first = client.post(url("agent_question", participation), {**data, "reponse": "a"})
    second = client.post(url("agent_question", participation), {**data, "reponse": "b"})
    assert (
        first["Location"] == second["Location"] == url("agent_feedback", participation, position=0)
    )
    assert Response.objects.get().correct is True
    # The back button's old screen with no choice: the current question, no error.
    third = client.post(url("agent_question", participation), data)
    assert third["Location"] == url("agent_question", participation)
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_an_order_question_is_answered_with_numbers(client, setup):
    _world, agent_user, participation = setup
    Item.objects.update(retired=True)
    Item.objects.create(
        code="1.1-2-9",
        competence=Competence.objects.get(code="1.1"),
        level=2,
        kind=ItemKind.ORDER,
        stem="Remettez les étapes dans l'ordre :",
        choices=[
            {"key": "a", "text": "Ouvrir Internet", "correct": False},
            {"key": "b", "text": "Écrire les mots", "correct": False},
            {"key": "c", "text": "Toucher la loupe", "correct": False},
        ],
        explanation="On ouvre, on écrit, on lance.",
        a=1.7,
        b=1.5,
    )
    client.force_login(agent_user)
    client.post(url("agent_start", participation))
    page = client.get(url("agent_question", participation)).content.decode()
    assert 'name="rang-a"' in page and "Donnez un numéro à chaque étape" in page
    response, _item = answer_screen(
        client, participation, **{"rang-a": 1, "rang-b": 1, "rang-c": 2}
    )
    assert "Chaque numéro ne sert qu&#x27;une fois" in response.content.decode()
    response, _item = answer_screen(
        client, participation, **{"rang-a": 1, "rang-b": 2, "rang-c": 3}
    )
    assert response.status_code == 302
    assert Response.objects.get().answer == ["a", "b", "c"] and Response.objects.get().correct
    feedback = client.get(response["Location"]).content.decode()
    assert "<ol" in feedback and "Toucher la loupe" in feedback


@pytest.mark.django_db
def test_a_zone_question_shows_its_picture_and_the_zones_by_name(client, setup):
    _world, agent_user, participation = setup
    Item.objects.update(retired=True)
    Item.objects.create(
        code="4.1-1-9",
        competence=Competence.objects.get(code="4.1"),
        level=1,
        kind=ItemKind.ZONE,
        stem="Touchez le cadenas :",
        choices=[
            {"key": "recharger", "text": "Flèche ronde", "correct": False},
            {"key": "cadenas", "text": "Cadenas", "correct": True},
        ],
        explanation="Le cadenas montre une connexion protégée.",
        illustration="b_barre_adresse",
        a=1.7,
        b=0.5,
    )
    client.force_login(agent_user)
    client.post(url("agent_start", participation))
    page = client.get(url("agent_question", participation)).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and '<g id="cadenas">' in page
    assert 'type="radio"' in page and 'value="cadenas"' in page
    response, _item = answer_screen(client, participation, reponse="cadenas")
    assert Response.objects.get().correct is True
    assert "Bonne réponse !" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_end_screen_speaks_plain_french(client, setup):
    world, agent_user, participation = setup
    # The agent's job asks level 3 on 1.1; nothing on 4.1.
    JobRequirement.objects.create(
        job=agent_user.agent.job, competence=Competence.objects.get(code="1.1"), level=3
    )
    client.force_login(agent_user)
    client.post(url("agent_start", participation))
    for _ in range(6):
        attempt = Attempt.objects.get()
        if attempt.finished_at:
            break
        item = attempt.current_item
        level_known = 1 if item.competence.code == "1.1" else 5
        reponse = "a" if item.level <= level_known else "b"
        response, _item = answer_screen(client, participation, reponse=reponse)
    feedback = client.get(response["Location"]).content.decode()
    assert "Voir mon résultat" in feedback
    page = client.get(url("agent_result", participation)).content.decode()
    assert "Ce que vous savez déjà faire" in page and "Ce que vous allez apprendre" in page
    learn = page.split("Ce que vous allez apprendre")[1]
    assert "Chercher des informations sur internet" in learn
    assert "Votre métier demande : autonome (3 sur 8)" in learn
    assert "Un conseiller numérique peut vous aider" in page
    assert "Retour à l'accueil" in page
    assert Evidence.objects.filter(agent=agent_user.agent).count() == 2
    # The welcome screen now leads to the result.
    assert client.get(url("agent_welcome", participation))["Location"] == url(
        "agent_result", participation
    )


@pytest.mark.django_db
def test_a_closed_campaign_cannot_be_started(client, setup):
    _world, agent_user, participation = setup
    campaign = participation.campaign
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    client.force_login(agent_user)
    assert "fermé" in client.get(url("agent_welcome", participation)).content.decode()
    client.post(url("agent_start", participation))
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_a_campaign_without_questions_cannot_be_started(client, setup):
    _world, agent_user, participation = setup
    Item.objects.update(retired=True)
    client.force_login(agent_user)
    page = client.get(url("agent_welcome", participation)).content.decode()
    assert "Commencer" not in page and "pas encore prêt" in page
    client.post(url("agent_start", participation))
    assert not Attempt.objects.exists()
