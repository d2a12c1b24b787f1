import pytest
from django.urls import reverse

from tremplin.accounts.enums import Role
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry


@pytest.mark.django_db
def test_a_write_is_audited_with_before_and_after(world):
    agent = world.agents[("Service A2", "ville")]
    with audit.acting_as(world.users[Role.HR]):
        agent.mobile_phone = "0612345678"
        agent.save()
    entry = AuditEntry.objects.filter(
        target_type="organisation.agent", target_id=str(agent.pk)
    ).first()
    assert entry.action == AuditAction.UPDATE
    assert entry.actor == world.users[Role.HR]
    assert entry.changes == {"mobile_phone": ["", "0612345678"]}


@pytest.mark.django_db
def test_saving_without_change_writes_nothing(world):
    agent = world.agents[("Service A2", "ville")]
    before = AuditEntry.objects.count()
    agent.save()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_deletion_keeps_the_last_values(world):
    unit = world.dir_b.__class__.objects.create(name="Éphémère")
    unit.delete()
    entry = AuditEntry.objects.filter(action=AuditAction.DELETE).get()
    assert entry.changes["name"] == ["Éphémère", None]


@pytest.mark.django_db
def test_passwords_are_masked(world):
    user = world.users[Role.HR]
    user.set_password("un-nouveau-secret")
    user.save()
    entry = AuditEntry.objects.filter(
        target_type="accounts.user", action=AuditAction.UPDATE
    ).first()
    assert entry.changes["password"] == [audit.MASKED, audit.MASKED]
    assert "un-nouveau-secret" not in str(entry.changes)


@pytest.mark.django_db
def test_reading_an_agent_record_is_audited_with_the_reader(world, client):
    reader = world.users[Role.ADVISOR]
    agent = world.agents[("Direction B", "metropole")]
    client.force_login(reader)
    client.get(reverse("organisation:agent_detail", args=[agent.pk]))
    entry = AuditEntry.objects.get(action=AuditAction.READ)
    assert (entry.actor, entry.target_id) == (reader, str(agent.pk))


@pytest.mark.django_db
def test_an_agent_reading_their_own_page_is_not_a_sensitive_read(world, client):
    client.force_login(world.users[Role.AGENT])
    client.get(reverse("organisation:my_page"))
    assert not AuditEntry.objects.filter(action=AuditAction.READ).exists()


@pytest.mark.django_db
def test_admin_filters_and_exports_the_log(world, client):
    client.force_login(world.users[Role.ADMIN])
    world.dir_b.name = "Direction B renommée"
    world.dir_b.save()
    response = client.get(reverse("core:audit"), {"type": "organisation.orgunit"})
    assert "Direction B renommée" in response.content.decode()
    export = client.get(reverse("core:audit"), {"type": "organisation.orgunit", "format": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffDate;Auteur;Action")
    assert "Direction B renommée" in body
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
def test_a_snapshot_leaves_out_what_each_caller_ignores(world):
    unit = world.dir_b
    assert "name" not in audit.snapshot(unit, frozenset({"name"}))
    assert audit.snapshot(unit)["name"] == unit.name  # the same model, nothing ignored
    assert audit.snapshot(unit)["id"] == unit.pk
