import pytest
from django.urls import reverse

from tests.competences.helpers import measure
from tests.factories import AgentFactory, UserFactory
from tremplin.competences.models import Competence, Evidence, ProfileEntry, ProfileHistory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_admin_pages_open(admin_client):
    agent = AgentFactory()
    measure(agent, "1.1", 2)
    for name in ["competence", "domain", "level", "jobrequirement", "evidence", "profileentry"]:
        response = admin_client.get(reverse(f"admin:competences_{name}_changelist"))
        assert response.status_code == 200, name


def test_framework_competences_cannot_be_renamed_or_deleted(admin_client):
    crcn = Competence.objects.get(code="4.1")
    url = reverse("admin:competences_competence_change", args=[crcn.pk])
    admin_client.post(
        url, {"code": "X", "name": "Autre chose", "plain_name": "Mots", "position": 1}
    )
    crcn.refresh_from_db()
    assert (crcn.code, crcn.name, crcn.plain_name) == (
        "4.1",
        "Sécuriser l’environnement numérique",
        "Mots",
    )
    delete = reverse("admin:competences_competence_delete", args=[crcn.pk])
    assert admin_client.get(delete).status_code == 403


def test_admin_adds_a_local_competence(admin_client):
    url = reverse("admin:competences_competence_add")
    response = admin_client.post(
        url,
        {
            "code": "L1",
            "name": "Logiciel de paie",
            "plain_name": "",
            "position": 100,
            "description": "",
        },
    )
    assert response.status_code == 302
    assert not Competence.objects.get(code="L1").is_crcn


def test_deleting_evidence_in_the_admin_recomputes_the_profile(admin_client):
    agent = AgentFactory()
    measure(agent, "2.1", 1)
    wrong = measure(agent, "2.1", 5)
    assert ProfileEntry.objects.get(agent=agent).level == 3
    url = reverse("admin:competences_evidence_changelist")
    admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [wrong.pk], "post": "yes"}
    )
    assert not Evidence.objects.filter(pk=wrong.pk).exists()
    assert ProfileEntry.objects.get(agent=agent).level == 1
    assert ProfileHistory.objects.filter(agent=agent).count() == 2
