import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.accounts.models import KioskToken
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry


@pytest.fixture
def opened(world, client):
    """An advisor opens a kiosk session for a field agent who has no account yet."""
    agent = world.agents[("Direction B", "ville")]
    client.force_login(world.users[Role.ADVISOR])
    response = client.post(reverse("accounts:kiosk_open"), {"agent": agent.pk})
    token = KioskToken.objects.get()
    assert response.status_code == 302
    client.logout()
    return agent, token


@pytest.mark.django_db
def test_advisor_gets_a_code_and_a_qr_code(world, client, opened):
    agent, token = opened
    client.force_login(world.users[Role.ADVISOR])
    page = client.get(reverse("accounts:kiosk_opened", args=[token.pk])).content.decode()
    assert token.code in page and "<svg" in page
    assert agent.user.username == f"ville-{agent.matricule}"
    assert AuditEntry.objects.filter(action=AuditAction.KIOSK, target_id=str(agent.pk)).exists()


@pytest.mark.django_db
def test_the_code_opens_the_agents_session_once(world, client, opened):
    agent, token = opened
    response = client.post(reverse("accounts:kiosk_enter"), {"code": token.code})
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert f"Bonjour {agent.first_name}" in home.content.decode()
    client.logout()
    again = client.post(reverse("accounts:kiosk_enter"), {"code": token.code})
    assert "n&#x27;est pas valable" in again.content.decode()
    assert 'aria-invalid="true"' in again.content.decode()


@pytest.mark.django_db
def test_the_qr_code_link_opens_the_session(world, client, opened):
    agent, token = opened
    url = reverse("accounts:kiosk_token", args=[token.token])
    assert "Commencer" in client.get(url).content.decode()
    client.post(url)
    assert client.get(reverse("organisation:my_page")).context["agent"] == agent


@pytest.mark.django_db
def test_an_expired_code_does_not_work(world, client, opened):
    _agent, token = opened
    KioskToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.post(reverse("accounts:kiosk_enter"), {"code": token.code})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_kiosk_session_ends_by_itself(world, client, opened):
    _agent, token = opened
    client.post(reverse("accounts:kiosk_enter"), {"code": token.code})
    session = client.session
    session["kiosk_until"] = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:kiosk_enter")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_kiosk_session_stays_on_the_agents_own_pages(world, client, opened):
    _agent, token = opened
    client.post(reverse("accounts:kiosk_enter"), {"code": token.code})
    assert client.get(reverse("organisation:tree")).status_code == 302
    assert client.get(reverse("organisation:my_page")).status_code == 200


@pytest.mark.django_db
def test_wrong_code_format_is_explained(client, db):
    response = client.post(reverse("accounts:kiosk_enter"), {"code": "12a"})
    assert "Le code a 6 chiffres." in response.content.decode()


@pytest.mark.django_db
def test_advisor_cannot_open_for_an_agent_outside_their_scope(world, client):
    client.force_login(world.users[Role.HR])  # HR is scoped to direction A
    outside = world.agents[("Direction B", "ville")]
    assert client.post(reverse("accounts:kiosk_open"), {"agent": outside.pk}).status_code == 404
    assert not KioskToken.objects.exists()
