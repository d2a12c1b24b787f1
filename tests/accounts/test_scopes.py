import pytest

from tremplin.accounts.enums import Role
from tremplin.organisation.models import Agent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.AGENT, {("Service A2", "ville")}),
        # the manager's scope is team A1a; they are themselves an agent there
        (Role.MANAGER, {("Équipe A1a", "ville"), ("Équipe A1a", "metropole")}),
        (
            Role.HR,
            {
                ("Équipe A1a", "ville"),
                ("Équipe A1a", "metropole"),
                ("Service A2", "ville"),
                ("Service A2", "metropole"),
            },
        ),
        (Role.DIRECTION, set()),  # counts only, never nominative lists
        (Role.ADVISOR, "all"),
        (Role.MOBILITY, "all"),
        (Role.ADMIN, "all"),
    ],
)
def test_visible_agents_per_role(world, role, expected):
    user = world.users[role]
    visible = {
        (a.unit.name, a.employer.code)
        for a in Agent.objects.visible_to(user).select_related("unit", "employer")
    }
    if expected == "all":
        expected = set(world.agents)
    assert visible == expected


@pytest.mark.django_db
def test_employer_scope_limits_hr_to_their_employer(world):
    from tests.factories import user_with_role

    hr_city = user_with_role(
        Role.HR, employer=world.city, org_unit=world.dir_a, username="hr-ville"
    )
    visible = {
        (a.unit.name, a.employer.code)
        for a in Agent.objects.visible_to(hr_city).select_related("unit", "employer")
    }
    assert visible == {("Équipe A1a", "ville"), ("Service A2", "ville")}


@pytest.mark.django_db
def test_anonymous_sees_nobody(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Agent.objects.visible_to(AnonymousUser()).exists()
