"""Resource pages: trainers (weekly slots in one transaction, absences), rooms and
service-continuity rules, per role; every form's bad input refused in French on its
field with nothing saved; the session form's new refusals (absent trainer, maximum per
day, outside the weekly slots); bounded queries on the lists."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.planning.test_registrations import at, monday
from tests.planning.test_session_views import form_data
from tests.training.test_pathway_views import module
from tremplin.accounts.enums import Role
from tremplin.planning.enums import SessionStatus
from tremplin.planning.models import (
    ContinuityRule,
    Room,
    Session,
    Trainer,
    TrainerAbsence,
    TrainerAvailability,
)
from tremplin.training.enums import TrainerKind

READERS = {Role.HR, Role.ADMIN, Role.ADVISOR}
EDITORS = {Role.HR, Role.ADMIN}


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def trainer(world):
    t = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR, home_site=world.site)
    t.modules.add(module("messagerie", "Ma messagerie"))
    return t


@pytest.fixture
def room(world):
    return Room.objects.create(site=world.site, name="Salle A", capacity=8)


@pytest.mark.django_db
def test_pages_per_role(world, client, trainer, room):
    absence = TrainerAbsence.objects.create(
        trainer=trainer, starts_on=dt.date(2030, 1, 2), ends_on=dt.date(2030, 1, 3)
    )
    rule = ContinuityRule.objects.create(unit=world.team_a1a, max_absent_percent=50)
    gets = [
        (reverse("planning:trainer_list"), READERS),
        (reverse("planning:trainer_detail", args=[trainer.pk]), READERS),
        (reverse("planning:trainer_create"), EDITORS),
        (reverse("planning:trainer_edit", args=[trainer.pk]), EDITORS),
        (reverse("planning:room_list"), READERS),
        (reverse("planning:room_create"), EDITORS),
        (reverse("planning:room_edit", args=[room.pk]), EDITORS),
        (reverse("planning:rule_list"), READERS),
        (reverse("planning:rule_create"), EDITORS),
        (reverse("planning:rule_edit", args=[rule.pk]), EDITORS),
        (reverse("planning:rule_delete", args=[rule.pk]), EDITORS),
    ]
    failures = []
    for url, allowed in gets:
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (status == 200) != (role in allowed):
                failures.append(f"{url} {role} {status}")
    # Writes refused to readers: nothing changes.
    posts = [
        reverse("planning:trainer_absence_add", args=[trainer.pk]),
        reverse("planning:trainer_absence_delete", args=[trainer.pk, absence.pk]),
        reverse("planning:rule_delete", args=[rule.pk]),
    ]
    for url in posts:
        for role in (Role.ADVISOR, Role.MANAGER, Role.AGENT, Role.DIRECTION):
            client.force_login(world.users[role])
            status = client.post(url, {"starts_on": "2031-01-01", "ends_on": "2031-01-02"})
            if status.status_code != 403:
                failures.append(f"POST {url} {role} {status.status_code}")
    assert not failures, failures
    assert TrainerAbsence.objects.count() == 1 and ContinuityRule.objects.count() == 1


@pytest.mark.django_db
def test_readers_see_no_edit_buttons(world, client, trainer, room):
    client.force_login(world.users[Role.ADVISOR])
    page = text(client.get(reverse("planning:trainer_detail", args=[trainer.pk])))
    assert "Ma messagerie" in page and "Hôtel de ville" in page
    assert "Ajouter une absence" not in page and "Modifier" not in page
    assert "Nouvelle salle" not in text(client.get(reverse("planning:room_list")))
    client.force_login(world.users[Role.HR])
    page = text(client.get(reverse("planning:trainer_detail", args=[trainer.pk])))
    assert "Ajouter une absence" in page


# --- Trainers ---------------------------------------------------------------------------------


def trainer_data(trainer, slots=(), **changes):
    data = {
        "name": trainer.name,
        "kind": trainer.kind,
        "provider": "",
        "home_site": trainer.home_site_id or "",
        "modules": [m.pk for m in trainer.modules.all()] if trainer.pk else [],
        "max_sessions_per_day": 2,
        "max_sessions_per_week": 8,
        "active": "on",
        "creneaux-TOTAL_FORMS": len(slots),
        "creneaux-INITIAL_FORMS": 0,
        "creneaux-MIN_NUM_FORMS": 0,
        "creneaux-MAX_NUM_FORMS": 1000,
    }
    for i, (weekday, starts, ends) in enumerate(slots):
        data.update(
            {
                f"creneaux-{i}-weekday": weekday,
                f"creneaux-{i}-starts_at": starts,
                f"creneaux-{i}-ends_at": ends,
            }
        )
    data.update(changes)
    return data


@pytest.mark.django_db
def test_hr_edits_a_trainer_and_their_weekly_slots(world, client, trainer):
    client.force_login(world.users[Role.HR])
    url = reverse("planning:trainer_edit", args=[trainer.pk])
    other = module("tableur", "Le tableur")
    # The page's empty extra lines show no day, and come back blank: they are skipped.
    page = text(client.get(url))
    assert page.count('<option value="" selected>Choisir un jour</option>') == 2
    data = trainer_data(
        trainer,
        slots=[(1, "09:00", "12:00"), (1, "14:00", "17:00"), (3, "09:00", "12:00"), ("", "", "")],
        modules=[other.pk],
        max_sessions_per_day=3,
    )
    response = client.post(url, data)
    assert response["Location"] == reverse("planning:trainer_detail", args=[trainer.pk])
    trainer.refresh_from_db()
    assert list(trainer.modules.all()) == [other]
    assert trainer.max_sessions_per_day == 3
    assert list(trainer.availabilities.values_list("weekday", "starts_at")) == [
        (1, dt.time(9)),
        (1, dt.time(14)),
        (3, dt.time(9)),
    ]
    page = text(client.get(response["Location"]))
    assert "Le lundi, de 14:00 à 17:00" in page
    # Deleting a slot through the same form.
    first = trainer.availabilities.first()
    data = trainer_data(
        trainer,
        **{
            "modules": [other.pk],
            "creneaux-TOTAL_FORMS": 1,
            "creneaux-INITIAL_FORMS": 1,
            "creneaux-0-id": first.pk,
            "creneaux-0-weekday": 1,
            "creneaux-0-starts_at": "09:00",
            "creneaux-0-ends_at": "12:00",
            "creneaux-0-DELETE": "on",
        },
    )
    client.post(url, data)
    assert trainer.availabilities.count() == 2


@pytest.mark.django_db
def test_hr_creates_a_trainer(world, client):
    client.force_login(world.users[Role.HR])
    blank = Trainer(name="Léa Fresque", kind=TrainerKind.FRESQUE)
    response = client.post(
        reverse("planning:trainer_create"), trainer_data(blank, slots=[(2, "13:30", "17:00")])
    )
    created = Trainer.objects.get(name="Léa Fresque")
    assert response["Location"] == reverse("planning:trainer_detail", args=[created.pk])
    assert created.availabilities.get().weekday == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slots, changes, field, message",
    [
        ([(1, "12:00", "09:00")], {}, "creneaux-0-ends_at", "L'heure de fin doit venir après"),
        (
            [(2, "09:00", "12:00"), (2, "11:00", "13:00")],
            {},
            "creneaux-1-starts_at",
            "Ce créneau chevauche celui du mardi de 09:00 à 12:00.",
        ),
        ([(8, "09:00", "12:00")], {}, "creneaux-0-weekday", "Sélectionnez un choix valide"),
        ([], {"max_sessions_per_day": 0}, "max_sessions_per_day", "Indiquez au moins 1."),
        (
            [],
            {"max_sessions_per_day": 3, "max_sessions_per_week": 2},
            "max_sessions_per_week",
            "ne peut pas être plus petit que le maximum par jour",
        ),
        ([], {"name": ""}, "name", "Ce champ est obligatoire."),
    ],
)
def test_bad_trainer_input_changes_nothing(world, client, trainer, slots, changes, field, message):
    client.force_login(world.users[Role.HR])
    data = trainer_data(trainer, slots=slots, **{"max_sessions_per_day": 5, **changes})
    response = client.post(reverse("planning:trainer_edit", args=[trainer.pk]), data)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert f'id="id_{field}-erreur"' in page
    trainer.refresh_from_db()
    assert trainer.max_sessions_per_day == 2  # the trainer's own fields are not saved either
    assert not TrainerAvailability.objects.exists()


@pytest.mark.django_db
def test_hr_adds_and_removes_an_absence(world, client, trainer):
    client.force_login(world.users[Role.HR])
    add = reverse("planning:trainer_absence_add", args=[trainer.pk])
    start = at(monday(), 9).date()
    response = client.post(
        add,
        {
            "starts_on": start.isoformat(),
            "ends_on": (start + dt.timedelta(days=2)).isoformat(),
            "reason": "Congés",
        },
        follow=True,
    )
    assert f"Absence enregistrée du {start:%d/%m/%Y}" in text(response)
    absence = trainer.absences.get()
    assert absence.reason == "Congés"
    # The same days again: refused, naming the existing absence.
    response = client.post(add, {"starts_on": start.isoformat(), "ends_on": start.isoformat()})
    assert "Nadia Conseil est déjà absent(e) du" in text(response)
    assert 'id="id_starts_on-erreur"' in text(response)
    client.post(reverse("planning:trainer_absence_delete", args=[trainer.pk, absence.pk]))
    assert not trainer.absences.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"starts_on": "2030-05-10", "ends_on": "2030-05-09"},
            "ends_on",
            "La fin de l'absence doit venir après son début.",
        ),
        ({"starts_on": "", "ends_on": "2030-05-09"}, "starts_on", "Ce champ est obligatoire."),
        (
            {"starts_on": "10 mai", "ends_on": "2030-05-09"},
            "starts_on",
            "Saisissez une date valide.",
        ),
    ],
)
def test_bad_absences_are_refused(world, client, trainer, data, field, message):
    client.force_login(world.users[Role.HR])
    response = client.post(reverse("planning:trainer_absence_add", args=[trainer.pk]), data)
    assert response.status_code == 200
    page = text(response)
    assert message in page and f'id="id_{field}-erreur"' in page
    assert not TrainerAbsence.objects.exists()


@pytest.mark.django_db
def test_trainer_list_counts_this_months_sessions(
    world, client, trainer, room, django_assert_max_num_queries
):
    for i in range(6):
        t = Trainer.objects.create(name=f"Formateur {i}", kind=TrainerKind.EXTERNAL)
        t.modules.add(module(f"m{i}"), module(f"n{i}"))
    from django.utils import timezone

    now = timezone.localtime()
    first = now.replace(day=1, hour=8, minute=0, second=0, microsecond=0)
    for days, status in (
        (0, SessionStatus.PLANNED),
        (1, SessionStatus.HELD),
        (2, SessionStatus.CANCELLED),
        (40, SessionStatus.PLANNED),
    ):
        s = Session.objects.create(
            module=trainer.modules.first(),
            starts_at=first + dt.timedelta(days=days),
            ends_at=first + dt.timedelta(days=days, hours=1),
            capacity=4,
            status=status,
        )
        s.trainers.add(trainer)
    client.force_login(world.users[Role.ADVISOR])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("planning:trainer_list"))
    row = text(response).split("Nadia Conseil", 1)[1].split("</tr>", 1)[0]
    assert "Ma messagerie" in row and "Hôtel de ville" in row
    assert ">2<span" in row  # planned + held this month, not the cancelled or next month's
    assert "Formateur 5" in text(response)


# --- Rooms ------------------------------------------------------------------------------------


def room_data(site, **changes):
    return {
        "site": site.pk if site else "",
        "name": "Salle B",
        "capacity": 10,
        "has_computers": "on",
        "step_free": "on",
        "active": "on",
        **changes,
    }


@pytest.mark.django_db
def test_hr_creates_and_edits_a_room(world, client, room):
    client.force_login(world.users[Role.HR])
    response = client.post(reverse("planning:room_create"), room_data(world.site))
    assert response["Location"] == reverse("planning:room_list")
    created = Room.objects.get(name="Salle B")
    assert created.has_computers and not created.has_tablets and created.capacity == 10
    client.post(
        reverse("planning:room_edit", args=[room.pk]),
        room_data(world.site, name="Salle A", capacity=12, step_free=""),
    )
    room.refresh_from_db()
    assert room.capacity == 12 and not room.step_free


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"capacity": 0}, "capacity", "Une salle a au moins 1 place."),
        ({"name": "salle a"}, "name", "Le site « Hôtel de ville » a déjà une salle « salle a »."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
        ({"site": None}, "site", "Ce champ est obligatoire."),
    ],
)
def test_bad_rooms_are_refused(world, client, room, changes, field, message):
    client.force_login(world.users[Role.HR])
    site = changes.pop("site", world.site)
    response = client.post(reverse("planning:room_create"), room_data(site, **changes))
    assert response.status_code == 200
    page = text(response)
    assert message in page and f'id="id_{field}-erreur"' in page
    assert Room.objects.count() == 1


@pytest.mark.django_db
def test_the_same_room_name_is_fine_on_another_site(world, client, room):
    client.force_login(world.users[Role.HR])
    other = SiteFactory(name="Médiathèque")
    client.post(reverse("planning:room_create"), room_data(other, name="Salle A"))
    assert Room.objects.filter(name="Salle A").count() == 2


@pytest.mark.django_db
def test_room_list_queries(world, client, django_assert_max_num_queries):
    for i in range(20):
        Room.objects.create(site=SiteFactory(), name=f"Salle {i}", capacity=5 + i)
    client.force_login(world.users[Role.ADVISOR])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("planning:room_list"))
    assert "Salle 19" in text(response)


# --- Continuity rules -------------------------------------------------------------------------


@pytest.mark.django_db
def test_rules_show_team_size_and_max_absent(world, client, django_assert_max_num_queries):
    for _ in range(8):
        AgentFactory(unit=world.team_a1a)  # 2 + 8 = 10 agents
    ContinuityRule.objects.create(unit=world.team_a1a, max_absent_percent=25)
    ContinuityRule.objects.create(unit=world.serv_a2, max_absent_percent=10)  # 2 agents
    for i in range(5):
        ContinuityRule.objects.create(unit=OrgUnitFactory(name=f"Unité {i}"), max_absent_percent=20)
    client.force_login(world.users[Role.ADMIN])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("planning:rule_list"))
    page = text(response)
    a1a = page.split("Équipe A1a", 1)[1].split("</tr>", 1)[0]
    assert [c.split("<")[0] for c in a1a.split('text-end">')[1:]] == ["25 %", "10", "2"]
    a2 = page.split("Service A2", 1)[1].split("</tr>", 1)[0]
    # 10 % of 2 is 0: at least one agent may always go.
    assert [c.split("<")[0] for c in a2.split('text-end">')[1:]] == ["10 %", "2", "1"]
    assert "Unité 4" in page


@pytest.mark.django_db
def test_hr_sees_and_edits_only_rules_of_their_scope(world, client):
    mine = ContinuityRule.objects.create(unit=world.serv_a2, max_absent_percent=10)
    theirs = ContinuityRule.objects.create(unit=world.dir_b, max_absent_percent=10)
    client.force_login(world.users[Role.HR])  # direction A
    page = text(client.get(reverse("planning:rule_list")))
    assert "Service A2" in page and "Direction B" not in page
    assert client.get(reverse("planning:rule_edit", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("planning:rule_edit", args=[mine.pk]),
        {"unit": world.serv_a2.pk, "max_absent_percent": 30},
    )
    assert response["Location"] == reverse("planning:rule_list")
    mine.refresh_from_db()
    assert mine.max_absent_percent == 30
    # A unit outside the scope is not offered.
    response = client.post(
        reverse("planning:rule_create"), {"unit": world.dir_b.pk, "max_absent_percent": 30}
    )
    assert "Sélectionnez un choix valide" in text(response)
    client.post(reverse("planning:rule_delete", args=[mine.pk]))
    assert list(ContinuityRule.objects.all()) == [theirs]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "percent, field, message",
    [
        (0, "max_absent_percent", "Indiquez un pourcentage entre 1 et 100."),
        (101, "max_absent_percent", "Indiquez un pourcentage entre 1 et 100."),
        (20, "unit", "L'équipe « Équipe A1a » a déjà une règle : modifiez-la plutôt."),
    ],
)
def test_bad_rules_are_refused(world, client, percent, field, message):
    ContinuityRule.objects.create(unit=world.team_a1a, max_absent_percent=50)
    client.force_login(world.users[Role.HR])
    response = client.post(
        reverse("planning:rule_create"),
        {
            "unit": world.team_a1a.pk if field == "unit" else world.serv_a2.pk,
            "max_absent_percent": percent,
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert message in page and f'id="id_{field}-erreur"' in page
    assert ContinuityRule.objects.count() == 1


# --- Session form: absences, maximum per day, weekly slots ------------------------------------


@pytest.fixture
def session_setup(world, trainer, room):
    return trainer.modules.first(), room, trainer


def post_session(client, world, data):
    client.force_login(world.users[Role.HR])
    return client.post(reverse("planning:session_create"), data)


@pytest.mark.django_db
def test_an_absent_trainer_is_refused_with_the_dates(world, client, session_setup):
    m, room, trainer = session_setup
    start = at(monday(), 9)
    TrainerAbsence.objects.create(
        trainer=trainer, starts_on=start.date() - dt.timedelta(days=1), ends_on=start.date()
    )
    response = post_session(client, world, form_data(m, room, start, trainers=[trainer]))
    page = text(response)
    first = start.date() - dt.timedelta(days=1)
    assert f"Nadia Conseil est absent(e) du {first:%d/%m/%Y} au {start.date():%d/%m/%Y}." in page
    assert 'id="id_trainers-erreur"' in page
    assert not Session.objects.exists()
    # The day after the absence is fine.
    response = post_session(
        client, world, form_data(m, room, start + dt.timedelta(days=1), trainers=[trainer])
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_trainer_above_their_maximum_per_day_is_refused(world, client, session_setup):
    m, room, trainer = session_setup
    trainer.max_sessions_per_day = 1
    trainer.save()
    start = at(monday(), 9)
    assert (
        post_session(client, world, form_data(m, room, start, trainers=[trainer])).status_code
        == 302
    )
    response = post_session(
        client, world, form_data(m, room, start.replace(hour=14), trainers=[trainer])
    )
    assert "Nadia Conseil anime déjà 1 séance le" in text(response)
    assert "c'est son maximum par jour" in text(response)
    assert Session.objects.count() == 1
    # A cancelled session does not count; editing the session itself does not either.
    Session.objects.update(status=SessionStatus.CANCELLED)
    response = post_session(
        client, world, form_data(m, room, start.replace(hour=14), trainers=[trainer])
    )
    assert response.status_code == 302
    session = Session.objects.live().get()
    response = client.post(
        reverse("planning:session_edit", args=[session.pk]),
        form_data(m, room, start.replace(hour=15), trainers=[trainer]),
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_weekly_slots_are_checked_only_when_there_are_some(world, client, session_setup):
    m, room, trainer = session_setup
    start = at(monday(), 18)  # a Monday evening
    assert (
        post_session(client, world, form_data(m, room, start, trainers=[trainer])).status_code
        == 302
    )
    TrainerAvailability.objects.create(
        trainer=trainer, weekday=1, starts_at=dt.time(9), ends_at=dt.time(12)
    )
    TrainerAvailability.objects.create(
        trainer=trainer, weekday=3, starts_at=dt.time(13, 30), ends_at=dt.time(17)
    )
    later = start + dt.timedelta(days=7)
    response = post_session(client, world, form_data(m, room, later, trainers=[trainer]))
    assert (
        "La séance tombe en dehors des disponibilités de Nadia Conseil "
        "(lundi 09:00–12:00, mercredi 13:30–17:00)." in text(response)
    )
    # 10:00–12:00 on the Monday fits; 11:00–13:00 goes past the slot.
    response = post_session(
        client, world, form_data(m, room, later.replace(hour=11), trainers=[trainer])
    )
    assert "en dehors des disponibilités" in text(response)
    response = post_session(
        client, world, form_data(m, room, later.replace(hour=10), trainers=[trainer])
    )
    assert response.status_code == 302
    assert Session.objects.count() == 2


# --- Periods without training ---------------------------------------------------------------


def test_periods_without_training_per_role(client, world):
    from tremplin.planning.models import ClosedPeriod

    url = reverse("planning:closed_period_list")
    client.force_login(world.users[Role.AGENT])
    assert client.get(url).status_code == 403
    client.force_login(world.users[Role.ADVISOR])
    page = text(client.get(url))
    assert "Aucune période à venir" in page and "Ajouter la période" not in page
    assert client.post(url, {"name": "Noël"}).status_code == 403
    client.force_login(world.users[Role.HR])
    bad = client.post(url, {"name": "Noël", "starts_on": "2027-01-03", "ends_on": "2026-12-19"})
    assert "La fin doit venir après le début." in text(bad)
    assert not ClosedPeriod.objects.exists()
    response = client.post(
        url, {"name": "Vacances de Noël", "starts_on": "2027-12-18", "ends_on": "2028-01-02"}
    )
    assert response.status_code == 302
    period = ClosedPeriod.objects.get()
    assert "Vacances de Noël" in text(client.get(url))
    client.post(reverse("planning:closed_period_delete", args=[period.pk]))
    assert not ClosedPeriod.objects.exists()


def test_the_planner_places_nothing_in_a_period_without_training(db):
    from tremplin.planning import plan_adapter
    from tremplin.planning.models import ClosedPeriod

    ClosedPeriod.objects.create(
        name="Vacances d'hiver", starts_on=dt.date(2027, 2, 20), ends_on=dt.date(2027, 3, 7)
    )
    problem, _context = plan_adapter.build_problem(
        start=dt.date(2027, 2, 1), end=dt.date(2027, 3, 31)
    )
    days = {slot.day for slot in problem.slots}
    assert dt.date(2027, 2, 19) in days and dt.date(2027, 3, 8) in days
    assert not any(dt.date(2027, 2, 20) <= day <= dt.date(2027, 3, 7) for day in days)
