"""The planner in the app: the problem read from pathways, trainers and rooms; a run
computed, reviewed, a session fixed, the plan accepted through the registration code;
the pages per role; the command."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory, JobFactory, SiteFactory, user_with_role
from tests.training.test_pathway_views import module, pathway_for
from tremplin.accounts.enums import Role
from tremplin.organisation.enums import WorkKind, WorkPattern
from tremplin.planning import plan_adapter, planner
from tremplin.planning.enums import RegistrationStatus
from tremplin.planning.models import (
    PlanningRun,
    PlanningRunStatus,
    Registration,
    Room,
    Session,
    Trainer,
)
from tremplin.training.enums import ModuleFormat, StepStatus, TrainerKind

START = dt.date(2027, 1, 4)  # a Monday
END = dt.date(2027, 1, 29)


@pytest.fixture
def setting(db):
    site = SiteFactory(city="Rennes")
    m = module("messagerie", "Ma messagerie")
    m.group_min, m.group_max = 2, 4
    m.save()
    Room.objects.create(site=site, name="Salle A", capacity=6, has_computers=True)
    trainer = Trainer.objects.create(name="Nadia", kind=TrainerKind.ADVISOR)
    trainer.modules.add(m)
    field = JobFactory(work_kind=WorkKind.FIELD)
    agents = [
        AgentFactory(site=site, job=field, work_pattern=WorkPattern.MORNING) for _ in range(5)
    ]
    steps = [pathway_for(a, m, status=StepStatus.VALIDATED).steps.get() for a in agents]
    return {"site": site, "module": m, "trainer": trainer, "agents": agents, "steps": steps}


def test_the_problem_comes_from_validated_steps(setting):
    AgentFactory(site=setting["site"])  # no pathway: no demand
    online = module("cyber", "Cybersécurité en ligne")
    online.format = ModuleFormat.ELEARNING
    online.save()
    first = setting["steps"][0]
    first.pathway.steps.create(  # followed alone online: no session to place
        module=online, position=2, origin=first.origin, reason="En ligne.", status=first.status
    )
    proposed = AgentFactory(site=setting["site"])
    pathway_for(proposed, setting["module"])
    problem, context = plan_adapter.build_problem(start=START, end=END)
    [group] = problem.demand
    assert group.count == 5 and group.weight == 3.0  # field agents closing a gap
    assert group.available == frozenset((d, "am") for d in range(1, 6))  # morning shift
    assert context.agents == 5
    # Four weeks of working days, two half-days each.
    assert len(problem.slots) == 40
    with_proposed, _ = plan_adapter.build_problem(start=START, end=END, include_proposed=True)
    assert sum(g.count for g in with_proposed.demand) == 6


def test_public_holidays_and_weekends_are_not_slots():
    slots = plan_adapter.working_slots(dt.date(2027, 5, 3), dt.date(2027, 5, 9))
    days = sorted({s.day for s in slots})
    # 2027-05-06 is Ascension Day; 8 May is a Saturday.
    assert days == [
        dt.date(2027, 5, 3),
        dt.date(2027, 5, 4),
        dt.date(2027, 5, 5),
        dt.date(2027, 5, 7),
    ]


def test_a_run_proposes_then_accepting_registers_the_agents(setting):
    hr = user_with_role(Role.HR)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(run)
    run.refresh_from_db()
    assert run.status == PlanningRunStatus.READY
    assert run.figures["seats"] == 5 and run.figures["new_sessions"] >= 2
    assert not Session.objects.exists()  # nothing before acceptance
    report = planner.accept(run, by=hr)
    assert report.registered == 5 and report.refused == 0
    for session in Session.objects.all():
        local = timezone.localtime(session.starts_at)
        assert local.hour == 9  # morning shift agents: morning sessions
        assert session.trainers.get() == setting["trainer"]
    registrations = Registration.objects.filter(status=RegistrationStatus.REGISTERED)
    assert {r.step_id for r in registrations} == {s.pk for s in setting["steps"]}
    run.refresh_from_db()
    assert run.status == PlanningRunStatus.APPLIED


def test_a_fixed_session_is_created_once_and_kept_by_the_next_run(setting):
    hr = user_with_role(Role.HR)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(run)
    report, session_id = planner.lock_session(run, 0, by=hr)
    session = Session.objects.get(pk=session_id)
    assert session.locked and report.registered == session.registrations.count()
    planner.accept(run, by=hr)
    assert Registration.objects.filter(status=RegistrationStatus.REGISTERED).count() == 5
    # The next run sees the agents registered: nothing left to place.
    again = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(again)
    assert again.figures["steps"] == 0 and again.figures["new_sessions"] == 0


def test_nobody_can_teach_it_is_reported_not_crashed(setting):
    setting["trainer"].modules.clear()
    run = PlanningRun.objects.create(starts_on=START, ends_on=END)
    planner.solve(run)
    assert run.figures["seats"] == 0
    assert sum(run.figures["unplaced"].values()) == 5
    assert any("animer" in label for label in run.figures["unplaced"])


def test_pages_per_role(client, setting, django_capture_on_commit_callbacks):
    url = reverse("planning:plan_list")
    for role in (Role.ADVISOR, Role.MANAGER, Role.AGENT, Role.DIRECTION):
        client.force_login(user_with_role(role))
        assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.HR))
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"starts_on": "2020-01-01", "ends_on": "2020-02-01", "time_limit_seconds": 10}
    )
    assert "Le planning commence au plus tôt demain." in response.content.decode()
    assert not PlanningRun.objects.exists()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "starts_on": tomorrow.isoformat(),
                "ends_on": (tomorrow + dt.timedelta(days=60)).isoformat(),
                "time_limit_seconds": 10,
            },
        )
    run = PlanningRun.objects.get()
    assert response.url == reverse("planning:plan_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == PlanningRunStatus.READY
    page = client.get(response.url).content.decode()
    assert "Accepter le planning" in page and "Ma messagerie" in page
    client.post(reverse("planning:plan_accept", args=[run.pk]))
    assert Registration.objects.count() == 5


def test_the_command_is_a_dry_run_by_default(setting):
    out = io.StringIO()
    call_command("plan_training", "--from", "2027-01-04", "--to", "2027-01-29", stdout=out)
    assert "Simulation : aucune séance créée" in out.getvalue()
    assert not Session.objects.exists()
    call_command(
        "plan_training", "--from", "2027-01-04", "--to", "2027-01-29", "--wet-run", stdout=out
    )
    assert "5 inscription(s)" in out.getvalue()
    with pytest.raises(CommandError, match="Module inconnu : inconnu"):
        call_command(
            "plan_training", "--from", "2027-01-04", "--to", "2027-01-29", "--module", "inconnu"
        )
    with pytest.raises(CommandError, match="La fin doit venir après le début"):
        call_command("plan_training", "--from", "2027-01-29", "--to", "2027-01-04")


def test_a_stopped_run_proposes_nothing(client, setting):
    from tremplin.planning.tasks import run_planning

    hr = user_with_role(Role.HR)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.launch(run, hr)
    client.force_login(hr)
    client.post(reverse("planning:plan_stop", args=[run.pk]))
    run_planning.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlanningRunStatus.CANCELLED and run.plan == {}
    run.job.refresh_from_db()
    assert "arrêté" in run.job.message


def _goal(module, deadline, **fields):
    from tremplin.training.enums import GoalPopulation
    from tremplin.training.models import CoverageGoal

    return CoverageGoal.objects.create(
        name=fields.pop("name", "Messagerie pour tous"),
        module=module,
        population=GoalPopulation.ALL,
        starts_on=dt.date(2026, 1, 1),
        deadline=deadline,
        **fields,
    )


def test_a_run_places_only_its_population(setting):
    from tests.factories import OrgUnitFactory

    hr = user_with_role(Role.HR)
    unit = OrgUnitFactory()
    for agent in setting["agents"][:2]:
        agent.unit = unit
        agent.save()
    other = module("tableur", "Mon tableur")
    setting["trainer"].modules.add(other)
    first = setting["steps"][0]
    first.pathway.steps.create(
        module=other, position=2, origin=first.origin, reason="Tableur.", status=first.status
    )
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr, unit=unit)
    run.modules.add(setting["module"])
    planner.solve(run)
    # Two agents of the unit, and only the module asked (the spreadsheet step waits).
    assert run.figures["agents"] == 2 and run.figures["steps"] == 2
    assert {s["module"] for s in run.plan["sessions"]} == {setting["module"].pk}
    assert run.population_label == f"unité {unit}"


def test_a_scoped_office_plans_only_the_agents_it_follows(setting):
    from tests.factories import OrgUnitFactory

    unit = OrgUnitFactory()
    setting["agents"][0].unit = unit
    setting["agents"][0].save()
    hr = user_with_role(Role.HR, org_unit=unit)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(run)
    assert run.figures["agents"] == 1


def test_goals_met_or_missed_by_the_proposal(setting):
    met = _goal(setting["module"], END)
    early = _goal(setting["module"], dt.date(2026, 12, 1), name="Trop tôt")
    later = _goal(setting["module"], dt.date(2030, 1, 1), name="Plus tard")
    hr = user_with_role(Role.HR)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(run)
    rows = {row["name"]: row for row in run.figures["goals"]}
    # The five agents are seated before the end of January: the goal is met.
    assert rows[met.name]["population"] == 5 and rows[met.name]["planned"] == 5
    assert rows[met.name]["met"] and rows[met.name]["share"] == 100
    # A deadline before the planning starts cannot be held: said so, not a crash.
    assert not rows[early.name]["met"] and rows[early.name]["missing"] == 5
    assert "avant le début du planning" in rows[early.name]["reasons"][0]
    assert rows[later.name]["met"]
    # Agents of the population without the step: nothing to place, said so.
    for _ in range(4):
        AgentFactory(site=setting["site"])
    again = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(again)
    row = next(r for r in again.figures["goals"] if r["name"] == met.name)
    assert not row["met"] and row["missing"] == 4 and row["without_step"] == 4
    assert "4 agent(s) n'ont pas ce module dans leur parcours" in row["reasons"][0]
    assert row["share"] == 55  # 5 of 9 is 55.6 %: floored, never more than reached
    # A run for another module does not judge this goal.
    other = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    other.modules.add(module("tableur", "Mon tableur"))
    planner.solve(other)
    assert other.figures["goals"] == []
    client = Client()
    client.force_login(hr)
    page = client.get(reverse("planning:plan_detail", args=[run.pk])).content.decode()
    assert "Les objectifs avec ce planning" in page
    assert "Manqué" in page and "Atteint" in page


def test_a_module_nobody_can_teach_is_reported_as_infeasible(setting):
    setting["trainer"].modules.clear()
    run = PlanningRun.objects.create(starts_on=START, ends_on=END)
    planner.solve(run)
    [sentence] = run.figures["infeasible"]
    assert "« Ma messagerie » : aucun formateur actif ne peut l'animer" in sentence
    assert "5 agent(s)" in sentence


def test_the_proposal_calendar_shows_and_fixes_sessions(client, setting):
    hr = user_with_role(Role.HR)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(run)
    url = reverse("planning:plan_calendar", args=[run.pk])
    client.force_login(user_with_role(Role.ADVISOR))
    assert client.get(url).status_code == 403
    client.force_login(hr)
    first = run.plan["slots"][str(run.plan["sessions"][0]["slot"])][0]
    page = client.get(url).content.decode()  # opens on the week of the first session
    assert "Ma messagerie" in page and "Fixer" in page
    assert dt.date.fromisoformat(first).strftime("%d") in page
    month = client.get(url, {"mois": "2027-01"}).content.decode()
    assert f"{len(run.plan['sessions'])} séances proposées" in month
    other = SiteFactory()
    Room.objects.create(site=other, name="Salle B", capacity=8)
    empty = client.get(url, {"mois": "2027-01", "site": other.pk}).content.decode()
    assert "Aucune séance proposée ce mois-là" in empty
    response = client.post(
        reverse("planning:plan_lock", args=[run.pk, 0]), {"retour": "mois=2027-01"}
    )
    assert response.url == f"{url}?mois=2027-01"
    assert Session.objects.filter(locked=True).count() == 1
    detail = client.get(reverse("planning:plan_detail", args=[run.pk])).content.decode()
    assert "Janvier 2027" in detail


def test_the_proposal_exports_as_a_list(client, setting):
    from tremplin.core.tabular import read_table

    hr = user_with_role(Role.HR)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(run)
    client.force_login(user_with_role(Role.MANAGER))
    assert client.get(reverse("planning:plan_export", args=[run.pk, "csv"])).status_code == 403
    client.force_login(hr)
    assert client.get(reverse("planning:plan_export", args=[run.pk, "pdf"])).status_code == 404
    for kind in ("csv", "xlsx"):
        response = client.get(reverse("planning:plan_export", args=[run.pk, kind]))
        table = read_table(
            b"".join(response.streaming_content if response.streaming else [response.content]),
            f"x.{kind}",
        )
        rows = [cells for _line, cells in table.rows]
        assert len(rows) == len(run.plan["sessions"])
        assert "Ma messagerie" in rows[0] and "Salle A" in rows[0] and "proposée" in rows[0]
        assert sum(int(row[6]) for row in rows) == 5


def test_a_proposed_session_lists_the_agents_it_seats(client, setting):
    from tests.factories import OrgUnitFactory

    hr = user_with_role(Role.HR)
    run = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(run)
    client.force_login(hr)
    seen = set()
    for index, proposal in enumerate(run.plan["sessions"]):
        page = client.get(reverse("planning:plan_session", args=[run.pk, index])).content.decode()
        assert "Fixer cette séance" in page
        seen |= {a.matricule for a in setting["agents"] if a.matricule in page}
        assert sum(a.matricule in page for a in setting["agents"]) == sum(
            proposal["seats"].values()
        )
    assert seen == {a.matricule for a in setting["agents"]}  # everyone, each once
    assert client.get(reverse("planning:plan_session", args=[run.pk, 99])).status_code == 404
    # A scoped office sees the names of its agents only, and a count of the others.
    unit = OrgUnitFactory()
    scoped = user_with_role(Role.HR, org_unit=unit)
    client.force_login(scoped)
    page = client.get(reverse("planning:plan_session", args=[run.pk, 0])).content.decode()
    assert not any(a.matricule in page for a in setting["agents"])
    assert "hors de votre périmètre" in page


def test_a_rerun_keeps_the_agents_where_the_previous_proposal_put_them(client, setting):
    hr = user_with_role(Role.HR)
    first = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(first)
    # HR's earlier proposal had put everyone a week away from where this computation
    # would (the same weekday and half-day): the re-run keeps them there rather than moving
    # them, since moving an agent costs.
    slots = {s.index: s for s in plan_adapter.working_slots(START, END)}
    for proposal in first.plan["sessions"]:
        later = slots.get(proposal["slot"] + 10) or slots[proposal["slot"] - 10]
        proposal["slot"] = later.index
        first.plan["slots"][str(later.index)] = [later.day.isoformat(), later.half]
    first.save()
    wanted = {s["slot"] for s in first.plan["sessions"]}
    client.force_login(hr)
    client.post(reverse("planning:plan_rerun", args=[first.pk]))
    again = PlanningRun.objects.exclude(pk=first.pk).get()
    assert again.previous == first
    planner.solve(again)
    assert {s["slot"] for s in again.plan["sessions"]} == wanted
    # The sessions stay, with as many seats each as before (3 + 2 does not come back as
    # 2 + 3), and every agent gets their seat back.
    assert again.figures["kept"] == 5 and again.figures["moved"] == 0
    page = client.get(reverse("planning:plan_detail", args=[again.pk])).content.decode()
    assert f"{again.figures['kept']} agents gardent la même séance" in page
    # Without the previous proposal, the computation puts them elsewhere.
    fresh = PlanningRun.objects.create(starts_on=START, ends_on=END, created_by=hr)
    planner.solve(fresh)
    assert {s["slot"] for s in fresh.plan["sessions"]} != wanted
