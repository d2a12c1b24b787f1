"""The coaching log: per-role access, the entry form's refusals (French, on the field,
nothing saved), group coachings by matricule, who may change what, the list's scope
and query count, the activity figures against a small hand-built dataset, the CSV
export, the agent-side query and the demo."""

import datetime as dt
import html
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory, SiteFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.planning import coaching
from tremplin.planning.enums import Autonomy, CoachingFollowUp, CoachingPlace
from tremplin.planning.models import CoachingEntry, CoachingTheme

LOGGERS = {Role.ADVISOR, Role.HR, Role.ADMIN}


def text(response) -> str:
    return html.unescape(response.content.decode())


def theme(name="Messagerie et agenda", active=True):
    return CoachingTheme.objects.update_or_create(name=name, defaults={"active": active})[0]


def entry(advisor, agents, *, day=None, minutes=60, themes=(), **fields):
    e = CoachingEntry.objects.create(
        advisor=advisor,
        happened_on=day or timezone.localdate(),
        duration_minutes=minutes,
        place=fields.pop("place", CoachingPlace.REMOTE),
        autonomy=fields.pop("autonomy", Autonomy.PARTLY),
        **fields,
    )
    e.agents.set(agents)
    e.themes.set(themes or [theme()])
    return e


def form_data(agents, **changes):
    data = {
        "happened_on": timezone.localdate().isoformat(),
        "duration_choice": "30",
        "duration_other": "",
        "place": CoachingPlace.REMOTE,
        "site": "",
        "place_detail": "",
        "matricules": "\n".join(a.matricule for a in agents),
        "themes": [theme().pk],
        "autonomy": Autonomy.AUTONOMOUS,
        "follow_up": CoachingFollowUp.NONE,
        "follow_up_detail": "",
        "notes": "",
    }
    data.update(changes)
    return data


# --- Access -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_per_role(world, client):
    advisor = world.users[Role.ADVISOR]
    e = entry(advisor, [world.agents[("Service A2", "ville")]])
    pages = [
        reverse("coaching:list"),
        reverse("coaching:create"),
        reverse("coaching:activity"),
        reverse("coaching:detail", args=[e.pk]),
        reverse("coaching:edit", args=[e.pk]),
        reverse("coaching:delete", args=[e.pk]),
    ]
    failures = []
    for url in pages:
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (status == 200) != (role in LOGGERS):
                failures.append(f"{url} {role} {status}")
    assert not failures, failures


@pytest.mark.django_db
def test_an_advisor_sees_and_changes_only_their_own_entries(world, client):
    agent = world.agents[("Service A2", "ville")]
    mine = entry(world.users[Role.ADVISOR], [agent], notes="La mienne")
    colleague = user_with_role(Role.ADVISOR, username="collegue")
    theirs = entry(colleague, [agent], notes="Celle du collègue")
    client.force_login(world.users[Role.ADVISOR])

    page = text(client.get(reverse("coaching:list")))
    assert reverse("coaching:detail", args=[mine.pk]) in page
    assert reverse("coaching:detail", args=[theirs.pk]) not in page
    for name in ("detail", "edit", "delete"):
        assert client.get(reverse(f"coaching:{name}", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("coaching:edit", args=[theirs.pk]), form_data([agent], notes="Changé")
    )
    assert response.status_code == 404
    client.post(reverse("coaching:delete", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.notes == "Celle du collègue"


@pytest.mark.django_db
def test_hr_sees_every_entry_filters_by_advisor_and_may_change_them(world, client):
    agent = world.agents[("Service A2", "ville")]
    advisor = world.users[Role.ADVISOR]
    colleague = user_with_role(Role.ADVISOR, username="collegue")
    first = entry(advisor, [agent])
    second = entry(colleague, [agent])
    client.force_login(world.users[Role.HR])

    page = text(client.get(reverse("coaching:list")))
    assert reverse("coaching:detail", args=[first.pk]) in page
    assert reverse("coaching:detail", args=[second.pk]) in page
    page = text(client.get(reverse("coaching:list"), {"advisor": colleague.pk}))
    assert reverse("coaching:detail", args=[first.pk]) not in page
    assert reverse("coaching:detail", args=[second.pk]) in page

    response = client.post(
        reverse("coaching:edit", args=[first.pk]), form_data([agent], notes="Revu par RH")
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.notes == "Revu par RH"
    assert first.advisor == advisor  # HR corrects; the author stays the advisor


@pytest.mark.django_db
def test_the_list_keeps_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    advisor = world.users[Role.ADVISOR]
    agents = list(world.agents.values())
    themes = [theme("Messagerie et agenda"), theme("Démarches en ligne")]
    for i in range(35):
        entry(advisor, agents[: 1 + i % 3], themes=themes[: 1 + i % 2], minutes=30)
    client.force_login(world.users[Role.HR])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coaching:list"))
    assert response.status_code == 200
    assert "Page 1 sur 2" in text(response)


# --- The form ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_advisor_logs_a_group_coaching_in_their_own_name(world, client):
    a1 = world.agents[("Service A2", "ville")]
    a2 = world.agents[("Direction B", "metropole")]
    site = world.site
    t1, t2 = theme("Messagerie et agenda"), theme("Démarches en ligne")
    advisor = world.users[Role.ADVISOR]
    client.force_login(advisor)
    data = form_data(
        [],
        matricules=f"{a1.matricule}, {a2.matricule.lower()}  {a1.matricule}",
        duration_choice="other",
        duration_other="50",
        place=CoachingPlace.SITE,
        site=site.pk,
        themes=[t1.pk, t2.pk],
        follow_up=CoachingFollowUp.REFERRAL,
        follow_up_detail="CCAS, accès aux droits",
        advisor=world.users[Role.HR].pk,  # not a form field: ignored
    )
    response = client.post(reverse("coaching:create"), data)
    e = CoachingEntry.objects.get()
    assert response["Location"] == reverse("coaching:detail", args=[e.pk])
    assert e.advisor == advisor
    assert e.duration_minutes == 50
    assert e.site == site
    assert set(e.agents.all()) == {a1, a2}
    assert set(e.themes.all()) == {t1, t2}
    page = text(client.get(response["Location"]))
    assert a1.full_name in page and a2.full_name in page
    assert "accompagnement collectif" in page


def _bad_inputs(world):
    agent = world.agents[("Service A2", "ville")]
    out_of_scope = world.agents[("Direction B", "ville")]
    departed = AgentFactory(departure_date=timezone.localdate() - dt.timedelta(days=3))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    return [
        ({"happened_on": tomorrow}, "happened_on", "Cette date est à venir"),
        (
            {"matricules": f"{agent.matricule}\n999999"},
            "matricules",
            "Matricule « 999999 » : aucun agent en poste à cette date.",
        ),
        (
            {"matricules": f"{agent.matricule} {out_of_scope.matricule}"},
            "matricules",
            f"Matricule « {out_of_scope.matricule} » : cet agent n'est pas dans votre périmètre.",
        ),
        (
            {"matricules": departed.matricule},
            "matricules",
            f"Matricule « {departed.matricule} » : aucun agent en poste à cette date.",
        ),
        ({"matricules": " , "}, "matricules", "Indiquez au moins un matricule d'agent."),
        ({"themes": []}, "themes", "Cochez au moins un thème."),
        (
            {"themes": [theme("Ancien thème", active=False).pk]},
            "themes",
            "Sélectionnez un choix valide",
        ),
        ({"duration_choice": "other"}, "duration_other", "Indiquez la durée en minutes."),
        (
            {"duration_choice": "other", "duration_other": "600"},
            "duration_other",
            "Une durée va de 5 à 480 minutes",
        ),
        (
            {"follow_up": CoachingFollowUp.REFERRAL},
            "follow_up_detail",
            "Précisez la suite",
        ),
        (
            {"follow_up": CoachingFollowUp.APPOINTMENT},
            "follow_up_detail",
            "Précisez la suite",
        ),
        ({"place": CoachingPlace.SITE}, "site", "Choisissez le site"),
        ({"place": CoachingPlace.OTHER}, "place_detail", "Précisez le lieu."),
        ({"autonomy": ""}, "autonomy", "Choisissez où en est l'agent à la fin."),
    ]


@pytest.mark.django_db
def test_bad_inputs_are_refused_on_their_field_and_nothing_is_saved(world, client):
    """HR (scoped on direction A) logs; each bad input gives its French error on its field."""
    agent = world.agents[("Service A2", "ville")]
    client.force_login(world.users[Role.HR])
    failures = []
    for change, field, message in _bad_inputs(world):
        response = client.post(reverse("coaching:create"), form_data([agent], **change))
        page = text(response)
        if (
            response.status_code != 200
            or message not in page
            or f'id="id_{field}-erreur"' not in page
        ):
            failures.append(f"{change}: {response.status_code} {message!r} on {field}")
    assert not failures, failures
    assert not CoachingEntry.objects.exists()


@pytest.mark.django_db
def test_each_unknown_matricule_is_named(world, client):
    client.force_login(world.users[Role.ADVISOR])
    agent = world.agents[("Service A2", "ville")]
    response = client.post(
        reverse("coaching:create"), form_data([], matricules=f"111;{agent.matricule};222")
    )
    page = text(response)
    assert "Matricule « 111 »" in page and "Matricule « 222 »" in page
    assert not CoachingEntry.objects.exists()


@pytest.mark.django_db
def test_an_advisor_does_not_log_a_coaching_of_themselves(world, client):
    me = world.agents[("Service A2", "metropole")]
    advisor = user_with_role(Role.ADVISOR, agent=me, username="conseillere")
    client.force_login(advisor)
    response = client.post(reverse("coaching:create"), form_data([me]))
    assert "on ne note pas un accompagnement pour soi-même" in text(response)
    assert not CoachingEntry.objects.exists()


@pytest.mark.django_db
def test_a_matricule_two_employers_use_needs_the_employer(world, client):
    city_agent = world.agents[("Service A2", "ville")]
    twin = AgentFactory(employer=world.metro, matricule=city_agent.matricule, unit=world.serv_a2)
    client.force_login(world.users[Role.ADVISOR])
    response = client.post(reverse("coaching:create"), form_data([city_agent]))
    assert f"écrivez ville:{city_agent.matricule} ou metropole:" in text(response)
    response = client.post(
        reverse("coaching:create"), form_data([], matricules=f"metropole:{twin.matricule}")
    )
    assert response.status_code == 302
    assert list(CoachingEntry.objects.get().agents.all()) == [twin]


@pytest.mark.django_db
def test_scoped_hr_editing_keeps_the_agents_they_cannot_see(world, client):
    inside = world.agents[("Service A2", "ville")]
    outside = world.agents[("Direction B", "ville")]
    e = entry(world.users[Role.ADVISOR], [inside, outside])
    client.force_login(world.users[Role.HR])
    page = text(client.get(reverse("coaching:edit", args=[e.pk])))
    assert outside.matricule not in page
    assert "1 autre agent, hors de votre périmètre" in page
    detail = text(client.get(reverse("coaching:detail", args=[e.pk])))
    assert outside.full_name not in detail and "et 1 agent hors de votre périmètre" in detail
    response = client.post(reverse("coaching:edit", args=[e.pk]), form_data([inside]))
    assert response.status_code == 302
    assert set(e.agents.all()) == {inside, outside}


@pytest.mark.django_db
def test_editing_shows_the_entry_and_delete_asks_first(world, client):
    agent = world.agents[("Service A2", "ville")]
    advisor = world.users[Role.ADVISOR]
    e = entry(advisor, [agent], minutes=75)
    client.force_login(advisor)
    page = text(client.get(reverse("coaching:edit", args=[e.pk])))
    assert agent.matricule in page
    assert 'value="75"' in page  # 75 min is not in the list: shown as "other"
    confirm = client.get(reverse("coaching:delete", args=[e.pk]))
    assert "Supprimer l'accompagnement ?" in text(confirm)
    assert CoachingEntry.objects.filter(pk=e.pk).exists()
    response = client.post(reverse("coaching:delete", args=[e.pk]))
    assert response["Location"] == reverse("coaching:list")
    assert not CoachingEntry.objects.filter(pk=e.pk).exists()


@pytest.mark.django_db
def test_reading_someone_elses_entry_is_audited(world, client):
    e = entry(world.users[Role.ADVISOR], [world.agents[("Service A2", "ville")]])
    client.force_login(world.users[Role.HR])
    client.get(reverse("coaching:detail", args=[e.pk]))
    assert AuditEntry.objects.filter(action=AuditAction.READ, target_id=str(e.pk)).exists()


# --- Activity ---------------------------------------------------------------------------


@pytest.fixture
def dataset(world):
    """Three weeks ago (Monday and Thursday) and this week, two advisors:
    week -3: adv 60 min [a1, a2] messagerie+démarches referral autonomous;
             adv 30 min [a1] messagerie partly;
    this week: adv 45 min [a3] démarches appointment accompanied;
               colleague 90 min [a1] messagerie referral autonomous;
    and one entry before the period (ignored)."""
    today = timezone.localdate()
    monday = coaching.monday_of(today)
    old = monday - dt.timedelta(weeks=3)
    a1 = world.agents[("Service A2", "ville")]
    a2 = world.agents[("Service A2", "metropole")]
    a3 = world.agents[("Direction B", "ville")]
    mail, online = theme("Messagerie et agenda"), theme("Démarches en ligne")
    advisor = world.users[Role.ADVISOR]
    colleague = user_with_role(Role.ADVISOR, username="collegue")
    colleague.first_name, colleague.last_name = "Zoé", "Zed"
    colleague.save()
    referral = {"follow_up": CoachingFollowUp.REFERRAL, "follow_up_detail": "CCAS"}
    entry(advisor, [a1, a2], day=old, minutes=60, themes=[mail, online],
          autonomy=Autonomy.AUTONOMOUS, **referral)  # fmt: skip
    entry(advisor, [a1], day=old + dt.timedelta(days=3), minutes=30, themes=[mail])
    entry(advisor, [a3], day=monday, minutes=45, themes=[online], autonomy=Autonomy.ACCOMPANIED,
          follow_up=CoachingFollowUp.APPOINTMENT, follow_up_detail="mardi")  # fmt: skip
    entry(colleague, [a1], day=monday, minutes=90, themes=[mail],
          autonomy=Autonomy.AUTONOMOUS, **referral)  # fmt: skip
    entry(advisor, [a2], day=monday - dt.timedelta(weeks=20), minutes=120, themes=[mail])
    return {"old": old, "monday": monday, "advisor": advisor, "colleague": colleague}


@pytest.mark.django_db
def test_activity_figures_for_hr(dataset, world, django_assert_max_num_queries):
    today = timezone.localdate()
    start, end = coaching.default_period(today)
    entries = coaching.entries_for(world.users[Role.HR], start=start, end=end)
    with django_assert_max_num_queries(9):  # one query per figure table, whatever the size
        figures = coaching.activity(entries, start=start, end=end, per_advisor=True)
    assert (figures.count, figures.minutes, figures.agents, figures.referrals) == (4, 225, 3, 2)
    assert len(figures.weeks) == 12
    weeks = {w.monday: (w.count, w.minutes, w.agents) for w in figures.weeks}
    assert weeks[dataset["old"]] == (2, 90, 2)
    assert weeks[dataset["monday"]] == (2, 135, 2)
    assert sum(w.count for w in figures.weeks) == 4
    assert [(t.name, t.count, t.minutes) for t in figures.themes] == [
        ("Messagerie et agenda", 3, 180),
        ("Démarches en ligne", 2, 105),
    ]
    assert [(s.value, s.count, s.percent) for s in figures.autonomy] == [
        (Autonomy.ACCOMPANIED, 1, 25),
        (Autonomy.PARTLY, 1, 25),
        (Autonomy.AUTONOMOUS, 2, 50),
    ]
    follow_ups = {s.value: s.count for s in figures.follow_ups}
    assert follow_ups == {"none": 1, "appointment": 1, "module": 0, "referral": 2}
    rows = [(r.advisor_id, r.count, r.minutes, r.agents, r.referrals) for r in figures.advisors]
    assert rows == [
        (dataset["advisor"].pk, 3, 135, 3, 1),
        (dataset["colleague"].pk, 1, 90, 1, 1),
    ]


@pytest.mark.django_db
def test_activity_page_for_an_advisor_shows_their_own(dataset, world, client):
    client.force_login(world.users[Role.ADVISOR])
    response = client.get(reverse("coaching:activity"))
    page = text(response)
    assert response.context["figures"].count == 3
    assert response.context["figures"].advisors == []
    assert "Par conseiller" not in page
    assert "<strong>3</strong> accompagnements" in page
    assert "<strong>2,2</strong> heures" in page  # 135 minutes
    week = dataset["monday"].isocalendar()
    assert f"S{week[1]:02d} {week[0]}" in page
    assert "Accompagnements et heures par thème</caption>" in page


@pytest.mark.django_db
def test_activity_page_for_hr_with_period_and_advisor(dataset, world, client):
    client.force_login(world.users[Role.HR])
    old = dataset["old"]
    response = client.get(
        reverse("coaching:activity"),
        {"start": old.isoformat(), "end": (old + dt.timedelta(days=6)).isoformat()},
    )
    figures = response.context["figures"]
    assert (figures.count, figures.minutes, len(figures.weeks)) == (2, 90, 1)
    assert "Par conseiller" in text(response)
    response = client.get(reverse("coaching:activity"), {"advisor": dataset["colleague"].pk})
    assert response.context["figures"].count == 1
    response = client.get(
        reverse("coaching:activity"), {"start": "2025-03-10", "end": "2025-03-01"}
    )
    assert "La fin de la période doit venir après son début." in text(response)


@pytest.mark.django_db
def test_activity_csv_export(dataset, world, client):
    dataset["colleague"].first_name = "=HYPERLIEN"
    dataset["colleague"].save()
    client.force_login(world.users[Role.HR])
    response = client.get(reverse("coaching:activity"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffSemaine;Du;Au;Conseiller;")
    lines = body.strip().split("\r\n")
    assert len(lines) == 1 + 3  # one row per week and advisor
    week = dataset["monday"].isocalendar()
    assert f"S{week[1]:02d} {week[0]};{dataset['monday']:%d/%m/%Y}" in body
    assert ";'=HYPERLIEN Zed;1;1,5;1;1" in body
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


# --- Agent side and demo ----------------------------------------------------------------


@pytest.mark.django_db
def test_coaching_for_agent_follows_the_viewer(dataset, world):
    a1 = world.agents[("Service A2", "ville")]
    assert coaching.coaching_for_agent(a1, world.users[Role.HR]).count() == 3
    assert coaching.coaching_for_agent(a1, world.users[Role.ADVISOR]).count() == 2
    assert coaching.coaching_for_agent(a1, world.users[Role.MANAGER]).count() == 0


@pytest.mark.django_db
def test_demo_seeds_entries_for_the_advisors(world):
    from tremplin.planning import demo_coaching

    site = SiteFactory()
    for agent in world.agents.values():
        agent.site = site
        agent.save()
    today = timezone.localdate()
    count = demo_coaching.seed(random.Random(1), today)
    entries = CoachingEntry.objects.all()
    assert count == entries.count() > 60  # one advisor, 5 to 8 a week over 16 weeks
    assert set(entries.values_list("advisor", flat=True)) == {world.users[Role.ADVISOR].pk}
    assert entries.filter(happened_on__gt=today).count() == 0
    assert entries.filter(happened_on__lt=today - dt.timedelta(weeks=16)).count() == 0
    assert not entries.filter(agents__isnull=True).exists()
    assert not entries.filter(themes__isnull=True).exists()


@pytest.mark.django_db
def test_hr_keeps_the_themes_outside_the_admin(world, client):
    url = reverse("coaching:themes")
    client.force_login(world.users[Role.ADVISOR])
    assert client.get(url).status_code == 403
    client.force_login(world.users[Role.HR])
    page = client.get(url).content.decode()
    assert CoachingTheme.objects.first().name in page  # the seeded themes
    taken = CoachingTheme.objects.first().name
    response = client.post(url, {"name": taken, "position": 1, "active": "on"})
    assert "Ce thème existe déjà." in response.content.decode()
    count = CoachingTheme.objects.count()
    client.post(url, {"name": "Téléphone pro", "position": 50, "active": "on"})
    theme = CoachingTheme.objects.get(name="Téléphone pro")
    assert CoachingTheme.objects.count() == count + 1
    client.post(
        reverse("coaching:theme_edit", args=[theme.pk]), {"name": "Téléphone", "position": 50}
    )
    theme.refresh_from_db()
    assert theme.name == "Téléphone" and not theme.active
