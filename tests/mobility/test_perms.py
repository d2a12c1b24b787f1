"""The access matrix. Redeployment files and their restriction: the mobility role only,
and no other door (pages, exports, search, admin, audit log, dashboards) shows them."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.mobility.factories import SECRET, FileFactory, PositionFactory
from tremplin.accounts import perms
from tremplin.accounts.enums import Role
from tremplin.core.models import AuditEntry
from tremplin.mobility import access

ALL = set(Role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "predicate, allowed",
    [
        (perms.can_manage_positions, {Role.MOBILITY, Role.ADMIN}),
        (perms.can_read_redeployment_files, {Role.MOBILITY}),
        (perms.can_open_mobility, {Role.MOBILITY, Role.ADMIN}),
    ],
)
def test_predicates_per_role(world, predicate, allowed):
    granted = {role for role, user in world.users.items() if predicate(user)}
    assert granted == allowed


@pytest.mark.django_db
def test_a_superuser_reads_no_file(world):
    root = UserFactory(is_superuser=True, is_staff=True)
    file = FileFactory(agent=world.agents[("Service A2", "ville")])
    assert not perms.can_read_redeployment_files(root)
    assert not perms.can_read_redeployment_file(root, file)
    assert perms.can_manage_positions(root)  # positions are no secret


@pytest.mark.django_db
def test_files_follow_the_mobility_scope(world):
    from tests.factories import user_with_role

    scoped = user_with_role(Role.MOBILITY, org_unit=world.dir_a)
    inside = FileFactory(agent=world.agents[("Service A2", "ville")])
    outside = FileFactory(agent=world.agents[("Direction B", "ville")])
    assert perms.can_read_redeployment_file(scoped, inside)
    assert not perms.can_read_redeployment_file(scoped, outside)
    from tremplin.mobility.models import RedeploymentFile

    assert list(RedeploymentFile.objects.visible_to(scoped)) == [inside]
    assert not RedeploymentFile.objects.visible_to(world.users[Role.ADMIN]).exists()


@pytest.mark.django_db
def test_reachable_jobs_only_once_opened(world):
    agent_user = world.users[Role.AGENT]
    assert not perms.can_open_mobility(agent_user)
    assert not perms.can_view_reachable_jobs(agent_user, agent_user.agent)
    access.set_opened(agent_user.agent, opened=True, by=world.users[Role.MOBILITY])
    assert perms.can_open_mobility(agent_user)
    assert perms.can_view_reachable_jobs(agent_user, agent_user.agent)
    other = world.agents[("Direction B", "ville")]
    assert not perms.can_view_reachable_jobs(agent_user, other)
    access.set_opened(agent_user.agent, opened=False)
    assert not perms.can_view_reachable_jobs(agent_user, agent_user.agent)


def _pages(file, position):
    """Every page or export that lists agents, their files or what was logged about them."""
    agent = file.agent
    return [
        reverse("organisation:agent_list"),
        reverse("organisation:agent_list") + f"?q={agent.last_name}",  # the search
        reverse("organisation:agent_list") + "?format=csv",
        reverse("organisation:agent_detail", args=[agent.pk]),
        reverse("competences:agent_profile", args=[agent.pk]),
        reverse("competences:gap_list") + "?format=csv",
        reverse("training:pathway_list") + "?format=csv",
        reverse("core:audit"),
        reverse("core:audit") + "?format=csv",
        reverse("core:home"),
        reverse("mobility:positions"),
        reverse("mobility:candidates", args=[position.pk]),
        reverse("mobility:agent_positions", args=[agent.pk]),
        reverse("mobility:moves"),
        reverse("mobility:move_export"),
        reverse("mobility:position_export") + "?status=all",
        reverse("mobility:move_create"),
        reverse("mobility:files"),
        reverse("mobility:file_detail", args=[file.pk]),
        reverse("mobility:file_edit", args=[file.pk]),
        "/admin/",
        "/admin/mobility/move/",
        "/admin/mobility/move/add/",
        "/admin/core/auditentry/",
        "/admin/mobility/redeploymentfile/",
    ]


FILE_PAGES = {"files", "file_detail", "file_edit"}


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL - {Role.MOBILITY}))
def test_no_other_role_reads_a_restriction_anywhere(world, role):
    mobility = Client()
    mobility.force_login(world.users[Role.MOBILITY])
    file = FileFactory(agent=world.agents[("Service A2", "ville")])
    position = PositionFactory()
    # The mobility team reads the file: this writes audit entries too.
    assert SECRET in mobility.get(reverse("mobility:file_detail", args=[file.pk])).text

    user = world.users[role]
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    client = Client()
    client.force_login(user)
    for url in _pages(file, position):
        response = client.get(url)
        assert SECRET not in _text(response), url
        assert "Port de charges" not in _text(response), url
        if any(url == reverse(f"mobility:{n}", **_args(n, file)) for n in FILE_PAGES):
            assert response.status_code == 403, url


def _args(name, file):
    return {} if name == "files" else {"args": [file.pk]}


@pytest.mark.django_db
def test_every_read_of_a_file_is_audited(world):
    client = Client()
    user = world.users[Role.MOBILITY]
    client.force_login(user)
    file = FileFactory(agent=world.agents[("Service A2", "ville")])
    before = AuditEntry.objects.filter(action="read").count()
    client.get(reverse("mobility:file_detail", args=[file.pk]))
    client.get(reverse("mobility:file_edit", args=[file.pk]))
    client.get(reverse("mobility:files"))
    reads = AuditEntry.objects.filter(action="read").order_by("pk")[before:]
    assert [(e.actor_id, e.target_type, e.target_id) for e in reads] == [
        (user.pk, "mobility.redeploymentfile", str(file.pk)),
        (user.pk, "mobility.redeploymentfile", str(file.pk)),
        (user.pk, "mobility.redeploymentfile", ""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL - {Role.MOBILITY, Role.ADMIN}))
def test_mobility_pages_refused_to_other_roles(world, role):
    client = Client()
    client.force_login(world.users[role])
    position = PositionFactory()
    agent = world.agents[("Service A2", "ville")]
    for url in [
        reverse("mobility:home"),
        reverse("mobility:positions"),
        reverse("mobility:position_create"),
        reverse("mobility:candidates", args=[position.pk]),
        reverse("mobility:agent_positions", args=[agent.pk]),
        reverse("mobility:moves"),
        reverse("mobility:files"),
    ]:
        assert client.get(url).status_code == 403, url
