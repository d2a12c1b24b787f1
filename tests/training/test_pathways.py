"""Pathway generation against the database (pathways.py): what is written on a first
run, each regeneration rule, goals, target jobs, templates, the audit entries, and a
number of queries that does not depend on the number of agents."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.competences.helpers import measure
from tests.factories import AgentFactory, JobFactory
from tremplin.competences.models import Competence, JobRequirement
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.organisation.enums import WorkKind
from tremplin.training import pathways
from tremplin.training.enums import (
    Audience,
    DoneReason,
    GoalPopulation,
    ModuleFormat,
    StepOrigin,
    StepStatus,
    TrainerKind,
)
from tremplin.training.models import (
    CoverageGoal,
    Module,
    ModuleOutcome,
    ModulePrerequisite,
    Pathway,
    PathwayStep,
    PathwayTemplate,
    PathwayTemplateStep,
)

TODAY = timezone.localdate()


def make_module(code, title, minutes=120, outcomes=(), fmt=ModuleFormat.GROUP, **kwargs):
    module = Module.objects.create(
        code=code,
        title=title,
        objective=f"Savoir : {title}.",
        format=fmt,
        duration_minutes=minutes,
        trainer_kind=TrainerKind.ADVISOR,
        **kwargs,
    )
    for code_, level_from, level_to in outcomes:
        ModuleOutcome.objects.create(
            module=module,
            competence=Competence.objects.get(code=code_),
            level_from=level_from,
            level_to=level_to,
        )
    return module


def make_catalogue():
    """Modules for the needs of gaps_world (see tests/competences/fixtures.py)."""
    smartphone = make_module("smartphone", "Premiers pas avec un smartphone", 90, [("2.1", 0, 1)])
    mail = make_module("messagerie", "Ma messagerie", 120, [("2.1", 1, 3)])
    ModulePrerequisite.objects.create(module=mail, required_module=smartphone)
    security = make_module("securite", "Mots de passe et arnaques", 90, [("4.1", 0, 2)])
    files = make_module("fichiers", "Fichiers et dossiers", 120, [("1.2", 0, 2)])
    sheet = make_module("tableur", "Un premier tableur", 180, [("1.3", 0, 2)])
    ModulePrerequisite.objects.create(
        module=sheet, competence=Competence.objects.get(code="1.2"), min_level=1
    )
    writing = make_module(
        "ecrire", "Écrire un document", 180, [("3.1", 1, 4)], audience=Audience.OFFICE
    )
    fresque = make_module("fresque-du-climat", "La Fresque du Climat", 180)
    return SimpleNamespace(
        smartphone=smartphone,
        mail=mail,
        security=security,
        files=files,
        sheet=sheet,
        writing=writing,
        fresque=fresque,
    )


@pytest.fixture
def setting(gaps_world):
    return SimpleNamespace(**vars(gaps_world), modules=make_catalogue())


def steps_of(agent, target_job=None):
    pathway = Pathway.objects.filter(agent=agent, target_job=target_job).first()
    if pathway is None:
        return []
    return list(pathway.steps.select_related("module").order_by("position"))


def codes(agent, target_job=None):
    return [s.module.code for s in steps_of(agent, target_job)]


def step(agent, code):
    return PathwayStep.objects.get(pathway__agent=agent, module__code=code)


def everyone(setting):
    return [setting.a1a0, setting.a1a1, setting.a20, setting.a21, setting.b0, setting.b1]


# --- First run -----------------------------------------------------------------------------


def test_first_generation_writes_the_gaps_of_each_agent(setting):
    report = pathways.generate_for(everyone(setting), by=setting.users["hr"])

    assert codes(setting.a1a0) == ["messagerie"]  # 2.1 at 1, the job asks 2
    assert codes(setting.a20) == ["securite"]  # 4.1 at 0, the job asks 1
    # 1.3 at 1 (office asks 2): the spreadsheet needs 1.2 at 1, never measured → files first.
    assert codes(setting.a21) == ["fichiers", "tableur"]
    assert codes(setting.b0) == ["smartphone", "messagerie"]  # 2.1 at 0
    assert codes(setting.a1a1) == [] and codes(setting.b1) == []  # met, or never measured
    assert not Pathway.objects.filter(agent__in=[setting.a1a1, setting.b1]).exists()

    first = steps_of(setting.b0)[0]
    assert (first.position, first.status, first.origin) == (1, StepStatus.PROPOSED, "gap")
    assert first.reason == (
        "Votre métier demande de savoir échanger avec les autres : messages, appels, visio "
        "(niveau 2). Aujourd'hui : niveau 0."
    )
    assert first.competence.code == "2.1"
    files = steps_of(setting.a21)[0]
    assert (files.origin, files.reason) == ("prerequisite", "À faire avant « Un premier tableur ».")

    assert report.agents == 6
    assert report.pathways_created == 4
    assert report.steps_added == 6
    assert report.agents_unmeasured == 3  # a1a1 (1.3), b0 (4.1), b1 (both)
    pathway = Pathway.objects.get(agent=setting.b0)
    assert pathway.created_by == setting.users["hr"]
    assert pathway.generated_at is not None


def test_every_created_step_and_pathway_is_audited(setting):
    pathways.generate_for(everyone(setting), by=setting.users["hr"])
    step_entries = AuditEntry.objects.filter(
        target_type="training.pathwaystep", action=AuditAction.CREATE
    )
    assert {e.target_id for e in step_entries} == {
        str(pk) for pk in PathwayStep.objects.values_list("pk", flat=True)
    }
    entry = step_entries.get(target_id=str(step(setting.b0, "smartphone").pk))
    assert entry.actor == setting.users["hr"]
    assert entry.summary.endswith("— Premiers pas avec un smartphone (Proposée)")
    assert entry.changes["origin"] == [None, "gap"]
    assert (
        AuditEntry.objects.filter(target_type="training.pathway", action=AuditAction.CREATE).count()
        == 4
    )


def test_generating_again_without_news_changes_nothing(setting):
    pathways.generate_for(everyone(setting))
    before = AuditEntry.objects.count()
    report = pathways.generate_for(everyone(setting))
    assert (report.steps_added, report.steps_removed, report.pathways_updated) == (0, 0, 0)
    assert report.pathways_unchanged == 4
    assert AuditEntry.objects.count() == before


def test_an_agent_without_a_job_only_gets_goals(setting):
    setting.b1.job = None
    setting.b1.save()
    assert not pathways.generate_for([setting.b1]).pathways_created


# --- Regeneration rules --------------------------------------------------------------------


def test_a_proposed_step_no_longer_needed_is_removed_and_audited(setting):
    pathways.generate_for([setting.a20])
    removed = step(setting.a20, "securite")
    measure(setting.a20, "4.1", 1, on=TODAY)  # the job asks 1: met, below the module's 2
    report = pathways.generate_for([setting.a20])
    assert codes(setting.a20) == []
    assert report.steps_removed == 1
    entry = AuditEntry.objects.get(
        target_type="training.pathwaystep", target_id=str(removed.pk), action=AuditAction.DELETE
    )
    assert entry.changes["status"] == ["proposed", None]


@pytest.mark.parametrize("status", [StepStatus.VALIDATED, StepStatus.IN_PROGRESS])
def test_a_committed_step_no_longer_needed_is_flagged_never_deleted(setting, status):
    pathways.generate_for([setting.a20])
    PathwayStep.objects.filter(pathway__agent=setting.a20).update(status=status)
    measure(setting.a20, "4.1", 1, on=TODAY)
    report = pathways.generate_for([setting.a20])
    kept = step(setting.a20, "securite")
    assert kept.status == status
    assert kept.no_longer_needed
    assert report.steps_flagged == 1 and report.steps_removed == 0
    entry = AuditEntry.objects.filter(
        target_type="training.pathwaystep", target_id=str(kept.pk), action=AuditAction.UPDATE
    ).get()
    assert entry.changes["no_longer_needed"] == [False, True]
    # Flagged once: a third run changes nothing more.
    assert pathways.generate_for([setting.a20]).steps_flagged == 0


def test_a_flagged_step_needed_again_loses_its_flag(setting):
    pathways.generate_for([setting.a20])
    PathwayStep.objects.filter(pathway__agent=setting.a20).update(status=StepStatus.VALIDATED)
    measure(setting.a20, "4.1", 1, on=TODAY)
    pathways.generate_for([setting.a20])
    measure(setting.a20, "4.1", 0, on=TODAY + dt.timedelta(days=1))
    pathways.generate_for([setting.a20])
    assert not step(setting.a20, "securite").no_longer_needed


@pytest.mark.parametrize(
    "status", [StepStatus.PROPOSED, StepStatus.VALIDATED, StepStatus.IN_PROGRESS]
)
def test_a_step_whose_level_the_profile_now_shows_is_done_by_evidence(setting, status):
    pathways.generate_for([setting.a20])
    PathwayStep.objects.filter(pathway__agent=setting.a20).update(status=status)
    measure(setting.a20, "4.1", 2, on=TODAY)  # the level the module brings
    report = pathways.generate_for([setting.a20])
    done = step(setting.a20, "securite")
    assert (done.status, done.done_reason, done.done_on) == (
        StepStatus.DONE,
        DoneReason.EVIDENCE,
        TODAY,
    )
    assert report.steps_done == 1
    entry = AuditEntry.objects.get(
        target_type="training.pathwaystep", target_id=str(done.pk), action=AuditAction.UPDATE
    )
    assert entry.changes["status"] == [status, "done"]


def test_new_needs_add_proposed_steps_and_positions_are_renumbered(setting):
    pathways.generate_for([setting.a1a0])
    mail = step(setting.a1a0, "messagerie")
    mail.status = StepStatus.VALIDATED
    mail.save()
    measure(setting.a1a0, "4.1", 0, on=TODAY)  # now below the job's 1
    report = pathways.generate_for([setting.a1a0])
    assert codes(setting.a1a0) == ["securite", "messagerie"]  # starting lower comes first
    assert [s.position for s in steps_of(setting.a1a0)] == [1, 2]
    mail.refresh_from_db()
    assert mail.status == StepStatus.VALIDATED  # untouched but for its position
    assert report.steps_added == 1 and report.pathways_updated == 1
    moved = (
        AuditEntry.objects.filter(
            target_type="training.pathwaystep", target_id=str(mail.pk), action=AuditAction.UPDATE
        )
        .order_by("-pk")
        .first()
    )
    assert moved.changes == {"position": [1, 2]}


def test_done_steps_come_first_and_are_never_proposed_again(setting):
    pathways.generate_for([setting.b0])
    smartphone = step(setting.b0, "smartphone")
    smartphone.status = StepStatus.DONE
    smartphone.done_on = TODAY
    smartphone.done_reason = DoneReason.ATTENDANCE
    smartphone.save()
    measure(setting.b0, "2.1", 1, on=TODAY)
    pathways.generate_for([setting.b0])
    assert codes(setting.b0) == ["smartphone", "messagerie"]
    assert step(setting.b0, "smartphone").status == StepStatus.DONE


def test_template_and_manual_steps_stay_whatever_the_profile(setting):
    pathways.generate_for([setting.a20])
    pathway = Pathway.objects.get(agent=setting.a20)
    for position, (module, origin) in enumerate(
        [(setting.modules.writing, StepOrigin.MANUAL), (setting.modules.fresque, "template")],
        start=2,
    ):
        PathwayStep.objects.create(
            pathway=pathway, module=module, position=position, origin=origin, reason="Ajouté."
        )
    measure(setting.a20, "4.1", 1, on=TODAY)
    pathways.generate_for([setting.a20])
    assert codes(setting.a20) == ["ecrire", "fresque-du-climat"]
    assert step(setting.a20, "ecrire").reason == "Ajouté."


def test_a_cancelled_step_is_not_proposed_again(setting):
    pathways.generate_for([setting.a1a0])
    PathwayStep.objects.filter(pathway__agent=setting.a1a0).update(status=StepStatus.CANCELLED)
    report = pathways.generate_for([setting.a1a0])
    assert report.steps_added == 0
    assert [s.status for s in steps_of(setting.a1a0)] == [StepStatus.CANCELLED]


# --- Goals ---------------------------------------------------------------------------------


def fresque_goal(setting, population=GoalPopulation.ALL):
    return CoverageGoal.objects.create(
        name="une Fresque du Climat pour chaque agent",
        module=setting.modules.fresque,
        population=population,
        starts_on=dt.date(2025, 1, 1),
        deadline=dt.date(2032, 3, 1),
    )


def test_a_module_goal_reaches_every_agent_of_its_population(setting):
    fresque_goal(setting)
    report = pathways.generate_for(everyone(setting))
    assert report.pathways_created == 6
    fresque = step(setting.b1, "fresque-du-climat")
    assert fresque.origin == StepOrigin.GOAL
    assert fresque.goal.name == "une Fresque du Climat pour chaque agent"
    assert fresque.reason == (
        "Objectif de la collectivité : une Fresque du Climat pour chaque agent, "
        "avant le 1er mars 2032."
    )


def test_a_goal_already_reached_adds_nothing(setting):
    fresque_goal(setting)
    pathways.generate_for([setting.b1])
    PathwayStep.objects.filter(pathway__agent=setting.b1).update(
        status=StepStatus.DONE, done_on=TODAY, done_reason=DoneReason.ATTENDANCE
    )
    report = pathways.generate_for([setting.b1])
    assert report.steps_added == 0


def test_a_goal_for_field_agents_skips_office_agents(setting):
    fresque_goal(setting, population=GoalPopulation.FIELD)
    pathways.generate_for(everyone(setting))
    assert "fresque-du-climat" in codes(setting.b0)
    assert "fresque-du-climat" not in codes(setting.a21)


def test_a_level_goal_adds_steps_with_its_reason(setting):
    CoverageGoal.objects.create(
        name="tous au niveau 2 en sécurité",
        competence=Competence.objects.get(code="4.1"),
        level=2,
        population=GoalPopulation.ALL,
        starts_on=dt.date(2025, 1, 1),
        deadline=dt.date(2027, 6, 30),
    )
    pathways.generate_for([setting.a1a0])  # 4.1 at 1: the job (1) is met, the goal (2) not
    security = step(setting.a1a0, "securite")
    assert security.origin == StepOrigin.GOAL
    assert security.reason.startswith("Objectif de la collectivité : tous au niveau 2")


# --- Target job, refresh -------------------------------------------------------------------


def test_target_job_pathway_is_separate_and_says_so(setting):
    pathways.generate_for([setting.a1a0])
    report = pathways.generate_for_target_job(setting.a1a0, setting.office_job)
    pathway = Pathway.objects.get(agent=setting.a1a0, target_job=setting.office_job)
    steps = list(pathway.steps.order_by("position"))
    assert report.pathways_created == 1
    # Office job: 3.1 level 3 (never measured), 1.3 level 2 (never measured): nothing yet.
    assert steps == []
    measure(setting.a1a0, "3.1", 1, on=TODAY)
    pathways.generate_for_target_job(setting.a1a0, setting.office_job)
    (writing,) = pathway.steps.all()
    assert writing.origin == StepOrigin.TARGET
    assert writing.reason.startswith("Le métier visé demande de savoir écrire des documents")
    assert codes(setting.a1a0) == ["messagerie"]  # the own pathway is untouched


def test_refresh_updates_existing_pathways_only(setting, django_assert_num_queries):
    pathways.generate_for([setting.a20])
    measure(setting.a20, "4.1", 2, on=TODAY)
    measure(setting.b0, "2.1", 0, on=TODAY)
    report = pathways.refresh_for_agents([setting.a20.pk, setting.b0.pk])
    assert step(setting.a20, "securite").status == StepStatus.DONE
    assert not Pathway.objects.filter(agent=setting.b0).exists()
    assert report.steps_done == 1
    with django_assert_num_queries(1):
        pathways.refresh_for_agents([setting.b0.pk, setting.b1.pk])


# --- Queries -------------------------------------------------------------------------------


def make_agents(job, count, unit):
    agents = []
    for i in range(count):
        agent = AgentFactory(job=job, unit=unit, last_name=f"Lot{i}")
        measure(agent, "2.1", 0)
        measure(agent, "4.1", 0)
        agents.append(agent)
    return agents


def count_queries(agent_ids, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        pathways.generate_for(agent_ids, **kwargs)
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_agents(setting):
    fresque_goal(setting)
    unit = setting.world.serv_a2
    small = make_agents(setting.field_job, 5, unit)
    large = make_agents(setting.field_job, 20, unit)
    assert count_queries(small) == count_queries(large)
    # Regenerating with changes (removals, flags, evidence) as well.
    for agents in (small, large):
        PathwayStep.objects.filter(pathway__agent__in=agents, module__code="smartphone").update(
            status=StepStatus.VALIDATED
        )
        for agent in agents:
            measure(agent, "2.1", 3, on=TODAY)
    assert count_queries(small) == count_queries(large)


def test_template_application_is_idempotent_and_audited(setting):
    other = JobFactory(title="Balayeur", family="Propreté", work_kind=WorkKind.FIELD)
    agent = AgentFactory(job=other)
    template = PathwayTemplate.objects.create(name="Bien démarrer", job_family="Propreté")
    for position, module in enumerate(
        [setting.modules.smartphone, setting.modules.security], start=1
    ):
        PathwayTemplateStep.objects.create(template=template, module=module, position=position)
    pathways.generate_for([setting.a20])  # has « securite » already
    targets = [setting.a20, setting.a1a0, agent]
    report = pathways.apply_template(template, targets, by=setting.users["hr"])
    assert codes(setting.a20) == ["securite", "smartphone"]
    assert codes(agent) == ["smartphone", "securite"]
    assert step(agent, "smartphone").origin == StepOrigin.TEMPLATE
    assert step(agent, "smartphone").reason == "Parcours type « Bien démarrer »."
    assert (report.agents, report.steps_added, report.pathways_created) == (3, 5, 2)
    entries = AuditEntry.objects.filter(
        target_type="training.pathwaystep", action=AuditAction.CREATE, actor=setting.users["hr"]
    )
    assert entries.count() == 5
    again = pathways.apply_template(template, targets)
    assert (again.steps_added, again.pathways_created) == (0, 0)
    # A later generation keeps the template's steps.
    pathways.generate_for(targets)
    assert step(agent, "securite").origin == StepOrigin.TEMPLATE


def test_requirements_of_the_job_are_read_once(setting):
    JobRequirement.objects.filter(job=setting.field_job, competence__code="2.1").update(level=3)
    pathways.generate_for([setting.a20])
    assert codes(setting.a20) == ["securite", "messagerie"]
