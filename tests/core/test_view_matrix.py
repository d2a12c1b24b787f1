"""Every page, for every role: rendered for the roles that may see it, refused for the others."""

import pytest
from django.urls import reverse

from tremplin.accounts.enums import Role

ALL = set(Role)
NOT_AGENT = ALL - {Role.AGENT}


def pages(world):
    a2 = world.agents[("Service A2", "ville")]
    b = world.agents[("Direction B", "ville")]
    return [
        (reverse("core:home"), ALL),
        (reverse("organisation:tree"), NOT_AGENT),
        (
            reverse("organisation:agent_list"),
            {Role.MANAGER, Role.HR, Role.MOBILITY, Role.ADVISOR, Role.ADMIN},
        ),
        # a2 is the agent user's own record, in HR's scope, outside the manager's team
        (
            reverse("organisation:agent_detail", args=[a2.pk]),
            {Role.AGENT, Role.HR, Role.MOBILITY, Role.ADVISOR, Role.ADMIN},
        ),
        (
            reverse("organisation:agent_detail", args=[b.pk]),
            {Role.MOBILITY, Role.ADVISOR, Role.ADMIN},
        ),
        (reverse("organisation:my_page"), ALL),
        (reverse("accounts:kiosk_open"), {Role.ADVISOR, Role.HR, Role.ADMIN}),
        (reverse("accounts:login_code_letter", args=[a2.pk]), {Role.HR, Role.ADMIN}),
        (reverse("core:audit"), {Role.ADMIN}),
        (reverse("organisation:identities"), {Role.HR, Role.ADMIN, Role.DIRECTION, Role.MANAGER}),
        (reverse("organisation:import_agents"), {Role.HR, Role.ADMIN}),
    ]


@pytest.mark.django_db
def test_every_page_for_every_role(world, client):
    failures = []
    for url, allowed in pages(world):
        for role, user in world.users.items():
            client.force_login(user)
            response = client.get(url)
            # my_page redirects users without an agent record to the home page
            ok = (
                response.status_code in (200, 302)
                if url.endswith("/moi/")
                else response.status_code == 200
            )
            if (role in allowed) != ok:
                failures.append(f"{url} as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world, client):
    for url, _allowed in pages(world):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], (
            url
        )
