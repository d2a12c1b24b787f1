"""Pix pages for HR: declaring a campaign and its population, importing an export
(upload → check → confirm → background task), the follow-up per unit, reminders and
letters, and the review of rows left without an agent."""

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import AgentFactory
from tremplin.accounts.enums import Role
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Evidence
from tremplin.core import uploads
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.diagnostic.enums import InviteChannel
from tremplin.diagnostic.models import (
    PixCampaign,
    PixCampaignKind,
    PixMatch,
    PixParticipation,
    PixReminder,
)
from tremplin.organisation.enums import ContactChannel

ALL = set(Role)
HR_ADMIN = {Role.HR, Role.ADMIN}
FOLLOWERS = {Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR, Role.DIRECTION}
LISTERS = {Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR}
COMPETENCE = "Mener une recherche et une veille d'information"
HEADERS = [
    "Nom de l'organisation",
    "ID Campagne",
    "Code",
    "Nom de la campagne",
    "Nom du Participant",
    "Prénom du Participant",
    "Matricule",
    "Envoi (O/N)",
    "Date de l'envoi",
    "Nombre de pix total",
    "Certifiable (O/N)",
    "Nombre de compétences certifiables",
    f"Niveau pour la compétence {COMPETENCE}",
    f"Nombre de pix pour la compétence {COMPETENCE}",
]


def export(rows, code="PIXVILLE1") -> bytes:
    """A profiles-collection export as Pix Orga writes it. rows: (last, first, matricule,
    shared, level) with level None when not shared."""
    lines = [";".join(f'"{h}"' for h in HEADERS)]
    for last, first, matricule, shared, level in rows:
        start = ["Ville", "42", code, "Profils des agents", last, first, matricule]
        if shared:
            cells = [*start, "Oui", "2025-03-04", str(level * 8), "Non", "0"]
            cells += [str(level), str(level * 8 + 1)]
        else:
            cells = [*start, "Non", "NA", "NA", "NA", "NA", "NA", "NA"]
        lines.append(";".join(f'"{c}"' for c in cells))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def row_of(agent, shared=True, level=3, matricule=None):
    return (
        agent.last_name,
        agent.first_name,
        agent.matricule if matricule is None else matricule,
        shared,
        level,
    )


def upload(client, data: bytes, name="export.csv", **extra):
    return client.post(
        reverse("diagnostic:pix_import"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **extra},
    )


def import_through_pages(client, data: bytes):
    response = upload(client, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("diagnostic:pix_import_preview")
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    done = client.post(reverse("diagnostic:pix_import_preview"))
    assert done.status_code == 302
    return preview, client.get(done["Location"])


def make_campaign(*units, code="PIXVILLE1", **fields):
    campaign = PixCampaign.objects.create(
        code=code, name="Profils des agents", kind=PixCampaignKind.PROFILES_COLLECTION, **fields
    )
    campaign.units.set(units)
    return campaign


def upload_files():
    folder = settings.MEDIA_ROOT / uploads.UPLOAD_FOLDER
    return list(folder.glob("*.upload")) if folder.is_dir() else []


# --- Who may open what ----------------------------------------------------------------------


def pages(world):
    campaign = make_campaign(world.dir_a)
    return [
        (reverse("diagnostic:pix_list"), FOLLOWERS),
        (reverse("diagnostic:pix_create"), HR_ADMIN),
        (reverse("diagnostic:pix_import"), HR_ADMIN),
        (reverse("diagnostic:pix_detail", args=[campaign.pk]), FOLLOWERS),
        (reverse("diagnostic:pix_edit", args=[campaign.pk]), HR_ADMIN),
        (reverse("diagnostic:pix_agents", args=[campaign.pk]), LISTERS),
        (reverse("diagnostic:pix_remind", args=[campaign.pk]), HR_ADMIN),
        (reverse("diagnostic:pix_letters", args=[campaign.pk]), HR_ADMIN),
        (reverse("diagnostic:pix_review", args=[campaign.pk]), HR_ADMIN),
    ]


@pytest.mark.django_db
def test_every_pix_page_for_every_role(world, client):
    failures = []
    for url, allowed in pages(world):
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in allowed) != (status == 200) or status not in (200, 403):
                failures.append(f"{url} as {role}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_other_roles_cannot_import_remind_or_review(world, client):
    campaign = make_campaign(world.dir_a)
    data = export([row_of(world.agents[("Équipe A1a", "ville")])])
    for role in ALL - HR_ADMIN:
        client.force_login(world.users[role])
        assert upload(client, data).status_code == 403, role
        assert client.post(reverse("diagnostic:pix_remind", args=[campaign.pk])).status_code == 403
    assert not PixParticipation.objects.exists()
    assert not PixReminder.objects.exists()


@pytest.mark.django_db
def test_menu_shows_pix_to_followers(world, client):
    for role, user in world.users.items():
        client.force_login(user)
        page = client.get(reverse("core:home")).content.decode()
        assert (reverse("diagnostic:pix_list") in page) == (role in FOLLOWERS), role


# --- Declaring a campaign -------------------------------------------------------------------


@pytest.mark.django_db
def test_declare_a_campaign_with_its_population(world, client):
    client.force_login(world.users[Role.ADMIN])
    response = client.post(
        reverse("diagnostic:pix_create"),
        {
            "code": " pixville1 ",
            "name": "Profils des agents",
            "kind": PixCampaignKind.PROFILES_COLLECTION,
            "external_id_label": "Matricule",
            "units": [world.dir_a.pk],
        },
    )
    campaign = PixCampaign.objects.get()
    assert response["Location"] == reverse("diagnostic:pix_detail", args=[campaign.pk])
    assert campaign.code == "PIXVILLE1"
    assert campaign.created_by == world.users[Role.ADMIN]
    assert list(campaign.units.all()) == [world.dir_a]
    assert campaign.link == "https://app.pix.fr/campagnes/PIXVILLE1"
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, target_type="diagnostic.pixcampaign"
    ).exists()


@pytest.mark.django_db
def test_a_bad_code_is_refused_on_its_field(world, client):
    client.force_login(world.users[Role.ADMIN])
    response = client.post(
        reverse("diagnostic:pix_create"),
        {"code": "AB-12", "kind": PixCampaignKind.ASSESSMENT},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "lettres et chiffres, sans espace" in page
    assert 'aria-invalid="true"' in page
    assert not PixCampaign.objects.exists()


@pytest.mark.django_db
def test_scoped_hr_must_choose_units_of_their_scope(world, client):
    client.force_login(world.users[Role.HR])  # direction A
    response = client.post(
        reverse("diagnostic:pix_create"),
        {"code": "PIXB", "kind": PixCampaignKind.ASSESSMENT, "units": [world.dir_b.pk]},
    )
    assert response.status_code == 200
    assert not PixCampaign.objects.exists()
    everybody = make_campaign(code="TOUS")
    assert client.get(reverse("diagnostic:pix_edit", args=[everybody.pk])).status_code == 403


@pytest.mark.django_db
def test_code_and_kind_are_fixed_once_results_are_imported(world, client):
    campaign = make_campaign(world.dir_a)
    client.force_login(world.users[Role.ADMIN])
    import_through_pages(client, export([row_of(world.agents[("Équipe A1a", "ville")])]))
    client.post(
        reverse("diagnostic:pix_edit", args=[campaign.pk]),
        {"code": "AUTRE", "kind": PixCampaignKind.ASSESSMENT, "name": "Nouveau nom"},
    )
    campaign.refresh_from_db()
    assert (campaign.code, campaign.kind, campaign.name) == (
        "PIXVILLE1",
        PixCampaignKind.PROFILES_COLLECTION,
        "Nouveau nom",
    )


# --- Import through the pages ---------------------------------------------------------------


@pytest.mark.django_db
def test_upload_preview_confirm_then_the_results_are_in_the_profiles(world, client):
    campaign = make_campaign(world.dir_a)
    alice = world.agents[("Équipe A1a", "ville")]
    bob = world.agents[("Service A2", "ville")]
    AgentFactory(last_name="Homonyme", first_name="Jean", unit=world.dir_b)
    AgentFactory(last_name="Homonyme", first_name="Jean", unit=world.dir_b)
    data = export(
        [
            row_of(alice, level=4),
            row_of(bob, shared=False),
            ("Homonyme", "Jean", "", True, 2),
            ("Inconnu", "Paul", "Z999", True, 2),
        ]
    )
    client.force_login(world.users[Role.ADMIN])
    preview, job_page = import_through_pages(client, data)
    text = preview.content.decode()
    assert "PIXVILLE1" in text
    assert "plusieurs agents ont ce nom" in text
    assert "aucun agent trouvé" in text
    job = job_page.content.decode()
    assert "Import terminé" in job
    assert "2 lignes à vérifier" in job
    assert PixParticipation.objects.count() == 4
    evidence = Evidence.objects.get(agent=alice, source=EvidenceSource.PIX)
    assert evidence.level == 4
    assert not Evidence.objects.filter(agent=bob).exists()
    campaign.refresh_from_db()
    assert campaign.last_import_at is not None
    assert upload_files() == []  # the stored file is gone once imported


@pytest.mark.django_db
def test_the_preview_writes_nothing_and_cancel_deletes_the_file(world, client):
    client.force_login(world.users[Role.ADMIN])
    upload(client, export([row_of(world.agents[("Équipe A1a", "ville")])]))
    assert len(upload_files()) == 1
    assert client.get(reverse("diagnostic:pix_import_preview")).status_code == 200
    assert not PixCampaign.objects.exists()
    assert not PixParticipation.objects.exists()
    client.post(reverse("diagnostic:pix_import_cancel"))
    assert upload_files() == []
    assert client.get(reverse("diagnostic:pix_import_preview"))["Location"] == reverse(
        "diagnostic:pix_import"
    )


@pytest.mark.django_db
def test_a_file_from_another_tool_is_refused_on_the_file_field(world, client):
    client.force_login(world.users[Role.ADMIN])
    response = upload(client, "Nom;Prénom\nMartin;Alice\n".encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne vient pas de Pix Orga" in page
    assert 'aria-invalid="true"' in page
    assert upload_files() == []
    assert not PixCampaign.objects.exists()


@pytest.mark.django_db
def test_a_file_with_bad_cells_lists_line_and_column(world, client):
    alice = world.agents[("Équipe A1a", "ville")]
    data = export([row_of(alice)]).replace(b'"Non";"0"', b'"Peut-etre";"0"')
    client.force_login(world.users[Role.ADMIN])
    response = upload(client, data)
    page = response.content.decode()
    assert "1 erreur à corriger" in page
    assert "Certifiable (O/N)" in page
    assert "attendu Oui ou Non" in page
    assert not PixParticipation.objects.exists()


@pytest.mark.django_db
def test_an_old_export_without_code_takes_the_chosen_campaign(world, client):
    campaign = make_campaign(world.dir_a, code="ANCIEN20")
    alice = world.agents[("Équipe A1a", "ville")]
    data = export([row_of(alice)], code="")
    headers = data.decode("utf-8-sig").splitlines()
    # Drop the "Code" column (exports before 2021).
    kept = []
    for line in headers:
        cells = line.split(";")
        kept.append(";".join(cells[:2] + cells[3:]))
    old = ("\ufeff" + "\r\n".join(kept) + "\r\n").encode()
    client.force_login(world.users[Role.ADMIN])
    refused = upload(client, old)
    assert "ne donne pas le code de la campagne" in refused.content.decode()
    response = upload(client, old, campaign=campaign.pk)
    assert response.status_code == 302
    client.post(reverse("diagnostic:pix_import_preview"))
    assert PixParticipation.objects.get().campaign == campaign


@pytest.mark.django_db
def test_scoped_hr_links_only_agents_of_their_scope(world, client):
    inside = world.agents[("Équipe A1a", "ville")]
    outside = world.agents[("Direction B", "ville")]
    client.force_login(world.users[Role.HR])  # direction A
    preview, _job = import_through_pages(client, export([row_of(inside), row_of(outside)]))
    assert "hors de votre périmètre" in preview.content.decode()
    linked = dict(PixParticipation.objects.values_list("last_name", "agent_id"))
    assert linked == {inside.last_name: inside.pk, outside.last_name: None}
    assert not Evidence.objects.filter(agent=outside).exists()
    # Someone with the whole scope imports the same file: the row gets its agent.
    client.force_login(world.users[Role.ADMIN])
    import_through_pages(client, export([row_of(inside), row_of(outside)]))
    assert PixParticipation.objects.get(last_name=outside.last_name).agent == outside
    assert Evidence.objects.filter(agent=outside, source=EvidenceSource.PIX).count() == 1


# --- Follow-up per unit ---------------------------------------------------------------------


@pytest.mark.django_db
def test_figures_per_unit_after_an_import(world, client):
    campaign = make_campaign(world.dir_a)
    a1a_ville = world.agents[("Équipe A1a", "ville")]
    a2_ville = world.agents[("Service A2", "ville")]
    b_ville = world.agents[("Direction B", "ville")]
    client.force_login(world.users[Role.ADMIN])
    import_through_pages(
        client, export([row_of(a1a_ville), row_of(a2_ville, shared=False), row_of(b_ville)])
    )
    from tremplin.diagnostic import pix_campaigns

    table = pix_campaigns.figures_by_unit(campaign, world.users[Role.ADMIN])
    by_label = {g.label: g for g in table.groups}
    dir_a = by_label["Direction A"]
    assert (dir_a.invited, dir_a.started, dir_a.shared, dir_a.not_started) == (4, 2, 1, 2)
    service_a2 = next(c for c in dir_a.children if c.label == "Service A2")
    assert (service_a2.invited, service_a2.started_only, service_a2.shared) == (2, 1, 0)
    assert "Direction B" not in by_label  # not in the population, nobody started: not shown
    totals = pix_campaigns.totals(campaign, world.users[Role.ADMIN])
    assert (totals.invited, totals.started, totals.shared, totals.outside) == (4, 2, 1, 1)
    assert totals.share == 25
    # The direction (scoped to A) sees the same counts, and no list of names.
    client.force_login(world.users[Role.DIRECTION])
    page = client.get(reverse("diagnostic:pix_detail", args=[campaign.pk])).content.decode()
    assert "25 %" in page
    assert a1a_ville.last_name not in page
    assert client.get(reverse("diagnostic:pix_agents", args=[campaign.pk])).status_code == 403


@pytest.mark.django_db
def test_agent_list_filters_by_status(world, client):
    campaign = make_campaign(world.dir_a)
    started = world.agents[("Équipe A1a", "ville")]
    client.force_login(world.users[Role.ADMIN])
    import_through_pages(client, export([row_of(started)]))
    url = reverse("diagnostic:pix_agents", args=[campaign.pk])
    shared = client.get(url, {"status": "shared"}).content.decode()
    assert str(started) in shared
    assert "4 agents" in client.get(url).content.decode()
    not_started = client.get(url, {"status": "not_started"}).content.decode()
    assert "3 agents" in not_started
    assert str(started) not in not_started


# --- Reminders ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_remind_those_who_have_not_started_by_email_and_letter(world, client):
    campaign = make_campaign(world.dir_a, external_id_label="Matricule")
    started = world.agents[("Équipe A1a", "ville")]
    reads_mail = world.agents[("Équipe A1a", "metropole")]
    reads_mail.contact_channel = ContactChannel.EMAIL
    reads_mail.email = "lecteur@ville.test"
    reads_mail.save()
    client.force_login(world.users[Role.ADMIN])
    import_through_pages(client, export([row_of(started)]))
    mail.outbox.clear()
    url = reverse("diagnostic:pix_remind", args=[campaign.pk])
    assert "3</strong> agents à relancer" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("diagnostic:pix_letters", args=[campaign.pk])
    reminders = PixReminder.objects.filter(campaign=campaign)
    assert reminders.count() == 3
    assert not reminders.filter(agent=started).exists()
    assert reminders.get(agent=reads_mail).channel == InviteChannel.EMAIL
    assert reminders.get(agent=reads_mail).emailed
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lecteur@ville.test"]
    assert "https://app.pix.fr/campagnes/PIXVILLE1" in message.body
    assert f"Indiquez : {reads_mail.matricule}" in message.body
    assert AuditEntry.objects.filter(target_type="diagnostic.pixreminder").count() >= 3
    letters = client.get(response["Location"]).content.decode()
    assert letters.count('class="tp-sheet tp-letter"') == 2
    assert "PIXVILLE1" in letters
    assert "<svg" in letters


# --- Review ---------------------------------------------------------------------------------


@pytest.fixture
def ambiguous(world, client):
    campaign = make_campaign(world.dir_a)
    twin1 = AgentFactory(last_name="Homonyme", first_name="Jean", unit=world.serv_a2)
    twin2 = AgentFactory(last_name="Homonyme", first_name="Jean", unit=world.team_a1a)
    client.force_login(world.users[Role.ADMIN])
    import_through_pages(client, export([("Homonyme", "Jean", "", True, 4)]))
    return campaign, PixParticipation.objects.get(), twin1, twin2


@pytest.mark.django_db
def test_review_picks_an_agent_and_the_evidence_follows(ambiguous, client):
    campaign, row, twin1, twin2 = ambiguous
    url = reverse("diagnostic:pix_review", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert twin1.matricule in page and twin2.matricule in page
    response = client.post(url, {"row": row.pk, "action": "link", f"r{row.pk}-agent": twin2.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.agent == twin2
    assert Evidence.objects.get(agent=twin2).level == 4
    assert PixMatch.objects.get().campaign == campaign
    assert "Toutes les lignes sont reliées" in client.get(url).content.decode()


@pytest.mark.django_db
def test_review_by_matricule_and_its_errors(ambiguous, world, client):
    campaign, row, twin1, _twin2 = ambiguous
    url = reverse("diagnostic:pix_review", args=[campaign.pk])
    response = client.post(url, {"row": row.pk, "action": "link", f"r{row.pk}-matricule": "X"})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Aucun agent présent de votre périmètre n'a ce matricule" in page
    response = client.post(url, {"row": row.pk, "action": "link"})
    assert "Choisissez l'agent ou écrivez son matricule" in html.unescape(response.content.decode())
    row.refresh_from_db()
    assert row.agent is None
    assert not Evidence.objects.exists()
    client.post(
        url,
        {
            "row": row.pk,
            "action": "link",
            f"r{row.pk}-matricule": twin1.matricule,
            f"r{row.pk}-everywhere": "on",
        },
    )
    row.refresh_from_db()
    assert row.agent == twin1
    assert PixMatch.objects.get().campaign is None  # remembered for every campaign


@pytest.mark.django_db
def test_dismissed_rows_leave_the_review(ambiguous, client):
    campaign, row, _twin1, _twin2 = ambiguous
    url = reverse("diagnostic:pix_review", args=[campaign.pk])
    client.post(url, {"row": row.pk, "action": "dismiss"})
    row.refresh_from_db()
    assert row.dismissed and row.agent is None
    assert "Toutes les lignes sont reliées" in client.get(url).content.decode()
    entry = AuditEntry.objects.filter(target_type="diagnostic.pixparticipation").latest("pk")
    assert entry.changes == {"dismissed": [False, True]}
    assert re.search(r"écartée", entry.summary)


@pytest.mark.django_db
def test_a_fragility_segment_narrows_the_population(world, client):
    from tremplin.organisation.enums import IdentityStatus
    from tremplin.organisation.models import DigitalIdentity
    from tremplin.training.models import FragilitySegment

    segment = FragilitySegment.objects.create(name="Sans compte", no_active_identity=True)
    with_account = world.agents[("Équipe A1a", "ville")]
    DigitalIdentity.objects.update_or_create(
        agent=with_account, defaults={"status": IdentityStatus.ACTIVE, "login": "a.a"}
    )
    client.force_login(world.users[Role.ADMIN])
    client.post(
        reverse("diagnostic:pix_create"),
        {
            "code": "SEGMENT1",
            "kind": PixCampaignKind.PROFILES_COLLECTION,
            "units": [world.dir_a.pk],
            "segment": segment.pk,
        },
    )
    campaign = PixCampaign.objects.get(code="SEGMENT1")
    assert campaign.segment == segment
    population = set(campaign.population())
    assert with_account not in population
    assert population == {a for (unit, _e), a in world.agents.items() if unit != "Direction B"} - {
        with_account
    }
    page = client.get(reverse("diagnostic:pix_detail", args=[campaign.pk])).content.decode()
    assert "Seulement le groupe « Sans compte »" in page
