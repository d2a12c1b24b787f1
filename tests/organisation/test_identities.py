"""Digital identity pages: coverage, list, export for IT, mark as requested, import back."""

import csv
import datetime as dt
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import AgentFactory, IdentityFactory
from tremplin.accounts.enums import Role
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.core.tabular import xlsx_bytes
from tremplin.organisation import identities
from tremplin.organisation.enums import ContactChannel, IdentityStatus
from tremplin.organisation.models import Agent, DigitalIdentity

TODAY = timezone.localdate()


@pytest.fixture
def covered(world):
    """The world with identities, counted by hand:

    Direction A: 5 present (Équipe A1a: 2, Service A1 directly: 1, Service A2: 2),
    3 active (A1a0, the Service A1 agent, A20), 1 requested (A1a1); one departed agent
    with an active identity in Service A2 must not count.
    Direction B: 2 present, 1 active (B0), B1 disabled.
    """
    a = world.agents
    IdentityFactory(agent=a[("Équipe A1a", "ville")], status=IdentityStatus.ACTIVE)
    IdentityFactory(agent=a[("Équipe A1a", "metropole")], status=IdentityStatus.REQUESTED, login="")
    IdentityFactory(agent=a[("Service A2", "ville")], status=IdentityStatus.ACTIVE)
    IdentityFactory(agent=a[("Direction B", "ville")], status=IdentityStatus.ACTIVE)
    IdentityFactory(agent=a[("Direction B", "metropole")], status=IdentityStatus.DISABLED)
    world.serv_a1_agent = AgentFactory(employer=world.city, unit=world.serv_a1, last_name="Direct")
    IdentityFactory(agent=world.serv_a1_agent, status=IdentityStatus.ACTIVE)
    world.departed = AgentFactory(
        employer=world.city,
        unit=world.serv_a2,
        last_name="Parti",
        departure_date=TODAY - dt.timedelta(days=1),
    )
    IdentityFactory(agent=world.departed, status=IdentityStatus.ACTIVE)
    return world


def _text(response) -> str:
    return html.unescape(response.content.decode())


def figures(row):
    return (row.label, row.present, row.active, row.requested, row.share)


# --- Coverage -------------------------------------------------------------------------


@pytest.mark.django_db
def test_coverage_per_direction_and_service_matches_hand_count(covered):
    coverage = identities.coverage_for(covered.users[Role.ADMIN])
    dir_a, dir_b = coverage.groups
    assert figures(dir_a) == ("Direction A", 5, 3, 1, 60)
    assert [figures(c) for c in dir_a.children] == [
        ("Service A1", 3, 2, 1, 67),
        ("Service A2", 2, 1, 0, 50),
    ]
    assert figures(dir_b) == ("Direction B", 2, 1, 0, 50)
    assert (coverage.total.present, coverage.total.active, coverage.total.share) == (7, 4, 57)
    assert coverage.elsewhere.present == 0


@pytest.mark.django_db
def test_coverage_drills_down_into_a_service(covered):
    coverage = identities.coverage_for(covered.users[Role.ADMIN], covered.serv_a1)
    (service,) = coverage.groups
    assert figures(service) == ("Service A1", 3, 2, 1, 67)
    assert [figures(c) for c in service.children] == [("Équipe A1a", 2, 1, 1, 50)]


@pytest.mark.django_db
def test_coverage_is_one_grouped_query_whatever_the_number_of_agents(
    covered, django_assert_max_num_queries
):
    admin = covered.users[Role.ADMIN]
    admin.role_set  # noqa: B018 (roles are cached once per request in real use)
    AgentFactory.create_batch(30, employer=covered.city, unit=covered.team_a1a)
    with django_assert_max_num_queries(2):
        coverage = identities.coverage_for(admin)
    assert coverage.total.present == 37


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.HR, Role.DIRECTION])
def test_scoped_users_see_only_their_direction(covered, client, role):
    client.force_login(covered.users[role])
    response = client.get(reverse("organisation:identities"))
    assert response.status_code == 200
    coverage = response.context["coverage"]
    assert [g.label for g in coverage.groups] == ["Direction A"]
    assert (coverage.total.present, coverage.total.active) == (5, 3)
    content = _text(response)
    assert "Direction B" not in content
    assert "60 %" in content  # the share is written as text beside the bar


@pytest.mark.django_db
def test_direction_sees_figures_but_no_agent_name(covered, client):
    client.force_login(covered.users[Role.DIRECTION])
    content = _text(client.get(reverse("organisation:identities")))
    for agent in Agent.objects.all():
        assert agent.first_name not in content
        assert str(agent) not in content
    assert reverse("organisation:identity_list") not in content
    assert client.get(reverse("organisation:identity_list")).status_code == 403


@pytest.mark.django_db
def test_manager_sees_coverage_of_their_team(covered, client):
    client.force_login(covered.users[Role.MANAGER])
    coverage = client.get(reverse("organisation:identities")).context["coverage"]
    assert [figures(g) for g in coverage.groups] == [("Équipe A1a", 2, 1, 1, 50)]


# --- List of agents without an active identity ---------------------------------------


@pytest.mark.django_db
def test_list_shows_present_agents_without_active_identity_in_scope(covered, client):
    client.force_login(covered.users[Role.HR])
    response = client.get(reverse("organisation:identity_list"))
    names = {a.last_name for a in response.context["page"]}
    assert names == {"A1a1", "A21"}  # A1a1 requested, A21 none; Direction B out of scope


@pytest.mark.django_db
def test_list_filters_by_unit_subtree_and_status(covered, client):
    client.force_login(covered.users[Role.ADMIN])
    url = reverse("organisation:identity_list")
    by_unit = client.get(url, {"unit": covered.dir_b.pk}).context["page"]
    assert {a.last_name for a in by_unit} == {"B1"}
    by_status = client.get(url, {"status": IdentityStatus.REQUESTED}).context["page"]
    assert {a.last_name for a in by_status} == {"A1a1"}
    content = _text(client.get(url, {"status": IdentityStatus.DISABLED}))
    assert "B1" in content and "Désactivée" in content


@pytest.mark.django_db
def test_list_page_query_count_does_not_grow_with_agents(
    covered, client, django_assert_max_num_queries
):
    for i in range(60):
        agent = AgentFactory(employer=covered.metro, unit=covered.serv_a2, site=covered.site)
        if i % 3:
            IdentityFactory(agent=agent, status=IdentityStatus.REQUESTED, login="")
    client.force_login(covered.users[Role.HR])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organisation:identity_list"))
    assert response.context["page"].paginator.count == 62
    assert len(response.context["page"]) == 50


# --- Export for IT ------------------------------------------------------------------------


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def homonyms(covered):
    """An active Jean Dupont already holds 'jean.dupont' and a mailbox at the city's domain;
    two more Jean Dupont and an agent whose name would run as a formula need accounts."""
    holder = AgentFactory(employer=covered.city, unit=covered.serv_a2, first_name="Jean")
    IdentityFactory(agent=holder, login="jean.dupont", mailbox="jean.dupont@ville-test.fr")
    covered.jean_city = AgentFactory(
        employer=covered.city, unit=covered.serv_a2, first_name="Jean", last_name="Dupont"
    )
    covered.jean_metro = AgentFactory(
        employer=covered.metro, unit=covered.serv_a2, first_name="Jéan", last_name="DUPONT"
    )
    covered.formula = AgentFactory(
        employer=covered.city,
        unit=covered.dir_b,
        first_name="Éloïse",
        last_name='=HYPERLINK("http://x")',
        manager=covered.agents[("Direction B", "ville")],
    )
    return covered


@pytest.mark.django_db
def test_export_csv_for_it(homonyms, client):
    client.force_login(homonyms.users[Role.ADMIN])
    response = client.get(reverse("organisation:identity_export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _csv_rows(response)
    assert header == identities.EXPORT_HEADERS
    by_matricule = {row[1]: row for row in rows}
    # status none and present only: A21, the two Dupont, the formula agent
    assert set(by_matricule) == {
        homonyms.agents[("Service A2", "metropole")].matricule,
        homonyms.jean_city.matricule,
        homonyms.jean_metro.matricule,
        homonyms.formula.matricule,
    }
    city_jean = by_matricule[homonyms.jean_city.matricule]
    metro_jean = by_matricule[homonyms.jean_metro.matricule]
    # City rows come after Métropole rows (ordered by employer name).
    assert metro_jean[7] == "jean.dupont2"
    assert city_jean[7] == "jean.dupont3"
    assert city_jean[8] == "jean.dupont3@ville-test.fr"  # the city's usual domain
    assert metro_jean[8] == ""  # no mailbox known yet at the Métropole
    assert city_jean[4] == "Direction A › Service A2"
    formula = by_matricule[homonyms.formula.matricule]
    assert formula[2] == '\'=HYPERLINK("http://x")'
    assert formula[7] == "eloise.hyperlink-http-x"
    assert formula[9] == homonyms.agents[("Direction B", "ville")].full_name
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.changes["count"] == 4


@pytest.mark.django_db
def test_export_xlsx_with_a_chosen_domain_and_unit(homonyms, client):
    client.force_login(homonyms.users[Role.ADMIN])
    response = client.get(
        reverse("organisation:identity_export"),
        {"format": "xlsx", "domain": "@Metropole-Test.fr", "unit": homonyms.serv_a2.pk},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == identities.EXPORT_HEADERS
    a21 = homonyms.agents[("Service A2", "metropole")]
    a21_login = f"{identities.login_part(a21.first_name)}.a21"
    assert {(r[7], r[8]) for r in rows} == {
        ("jean.dupont2", "jean.dupont2@metropole-test.fr"),
        ("jean.dupont3", "jean.dupont3@metropole-test.fr"),
        (a21_login, f"{a21_login}@metropole-test.fr"),
    }


@pytest.mark.django_db
def test_export_rejects_a_malformed_domain_in_french(covered, client):
    client.force_login(covered.users[Role.HR])
    response = client.get(
        reverse("organisation:identity_export"), {"format": "csv", "domain": "pas un domaine"}
    )
    assert response.status_code == 200
    assert "Écrivez seulement le domaine" in _text(response)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
def test_export_is_scoped(covered, client):
    client.force_login(covered.users[Role.HR])
    response = client.get(reverse("organisation:identity_export"), {"format": "csv"})
    _header, *rows = _csv_rows(response)
    assert [r[2] for r in rows] == ["A21"]


@pytest.mark.parametrize(
    "first, last, expected",
    [
        ("Marie-Hélène", "Le Bœuf", "marie-helene.le-boeuf"),
        ("Jean", "D'Arc", "jean.darc"),
        ("  ", "Ñúñez", "nunez"),
        ("", "", "agent"),
    ],
)
def test_suggested_login_is_plain_ascii(first, last, expected):
    assert identities.suggest_login(first, last, set()) == expected


def test_suggested_login_counts_up_on_collision():
    taken = {"ana.roy", "ana.roy2"}
    assert identities.suggest_login("Ana", "Roy", taken) == "ana.roy3"
    assert identities.suggest_login("Ana", "Roy", taken) == "ana.roy4"


# --- Mark as requested ------------------------------------------------------------------


@pytest.mark.django_db
def test_mark_as_requested_is_a_post_scoped_and_audited(covered, client):
    a21 = covered.agents[("Service A2", "metropole")]
    b_agent_without = AgentFactory(employer=covered.city, unit=covered.dir_b)
    client.force_login(covered.users[Role.HR])
    url = reverse("organisation:identity_mark_requested")
    assert client.get(url).status_code == 405
    before = AuditEntry.objects.count()
    response = client.post(url)
    assert response.status_code == 302
    identity = DigitalIdentity.objects.get(agent=a21)
    assert (identity.status, identity.requested_at) == (IdentityStatus.REQUESTED, TODAY)
    assert not DigitalIdentity.objects.filter(agent=b_agent_without).exists()  # out of scope
    # the one already requested keeps its status; nothing else changed
    assert DigitalIdentity.objects.filter(status=IdentityStatus.REQUESTED).count() == 2
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert [(e.action, e.target_id) for e in entries] == [(AuditAction.CREATE, str(identity.pk))]
    assert entries[0].changes["status"] == ["none", "requested"]
    assert entries[0].actor == covered.users[Role.HR]


@pytest.mark.django_db
def test_mark_as_requested_updates_an_identity_row_left_at_none(covered, client):
    a21 = covered.agents[("Service A2", "metropole")]
    identity = IdentityFactory(agent=a21, status=IdentityStatus.NONE, login="")
    client.force_login(covered.users[Role.ADMIN])
    client.post(reverse("organisation:identity_mark_requested"), {"unit": covered.serv_a2.pk})
    identity.refresh_from_db()
    assert identity.status == IdentityStatus.REQUESTED
    entry = AuditEntry.objects.get(target_id=str(identity.pk), action=AuditAction.UPDATE)
    assert entry.changes["requested_at"] == [None, TODAY.isoformat()]


# --- Import back ---------------------------------------------------------------------------


def _csv_file(lines, name="comptes.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "\ufeff" + "\r\n".join(";".join(cells) for cells in lines) + "\r\n"
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def _state():
    """Everything an import may touch, to prove that a refused file changed nothing."""
    return (
        sorted(
            DigitalIdentity.objects.values_list(
                "agent_id", "login", "mailbox", "status", "activated_at"
            )
        ),
        sorted(Agent.objects.values_list("pk", "email", "contact_channel", "updated_at")),
    )


@pytest.fixture
def import_lines(covered):
    a = covered.agents
    active = DigitalIdentity.objects.get(agent=a[("Service A2", "ville")])
    return [
        ["Matricule", "Employeur", "Login", "Courriel", "Date d'activation"],
        [
            a[("Service A2", "metropole")].matricule,
            "metropole",
            "a.vingtun",
            "a.vingtun@metro.fr",
            "03/02/2025",
        ],
        [a[("Équipe A1a", "metropole")].matricule, "", "b.requested", "b.requested@metro.fr", ""],
        [a[("Service A2", "ville")].matricule, "ville", active.login, "", ""],
    ]


def _upload(client, lines, **kwargs):
    return client.post(
        reverse("organisation:identity_import"), {"file": _csv_file(lines, **kwargs)}
    )


def _apply(client, response):
    return client.post(
        reverse("organisation:identity_import_apply"), {"digest": response.context["digest"]}
    )


@pytest.mark.django_db
def test_import_back_previews_then_applies(covered, client, import_lines):
    a21 = covered.agents[("Service A2", "metropole")]
    a1a1 = covered.agents[("Équipe A1a", "metropole")]
    a1a1.email = "deja@exemple.fr"
    a1a1.save()
    client.force_login(covered.users[Role.HR])
    state = _state()
    preview = _upload(client, import_lines)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert (plan.to_activate, plan.to_update, plan.unchanged) == (2, 0, 1)
    assert (plan.emails_filled, plan.switched_to_email) == (1, 2)
    content = _text(preview)
    assert "2 identités à activer" in content
    assert "1 identité déjà active, sans changement" in content
    assert "par courriel au lieu du courrier papier" in content
    assert _state() == state  # a preview writes nothing

    response = _apply(client, preview)
    assert response.status_code == 302
    new = DigitalIdentity.objects.get(agent=a21)
    assert (new.status, new.login, new.mailbox, new.activated_at) == (
        IdentityStatus.ACTIVE,
        "a.vingtun",
        "a.vingtun@metro.fr",
        dt.date(2025, 2, 3),
    )
    requested = DigitalIdentity.objects.get(agent=a1a1)
    assert (requested.status, requested.activated_at) == (IdentityStatus.ACTIVE, TODAY)
    a21.refresh_from_db()
    a1a1.refresh_from_db()
    assert (a21.email, a21.contact_channel) == ("a.vingtun@metro.fr", ContactChannel.EMAIL)
    assert (a1a1.email, a1a1.contact_channel) == ("deja@exemple.fr", ContactChannel.EMAIL)
    audited = set(
        AuditEntry.objects.filter(target_type="organisation.digitalidentity").values_list(
            "action", "target_id"
        )
    )
    assert {(AuditAction.CREATE, str(new.pk)), (AuditAction.UPDATE, str(requested.pk))} <= audited
    assert AuditEntry.objects.filter(
        target_type="organisation.agent", target_id=str(a21.pk), action=AuditAction.UPDATE
    ).exists()
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).changes["activated"] == 2


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(covered, client, import_lines):
    client.force_login(covered.users[Role.HR])
    _apply(client, _upload(client, import_lines))
    a21 = covered.agents[("Service A2", "metropole")]
    Agent.objects.filter(pk=a21.pk).update(contact_channel=ContactChannel.PAPER)  # chosen since
    state, entries = _state(), AuditEntry.objects.count()
    preview = _upload(client, import_lines)
    plan = preview.context["plan"]
    assert (plan.to_activate, plan.to_update, plan.unchanged) == (0, 0, 3)
    assert "Ce fichier ne change rien" in _text(preview)
    assert "Enregistrer ces changements" not in _text(preview)
    # Even forced, applying the same file again writes nothing.
    identities.apply_identity_import(
        identities.plan_identity_import(
            _csv_file(import_lines).read(), "comptes.csv", user=covered.users[Role.HR]
        )
    )
    assert _state() == state
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_import_back_reads_xlsx(covered, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a21 = covered.agents[("Service A2", "metropole")]
    data = xlsx_bytes(
        ["Matricule", "Identifiant", "Messagerie", "Date d'activation"],
        [[int(a21.matricule), "x.vingtun", "x.vingtun@metro.fr", dt.date(2025, 1, 6)]],
    )
    client.force_login(covered.users[Role.ADMIN])
    preview = client.post(
        reverse("organisation:identity_import"),
        {"file": SimpleUploadedFile("comptes.xlsx", data)},
    )
    assert preview.context["plan"].to_activate == 1
    _apply(client, preview)
    identity = DigitalIdentity.objects.get(agent=a21)
    assert (identity.login, identity.activated_at) == ("x.vingtun", dt.date(2025, 1, 6))


def _bad_file_cases(world):
    a = world.agents
    a21 = a[("Service A2", "metropole")].matricule
    a20 = a[("Service A2", "ville")].matricule
    b0 = a[("Direction B", "ville")].matricule
    header = ["Matricule", "Identifiant", "Messagerie", "Date d'activation"]
    good = [a21, "a.vingtun", "a.vingtun@metro.fr", ""]
    taken = DigitalIdentity.objects.get(agent=a[("Équipe A1a", "ville")])
    taken_login = taken.login
    DigitalIdentity.objects.filter(pk=taken.pk).update(mailbox="deja.pris@ville.fr")
    return {
        "unknown matricule": (
            [header, good, ["999999", "x.y", "x.y@metro.fr", ""]],
            "Ligne 3, colonne « Matricule » : aucun agent de votre périmètre n'a le matricule « 999999 ».",
        ),
        "out of scope": (
            [header, good, [b0, "x.y", "x.y@metro.fr", ""]],
            f"Ligne 3, colonne « Matricule » : aucun agent de votre périmètre n'a le matricule « {b0} ».",
        ),
        "login of another agent": (
            [header, good, [a20, taken_login, "", ""]],
            f"Ligne 3, colonne « Identifiant » : l'identifiant « {taken_login} » est déjà celui d'un autre agent.",
        ),
        "malformed email": (
            [header, good, [a20, "a.vingt", "a.vingt@@metro", ""]],
            "Ligne 3, colonne « Messagerie » : adresse de messagerie mal formée : « a.vingt@@metro ».",
        ),
        "duplicate row": (
            [header, good, good],
            "Ligne 3, colonne « Matricule » : cet agent figure déjà à la ligne 2.",
        ),
        "login twice": (
            [header, good, [a20, "a.vingtun", "", ""]],
            "Ligne 3, colonne « Identifiant » : cet identifiant figure déjà à la ligne 2.",
        ),
        "login twice, other case": (
            [header, good, [a20, "A.Vingtun", "", ""]],
            "Ligne 3, colonne « Identifiant » : cet identifiant figure déjà à la ligne 2.",
        ),
        "login of another agent, other case": (
            [header, good, [a20, taken_login.upper(), "", ""]],
            f"Ligne 3, colonne « Identifiant » : l'identifiant « {taken_login.upper()} » est déjà celui d'un autre agent.",
        ),
        "mailbox of another agent, other case": (
            [header, good, [a20, "a.vingt", "Deja.Pris@Ville.fr", ""]],
            "Ligne 3, colonne « Messagerie » : l'adresse « Deja.Pris@Ville.fr » est déjà celle d'un autre agent.",
        ),
        "mailbox twice, other case": (
            [header, good, [a20, "a.vingt", "A.Vingtun@Metro.fr", ""]],
            "Ligne 3, colonne « Messagerie » : cette adresse figure déjà à la ligne 2.",
        ),
        "departed agent": (
            [header, good, [world.departed.matricule, "p.arti", "p.arti@ville.fr", ""]],
            f"Ligne 3, colonne « Matricule » : cet agent est parti le {world.departed.departure_date:%d/%m/%Y}",
        ),
        "unreadable date": (
            [header, [a21, "a.vingtun", "", "31/02/2025"]],
            "Ligne 2, colonne « Date d'activation » : date illisible : « 31/02/2025 ».",
        ),
        "future date": (
            [header, [a21, "a.vingtun", "", (TODAY + dt.timedelta(days=3)).strftime("%d/%m/%Y")]],
            "Ligne 2, colonne « Date d'activation » : la date d'activation est dans le futur.",
        ),
        "unknown employer": (
            [["Matricule", "Employeur", "Identifiant", "Messagerie"], [a21, "mairie", "a.b", ""]],
            "Ligne 2, colonne « Employeur » : employeur inconnu : « mairie ».",
        ),
        "missing column": (
            [["Matricule", "Messagerie"], [a21, "a.vingtun@metro.fr"]],
            "Ligne 1 : la colonne « Identifiant » manque dans la ligne d'en-tête",
        ),
    }


CASES = [
    "unknown matricule",
    "out of scope",
    "login of another agent",
    "malformed email",
    "duplicate row",
    "login twice",
    "login twice, other case",
    "login of another agent, other case",
    "mailbox of another agent, other case",
    "mailbox twice, other case",
    "departed agent",
    "unreadable date",
    "future date",
    "unknown employer",
    "missing column",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_says_where_in_french_and_changes_nothing(covered, client, case):
    lines, message = _bad_file_cases(covered)[case]
    client.force_login(covered.users[Role.HR])
    state, entries = _state(), AuditEntry.objects.count()
    response = _upload(client, lines)
    assert response.status_code == 200
    assert "rien n'a été enregistré" in _text(response)
    form_errors = response.context["form"].errors["file"]
    assert form_errors and "erreur" in form_errors[0]
    shown = [str(e) for e in response.context["errors"]]
    assert any(e.startswith(message) for e in shown), shown
    assert "digest" not in response.context
    assert (
        client.post(reverse("organisation:identity_import_apply"), {"digest": "x"}).status_code
        == 302
    )
    assert _state() == state
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_an_empty_file_is_refused_on_the_field(covered, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(covered.users[Role.HR])
    response = client.post(
        reverse("organisation:identity_import"),
        {"file": SimpleUploadedFile("vide.csv", b"\xef\xbb\xbf")},
    )
    content = _text(response)
    assert 'aria-invalid="true"' in content
    assert "Le fichier est vide." in content


@pytest.mark.django_db
def test_matricule_shared_by_two_employers_needs_the_employer_column(covered, client):
    a21 = covered.agents[("Service A2", "metropole")]
    twin = AgentFactory(employer=covered.city, unit=covered.serv_a2, matricule=a21.matricule)
    client.force_login(covered.users[Role.HR])
    response = _upload(
        client, [["Matricule", "Identifiant", "Messagerie"], [a21.matricule, "t.win", ""]]
    )
    assert "existe chez plusieurs employeurs" in str(response.context["errors"][0])
    response = _upload(
        client,
        [
            ["Matricule", "Employeur", "Identifiant", "Messagerie"],
            [a21.matricule, "ville", "t.win", ""],
        ],
    )
    assert [row.agent for row in response.context["plan"].rows] == [twin]


@pytest.mark.django_db
def test_apply_checks_the_file_again_against_todays_data(covered, client, import_lines):
    client.force_login(covered.users[Role.HR])
    preview = _upload(client, import_lines)
    # Between preview and apply, another agent got the login the file gives to A21.
    IdentityFactory(agent=AgentFactory(employer=covered.city), login="a.vingtun")
    state = _state()
    response = _apply(client, preview)
    assert response.url == reverse("organisation:identity_import")
    assert _state() == state


# --- Permissions ---------------------------------------------------------------------------

ALL_ROLES = [
    Role.AGENT,
    Role.MANAGER,
    Role.ADVISOR,
    Role.HR,
    Role.MOBILITY,
    Role.DIRECTION,
    Role.ADMIN,
]
MANAGERS = {Role.HR, Role.ADMIN}
VIEWS = [
    # (url name, method, query, roles allowed, status when allowed)
    ("identities", "get", {}, {Role.HR, Role.ADMIN, Role.DIRECTION, Role.MANAGER}, 200),
    ("identity_list", "get", {}, {Role.HR, Role.ADMIN, Role.MANAGER}, 200),
    ("identity_export", "get", {}, MANAGERS, 200),
    ("identity_export", "get", {"format": "csv"}, MANAGERS, 200),
    ("identity_export", "get", {"format": "xlsx"}, MANAGERS, 200),
    ("identity_mark_requested", "post", {}, MANAGERS, 302),
    ("identity_import", "get", {}, MANAGERS, 200),
    ("identity_import_apply", "post", {"digest": "x"}, MANAGERS, 302),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, method, query, allowed, ok_status", VIEWS)
def test_permission_matrix(world, client, name, method, query, allowed, ok_status):
    url = reverse(f"organisation:{name}")
    response = getattr(client, method)(url, query)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    for role in ALL_ROLES:
        client.force_login(world.users[role])
        response = getattr(client, method)(url, query)
        expected = ok_status if role in allowed else 403
        assert response.status_code == expected, role


@pytest.mark.django_db
def test_menu_and_page_offer_only_allowed_actions(covered, client):
    client.force_login(covered.users[Role.MANAGER])
    content = _text(client.get(reverse("organisation:identities")))
    assert reverse("organisation:identity_list") in content
    assert reverse("organisation:identity_export") not in content
    client.force_login(covered.users[Role.HR])
    content = _text(client.get(reverse("organisation:identities")))
    assert reverse("organisation:identity_export") in content
    assert reverse("organisation:identity_import") in content
