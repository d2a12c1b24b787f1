"""The livret individuel de formation: what it shows of one agent (and what it never
shows), who may download it, and the audit entry when someone else does."""

import pytest
from django.urls import reverse

from tests.competences.helpers import measure
from tests.factories import user_with_role
from tests.steering import reports_data as dataset
from tests.steering.test_reports import pdf_text
from tremplin.accounts.enums import Role
from tremplin.competences.enums import EvidenceSource
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.steering import reports

reports_world = dataset.reports_world  # the fixture, shared with the other tests


def livret(client, user, agent):
    client.force_login(user)
    return client.get(reverse("steering:training_record", args=[agent.pk]))


@pytest.mark.django_db
def test_record_contents(reports_world):
    w = reports_world
    record = reports.training_record(w.a1a0)
    # S1 (messagerie, 2 h, internal) and S2 (bureautique, 7 h, CNFPT); not S0's year-old
    # session (A1a1's) and not the excused or cancelled ones.
    assert [(t.module.code, t.hours, t.provider) for t in record["trainings"]] == [
        ("messagerie", 2, "Interne"),
        ("bureautique", 7, "CNFPT"),
    ]
    assert record["training_hours"] == 9
    assert record["trainings"][1].attestation == f"attestation-bureautique-{w.s2.pk}"
    # Last year's coaching still belongs to the agent's history.
    assert [c.duration_minutes for c in record["coaching"]] == [30]
    assert [s.module.code for s in record["steps"]] == ["messagerie", "bureautique"]

    # Security's attendance sheet was never closed: no attestation yet.
    assert reports.training_record(w.a21)["trainings"][1].attestation == ""


@pytest.mark.django_db
def test_agent_downloads_their_own_record_without_audit(client, reports_world):
    w = reports_world
    measure(w.a20, "3.1", 2, source=EvidenceSource.DIAGNOSTIC)
    agent_user = w.world.users[Role.AGENT]  # A20
    client.force_login(agent_user)
    before = AuditEntry.objects.filter(action=AuditAction.EXPORT).count()
    response = client.get(reverse("steering:my_training_record"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Livret individuel de formation" in text
    assert w.a20.matricule in text and w.a20.last_name.upper() in text
    assert "Ma messagerie" in text
    assert "Messagerie" in text and "60 min" in text  # the coaching and its theme
    assert "Note privée" not in text  # never the advisor's notes
    assert "3.1" in text and "Diagnostic Tremplin" in text
    assert "Bureautique" in text and "Proposée" in text  # the open step
    # Same document through the url with the agent's id, still not audited.
    assert livret(client, agent_user, w.a20).status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == before


@pytest.mark.django_db
def test_hr_download_is_audited(client, reports_world):
    w = reports_world
    response = livret(client, w.world.users[Role.HR], w.a20)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, target_id=str(w.a20.pk))
    assert entry.target_type == "organisation.agent"
    assert entry.actor == w.world.users[Role.HR]
    assert entry.summary == f"livret individuel de formation de {w.a20.full_name}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.HR, 200),  # in scope (direction A)
        (Role.ADMIN, 200),
        (Role.MANAGER, 403),
        (Role.ADVISOR, 403),
        (Role.MOBILITY, 403),
        (Role.DIRECTION, 403),
        (Role.AGENT, 403),  # another agent than themself
    ],
)
def test_record_access_per_role(client, world, role, status):
    other = world.agents[("Équipe A1a", "metropole")]  # the manager's report, HR's scope
    assert livret(client, world.users[role], other).status_code == status


@pytest.mark.django_db
def test_hr_out_of_scope_is_refused(client, world):
    outside = world.agents[("Direction B", "ville")]
    assert livret(client, world.users[Role.HR], outside).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
def test_user_without_agent_has_no_record_of_their_own(client, world):
    client.force_login(user_with_role(Role.HR))
    assert client.get(reverse("steering:my_training_record")).status_code == 404


@pytest.mark.django_db
def test_record_queries_are_bounded(client, reports_world, django_assert_max_num_queries):
    w = reports_world
    client.force_login(w.world.users[Role.HR])
    url = reverse("steering:training_record", args=[w.a1a0.pk])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_my_pathway_links_to_the_record(client, world):
    client.force_login(world.users[Role.AGENT])
    page = client.get(reverse("training:my_pathway")).content.decode()
    assert reverse("steering:my_training_record") in page


@pytest.mark.django_db
def test_agent_page_links_to_the_record_for_hr_only(client, world):
    agent = world.agents[("Équipe A1a", "metropole")]
    link = reverse("steering:training_record", args=[agent.pk])
    client.force_login(world.users[Role.HR])
    assert link in client.get(reverse("organisation:agent_detail", args=[agent.pk])).text
    client.force_login(world.users[Role.MANAGER])
    page = client.get(reverse("organisation:agent_detail", args=[agent.pk]))
    assert page.status_code == 200 and link not in page.text
