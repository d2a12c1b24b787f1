import pytest

from tremplin.accounts.enums import Role


@pytest.mark.parametrize("role", [Role.DIRECTION, Role.HR, Role.ADMIN])
def test_steering_roles_see_the_dashboard(world, client, role):
    client.force_login(world.users[role])
    assert client.get("/pilotage/").status_code == 200
    assert client.get("/pilotage/tableaux/unites.csv").status_code == 200


@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER, Role.ADVISOR, Role.MOBILITY])
def test_other_roles_are_refused(world, client, role):
    client.force_login(world.users[role])
    assert client.get("/pilotage/").status_code == 403
    assert client.get("/pilotage/tableaux/unites.csv").status_code == 403


def test_anonymous_is_sent_to_the_login(db, client):
    assert client.get("/pilotage/").status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_the_menu_and_the_home_page_lead_there_for_those_roles_only(world, client, role):
    client.force_login(world.users[role])
    home = client.get("/").content.decode()
    allowed = role in (Role.DIRECTION, Role.HR, Role.ADMIN)
    assert ('href="/pilotage/"' in home) is allowed
    assert ("Voir le tableau de bord" in home) is allowed
