import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tremplin.accounts.enums import Role
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry


@pytest.mark.django_db
def test_login_with_password_is_audited(world, client):
    response = client.post(reverse("accounts:login"), {"username": "hr", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=world.users[Role.HR]).exists()


@pytest.mark.django_db
def test_bad_password_gives_a_french_error(world, client):
    response = client.post(reverse("accounts:login"), {"username": "hr", "password": "non"})
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_with_the_right_password(world, client):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "hr", "password": "non"})
    response = client.post(reverse("accounts:login"), {"username": "hr", "password": PASSWORD})
    assert response.status_code == 429
    assert "Compte bloqué pour un moment" in response.content.decode()
    # another identifier on the same shared tablet is not locked
    ok = client.post(reverse("accounts:login"), {"username": "advisor", "password": PASSWORD})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_hr_prints_a_login_code_the_agent_can_use(world, client):
    agent = world.agents[("Service A2", "metropole")]
    client.force_login(world.users[Role.HR])
    assert (
        "Imprimer un code personnel"
        in client.get(reverse("organisation:agent_detail", args=[agent.pk])).content.decode()
    )
    letter = client.post(reverse("accounts:login_code_letter", args=[agent.pk])).content.decode()
    code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}", letter).group(0)
    username = f"metropole-{agent.matricule}"
    assert username in letter
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": username, "password": code})
    assert response.status_code == 302
    assert client.get(reverse("organisation:my_page")).context["agent"] == agent


@pytest.mark.django_db
def test_a_new_code_replaces_the_old_one(world):
    from tremplin.accounts.models import user_for_agent

    user = user_for_agent(world.agents[("Service A2", "metropole")])
    first = user.issue_login_code()
    second = user.issue_login_code()
    assert not user.check_password(first) and user.check_password(second)


@pytest.mark.django_db
def test_logout_needs_post(world, client):
    client.force_login(world.users[Role.HR])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
