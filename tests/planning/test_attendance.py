"""Attendance: marks and closing (steps done, training evidence when the module gives
it, idempotence, corrections after closing), the tablet sheet and the printed one per
role, no-shows per agent and per team within the scope, and the attestation PDF."""

import datetime as dt
import html
import random
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory, SiteFactory, user_with_role
from tests.training.test_pathway_views import module, pathway_for
from tremplin.accounts.enums import Role
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Competence, Evidence, ProfileEntry
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.planning import attendance
from tremplin.planning.attendance import AttendanceError
from tremplin.planning.enums import Attendance, RegistrationStatus, SessionStatus
from tremplin.planning.models import Registration, Room, Session, Trainer
from tremplin.training.enums import DoneReason, StepStatus, TrainerKind
from tremplin.training.models import ModuleOutcome

P, A, E = Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED


def text(response) -> str:
    return html.unescape(response.content.decode())


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) absent: the PDF's text is not read back.")
    done = subprocess.run(  # noqa: S603 (our own PDF, a fixed program found on PATH)
        [pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def past_session(m=None, *, hours_ago=3, hours=2, capacity=8, trainers=()):
    """A session that started `hours_ago` hours ago (registrations are made directly:
    the registration service refuses sessions in the past)."""
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=hours_ago)
    site = SiteFactory(name="Maison des associations", city="Rennes")
    room = Room.objects.create(site=site, name=f"Salle {Room.objects.count()}", capacity=12)
    session = Session.objects.create(
        module=m or module(f"m{Session.objects.count()}", "Ma messagerie"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        room=room,
        capacity=capacity,
    )
    session.trainers.add(*trainers)
    return session


def register(session, agent, status=RegistrationStatus.REGISTERED, step=None, **extra):
    return Registration.objects.create(
        session=session, agent=agent, status=status, step=step, **extra
    )


def with_outcomes(m, *pairs, gives_evidence=True):
    m.gives_evidence = gives_evidence
    m.save()
    for code, level_from, level_to in pairs:
        ModuleOutcome.objects.create(
            module=m,
            competence=Competence.objects.get(code=code),
            level_from=level_from,
            level_to=level_to,
        )
    return m


@pytest.fixture
def hr(world):
    return world.users[Role.HR]


@pytest.fixture
def advisor(world):
    return world.users[Role.ADVISOR]


# --- Service --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_marks_are_recorded_with_who_and_when(advisor):
    session = past_session()
    first, second = register(session, AgentFactory()), register(session, AgentFactory())
    assert attendance.record(session, {first.pk: P, second.pk: A}, by=advisor) == 2
    first.refresh_from_db()
    assert (first.attendance, first.attendance_recorded_by) == (P, advisor)
    assert first.attendance_recorded_at is not None
    # The same marks again change nothing.
    assert attendance.record(session, {first.pk: P, second.pk: A}, by=advisor) == 0


@pytest.mark.django_db
def test_marks_are_refused_for_a_cancelled_or_future_session_and_strangers(advisor):
    session = past_session()
    registration = register(session, AgentFactory())
    waiting = register(
        session, AgentFactory(), status=RegistrationStatus.WAITING, waiting_position=1
    )
    elsewhere = register(past_session(), AgentFactory())
    with pytest.raises(AttendanceError, match="pas inscrite à cette séance"):
        attendance.record(session, {registration.pk: P, waiting.pk: P}, by=advisor)
    with pytest.raises(AttendanceError, match="pas inscrite"):
        attendance.record(session, {elsewhere.pk: P}, by=advisor)
    with pytest.raises(AttendanceError, match="Présence inconnue"):
        attendance.record(session, {registration.pk: "late"}, by=advisor)
    registration.refresh_from_db()
    assert registration.attendance == ""  # nothing of the refused calls was kept

    future = past_session(hours_ago=-24)
    coming = register(future, AgentFactory())
    with pytest.raises(AttendanceError, match="n'a pas encore commencé"):
        attendance.record(future, {coming.pk: P}, by=advisor)
    session.status = SessionStatus.CANCELLED
    session.save()
    with pytest.raises(AttendanceError, match="annulée"):
        attendance.record(session, {registration.pk: P}, by=advisor)
    with pytest.raises(AttendanceError, match="annulée"):
        attendance.close(session, by=advisor)


@pytest.mark.django_db
def test_closing_needs_every_registered_agent_marked(advisor):
    session = past_session()
    marked = register(session, AgentFactory())
    register(session, AgentFactory())
    register(session, AgentFactory())
    register(session, AgentFactory(), status=RegistrationStatus.WAITING, waiting_position=1)
    attendance.record(session, {marked.pk: P}, by=advisor)
    with pytest.raises(AttendanceError, match="2 agents sans présence notée"):
        attendance.close(session, by=advisor)
    session.refresh_from_db()
    assert session.attendance_closed_at is None
    assert session.status == SessionStatus.PLANNED


@pytest.mark.django_db
def test_closing_marks_the_steps_done_and_writes_evidence_once(advisor):
    m = with_outcomes(module("messagerie", "Ma messagerie"), ("2.1", 1, 3), ("4.1", 0, 2))
    session = past_session(m)
    came, missed, excused, no_step = AgentFactory(), AgentFactory(), AgentFactory(), AgentFactory()
    steps = {a: pathway_for(a, m, status=StepStatus.VALIDATED).steps.get() for a in (came, missed)}
    # A second pathway (towards another job) with the same module: done too.
    other = pathway_for(excused, m).steps.get()
    rows = {
        came: register(session, came, step=steps[came]),
        missed: register(session, missed, step=steps[missed]),
        excused: register(session, excused),
        no_step: register(session, no_step),
    }
    attendance.record(
        session,
        {rows[came].pk: P, rows[missed].pk: A, rows[excused].pk: E, rows[no_step].pk: P},
        by=advisor,
    )
    completed = attendance.close(session, by=advisor)
    assert completed == attendance.Completed(steps_done=1, evidence=4)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert session.attendance_closed_at is not None
    steps[came].refresh_from_db()
    assert steps[came].status == StepStatus.DONE
    assert steps[came].done_reason == DoneReason.ATTENDANCE
    assert steps[came].done_on == timezone.localtime(session.starts_at).date()
    steps[missed].refresh_from_db()
    other.refresh_from_db()
    assert steps[missed].status == StepStatus.VALIDATED
    assert other.status == StepStatus.PROPOSED  # excused: not done
    evidence = Evidence.objects.order_by("agent_id", "competence__code")
    assert [(e.agent_id, e.competence.code, e.level, e.source) for e in evidence] == [
        (came.pk, "2.1", 3, EvidenceSource.TRAINING),
        (came.pk, "4.1", 2, EvidenceSource.TRAINING),
        (no_step.pk, "2.1", 3, EvidenceSource.TRAINING),
        (no_step.pk, "4.1", 2, EvidenceSource.TRAINING),
    ]
    assert {e.origin for e in evidence} == {rows[came], rows[no_step]}
    assert ProfileEntry.objects.filter(agent=came).count() == 2
    # Closing twice changes nothing.
    assert attendance.close(session, by=advisor) == attendance.Completed()
    assert Evidence.objects.count() == 4


@pytest.mark.django_db
def test_the_agents_open_step_is_found_when_the_registration_has_none(advisor):
    m = module("tableur", "Le tableur")
    session = past_session(m)
    agent = AgentFactory()
    step = pathway_for(agent, m, status=StepStatus.IN_PROGRESS).steps.get()
    registration = register(session, agent)
    attendance.record(session, {registration.pk: P}, by=advisor)
    assert attendance.close(session, by=advisor).steps_done == 1
    step.refresh_from_db()
    assert step.status == StepStatus.DONE


@pytest.mark.django_db
def test_no_evidence_when_the_module_does_not_give_it(advisor):
    m = with_outcomes(module("fresque"), ("5.2", 0, 2), gives_evidence=False)
    session = past_session(m)
    registration = register(session, AgentFactory())
    attendance.record(session, {registration.pk: P}, by=advisor)
    assert attendance.close(session, by=advisor).evidence == 0
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_corrections_after_closing_are_for_hr_and_complete_the_step(advisor, hr):
    m = with_outcomes(module("messagerie"), ("2.1", 1, 3))
    session = past_session(m)
    agent = AgentFactory()
    step = pathway_for(agent, m, status=StepStatus.VALIDATED).steps.get()
    registration = register(session, agent, step=step)
    attendance.record(session, {registration.pk: A}, by=advisor)
    attendance.close(session, by=advisor)
    with pytest.raises(AttendanceError, match="seul le service formation"):
        attendance.record(session, {registration.pk: P}, by=advisor)
    # Absent → present after closing: the step is done and the evidence written then.
    assert attendance.record(session, {registration.pk: P}, by=hr) == 1
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
    assert Evidence.objects.filter(agent=agent).count() == 1
    # Present → absent keeps the step done; back to present writes no second evidence.
    attendance.record(session, {registration.pk: A}, by=hr)
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
    attendance.record(session, {registration.pk: P}, by=hr)
    assert Evidence.objects.filter(agent=agent).count() == 1


# --- Tablet sheet -----------------------------------------------------------------------------


@pytest.fixture
def trainers(world):
    """The session's trainer with an account, and another trainer with one."""
    own = Trainer.objects.create(
        name="Fresque Animatrice",
        kind=TrainerKind.FRESQUE,
        user=user_with_role(Role.AGENT, username="animatrice"),
    )
    other = Trainer.objects.create(
        name="Autre Animateur",
        kind=TrainerKind.FRESQUE,
        user=user_with_role(Role.AGENT, username="autre"),
    )
    return own, other


@pytest.mark.django_db
def test_the_sheet_per_role(world, client, trainers):
    own, other = trainers
    session = past_session(trainers=[own])
    register(session, world.agents[("Direction B", "ville")])
    url = reverse("planning:attendance_sheet", args=[session.pk])
    pdf_url = reverse("planning:attendance_sheet_pdf", args=[session.pk])
    allowed = {Role.HR, Role.ADMIN, Role.ADVISOR}
    failures = []
    for role, user in world.users.items():
        client.force_login(user)
        for address in (url, pdf_url):
            status = client.get(address).status_code
            if (status == 200) != (role in allowed):
                failures.append(f"{address} {role} {status}")
    for user, expected in ((own.user, 200), (other.user, 403)):
        client.force_login(user)
        for address in (url, pdf_url):
            if client.get(address).status_code != expected:
                failures.append(f"{address} {user.username}")
    assert not failures, failures


@pytest.mark.django_db
def test_the_trainer_marks_and_closes_on_the_sheet(world, client, trainers):
    own, _other = trainers
    m = module("fresque", "La Fresque du Climat")
    session = past_session(m, trainers=[own])
    agent = AgentFactory(first_name="Awa", last_name="Diallo")
    step = pathway_for(agent, m, status=StepStatus.VALIDATED).steps.get()
    came = register(session, agent, step=step)
    missed = register(session, AgentFactory(first_name="Luc", last_name="Martin"))
    register(
        session,
        AgentFactory(first_name="Zoé", last_name="Attente"),
        status=RegistrationStatus.WAITING,
        waiting_position=1,
    )
    client.force_login(own.user)
    url = reverse("planning:attendance_sheet", args=[session.pk])
    page = text(client.get(url))
    assert "<legend" in page and "Awa Diallo" in page
    assert f'name="presence_{came.pk}"' in page
    assert "Zoé Attente" in page  # shown apart, without radio buttons
    assert "liste d'attente" in page
    assert len([r for r in Registration.objects.all() if f"presence_{r.pk}" in page]) == 2

    response = client.post(url, {f"presence_{came.pk}": P, "enregistrer": ""})
    assert response.status_code == 302
    came.refresh_from_db()
    assert came.attendance == P

    # Closing with one agent not marked: refused, and the marks of this post are not kept.
    response = client.post(url, {f"presence_{came.pk}": A, "clore": "1"})
    assert response.status_code == 200
    assert "1 agent sans présence notée" in text(response)
    came.refresh_from_db()
    assert came.attendance == P

    response = client.post(
        url, {f"presence_{came.pk}": P, f"presence_{missed.pk}": A, "clore": "1"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
    page = text(client.get(url))
    assert "Feuille close" in page
    assert "presence_" not in page  # read-only for the trainer now
    # A post anyway changes nothing.
    client.post(url, {f"presence_{came.pk}": A})
    came.refresh_from_db()
    assert came.attendance == P

    client.force_login(world.users[Role.HR])
    assert f"presence_{came.pk}" in text(client.get(url))  # HR may correct


@pytest.mark.django_db
def test_a_bad_mark_is_refused_on_its_group(client, advisor):
    session = past_session()
    registration = register(session, AgentFactory())
    client.force_login(advisor)
    url = reverse("planning:attendance_sheet", args=[session.pk])
    response = client.post(url, {f"presence_{registration.pk}": "retard"})
    assert response.status_code == 200
    page = text(response)
    assert "Choisissez présent, absent ou excusé." in page
    assert f'id="id_presence_{registration.pk}-erreur"' in page
    registration.refresh_from_db()
    assert registration.attendance == ""


@pytest.mark.django_db
def test_a_sheet_before_the_session_has_no_buttons(client, advisor):
    session = past_session(hours_ago=-48)
    register(session, AgentFactory())
    client.force_login(advisor)
    page = text(client.get(reverse("planning:attendance_sheet", args=[session.pk])))
    assert "n'a pas encore commencé" in page
    assert "presence_" not in page


@pytest.mark.django_db
def test_the_sheet_reads_in_few_queries(client, advisor, django_assert_max_num_queries):
    session = past_session()
    for _ in range(12):
        register(session, AgentFactory())
    client.force_login(advisor)
    with django_assert_max_num_queries(12):
        client.get(reverse("planning:attendance_sheet", args=[session.pk]))


# --- Printed sheet ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_printed_sheet_lists_the_agents_and_is_audited(client, advisor):
    own = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    session = past_session(trainers=[own], hours=7)
    register(session, AgentFactory(first_name="Awa", last_name="Diallo"))
    register(
        session,
        AgentFactory(first_name="Zoé", last_name="Attente"),
        status=RegistrationStatus.WAITING,
        waiting_position=1,
    )
    client.force_login(advisor)
    response = client.get(reverse("planning:attendance_sheet_pdf", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = pdf_text(response.content)
    assert "DIALLO Awa" in content
    assert "Attente" not in content
    assert "Nadia Conseil" in content
    assert "matin" in content and "après-midi" in content  # 7 hours: two signatures
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


# --- Attestation ------------------------------------------------------------------------------


@pytest.fixture
def held(world, advisor):
    """A held session of a module with outcomes: the agent of the world present, a
    colleague absent."""
    m = with_outcomes(module("messagerie", "Ma messagerie"), ("2.1", 1, 3))
    trainer = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    session = past_session(m, trainers=[trainer])
    agent = world.users[Role.AGENT].agent
    present = register(session, agent)
    absent = register(session, world.agents[("Service A2", "metropole")])
    attendance.record(session, {present.pk: P, absent.pk: A}, by=advisor)
    attendance.close(session, by=advisor)
    return present, absent


@pytest.mark.django_db
def test_the_attestation_per_role(world, client, held):
    present, _absent = held
    url = reverse("planning:attestation", args=[present.pk])
    # HR (direction A), the advisors, the admin, and the agent themself; the agent's
    # manager is on another team: refused, like mobility and direction.
    allowed = {Role.AGENT, Role.HR, Role.ADMIN, Role.ADVISOR}
    failures = []
    for role, user in world.users.items():
        client.force_login(user)
        status = client.get(url).status_code
        if (status == 200) != (role in allowed):
            failures.append(f"{role} {status}")
    assert not failures, failures
    someone_else = user_with_role(Role.AGENT, agent=world.agents[("Direction B", "ville")])
    client.force_login(someone_else)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_attestation_says_what_was_attended(world, client, held):
    present, _absent = held
    client.force_login(world.users[Role.AGENT])
    response = client.get(reverse("planning:attestation", args=[present.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = pdf_text(response.content)
    agent = present.agent
    assert f"{agent.first_name} {agent.last_name.upper()}" in content
    assert "Ma messagerie" in content
    assert "2 heures" in content
    assert "Interagir" in content  # competence 2.1, level 1 → 3
    assert "Nadia Conseil" in content
    assert "Ville de Test" in content  # issued by the collectivité
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert entry.target_id == str(present.pk)


@pytest.mark.django_db
def test_no_attestation_unless_present_at_a_held_session(world, client, held, advisor):
    _present, absent = held
    client.force_login(world.users[Role.ADMIN])
    assert client.get(reverse("planning:attestation", args=[absent.pk])).status_code == 404
    session = past_session()
    not_closed = register(session, AgentFactory())
    attendance.record(session, {not_closed.pk: P}, by=advisor)
    assert client.get(reverse("planning:attestation", args=[not_closed.pk])).status_code == 404


# --- No-shows ---------------------------------------------------------------------------------


@pytest.fixture
def no_show_data(world, advisor):
    """Direction A: A1a-ville 2 absent + 1 present; A2-ville 1 excused + 1 absent;
    Direction B (outside HR's scope): 3 absent. One absence 400 days ago, out of the
    default period, and one at a cancelled session, never counted."""
    a1a = world.agents[("Équipe A1a", "ville")]
    a2 = world.agents[("Service A2", "ville")]
    b = world.agents[("Direction B", "ville")]
    plan = [(a1a, [A, A, P]), (a2, [E, A]), (b, [A, A, A])]
    for index in range(3):
        session = past_session(hours_ago=24 * (index + 1))
        marks = {}
        for agent, given in plan:
            if index < len(given):
                marks[register(session, agent).pk] = given[index]
        attendance.record(session, marks, by=advisor)
    old = past_session(hours_ago=24 * 400)
    attendance.record(old, {register(old, a1a).pk: A}, by=advisor)
    cancelled = past_session(hours_ago=24 * 5)
    attendance.record(cancelled, {register(cancelled, a1a).pk: A}, by=advisor)
    cancelled.status = SessionStatus.CANCELLED
    cancelled.save()
    return a1a, a2, b


def _rows(response):
    return [
        (row.get("agent__last_name") or row.get("agent__unit__name"), *(row[k] for k in keys))
        for row in response.context["page"].object_list
    ]


keys = ("registered", "present", "absent", "excused")


@pytest.mark.django_db
def test_no_shows_per_agent_and_per_team_within_the_scope(world, client, no_show_data):
    a1a, a2, b = no_show_data
    client.force_login(world.users[Role.HR])
    url = reverse("planning:no_shows")
    response = client.get(url)
    assert _rows(response) == [(a1a.last_name, 3, 1, 2, 0), (a2.last_name, 2, 0, 1, 1)]
    assert [round(r["rate"]) for r in response.context["page"].object_list] == [67, 50]
    response = client.get(url, {"per": "equipes"})
    assert _rows(response) == [("Équipe A1a", 3, 1, 2, 0), ("Service A2", 2, 0, 1, 1)]
    # The advisor sees everybody; the whole history when asked.
    client.force_login(world.users[Role.ADVISOR])
    response = client.get(url, {"starts_on": "2000-01-01"})
    assert _rows(response)[:2] == [(b.last_name, 3, 0, 3, 0), (a1a.last_name, 4, 1, 3, 0)]
    # The manager sees their team.
    client.force_login(world.users[Role.MANAGER])
    assert [r[0] for r in _rows(client.get(url))] == [a1a.last_name]


@pytest.mark.django_db
def test_no_shows_per_role_and_bad_period(world, client):
    url = reverse("planning:no_shows")
    allowed = {Role.HR, Role.ADMIN, Role.ADVISOR, Role.MANAGER}
    failures = []
    for role, user in world.users.items():
        client.force_login(user)
        status = client.get(url).status_code
        if (status == 200) != (role in allowed):
            failures.append(f"{role} {status}")
    assert not failures, failures
    client.force_login(world.users[Role.HR])
    response = client.get(url, {"starts_on": "2025-03-01", "ends_on": "2025-01-01"})
    page = text(response)
    assert "La fin de la période doit venir après son début." in page
    assert 'id="id_ends_on-erreur"' in page


@pytest.mark.django_db
def test_no_shows_in_few_queries(world, client, advisor, django_assert_max_num_queries):
    for _ in range(3):
        session = past_session(hours_ago=30)
        agents = [AgentFactory() for _ in range(10)]
        attendance.record(
            session, {register(session, a).pk: random.choice([P, A, E]) for a in agents}, by=advisor
        )
    client.force_login(world.users[Role.ADVISOR])
    for per in ("agents", "equipes"):
        with django_assert_max_num_queries(8):
            response = client.get(reverse("planning:no_shows"), {"per": per})
        assert response.context["page"].paginator.count == 30  # each agent has their own unit


# --- Demo -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_closes_a_few_past_sessions(world):
    from tremplin.planning import demo_attendance

    m = with_outcomes(module("messagerie", "Ma messagerie"), ("2.1", 1, 3))
    trainer = Trainer.objects.create(
        name="Nadia Conseil", kind=TrainerKind.ADVISOR, user=world.users[Role.ADVISOR]
    )
    trainer.modules.add(m)
    Room.objects.create(site=SiteFactory(), name="Salle de formation", capacity=10)
    agent = world.agents[("Équipe A1a", "ville")]
    pathway_for(agent, m, status=StepStatus.VALIDATED)
    counts = demo_attendance.seed(random.Random(1), timezone.localdate())
    assert counts["séances"] >= 3
    held = Session.objects.filter(status=SessionStatus.HELD)
    assert held.count() == counts["séances"]
    assert not Registration.objects.filter(session__in=held, attendance="").exists()
    assert all(s.starts_at < timezone.now() for s in held)
    assert Registration.objects.filter(attendance=P).count() == counts["présents"]


# --- Walk-ins -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_agent_who_came_without_a_seat_is_added_present(world, client, trainers):
    own, other = trainers
    m = module("fresque", "La Fresque du Climat")
    session = past_session(m, trainers=[own], capacity=1)
    register(session, AgentFactory())
    came = AgentFactory(first_name="Awa", last_name="Diallo", matricule="W001")
    step = pathway_for(came, m, status=StepStatus.VALIDATED).steps.get()
    waiting = AgentFactory(matricule="W002")
    on_list = register(session, waiting, status=RegistrationStatus.WAITING, waiting_position=1)
    url = reverse("planning:attendance_walk_in", args=[session.pk])
    # Another trainer may not; a matricule nobody has is said on the field.
    client.force_login(other.user)
    assert client.post(url, {"matricule": "W001"}).status_code == 403
    client.force_login(own.user)
    page = text(client.post(url, {"matricule": "ZZZ"}))
    assert "Aucun agent en poste n'a ce matricule." in page
    assert session.registrations.count() == 2
    response = client.post(url, {"matricule": " w001 "})
    assert response.status_code == 302
    added = session.registrations.get(agent=came)
    assert added.status == RegistrationStatus.REGISTERED and added.attendance == P
    assert added.step == step and added.attendance_recorded_by == own.user
    # Twice: refused on the field, nothing added.
    assert "Awa Diallo est déjà sur la feuille." in text(client.post(url, {"matricule": "W001"}))
    # The agent on the waiting list who came takes their place on the sheet.
    client.post(url, {"matricule": "W002"})
    on_list.refresh_from_db()
    assert on_list.status == RegistrationStatus.REGISTERED and on_list.waiting_position is None
    assert session.registrations.count() == 3  # the seat count went over: the room held them


@pytest.mark.django_db
def test_a_walk_in_after_closing_is_for_hr_and_completes_the_step(world, client, advisor, hr):
    m = module("visio", "La visio")
    session = past_session(m)
    first = register(session, AgentFactory())
    attendance.record(session, {first.pk: P}, by=advisor)
    attendance.close(session, by=advisor)
    late = AgentFactory(matricule="W003")
    step = pathway_for(late, m, status=StepStatus.VALIDATED).steps.get()
    with pytest.raises(attendance.AttendanceError, match="seul le service formation"):
        attendance.add_walk_in(session, late, by=advisor)
    assert not session.registrations.filter(agent=late).exists()
    attendance.add_walk_in(session, late, by=hr)
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
