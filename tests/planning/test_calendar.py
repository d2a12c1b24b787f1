"""Calendars: the pure date helpers (ISO weeks, month grid, a week that changes to
summer time), then the pages per trainer, room, site and overall, per role, with their
period parameters, cancelled sessions, absences and bounded queries."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from tests.factories import SiteFactory, user_with_role
from tests.planning.test_registrations import at, monday
from tests.training.test_pathway_views import module
from tremplin.accounts.enums import Role
from tremplin.planning import calendar, registrations
from tremplin.planning.enums import SessionStatus
from tremplin.planning.models import Room, Session, Trainer, TrainerAbsence
from tremplin.training.enums import TrainerKind

PARIS = ZoneInfo("Europe/Paris")
TODAY = dt.date(2026, 12, 2)  # a Wednesday


def text(response) -> str:
    return html.unescape(response.content.decode())


def squash(page: str) -> str:
    """The page with runs of white space as one space (templates indent their text)."""
    return re.sub(r"\s+", " ", page)


# --- Pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-W49", dt.date(2026, 11, 30)),
        ("2026-w01", dt.date(2025, 12, 29)),  # ISO week 1 of 2026 starts in 2025
        ("2020-W53", dt.date(2020, 12, 28)),
        (" 2026-W9 ", dt.date(2026, 2, 23)),
    ],
)
def test_an_iso_week_gives_its_monday(value, expected):
    assert calendar.parse_week(value, TODAY) == expected
    assert calendar.week_param(expected) == value.strip().upper().replace("W9", "W09")


@pytest.mark.parametrize("value", [None, "", "2026-W54", "2026-W00", "semaine", "2026-12", "0-W1"])
def test_a_bad_week_gives_this_week(value):
    assert calendar.parse_week(value, TODAY) == dt.date(2026, 11, 30)


@pytest.mark.parametrize("value", [None, "", "2026-13", "2026-00", "décembre", "2026-W49"])
def test_a_bad_month_gives_this_month(value):
    assert calendar.parse_month(value, TODAY) == dt.date(2026, 12, 1)


def test_months_add_across_years():
    assert calendar.parse_month("2027-2", TODAY) == dt.date(2027, 2, 1)
    assert calendar.add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
    assert calendar.add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert calendar.month_param(dt.date(2027, 2, 1)) == "2027-02"


def test_the_month_grid_has_whole_weeks_with_leading_and_trailing_days():
    weeks = calendar.month_weeks(dt.date(2026, 12, 1))  # Tuesday 1st, Thursday 31st
    assert len(weeks) == 5
    assert all(len(w) == 7 and w[0].weekday() == 0 for w in weeks)
    assert weeks[0][0] == dt.date(2026, 11, 30)  # one leading day
    assert weeks[-1][-1] == dt.date(2027, 1, 3)  # three trailing days
    # February 2021 starts on a Monday and ends on a Sunday: exactly four weeks.
    february = calendar.month_weeks(dt.date(2021, 2, 1))
    assert [w[0] for w in february] == [dt.date(2021, 2, d) for d in (1, 8, 15, 22)]


def test_days_outside_the_month_are_marked_and_items_fall_on_their_day():
    weeks = calendar.month_weeks(dt.date(2026, 12, 1))
    shown = [d for w in weeks for d in w]
    days = calendar.build_days(
        shown,
        [(dt.date(2026, 12, 3), "a"), (dt.date(2026, 12, 3), "b"), (dt.date(2027, 5, 1), "x")],
        today=TODAY,
        absences=[(dt.date(2026, 12, 30), dt.date(2027, 1, 2), "congés")],
        period=(dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
    )
    by_date = {d.date: d for d in days}
    assert not by_date[dt.date(2026, 11, 30)].in_period
    assert by_date[dt.date(2026, 12, 1)].in_period and not by_date[dt.date(2027, 1, 1)].in_period
    assert by_date[dt.date(2026, 12, 3)].items == ["a", "b"]
    assert by_date[TODAY].is_today and not by_date[dt.date(2026, 12, 3)].is_today
    assert [d.date.day for d in days if d.absences] == [30, 31, 1, 2]
    assert sum(len(d.items) for d in days) == 2  # the item outside the grid is dropped
    assert [len(w) for w in calendar.split_weeks(days)] == [7] * 5


def test_a_week_that_changes_to_summer_time_lasts_167_hours():
    monday_ = calendar.parse_week("2026-W13", TODAY)  # Sunday 29 March 2026: 2:00 → 3:00
    starts, ends = calendar.day_bounds(monday_, monday_ + dt.timedelta(days=7), PARIS)
    assert starts.utcoffset() == dt.timedelta(hours=1)
    assert ends.utcoffset() == dt.timedelta(hours=2)
    # Python subtracts two datetimes of the same zone as wall-clock times: compare in UTC.
    assert ends.astimezone(dt.UTC) - starts.astimezone(dt.UTC) == dt.timedelta(hours=167)
    # A session at 9:00 local on the Sunday is inside, one at 00:30 the next Monday is not.
    sunday_9 = dt.datetime(2026, 3, 29, 9, tzinfo=PARIS)
    assert starts <= sunday_9 < ends
    assert not dt.datetime(2026, 3, 30, 0, 30, tzinfo=PARIS) < ends


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def setup(world):
    m = module("messagerie", "Ma messagerie")
    site = SiteFactory(name="Maison des services")
    room = Room.objects.create(site=site, name="Salle Bleue", capacity=8)
    other_room = Room.objects.create(site=site, name="Salle Verte", capacity=8)
    trainer = Trainer.objects.create(name="Nadia Conseil", kind=TrainerKind.ADVISOR)
    other = Trainer.objects.create(name="Paul Fresque", kind=TrainerKind.FRESQUE)
    start = at(monday(), 9)
    mine = Session.objects.create(
        module=m, starts_at=start, ends_at=start + dt.timedelta(hours=2), room=room, capacity=6
    )
    mine.trainers.add(trainer)
    registrations.register(mine, world.agents[("Équipe A1a", "ville")])
    cancelled = Session.objects.create(
        module=module("tableur", "Le tableur"),
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=2),
        room=other_room,
        capacity=6,
        status=SessionStatus.CANCELLED,
    )
    cancelled.trainers.add(trainer)
    theirs = Session.objects.create(
        module=module("fresque", "Fresque du climat"),
        starts_at=start + dt.timedelta(days=2),
        ends_at=start + dt.timedelta(days=2, hours=3),
        room=Room.objects.create(site=SiteFactory(), name="Ailleurs", capacity=20),
        capacity=12,
    )
    theirs.trainers.add(other)
    return {"trainer": trainer, "other": other, "room": room, "site": site, "start": start}


def week_of(day: dt.datetime) -> str:
    return calendar.week_param(calendar.week_start(day.date()))


VIEWERS = {Role.HR, Role.ADMIN, Role.ADVISOR}


@pytest.mark.django_db
def test_calendars_per_role(world, client, setup):
    pages = [
        reverse("planning:calendar"),
        reverse("planning:trainer_calendar", args=[setup["trainer"].pk]),
        reverse("planning:room_calendar", args=[setup["room"].pk]),
        reverse("planning:site_calendar", args=[setup["site"].pk]),
    ]
    failures = []
    for url in pages:
        for query in ("", "?mois="):
            for role, user in world.users.items():
                client.force_login(user)
                status = client.get(url + query).status_code
                if (status == 200) != (role in VIEWERS):
                    failures.append(f"{url}{query} {role} {status}")
    assert not failures, failures


@pytest.mark.django_db
def test_the_trainer_week_shows_sessions_seats_cancelled_and_absences(world, client, setup):
    trainer, start = setup["trainer"], setup["start"]
    TrainerAbsence.objects.create(
        trainer=trainer,
        starts_on=start.date() + dt.timedelta(days=3),
        ends_on=start.date() + dt.timedelta(days=4),
        reason="Congés",
    )
    client.force_login(world.users[Role.HR])
    url = reverse("planning:trainer_calendar", args=[trainer.pk])
    response = client.get(url, {"semaine": week_of(start)})
    page = text(response)
    assert "Ma messagerie" in page and "Le tableur" in page
    assert "Fresque du climat" not in page  # another trainer's session
    assert "1 inscrit sur 6 places" in page
    assert "Salle Bleue (Maison des services)" in page
    assert "<del>" in page and "Annulée" in page
    assert page.count("Congés") == 2  # Thursday and Friday
    session = Session.objects.get(module__title="Ma messagerie")
    assert reverse("planning:session_detail", args=[session.pk]) in page
    assert f"Semaine {start.isocalendar()[1]} : du lundi" in page
    # Next week: nothing, and the links go on from there.
    following = calendar.week_param(calendar.week_start(start.date()) + dt.timedelta(days=7))
    assert f"?semaine={following}" in page
    response = client.get(url, {"semaine": following})
    assert "Aucune séance cette semaine-là." in text(response)


@pytest.mark.django_db
def test_the_month_view_lists_the_sessions_as_links(world, client, setup):
    start = setup["start"]
    client.force_login(world.users[Role.ADVISOR])
    month = calendar.month_param(start.date().replace(day=1))
    response = client.get(reverse("planning:calendar"), {"mois": month})
    page = text(response)
    assert "<table" in page and 'scope="col">Lundi' in page
    # In the grid and in the phone list: every session of the month, twice.
    sessions = Session.objects.filter(starts_at__month=start.month)
    for session in sessions:
        assert page.count(reverse("planning:session_detail", args=[session.pk])) == 2
    assert f"{len(sessions)} séance" in page
    assert "(annulée)" in page


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?semaine=2026-W99", "?semaine=n'importe", "?mois=2026-13"])
def test_bad_period_values_show_the_current_period(world, client, setup, query):
    client.force_login(world.users[Role.HR])
    response = client.get(reverse("planning:calendar") + query)
    assert response.status_code == 200
    today = timezone.localdate()
    if "mois" in query:
        assert f'<h2 class="h4"> {capfirst(date_format(today, "F Y"))} </h2>' in squash(
            text(response)
        )
    else:
        assert f"Semaine {today.isocalendar()[1]} :" in text(response)


@pytest.mark.django_db
def test_room_site_and_filters_show_only_their_sessions(world, client, setup):
    client.force_login(world.users[Role.HR])
    week = {"semaine": week_of(setup["start"])}
    page = text(client.get(reverse("planning:room_calendar", args=[setup["room"].pk]), week))
    assert "Ma messagerie" in page and "Le tableur" not in page
    assert "Avec Nadia Conseil" in squash(page)
    page = text(client.get(reverse("planning:site_calendar", args=[setup["site"].pk]), week))
    assert "Ma messagerie" in page and "Le tableur" in page and "Fresque du climat" not in page
    # The overall calendar names modules in its filter: look for the sessions' links.
    links = {
        s.module.title: reverse("planning:session_detail", args=[s.pk])
        for s in Session.objects.select_related("module")
    }
    page = text(client.get(reverse("planning:calendar"), week))
    assert all(link in page for link in links.values())
    page = text(client.get(reverse("planning:calendar"), {**week, "trainer": setup["other"].pk}))
    assert links["Fresque du climat"] in page and links["Ma messagerie"] not in page
    # The filter form keeps the week shown; the period links keep the filter.
    assert f'name="semaine" value="{week["semaine"]}"' in squash(page)
    assert f"trainer={setup['other'].pk}" in page


@pytest.mark.django_db
def test_a_trainer_with_an_account_sees_only_their_own_calendar(world, client, setup):
    trainer, other = setup["trainer"], setup["other"]
    account = user_with_role(Role.AGENT, username="nadia")
    trainer.user = account
    trainer.save()
    client.force_login(account)
    response = client.get(reverse("planning:my_calendar"), {"mois": "2026-12"})
    own = reverse("planning:trainer_calendar", args=[trainer.pk])
    assert response.status_code == 302 and response["Location"] == f"{own}?mois=2026-12"
    response = client.get(own, {"semaine": week_of(setup["start"])})
    assert response.status_code == 200
    page = text(response)
    assert "Mon planning d'animation" in page and "Ma messagerie" in page
    # Without the role, session pages are closed: the module is shown without a link.
    session = Session.objects.get(module__title="Ma messagerie")
    assert f'href="{reverse("planning:session_detail", args=[session.pk])}"' not in page
    assert f'href="{reverse("planning:session_list")}"' not in page  # no breadcrumb to it
    # …but the trainer's own sessions open their attendance sheet (not the cancelled one).
    sheet = reverse("planning:attendance_sheet", args=[session.pk])
    assert f'href="{sheet}"' in page
    assert client.get(sheet).status_code == 200
    cancelled = Session.objects.get(status=SessionStatus.CANCELLED)
    assert reverse("planning:attendance_sheet", args=[cancelled.pk]) not in page
    for url in (
        reverse("planning:trainer_calendar", args=[other.pk]),
        reverse("planning:calendar"),
        reverse("planning:room_calendar", args=[setup["room"].pk]),
    ):
        assert client.get(url).status_code == 403
    client.force_login(world.users[Role.AGENT])
    assert client.get(reverse("planning:my_calendar")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_queries_do_not_grow_with_sessions(
    world, client, setup, django_assert_max_num_queries, view
):
    start, trainer = setup["start"], setup["trainer"]
    m = module("visio", "La visio")
    for day in range(5):
        for hour in (14, 16):
            s = Session.objects.create(
                module=m,
                starts_at=start + dt.timedelta(days=day, hours=hour - 9),
                ends_at=start + dt.timedelta(days=day, hours=hour - 8),
                room=Room.objects.create(site=setup["site"], name=f"S{day}{hour}", capacity=5),
                capacity=5,
            )
            s.trainers.add(trainer, setup["other"])
    TrainerAbsence.objects.create(trainer=trainer, starts_on=start.date(), ends_on=start.date())
    query = (
        {"mois": calendar.month_param(start.date().replace(day=1))}
        if view == "month"
        else {"semaine": week_of(start)}
    )
    client.force_login(world.users[Role.HR])
    for url in (
        reverse("planning:calendar"),
        reverse("planning:trainer_calendar", args=[trainer.pk]),
        reverse("planning:site_calendar", args=[setup["site"].pk]),
    ):
        with django_assert_max_num_queries(10):
            response = client.get(url, query)
        assert "La visio" in text(response)
