import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.organisation import demo
from tremplin.organisation.enums import (
    ContactChannel,
    IdentityStatus,
    SiteKind,
    UnitKind,
    WorkKind,
    WorkPattern,
)
from tremplin.organisation.models import (
    Agent,
    Collectivite,
    DigitalIdentity,
    Job,
    OrgUnit,
    contrast_with_white,
)

SMALL = 200


def seed(*args, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def workforce_snapshot() -> list[tuple]:
    """What two runs must agree on, with units named by their path (ids change)."""
    names = dict(OrgUnit.objects.values_list("pk", "name"))

    def unit_path(path):
        return " › ".join(names[int(pk)] for pk in path.strip("/").split("/"))

    return sorted(
        (
            a.employer.code,
            a.matricule,
            a.first_name,
            a.last_name,
            unit_path(a.unit.path),
            a.job.title,
            a.site.code,
            a.manager.matricule if a.manager else "",
            a.category,
            a.work_pattern,
            a.identity.status,
            a.identity.login,
        )
        for a in Agent.objects.select_related(
            "employer", "unit", "job", "site", "manager", "identity"
        )
    )


@pytest.fixture
def small_demo(db):
    seed(agents=SMALL, seed=1)


def is_far_from_digital(agent) -> bool:
    return agent.identity.status != IdentityStatus.ACTIVE


# ------------------------------------------------------------------ reference lists


def test_full_demo_has_the_announced_structure():
    levels = Counter(depth for depth, _ref, _parent in demo._structure(scale=1.0))
    assert levels == {0: 12, 1: 80, 2: 150}
    assert len(demo.SITES) == 40
    assert len({code for code, *_ in demo.SITES}) == 40
    assert len(demo.JOBS) == 120
    field_share = sum(1 for job in demo.JOBS if job[2] == WorkKind.FIELD) / len(demo.JOBS)
    assert 0.35 <= field_share <= 0.45
    assert len(set(demo.FIRST_NAMES)) >= 200
    assert len(set(demo.LAST_NAMES)) >= 300


def test_full_plan_has_rennes_proportions():
    plan = demo.build_plan(6000, seed=1)
    present = [a for a in plan.agents if a.departure_days_ago is None]
    far = [a for a in present if a.far_from_digital]
    assert len(plan.agents) == 6000
    assert len(far) == 2500  # Rennes' figure, in a workforce of 6,000
    assert all(demo.is_field_job(a.job) for a in far)
    categories = Counter(a.category for a in plan.agents)
    assert categories["C"] > 0.65 * 6000
    assert 0 < categories["A"] < categories["B"] < categories["C"]
    assert Counter(a.job for a in plan.agents)[demo.ADVISOR_JOB] == 3
    assert Counter(a.job for a in plan.agents)[demo.FACILITATOR_JOB] == 12


def test_plan_does_not_depend_on_the_global_random_state():
    random.seed(1)
    first = demo.build_plan(SMALL, seed=7)
    random.seed(2)
    second = demo.build_plan(SMALL, seed=7)
    assert first == second
    assert demo.build_plan(SMALL, seed=8).agents != first.agents


def test_too_few_agents_is_refused_in_french(db):
    with pytest.raises(CommandError, match="au moins"):
        seed(agents=10)


# ------------------------------------------------------------------ the seeded database


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_after_reset():
    seed(agents=SMALL, seed=1)
    first = workforce_snapshot()
    random.seed(42)  # the command must not read the global random state
    seed("--reset", agents=SMALL, seed=1)
    assert workforce_snapshot() == first
    seed("--reset", agents=SMALL, seed=2)
    assert workforce_snapshot() != first


@pytest.mark.django_db
def test_counts_and_proportions(small_demo):
    agents = list(Agent.objects.select_related("job", "site", "unit", "identity"))
    present = [a for a in agents if a.is_present]
    assert len(agents) == SMALL
    assert all(a.unit_id and a.job_id and a.site_id for a in agents)
    assert 0 < len(agents) - len(present) < 0.05 * SMALL  # a few departed agents

    far = [a for a in present if is_far_from_digital(a)]
    assert 0.35 <= len(far) / len(present) <= 0.50
    assert all(a.job.work_kind == WorkKind.FIELD for a in far)
    assert all(not a.email for a in far)
    assert all(a.contact_channel in (ContactChannel.PAPER, ContactChannel.SMS) for a in far)
    assert all(a.mobile_phone for a in far if a.contact_channel == ContactChannel.SMS)

    field_jobs = Job.objects.filter(work_kind=WorkKind.FIELD).count()
    assert 0.35 <= field_jobs / Job.objects.count() <= 0.45
    categories = Counter(a.category for a in agents)
    assert categories["C"] > categories["B"] + categories["A"]

    for employer, count in Counter(a.employer_id for a in agents).items():
        matricules = {a.matricule for a in agents if a.employer_id == employer}
        assert len(matricules) == count


@pytest.mark.django_db
def test_digital_identities_are_consistent(small_demo):
    active = DigitalIdentity.objects.filter(status=IdentityStatus.ACTIVE).select_related("agent")
    logins = list(DigitalIdentity.objects.exclude(login="").values_list("login", flat=True))
    assert len(logins) == len(set(logins))
    for identity in active:
        assert identity.login == identity.login.lower()
        assert "." in identity.login
        assert identity.mailbox == f"{identity.login}@beaumont.example"
        assert identity.agent.email == identity.mailbox
        assert identity.agent.contact_channel == ContactChannel.EMAIL
    departed = Agent.objects.exclude(departure_date=None).select_related("identity")
    assert all(a.identity.status != IdentityStatus.ACTIVE for a in departed)


@pytest.mark.django_db
def test_tree_paths_and_managers(small_demo):
    units = {u.pk: u for u in OrgUnit.objects.all()}
    for unit in units.values():
        expected = (units[unit.parent_id].path if unit.parent_id else "/") + f"{unit.pk}/"
        assert unit.path == expected
        assert unit.depth == len(unit.ancestor_ids)
    assert {u.kind for u in units.values() if u.depth == 0} == {UnitKind.DIRECTION}
    assert {u.kind for u in units.values() if u.depth == 2} == {UnitKind.TEAM}

    agents = {a.pk: a for a in Agent.objects.all()}
    teams = [u for u in units.values() if u.kind == UnitKind.TEAM]
    assert teams
    for team in teams:
        members = sorted((a for a in agents.values() if a.unit_id == team.pk), key=lambda a: a.pk)
        lead = members[0]
        assert lead.is_present
        assert all(a.manager_id == lead.pk for a in members[1:])
        # the team lead reports to someone in the service above
        assert agents[lead.manager_id].unit_id == team.parent_id

    tops = [a for a in agents.values() if a.manager_id is None]
    assert len(tops) == 1  # the DGS
    for agent in agents.values():
        seen, current = set(), agent
        while current.manager_id is not None:
            assert current.pk not in seen, "management cycle"
            seen.add(current.pk)
            current = agents[current.manager_id]
        assert current.pk == tops[0].pk


@pytest.mark.django_db
def test_sites_and_work_patterns_fit_the_jobs(small_demo):
    agents = Agent.objects.select_related("job", "site")
    for agent in agents:
        if agent.job.title in ("Aide-soignant(e)", "Agent(e) de service hospitalier"):
            assert agent.site.kind == SiteKind.CARE_HOME
        if agent.job.title == "ATSEM":
            assert agent.site.kind == SiteKind.SCHOOL
        if agent.job.work_kind == WorkKind.OFFICE:
            assert agent.work_pattern == WorkPattern.OFFICE_HOURS
        else:
            assert agent.work_pattern != WorkPattern.OFFICE_HOURS
        if agent.part_time_rate in (80, 50):
            assert agent.days_off_list


@pytest.mark.django_db
def test_collectivite_branding_is_readable(small_demo):
    collectivite = Collectivite.current()
    assert collectivite.name
    assert contrast_with_white(collectivite.primary_color) >= 4.5
    collectivite.full_clean()


EXPECTED_ROLES = {
    "agent": Role.AGENT,
    "encadrant": Role.MANAGER,
    "conseiller1": Role.ADVISOR,
    "conseiller2": Role.ADVISOR,
    "conseiller3": Role.ADVISOR,
    "rh": Role.HR,
    "mobilite": Role.MOBILITY,
    "direction": Role.DIRECTION,
    "admin": Role.ADMIN,
}


@pytest.mark.django_db
@pytest.mark.parametrize("username, role", EXPECTED_ROLES.items())
def test_each_demo_login_signs_in_with_its_role(small_demo, client, username, role):
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(username=username)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.has_role(role)
    other_roles = set(EXPECTED_ROLES.values()) - {role, Role.AGENT}
    assert not user.has_role(*other_roles)


@pytest.mark.django_db
def test_demo_logins_are_wired_to_the_right_people(small_demo, client):
    agent_user = User.objects.select_related("agent__job", "agent__identity").get(username="agent")
    assert agent_user.agent.job.work_kind == WorkKind.FIELD
    assert is_far_from_digital(agent_user.agent)
    assert agent_user.agent.is_present

    manager = User.objects.select_related("agent").get(username="encadrant")
    (assignment,) = manager.role_assignments.select_related("org_unit")
    assert assignment.org_unit.kind == UnitKind.SERVICE
    assert manager.agent.unit_id == assignment.org_unit_id
    assert Agent.objects.filter(manager=manager.agent).exists()

    advisors = User.objects.filter(username__startswith="conseiller").select_related("agent__job")
    assert {u.agent.job.title for u in advisors} == {demo.ADVISOR_JOB}
    assert User.objects.get(username="rh").role_assignments.get().org_unit is None
    assert User.objects.get(username="direction").role_assignments.get().org_unit is None

    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_seeding_writes_one_audit_entry_for_the_workforce():
    """The workforce is one import entry, not 6,000; the diagnostic's own writes (the item
    bank, the campaign, simulated diagnostics) are audited like any other."""
    seed(agents=SMALL, seed=1)
    workforce = AuditEntry.objects.filter(target_type__startswith="organisation.")
    assert [(e.action, e.summary) for e in workforce] == [
        (AuditAction.IMPORT, "jeu de démonstration")
    ]


@pytest.mark.django_db
def test_if_empty_leaves_existing_data_alone(small_demo):
    before = workforce_snapshot()
    output = seed("--if-empty", agents=300, seed=9)
    assert "conservées" in output
    assert workforce_snapshot() == before
    assert "tremplin-demo" in output  # the logins are shown again


@pytest.mark.django_db
def test_refuses_to_mix_with_an_existing_workforce(small_demo):
    with pytest.raises(CommandError, match="--reset"):
        seed(agents=SMALL, seed=2)
    assert Agent.objects.count() == SMALL


@pytest.mark.django_db
def test_reset_keeps_other_accounts_but_unlinks_them(small_demo):
    agent = Agent.objects.filter(user__isnull=True).first()
    other = User.objects.create_user(username="ville-000001", agent=agent)
    output = seed("--reset", agents=SMALL, seed=1)
    other.refresh_from_db()
    assert other.agent is None
    assert Agent.objects.count() == SMALL
    assert "http://127.0.0.1:8000/" in output
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, target_type="organisation.agent"
    ).exists()


@pytest.mark.django_db
def test_an_existing_account_with_a_demo_name_is_left_alone():
    own = User.objects.create_superuser(username="admin", password="mon-mot-de-passe-à-moi")
    err = StringIO()
    call_command("seed_demo", agents=SMALL, seed=1, stdout=StringIO(), stderr=err)
    assert "« admin » existait déjà" in err.getvalue()
    own.refresh_from_db()
    assert own.check_password("mon-mot-de-passe-à-moi")
    assert not own.role_assignments.exists()
    assert User.objects.get(username="rh").check_password(demo.DEMO_PASSWORD)
