"""HR side of the diagnostic: campaigns, invitations, letters, reminders, participation."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.competences.models import Competence
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.diagnostic.enums import CampaignStatus, InviteChannel, ItemKind
from tremplin.diagnostic.models import Attempt, Campaign, Item, Participation, Response
from tremplin.organisation.enums import ContactChannel

ALL = set(Role)
HR_ADMIN = {Role.HR, Role.ADMIN}
FOLLOWERS = {Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR, Role.DIRECTION}
LISTERS = {Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR}


def make_campaign(*units, status=CampaignStatus.OPEN, name="Printemps", **fields):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=name,
        description="Ce questionnaire nous aide à choisir vos formations.",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        status=status,
        **fields,
    )
    campaign.competences.set(Competence.objects.crcn()[:4])
    campaign.units.set(units)
    return campaign


def by_email(agent, address=None):
    agent.contact_channel = ContactChannel.EMAIL
    agent.email = address or f"{agent.matricule}@ville.test"
    agent.save()
    return agent


def invite_url(campaign):
    return reverse("diagnostic:campaign_invite", args=[campaign.pk])


# --- Who may open what ----------------------------------------------------------------------


def pages(world):
    campaign = make_campaign(world.dir_a)
    detail = reverse("diagnostic:campaign_detail", args=[campaign.pk])
    return [
        (reverse("diagnostic:campaign_list"), FOLLOWERS),
        (reverse("diagnostic:campaign_create"), HR_ADMIN),
        (detail, FOLLOWERS),
        (reverse("diagnostic:campaign_edit", args=[campaign.pk]), HR_ADMIN),
        (invite_url(campaign), HR_ADMIN),
        (reverse("diagnostic:campaign_remind", args=[campaign.pk]), HR_ADMIN),
        (reverse("diagnostic:campaign_letters", args=[campaign.pk]), HR_ADMIN),
        (reverse("diagnostic:campaign_participants", args=[campaign.pk]), LISTERS),
        (reverse("diagnostic:bank_stats"), HR_ADMIN),
    ]


@pytest.mark.django_db
def test_every_hr_page_for_every_role(world, client):
    failures = []
    for url, allowed in pages(world):
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in allowed) != (status == 200) or status not in (200, 403):
                failures.append(f"{url} as {role}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world, client):
    for url, _allowed in pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


@pytest.mark.django_db
def test_menu_shows_diagnostic_to_followers_only(world, client):
    for role, user in world.users.items():
        client.force_login(user)
        page = client.get(reverse("core:home")).content.decode()
        assert (reverse("diagnostic:campaign_list") in page) == (role in FOLLOWERS), role


@pytest.mark.django_db
def test_writes_are_refused_to_other_roles(world, client):
    campaign = make_campaign(world.dir_a, status=CampaignStatus.DRAFT)
    for role in ALL - HR_ADMIN:
        client.force_login(world.users[role])
        status_url = reverse("diagnostic:campaign_status", args=[campaign.pk])
        assert client.post(status_url, {"action": "open"}).status_code == 403, role
        assert client.post(invite_url(campaign)).status_code == 403, role
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not Participation.objects.exists()


@pytest.mark.django_db
def test_scoped_hr_cannot_edit_a_campaign_for_everybody(world, client):
    everybody = make_campaign(name="Tout le monde")
    outside = make_campaign(world.dir_b, name="Direction B")
    client.force_login(world.users[Role.HR])  # scoped to direction A
    assert client.get(reverse("diagnostic:campaign_edit", args=[everybody.pk])).status_code == 403
    assert client.get(reverse("diagnostic:campaign_edit", args=[outside.pk])).status_code == 403
    client.force_login(world.users[Role.ADMIN])
    assert client.get(reverse("diagnostic:campaign_edit", args=[everybody.pk])).status_code == 200


# --- Creating and editing a campaign ----------------------------------------------------


def campaign_data(world, **changes):
    competences = Competence.objects.crcn()
    data = {
        "name": "Diagnostic des équipes de terrain",
        "description": "Pour choisir vos formations.",
        "competences": [c.pk for c in competences[:3]],
        "precision": "0.5",
        "max_items": "30",
        "units": [world.serv_a1.pk],
        "jobs": [],
        "opens_on": "2025-03-01",
        "closes_on": "2025-04-30",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_hr_creates_a_campaign_with_its_population_audited(world, client):
    hr = world.users[Role.HR]
    client.force_login(hr)
    response = client.post(reverse("diagnostic:campaign_create"), campaign_data(world))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostic:campaign_detail", args=[campaign.pk])
    assert campaign.created_by == hr and campaign.status == CampaignStatus.DRAFT
    assert list(campaign.units.all()) == [world.serv_a1]
    assert campaign.competences.count() == 3
    entries = AuditEntry.objects.filter(
        target_type="diagnostic.campaign", target_id=str(campaign.pk)
    )
    assert {e.action for e in entries} == {AuditAction.CREATE, AuditAction.UPDATE}
    m2m = entries.get(action=AuditAction.UPDATE).changes
    assert m2m["units"] == [None, [world.serv_a1.pk]]


@pytest.mark.django_db
def test_campaign_form_errors_are_in_french_on_the_field(world, client):
    client.force_login(world.users[Role.HR])
    data = campaign_data(world, competences=[], closes_on="2025-02-01", units=[world.dir_b.pk])
    response = client.post(reverse("diagnostic:campaign_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["competences"] == ["Choisissez au moins une compétence."]
    assert errors["closes_on"] == ["La clôture doit venir après l'ouverture."]
    assert "units" in errors  # direction B is outside this HR officer's scope
    page = response.content.decode()
    assert 'id="id_closes_on-erreur"' in page and 'aria-invalid="true"' in page
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_scoped_hr_must_choose_units_and_max_items_covers_competences(world, client):
    client.force_login(world.users[Role.HR])
    ten = [c.pk for c in Competence.objects.crcn()[:10]]
    data = campaign_data(world, units=[], max_items="8", competences=ten)
    errors = client.post(reverse("diagnostic:campaign_create"), data).context["form"].errors
    assert errors["units"] == ["Ce champ est obligatoire."]
    assert errors["max_items"] == [
        "Avec 10 compétences, prévoyez au moins 10 questions : une par compétence au minimum."
    ]
    data = campaign_data(world, max_items="3")
    errors = client.post(reverse("diagnostic:campaign_create"), data).context["form"].errors
    assert errors["max_items"] == ["Choisissez entre 5 et 80 questions."]
    client.force_login(world.users[Role.ADMIN])  # unscoped: no unit means everybody
    response = client.post(reverse("diagnostic:campaign_create"), campaign_data(world, units=[]))
    assert response.status_code == 302
    assert Campaign.objects.get().units.count() == 0


@pytest.mark.django_db
def test_competences_are_grouped_by_domain_in_fieldsets(world, client):
    client.force_login(world.users[Role.ADMIN])
    page = client.get(reverse("diagnostic:campaign_create")).content.decode()
    legends = re.findall(r"<legend[^>]*>([^<]+)</legend>", page)
    assert "Information et données" in legends and "Protection et sécurité" in legends
    assert page.count('type="checkbox" name="competences"') == 16


@pytest.mark.django_db
def test_edit_audits_population_changes_and_status_moves(world, client):
    campaign = make_campaign(world.serv_a1, status=CampaignStatus.DRAFT)
    client.force_login(world.users[Role.HR])
    url = reverse("diagnostic:campaign_edit", args=[campaign.pk])
    data = campaign_data(world, units=[world.serv_a1.pk, world.serv_a2.pk])
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.filter(target_type="diagnostic.campaign").latest("pk")
    assert entry.changes["units"] == [
        [world.serv_a1.pk],
        sorted([world.serv_a1.pk, world.serv_a2.pk]),
    ]
    status_url = reverse("diagnostic:campaign_status", args=[campaign.pk])
    client.post(status_url, {"action": "close"})  # not possible from draft
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    client.post(status_url, {"action": "open"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    client.post(status_url, {"action": "close"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


# --- Inviting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scoped_hr_invites_only_agents_of_their_scope(world, client):
    campaign = make_campaign()  # everybody
    client.force_login(world.users[Role.HR])  # direction A
    preview = client.get(invite_url(campaign)).context["preview"]
    assert (preview.population, preview.to_invite) == (4, 4)
    client.post(invite_url(campaign))
    invited = {p.agent.unit for p in Participation.objects.select_related("agent__unit")}
    assert invited == {world.team_a1a, world.serv_a2}
    assert Participation.objects.count() == 4
    client.force_login(world.users[Role.ADMIN])
    assert client.get(invite_url(campaign)).context["preview"].to_invite == 2  # direction B


@pytest.mark.django_db
def test_invitation_is_idempotent_and_audited(world, client):
    campaign = make_campaign(world.dir_a)
    client.force_login(world.users[Role.HR])
    client.post(invite_url(campaign))
    codes = set(Participation.objects.values_list("code", flat=True))
    response = client.post(invite_url(campaign), follow=True)
    assert set(Participation.objects.values_list("code", flat=True)) == codes
    assert "déjà invités" in response.content.decode()
    created = AuditEntry.objects.filter(
        target_type="diagnostic.participation", action=AuditAction.CREATE
    )
    assert created.count() == 4
    assert {e.actor for e in created} == {world.users[Role.HR]}


@pytest.mark.django_db
def test_email_agents_get_their_link_others_get_a_letter(world, client):
    campaign = make_campaign(world.dir_a)
    emailed = by_email(world.agents[("Service A2", "ville")], "lea.martin@ville.test")
    client.force_login(world.users[Role.HR])
    response = client.post(invite_url(campaign))
    assert response["Location"] == reverse("diagnostic:campaign_letters", args=[campaign.pk])
    channels = dict(Participation.objects.values_list("agent_id", "channel"))
    assert channels[emailed.pk] == InviteChannel.EMAIL
    assert sorted(channels.values()).count(InviteChannel.PAPER) == 3
    (message,) = mail.outbox
    assert message.to == ["lea.martin@ville.test"]
    code = Participation.objects.get(agent=emailed).code
    assert f"/diagnostic/code/{code}/" in message.body
    assert "10 à 15 minutes" in message.body
    sent = AuditEntry.objects.filter(summary="courriel d'invitation envoyé")
    assert sent.count() == 1


@pytest.mark.django_db
def test_letters_carry_the_personal_link_and_a_qr_code(world, client):
    campaign = make_campaign(world.dir_a)
    by_email(world.agents[("Service A2", "ville")])
    client.force_login(world.users[Role.HR])
    client.post(invite_url(campaign))
    response = client.get(reverse("diagnostic:campaign_letters", args=[campaign.pk]))
    page = response.content.decode()
    paper = Participation.objects.filter(channel=InviteChannel.PAPER).select_related("agent")
    assert paper.count() == 3
    for participation in paper:
        assert f"/diagnostic/code/{participation.code}/" in page
        assert f"Pour {participation.agent.full_name}" in page
    emailed = Participation.objects.get(channel=InviteChannel.EMAIL)
    assert emailed.code not in page  # email agents get no letter
    assert page.count("<svg") == 3
    assert page.count('class="tp-sheet tp-letter"') == 3
    assert "10 à 15 minutes, sur votre téléphone ou avec un conseiller numérique" in page
    # Team A1a's report is handed over by their manager, on that group's slip.
    chief = world.agents[("Équipe A1a", "ville")]
    assert f"À remettre par : {chief.full_name}" in " ".join(page.split())
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, target_type="diagnostic.campaign"
    ).exists()


@pytest.mark.django_db
def test_letters_of_a_unit_and_finished_agents_get_none(world, client):
    campaign = make_campaign(world.dir_a)
    client.force_login(world.users[Role.HR])
    client.post(invite_url(campaign))
    done = Participation.objects.get(agent=world.agents[("Service A2", "metropole")])
    done.started_at = done.finished_at = timezone.now()
    done.save()
    url = reverse("diagnostic:campaign_letters", args=[campaign.pk])
    assert len(client.get(url).context["page"].object_list) == 3
    in_a2 = client.get(url, {"unit": world.serv_a2.pk}).context["page"]
    assert [p.agent for p in in_a2] == [world.agents[("Service A2", "ville")]]


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db
def test_invitations_stay_when_the_mail_server_fails(world, client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    campaign = make_campaign(world.dir_a)
    by_email(world.agents[("Service A2", "ville")])
    client.force_login(world.users[Role.HR])
    response = client.post(invite_url(campaign), follow=True)
    assert Participation.objects.count() == 4
    assert "1 courriel n’a pas pu partir" in response.content.decode()
    assert not AuditEntry.objects.filter(summary="courriel d'invitation envoyé").exists()


@pytest.mark.django_db
def test_invite_needs_an_open_campaign(world, client):
    campaign = make_campaign(world.dir_a, status=CampaignStatus.DRAFT)
    client.force_login(world.users[Role.HR])
    response = client.post(invite_url(campaign), follow=True)
    assert "Ouvrez d&#x27;abord la campagne" in response.content.decode()
    campaign.status = CampaignStatus.OPEN
    campaign.closes_on = timezone.localdate() - dt.timedelta(days=1)
    campaign.save()
    response = client.post(invite_url(campaign), follow=True)
    assert "repoussez la date de clôture" in response.content.decode()
    assert not Participation.objects.exists()


# --- Reminders ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_remind_emails_again_and_marks_unfinished_only(world, client):
    campaign = make_campaign(world.dir_a)
    emailed = by_email(world.agents[("Service A2", "ville")])
    finished = by_email(world.agents[("Service A2", "metropole")])
    client.force_login(world.users[Role.HR])
    client.post(invite_url(campaign))
    Participation.objects.filter(agent=finished).update(
        started_at=timezone.now(), finished_at=timezone.now()
    )
    mail.outbox.clear()
    url = reverse("diagnostic:campaign_remind", args=[campaign.pk])
    counts = client.get(url).context["counts"]
    assert counts == {"total": 3, "by_email": 1, "by_letter": 2}
    response = client.post(url)
    assert response["Location"].endswith("?relance=on")
    (message,) = mail.outbox
    assert message.to == [emailed.email] and message.subject.startswith("Rappel")
    reminded = set(
        Participation.objects.filter(reminded_at__isnull=False).values_list("agent_id", flat=True)
    )
    assert len(reminded) == 3 and finished.pk not in reminded
    assert AuditEntry.objects.filter(summary__startswith="relance pour").count() == 3
    letters = client.get(response["Location"])
    assert "Rappel : votre questionnaire" in letters.content.decode()
    assert len(letters.context["page"].object_list) == 2


# --- Participation --------------------------------------------------------------------------


def participate(campaign, agent, *, started=False, finished=False):
    now = timezone.now()
    return Participation.objects.create(
        campaign=campaign,
        agent=agent,
        channel=InviteChannel.PAPER,
        started_at=now if started or finished else None,
        finished_at=now if finished else None,
    )


def hand_built(world):
    """Direction A: 4 invited (team A1a: 1 finished, 1 started; service A2: 1 finished,
    1 not started); direction B: 2 invited, 1 finished."""
    campaign = make_campaign()
    a = world.agents
    participate(campaign, a[("Équipe A1a", "ville")], finished=True)
    participate(campaign, a[("Équipe A1a", "metropole")], started=True)
    participate(campaign, a[("Service A2", "ville")], finished=True)
    participate(campaign, a[("Service A2", "metropole")])
    participate(campaign, a[("Direction B", "ville")], finished=True)
    participate(campaign, a[("Direction B", "metropole")])
    return campaign


def figures(row):
    return (row.label, row.invited, row.not_started, row.started, row.finished, row.share)


@pytest.mark.django_db
def test_participation_counts_per_unit_subtree(world, client):
    campaign = hand_built(world)
    client.force_login(world.users[Role.ADMIN])
    url = reverse("diagnostic:campaign_detail", args=[campaign.pk])
    table = client.get(url).context["table"]
    groups = {g.label: g for g in table.groups}
    assert figures(groups["Direction A"]) == ("Direction A", 4, 1, 1, 2, 50)
    assert figures(groups["Direction B"]) == ("Direction B", 2, 1, 0, 1, 50)
    service_a1 = next(c for c in groups["Direction A"].children if c.label == "Service A1")
    assert figures(service_a1) == ("Service A1", 2, 0, 1, 1, 50)
    assert (table.total.invited, table.total.finished, table.total.share) == (6, 3, 50)
    drill = client.get(url, {"unit": world.serv_a1.pk}).context["table"]
    assert [figures(g) for g in drill.groups] == [("Service A1", 2, 0, 1, 1, 50)]


@pytest.mark.django_db
def test_direction_sees_its_scope_counts_but_no_names(world, client):
    campaign = hand_built(world)
    client.force_login(world.users[Role.DIRECTION])  # direction A
    response = client.get(reverse("diagnostic:campaign_detail", args=[campaign.pk]))
    table = response.context["table"]
    assert [g.label for g in table.groups] == ["Direction A"]
    assert (table.total.invited, table.total.finished) == (4, 2)
    page = response.content.decode()
    assert "Nom" not in re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert reverse("diagnostic:campaign_participants", args=[campaign.pk]) not in page
    assert world.agents[("Service A2", "ville")].last_name not in page
    assert response.context["preview"] is None  # no invitation figures either
    listed = client.get(reverse("diagnostic:campaign_list")).context["page"]
    assert [(c.invited, c.finished, c.share) for c in listed] == [(4, 2, 50)]


@pytest.mark.django_db
def test_manager_lists_their_team_with_status_only(world, client):
    campaign = hand_built(world)
    client.force_login(world.users[Role.MANAGER])  # team A1a
    url = reverse("diagnostic:campaign_participants", args=[campaign.pk])
    response = client.get(url)
    rows = {str(p.agent): p.status for p in response.context["page"]}
    assert rows == {
        str(world.agents[("Équipe A1a", "ville")]): "finished",
        str(world.agents[("Équipe A1a", "metropole")]): "started",
    }
    page = response.content.decode()
    assert "Terminé le" in page and "Commencé le" in page


@pytest.mark.django_db
def test_participant_filters(world, client):
    campaign = hand_built(world)
    client.force_login(world.users[Role.ADMIN])
    url = reverse("diagnostic:campaign_participants", args=[campaign.pk])

    def names(**params):
        return {str(p.agent) for p in client.get(url, params).context["page"]}

    a = world.agents
    assert len(names()) == 6
    assert names(status="finished") == {
        str(a[("Équipe A1a", "ville")]),
        str(a[("Service A2", "ville")]),
        str(a[("Direction B", "ville")]),
    }
    assert names(status="invited") == {
        str(a[("Service A2", "metropole")]),
        str(a[("Direction B", "metropole")]),
    }
    assert names(status="started", unit=world.dir_a.pk) == {str(a[("Équipe A1a", "metropole")])}
    assert names(q=a[("Direction B", "ville")].matricule) == {str(a[("Direction B", "ville")])}


@pytest.mark.django_db
def test_participant_list_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    campaign = make_campaign()
    for _ in range(60):
        participate(campaign, AgentFactory(unit=world.serv_a2, employer=world.city))
    client.force_login(world.users[Role.HR])
    url = reverse("diagnostic:campaign_participants", args=[campaign.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["page"]) == 50
    with django_assert_max_num_queries(16):  # the same with 0 participants
        client.get(reverse("diagnostic:campaign_detail", args=[campaign.pk]))


@pytest.mark.django_db
def test_letters_page_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    campaign = make_campaign()
    for _ in range(40):
        participate(campaign, AgentFactory(unit=world.serv_a2, employer=world.city))
    client.force_login(world.users[Role.ADMIN])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("diagnostic:campaign_letters", args=[campaign.pk]))
    assert response.content.decode().count("<svg") == 40


# --- Bank statistics ------------------------------------------------------------------------


def item(code, competence, level, **fields):
    return Item.objects.create(
        code=code,
        competence=competence,
        level=level,
        kind=ItemKind.SINGLE,
        stem="Quelle réponse ?",
        choices=[
            {"key": "a", "text": "Oui", "correct": True},
            {"key": "b", "text": "Non", "correct": False},
        ],
        explanation="Parce que.",
        a=1.7,
        b=level - 0.5,
        **fields,
    )


@pytest.mark.django_db
def test_bank_statistics_figures(world, client):
    c11 = Competence.objects.get(code="1.1")
    c42 = Competence.objects.get(code="4.2")
    for n in range(3):
        item(f"1.1-1-{n}", c11, 1)
    item("1.1-2-0", c11, 2)
    item("1.1-2-1", c11, 2, retired=True)
    served = item("4.2-3-0", c42, 3)
    campaign = make_campaign()
    attempts = []
    for i, agent in enumerate(world.agents.values()):
        participation = participate(campaign, agent, started=True)
        attempts.append(Attempt.objects.create(participation=participation, seed=i))
    # 4 answers: 2 right, 1 wrong, 1 "je ne sais pas"
    for attempt, correct in zip(attempts, [True, True, False, None], strict=False):
        Response.objects.create(
            attempt=attempt,
            position=0,
            item=served,
            answer=None if correct is None else ["a"],
            correct=correct,
        )
    client.force_login(world.users[Role.HR])
    response = client.get(reverse("diagnostic:bank_stats"))
    grid = {row.competence.code: row for row in response.context["grid"]}
    assert len(grid) == 16
    assert [c.active for c in grid["1.1"].cells] == [3, 1, 0, 0, 0]
    assert [c.short for c in grid["1.1"].cells] == [False, True, True, True, True]
    assert grid["1.1"].cells[1].retired == 1
    summary = response.context["summary"]
    assert (summary.active, summary.retired, summary.responses, summary.attempts) == (5, 1, 4, 6)
    assert summary.short_cells == 16 * 5 - 1
    rows = {i.code: i for i in response.context["page"]}
    figures = rows["4.2-3-0"]
    assert (figures.served, figures.right, figures.dont_know) == (4, 2, 1)
    assert (figures.success_percent, figures.exposure) == (50, 67)
    assert rows["1.1-1-0"].served == 0 and rows["1.1-1-0"].success_percent is None
    page = response.content.decode()
    assert "à compléter" in page and "50 %" in page
    by_success = client.get(reverse("diagnostic:bank_stats"), {"sort": "success"})
    assert next(iter(by_success.context["page"])).code == "4.2-3-0"  # never-served come last
    only = client.get(reverse("diagnostic:bank_stats"), {"competence": "4.2"}).context["page"]
    assert [i.code for i in only] == ["4.2-3-0"]


@pytest.mark.django_db
def test_bank_statistics_links_items_to_the_admin_for_staff_only(world, client):
    item("1.1-1-0", Competence.objects.get(code="1.1"), 1)
    client.force_login(world.users[Role.HR])
    url = reverse("diagnostic:bank_stats")
    assert "/admin/diagnostic/item/" not in client.get(url).content.decode()
    staff = user_with_role(Role.ADMIN, username="staff")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert "/admin/diagnostic/item/" in client.get(url).content.decode()


def test_qr_svg_draws_exactly_the_modules_of_the_code():
    import qrcode

    from tremplin.core.qr import qr_svg

    url = "https://tremplin.ville-exemple.fr/diagnostic/code/Zx9-kP2qLm_T0aBcDeFgHi/"
    svg = str(qr_svg(url))
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    drawn = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        for dx in range(int(width)):
            drawn[int(y)][int(x) + dx] = True
    expected = qrcode.QRCode(
        border=4, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2
    )
    expected.add_data(url)
    expected.make(fit=True)
    assert drawn == [[bool(v) for v in row] for row in expected.get_matrix()]


@pytest.mark.django_db
def test_bank_statistics_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    competence = Competence.objects.get(code="2.1")
    for n in range(60):
        item(f"2.1-{n % 5 + 1}-{n}", competence, n % 5 + 1)
    client.force_login(world.users[Role.ADMIN])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("diagnostic:bank_stats"))
    assert len(response.context["page"]) == 50
