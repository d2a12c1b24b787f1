"""Factories shared by every test module, and a small world with one user per role."""

from types import SimpleNamespace

import factory
from factory.django import DjangoModelFactory

from tremplin.accounts.enums import Role
from tremplin.accounts.models import RoleAssignment, User
from tremplin.organisation.enums import IdentityStatus, UnitKind, WorkKind
from tremplin.organisation.models import (
    Agent,
    Collectivite,
    DigitalIdentity,
    Employer,
    Job,
    OrgUnit,
    Site,
)

PASSWORD = "mot-de-passe-de-test"


class CollectiviteFactory(DjangoModelFactory):
    class Meta:
        model = Collectivite

    name = "Ville de Test"
    short_name = "Test"


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer
        django_get_or_create = ["code"]

    collectivite = factory.SubFactory(CollectiviteFactory)
    code = factory.Sequence(lambda n: f"emp{n}")
    name = factory.Sequence(lambda n: f"Employeur {n}")


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Unité {n}")
    kind = UnitKind.SERVICE
    parent = None


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"Site {n}")


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    code = factory.Sequence(lambda n: f"J{n:03d}")
    title = factory.Sequence(lambda n: f"Métier {n}")
    family = "Administration"
    work_kind = WorkKind.OFFICE


class AgentFactory(DjangoModelFactory):
    class Meta:
        model = Agent

    employer = factory.SubFactory(EmployerFactory)
    matricule = factory.Sequence(lambda n: f"{100000 + n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    category = "C"
    job = factory.SubFactory(JobFactory)
    unit = factory.SubFactory(OrgUnitFactory)


class IdentityFactory(DjangoModelFactory):
    class Meta:
        model = DigitalIdentity

    agent = factory.SubFactory(AgentFactory)
    status = IdentityStatus.ACTIVE
    login = factory.Sequence(lambda n: f"login{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


def user_with_role(role: str, *, employer=None, org_unit=None, agent=None, username=None) -> User:
    user = UserFactory(
        username=username or f"{role}-{OrgUnit.objects.count()}-{User.objects.count()}", agent=agent
    )
    if role != Role.AGENT:
        RoleAssignment.objects.create(user=user, role=role, employer=employer, org_unit=org_unit)
    return user


def make_demo_world() -> SimpleNamespace:
    """Two employers; direction A (service A1 › team A1a, service A2) and direction B;
    two agents per leaf unit; one user per role, the scoped ones on direction A."""
    collectivite = CollectiviteFactory()
    city = EmployerFactory(code="ville", name="Ville", collectivite=collectivite)
    metro = EmployerFactory(code="metropole", name="Métropole", collectivite=collectivite)
    dir_a = OrgUnitFactory(name="Direction A", kind=UnitKind.DIRECTION)
    serv_a1 = OrgUnitFactory(name="Service A1", parent=dir_a)
    team_a1a = OrgUnitFactory(name="Équipe A1a", parent=serv_a1, kind=UnitKind.TEAM)
    serv_a2 = OrgUnitFactory(name="Service A2", parent=dir_a)
    dir_b = OrgUnitFactory(name="Direction B", kind=UnitKind.DIRECTION)
    site = SiteFactory(name="Hôtel de ville")
    field_job = JobFactory(title="Agent d'entretien", work_kind=WorkKind.FIELD, family="Propreté")
    office_job = JobFactory(title="Gestionnaire", work_kind=WorkKind.OFFICE)
    agents = {}
    for unit in (team_a1a, serv_a2, dir_b):
        for i, employer in enumerate((city, metro)):
            agent = AgentFactory(
                employer=employer,
                unit=unit,
                site=site,
                job=field_job if i == 0 else office_job,
                last_name=f"{unit.name.split()[-1]}{i}",
            )
            agents[(unit.name, employer.code)] = agent
    chief = agents[(team_a1a.name, "ville")]
    report = agents[(team_a1a.name, "metropole")]
    report.manager = chief
    report.save()
    users = {
        Role.AGENT: user_with_role(
            Role.AGENT, agent=agents[(serv_a2.name, "ville")], username="agent"
        ),
        Role.MANAGER: user_with_role(
            Role.MANAGER, org_unit=team_a1a, agent=chief, username="manager"
        ),
        Role.ADVISOR: user_with_role(Role.ADVISOR, username="advisor"),
        Role.HR: user_with_role(Role.HR, org_unit=dir_a, username="hr"),
        Role.MOBILITY: user_with_role(Role.MOBILITY, username="mobility"),
        Role.DIRECTION: user_with_role(Role.DIRECTION, org_unit=dir_a, username="direction"),
        Role.ADMIN: user_with_role(Role.ADMIN, username="admin"),
    }
    return SimpleNamespace(
        collectivite=collectivite,
        city=city,
        metro=metro,
        dir_a=dir_a,
        serv_a1=serv_a1,
        team_a1a=team_a1a,
        serv_a2=serv_a2,
        dir_b=dir_b,
        site=site,
        agents=agents,
        users=users,
    )
