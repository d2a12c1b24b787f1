"""Pathway pages: the agent's "Mon parcours", the list (filters, bulk validation,
export), one agent's pathway and the step lifecycle, per role."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import AgentFactory
from tremplin.accounts.enums import Role
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.training.enums import ModuleFormat, StepOrigin, StepStatus, TrainerKind
from tremplin.training.models import Module, Pathway, PathwayStep, StepTransitionError

ALL = set(Role)
LISTERS = {Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR, Role.MOBILITY}


def module(code, title=None, minutes=90):
    return Module.objects.create(
        code=code,
        title=title or code.capitalize(),
        objective=f"Savoir utiliser {code}.",
        format=ModuleFormat.GROUP,
        duration_minutes=minutes,
        trainer_kind=TrainerKind.ADVISOR,
    )


def pathway_for(agent, *modules, status=StepStatus.PROPOSED):
    pathway = Pathway.objects.create(agent=agent)
    for position, m in enumerate(modules, start=1):
        PathwayStep.objects.create(
            pathway=pathway,
            module=m,
            position=position,
            origin=StepOrigin.GAP,
            reason=f"Votre métier demande {m.title}.",
            status=status,
        )
    return pathway


@pytest.fixture
def paths(world):
    mail, visio = module("messagerie", "Ma messagerie"), module("visio", "Les réunions en visio")
    report = world.agents[("Équipe A1a", "metropole")]  # managed by the "manager" user
    own = world.users[Role.AGENT].agent
    outside = world.agents[("Direction B", "ville")]
    return {
        "modules": (mail, visio),
        "report": pathway_for(report, mail, visio),
        "own": pathway_for(own, mail),
        "outside": pathway_for(outside, visio),
    }


def detail(agent):
    return reverse("training:pathway_detail", args=[agent.pk])


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_and_hub_per_role(world, paths, client):
    for role, user in world.users.items():
        client.force_login(user)
        status = client.get(reverse("training:pathway_list")).status_code
        assert (status == 200) == (role in LISTERS), role
        hub = client.get(reverse("training:home")).status_code
        assert hub == (403 if role == Role.AGENT else 200), role


@pytest.mark.django_db
def test_who_sees_a_pathway(world, paths, client):
    report = paths["report"].agent
    expected = {
        Role.AGENT: 403,  # someone else's pathway
        Role.MANAGER: 200,  # their team
        Role.ADVISOR: 200,
        Role.HR: 200,  # direction A
        Role.MOBILITY: 200,
        Role.DIRECTION: 403,  # counts only
        Role.ADMIN: 200,
    }
    for role, status in expected.items():
        client.force_login(world.users[role])
        assert client.get(detail(report)).status_code == status, role
    client.force_login(world.users[Role.HR])
    assert client.get(detail(paths["outside"].agent)).status_code == 403  # direction B


@pytest.mark.django_db
def test_the_agent_reads_their_next_steps_in_plain_words(world, paths, client):
    client.force_login(world.users[Role.AGENT])
    page = client.get(reverse("training:my_pathway")).content.decode()
    assert "Mes prochaines étapes" in page
    assert "Ma messagerie" in page
    assert "Votre métier demande Ma messagerie." in page
    assert "Votre encadrant doit d&#x27;abord valider" in page or "encadrant doit" in page
    assert "Les réunions en visio" not in page  # someone else's step
    assert client.get(detail(world.users[Role.AGENT].agent)).status_code == 200


@pytest.mark.django_db
def test_an_agent_without_pathway_is_told_so(world, client):
    client.force_login(world.users[Role.AGENT])
    page = client.get(reverse("training:my_pathway")).content.decode()
    assert "prépare votre parcours" in page


# --- Lifecycle ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_step_lifecycle_and_refusals(paths):
    step = paths["report"].steps.first()
    with pytest.raises(StepTransitionError, match="ne peut pas être annulée"):
        step.status = StepStatus.DONE
        step.cancel()
    step.refresh_from_db()
    step.validate(by=None)
    with pytest.raises(StepTransitionError, match="déjà validée"):
        step.validate(by=None)
    step.start()
    step.mark_done(on=step.updated_at.date(), reason="manual")
    assert step.status == StepStatus.DONE
    with pytest.raises(StepTransitionError):
        step.start()


@pytest.mark.django_db
def test_manager_validates_a_step_of_their_team_and_it_is_audited(world, paths, client):
    report = paths["report"]
    step = report.steps.first()
    client.force_login(world.users[Role.MANAGER])
    response = client.post(
        reverse("training:step_action", args=[report.agent.pk, step.pk]), {"action": "validate"}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == StepStatus.VALIDATED
    assert step.validated_by == world.users[Role.MANAGER]
    entry = AuditEntry.objects.filter(
        target_type="training.pathwaystep", target_id=str(step.pk), action=AuditAction.UPDATE
    ).latest("pk")
    assert entry.changes["status"] == ["proposed", "validated"]
    page = client.get(detail(report.agent)).content.decode()
    assert "(Proposée → Validée)" in page  # the history, in words
    # A manager marks nothing done: that is HR's or an advisor's.
    response = client.post(
        reverse("training:step_action", args=[report.agent.pk, step.pk]), {"action": "done"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_nobody_validates_their_own_pathway(world, paths, client):
    own = paths["own"]
    step = own.steps.get()
    client.force_login(world.users[Role.AGENT])
    response = client.post(
        reverse("training:step_action", args=[own.agent.pk, step.pk]), {"action": "validate"}
    )
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.status == StepStatus.PROPOSED


@pytest.mark.django_db
def test_a_refused_transition_says_why_and_changes_nothing(world, paths, client):
    report = paths["report"]
    step = report.steps.first()
    client.force_login(world.users[Role.ADMIN])
    url = reverse("training:step_action", args=[report.agent.pk, step.pk])
    client.post(url, {"action": "done"})
    response = client.post(url, {"action": "cancel"}, follow=True)
    assert "ne peut pas être annulée" in response.content.decode()
    step.refresh_from_db()
    assert step.status == StepStatus.DONE


@pytest.mark.django_db
def test_bulk_validation_skips_what_the_user_may_not_validate(world, paths, client):
    client.force_login(world.users[Role.MANAGER])
    ids = [paths["report"].pk, paths["outside"].pk, paths["own"].pk]
    client.post(reverse("training:bulk_validate"), {"pathway": ids})
    statuses = dict(PathwayStep.objects.values_list("pk", "status"))
    report_steps = paths["report"].steps.values_list("pk", flat=True)
    assert {statuses[pk] for pk in report_steps} == {StepStatus.VALIDATED}
    assert paths["outside"].steps.get().status == StepStatus.PROPOSED
    assert paths["own"].steps.get().status == StepStatus.PROPOSED


@pytest.mark.django_db
def test_hr_adds_and_reorders_steps(world, paths, client):
    report = paths["report"]
    extra = module("tableur", "Un premier tableur")
    client.force_login(world.users[Role.HR])
    response = client.post(
        reverse("training:add_step", args=[report.agent.pk]),
        {"module": extra.pk, "reason": "Pour préparer votre nouveau poste."},
    )
    assert response.status_code == 302
    added = report.steps.get(module=extra)
    assert (added.position, added.origin) == (3, StepOrigin.MANUAL)
    client.post(
        reverse("training:move_step", args=[report.agent.pk, added.pk]), {"direction": "up"}
    )
    assert list(report.steps.order_by("position").values_list("module__code", flat=True)) == [
        "messagerie",
        "tableur",
        "visio",
    ]


@pytest.mark.django_db
def test_adding_a_step_needs_a_reason(world, paths, client):
    report = paths["report"]
    extra = module("tableur")
    client.force_login(world.users[Role.HR])
    response = client.post(
        reverse("training:add_step", args=[report.agent.pk]), {"module": extra.pk, "reason": ""}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not report.steps.filter(module=extra).exists()


# --- List ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_is_scoped_filtered_and_exported(world, paths, client, django_assert_max_num_queries):
    for _ in range(5):
        pathway_for(AgentFactory(unit=world.serv_a2), paths["modules"][0])
    client.force_login(world.users[Role.HR])  # direction A
    url = reverse("training:pathway_list")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert str(paths["report"].agent) in page
    assert str(paths["outside"].agent) not in page
    filtered = client.get(url, {"module": paths["modules"][1].pk}).content.decode()
    assert "1 parcours" in filtered
    response = client.get(url, {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:3] == ["Matricule", "Nom", "Prénom"]
    assert {r[6] for r in rows[1:]} == {"Ma messagerie", "Les réunions en visio"}
    assert all(r[1] != paths["outside"].agent.last_name for r in rows[1:])
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
def test_the_agent_home_shows_the_next_step(world, paths, client):
    client.force_login(world.users[Role.AGENT])
    page = client.get(reverse("core:home")).content.decode()
    assert "Prochaine étape : Ma messagerie" in page
    assert reverse("training:my_pathway") in page
