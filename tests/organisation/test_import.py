"""SIRH import of agents: the engine and the `import_agents` command."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.organisation import sirh_import
from tremplin.organisation.models import Agent, Collectivite, Employer, Job, OrgUnit, Site

HEADER = [
    "Matricule",
    "Nom",
    "Prénom",
    "Direction",
    "Service",
    "Équipe",
    "Métier",
    "Catégorie",
    "Site",
    "Responsable",
    "Courriel",
    "Téléphone",
    "Date d'arrivée",
    "Quotité",
    "Horaires",
]
ROWS = [
    # 1001 and 1002 report to 1003, who comes later in the file.
    [
        "1001",
        "Durand",
        "Hélène",
        "Direction des solidarités",
        "Service EHPAD",
        "Équipe de nuit",
        "Aide-soignant",
        "C",
        "EHPAD Les Tilleuls",
        "1003",
        "",
        "06 12 34 56 78",
        "01/09/2015",
        "80 %",
        "Nuit",
    ],
    [
        "1002",
        "Martin",
        "Paul",
        "Direction des solidarités",
        "Service EHPAD",
        "Équipe de nuit",
        "Aide-soignant",
        "c",
        "EHPAD Les Tilleuls",
        "1003",
        "",
        "",
        "2018-03-15",
        "100",
        "Alterné",
    ],
    [
        "1003",
        "Petit",
        "Nora",
        "Direction des solidarités",
        "Service EHPAD",
        "",
        "Cadre de santé",
        "A",
        "EHPAD Les Tilleuls",
        "",
        "Nora.Petit@Ville.fr",
        "",
        "",
        "",
        "Bureau",
    ],
]


def csv_bytes(rows, header=HEADER, sep=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def with_cell(row_index, column, value, rows=ROWS, header=HEADER):
    copy = [list(r) for r in rows]
    copy[row_index][header.index(column)] = value
    return copy


def run(tmp_path, data: bytes, *args, name="agents.csv", wet=True) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    options = [*args, "--wet-run"] if wet else list(args)
    call_command("import_agents", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts():
    return (
        Agent.objects.count(),
        OrgUnit.objects.count(),
        Job.objects.count(),
        Site.objects.count(),
        Employer.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(tmp_path, data, *args, name="agents.csv") -> str:
    """Runs an import that must fail, checks nothing was written, returns the message."""
    before = counts()
    with pytest.raises(CommandError) as error:
        run(tmp_path, data, "--employer", "ville", *args, name=name)
    assert counts() == before
    return str(error.value)


# --- Happy paths --------------------------------------------------------------------------


def check_sample_imported():
    nora = Agent.objects.get(matricule="1003")
    helene = Agent.objects.get(matricule="1001")
    paul = Agent.objects.get(matricule="1002")
    assert helene.first_name == "Hélène" and helene.last_name == "Durand"
    assert helene.manager == nora and paul.manager == nora and nora.manager is None
    assert helene.unit.breadcrumb() == "Direction des solidarités › Service EHPAD › Équipe de nuit"
    assert nora.unit.breadcrumb() == "Direction des solidarités › Service EHPAD"
    # Paths are what OrgUnit.save() would have written: subtree queries work.
    direction = OrgUnit.objects.get(name="Direction des solidarités")
    assert direction.depth == 0 and direction.path == f"/{direction.pk}/"
    team = helene.unit
    assert team.depth == 2 and team.path == f"{team.parent.path}{team.pk}/"
    assert set(Agent.objects.filter(unit__path__startswith=direction.path)) == {helene, paul, nora}
    assert (helene.category, paul.category, nora.category) == ("C", "C", "A")
    assert helene.job == paul.job and helene.job.title == "Aide-soignant"
    assert helene.site.name == "EHPAD Les Tilleuls" and helene.site == nora.site
    assert helene.arrival_date == dt.date(2015, 9, 1)
    assert paul.arrival_date == dt.date(2018, 3, 15)
    assert (helene.part_time_rate, paul.part_time_rate, nora.part_time_rate) == (80, 100, 100)
    assert (helene.work_pattern, paul.work_pattern, nora.work_pattern) == (
        "night",
        "rotating",
        "office_hours",
    )
    # email -> email, else mobile -> sms, else paper
    assert (nora.contact_channel, nora.email) == ("email", "nora.petit@ville.fr")
    assert (helene.contact_channel, helene.mobile_phone) == ("sms", "0612345678")
    assert paul.contact_channel == "paper"


@pytest.mark.django_db
def test_csv_semicolon_with_bom(tmp_path):
    out = run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    assert "Import terminé : 3 agent(s) créé(s)" in out
    check_sample_imported()


@pytest.mark.django_db
def test_csv_comma_without_bom(tmp_path):
    run(tmp_path, csv_bytes(ROWS, sep=",", encoding="utf-8"), "--employer", "ville")
    check_sample_imported()


@pytest.mark.django_db
def test_csv_windows_cp1252(tmp_path):
    run(tmp_path, csv_bytes(ROWS, encoding="cp1252"), "--employer", "ville")
    check_sample_imported()


@pytest.mark.django_db
def test_xlsx_with_real_dates_and_numbers(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in ROWS:
        cells = list(row)
        cells[0] = int(cells[0])  # a matricule typed as a number
        if cells[9]:
            cells[9] = int(cells[9])
        arrival = cells[HEADER.index("Date d'arrivée")]
        if arrival:
            day = (
                dt.datetime.strptime(arrival, "%d/%m/%Y")
                if "/" in arrival
                else dt.datetime.fromisoformat(arrival)
            )
            cells[HEADER.index("Date d'arrivée")] = day
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    run(tmp_path, buffer.getvalue(), "--employer", "ville", name="agents.xlsx")
    check_sample_imported()


@pytest.mark.django_db
def test_audit_entries_attributed_to_the_command(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    created = AuditEntry.objects.filter(target_type="organisation.agent", action="create")
    assert created.count() == 3
    assert set(created.values_list("actor_label", flat=True)) == {"commande import_agents"}
    nora = Agent.objects.get(matricule="1003")
    entry = created.get(target_id=str(nora.pk))
    assert entry.changes["email"] == [None, "nora.petit@ville.fr"]
    assert entry.summary == "PETIT Nora"
    summary = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert summary.changes["created"] == 3 and summary.actor_label == "commande import_agents"
    # Units, jobs and sites created in bulk are audited too.
    assert (
        AuditEntry.objects.filter(target_type="organisation.orgunit", action="create").count() == 3
    )


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(tmp_path):
    data = csv_bytes(ROWS)
    run(tmp_path, data, "--employer", "ville", "--full")
    before = AuditEntry.objects.count()
    stamps = dict(Agent.objects.values_list("pk", "updated_at"))
    out = run(tmp_path, data, "--employer", "ville", "--full")
    assert "0 agent(s) créé(s), 0 modifié(s), 0 noté(s) parti(s), 3 sans changement" in out
    assert AuditEntry.objects.count() == before
    assert dict(Agent.objects.values_list("pk", "updated_at")) == stamps


@pytest.mark.django_db
def test_changes_are_updated_with_before_and_after(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    rows = with_cell(0, "Catégorie", "B")
    rows = with_cell(0, "Équipe", "Équipe de jour", rows)
    out = run(tmp_path, csv_bytes(rows), "--employer", "ville", wet=False)
    assert "Catégorie : C → B" in out
    assert "Équipe de jour" in out
    run(tmp_path, csv_bytes(rows), "--employer", "ville")
    helene = Agent.objects.get(matricule="1001")
    assert helene.category == "B" and helene.unit.name == "Équipe de jour"
    assert helene.unit.parent.name == "Service EHPAD"
    entry = AuditEntry.objects.get(
        action="update", target_type="organisation.agent", target_id=str(helene.pk)
    )
    assert entry.changes["category"] == ["C", "B"]
    assert entry.changes["unit_id"][1] == helene.unit_id


@pytest.mark.django_db
def test_columns_absent_from_the_file_are_left_alone(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    few = [[r[0], r[1], r[2]] for r in ROWS]
    out = run(
        tmp_path, csv_bytes(few, header=["Matricule", "Nom", "Prénom"]), "--employer", "ville"
    )
    assert "3 sans changement" in out
    assert Agent.objects.get(matricule="1001").category == "C"


@pytest.mark.django_db
def test_full_import_marks_absent_agents_departed_never_deletes(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    out = run(tmp_path, csv_bytes(ROWS[1:]), "--employer", "ville", "--full")
    assert "1 noté(s) parti(s)" in out
    helene = Agent.objects.get(matricule="1001")
    assert helene.departure_date == timezone.localdate()
    assert Agent.objects.count() == 3
    entry = AuditEntry.objects.get(
        action="update", target_type="organisation.agent", target_id=str(helene.pk)
    )
    assert entry.changes == {"departure_date": [None, timezone.localdate().isoformat()]}
    # Again: she is already gone, nothing more happens.
    before = AuditEntry.objects.count()
    run(tmp_path, csv_bytes(ROWS[1:]), "--employer", "ville", "--full")
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_import_without_full_never_marks_departures(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    run(tmp_path, csv_bytes(ROWS[1:]), "--employer", "ville")
    assert Agent.objects.present().count() == 3


@pytest.mark.django_db
def test_full_import_only_touches_its_employer(world, tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville", "--full")
    assert not Agent.objects.filter(employer=world.metro, departure_date__isnull=False).exists()
    assert Agent.objects.filter(employer=world.city, departure_date__isnull=False).count() == 3


@pytest.mark.django_db
def test_employer_and_collectivite_created_on_first_use(tmp_path):
    assert not Collectivite.objects.exists()
    run(tmp_path, csv_bytes(ROWS), "--employer", "metropole", "--employer-name", "Métropole")
    employer = Employer.objects.get(code="metropole")
    assert employer.name == "Métropole"
    assert employer.collectivite == Collectivite.current()
    assert set(Agent.objects.values_list("employer__code", flat=True)) == {"metropole"}


@pytest.mark.django_db
def test_new_employer_joins_the_existing_collectivite(world, tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ccas")
    assert Employer.objects.get(code="ccas").collectivite == world.collectivite
    assert Collectivite.objects.count() == 1


@pytest.mark.django_db
def test_employer_column_spreads_agents_over_employers(world, tmp_path):
    header = ["Employeur", "Matricule", "Nom", "Prénom"]
    rows = [["Ville", "1", "A", "a"], ["metropole", "1", "B", "b"], ["CCAS de Test", "2", "C", "c"]]
    run(tmp_path, csv_bytes(rows, header=header))
    assert Agent.objects.get(matricule="1", employer=world.city).last_name == "A"
    assert Agent.objects.get(matricule="1", employer=world.metro).last_name == "B"
    assert Employer.objects.get(code="ccas-de-test").name == "CCAS de Test"


@pytest.mark.django_db
def test_manager_may_be_an_agent_already_known(world, tmp_path):
    chief = world.agents[("Équipe A1a", "ville")]
    rows = [["5001", "Neuf", "Léa", chief.matricule]]
    run(tmp_path, csv_bytes(rows, header=["Matricule", "Nom", "Prénom", "Responsable"]), "--employer", "ville")  # fmt: skip
    assert Agent.objects.get(matricule="5001").manager == chief


@pytest.mark.django_db
def test_existing_units_jobs_and_sites_are_found_not_duplicated(world, tmp_path):
    header = ["Matricule", "Nom", "Prénom", "Direction", "Service", "Métier", "Site"]
    site = world.site
    rows = [["5001", "Neuf", "Léa", "DIRECTION A", "service a1", "gestionnaire", site.code]]
    units, jobs, sites = OrgUnit.objects.count(), Job.objects.count(), Site.objects.count()
    run(tmp_path, csv_bytes(rows, header=header), "--employer", "ville")
    lea = Agent.objects.get(matricule="5001")
    assert lea.unit == world.serv_a1 and lea.site == site and lea.job.title == "Gestionnaire"
    assert (OrgUnit.objects.count(), Job.objects.count(), Site.objects.count()) == (
        units,
        jobs,
        sites,
    )


@pytest.mark.django_db
def test_new_unit_under_an_existing_one_gets_the_right_path(world, tmp_path):
    header = ["Matricule", "Nom", "Prénom", "Direction", "Service", "Équipe"]
    rows = [["5001", "Neuf", "Léa", "Direction A", "Service A2", "Équipe nouvelle"]]
    run(tmp_path, csv_bytes(rows, header=header), "--employer", "ville")
    team = Agent.objects.get(matricule="5001").unit
    assert team.parent == world.serv_a2
    assert team.path == f"{world.serv_a2.path}{team.pk}/" and team.depth == 2
    assert team.kind == "team"


@pytest.mark.django_db
def test_jobs_by_code_then_title(world, tmp_path):
    header = ["Matricule", "Nom", "Prénom", "Code métier", "Métier", "Famille de métiers"]
    rows = [
        ["5001", "A", "a", "INF01", "Technicien informatique", "Numérique"],
        ["5002", "B", "b", "INF01", "Technicien info", "Numérique"],
        ["5003", "C", "c", "", "Agent d'entretien", ""],
    ]
    run(tmp_path, csv_bytes(rows, header=header), "--employer", "ville")
    job = Job.objects.get(code="INF01")
    assert job.title == "Technicien informatique" and job.family == "Numérique"
    assert Agent.objects.get(matricule="5002").job == job
    assert Agent.objects.get(matricule="5003").job.title == "Agent d'entretien"
    assert Job.objects.filter(title="Agent d'entretien").count() == 1


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    before = counts()
    out = run(tmp_path, csv_bytes(ROWS), "--employer", "ville", "--full", wet=False)
    assert counts() == before
    assert "Agents à créer : 3" in out
    assert "ligne 2 : 1001 DURAND Hélène" in out
    assert out.strip().endswith("Rien n'a été écrit : relancez avec --wet-run pour enregistrer ces changements.")  # fmt: skip


# --- Mapping of unknown columns -----------------------------------------------------------


@pytest.mark.django_db
def test_unknown_column_lists_columns_and_known_fields(tmp_path):
    header = [*HEADER, "Code affectation"]
    rows = [[*r, "X12"] for r in ROWS]
    message = refused(tmp_path, csv_bytes(rows, header=header))
    assert "Colonnes inconnues : « Code affectation »" in message
    assert '--map "Code affectation=ignorer"' in message
    assert "matricule (Matricule)" in message and "category (Catégorie)" in message


@pytest.mark.django_db
def test_map_option_ignores_or_maps_columns(tmp_path):
    header = ["Agent ID", "Nom", "Prénom", "Code affectation", "Rôle RH"]
    rows = [["7", "Roux", "Ana", "X1", "C"]]
    run(
        tmp_path,
        csv_bytes(rows, header=header),
        "--employer",
        "ville",
        "--map",
        "Agent ID=matricule",
        "--map",
        "Code affectation=ignorer",
        "--map",
        "Rôle RH=Catégorie",
    )
    assert Agent.objects.get(matricule="7").category == "C"


@pytest.mark.django_db
def test_map_option_with_an_unknown_field(tmp_path):
    with pytest.raises(CommandError, match="champ « couleur » inconnu"):
        run(tmp_path, csv_bytes(ROWS), "--employer", "ville", "--map", "Nom=couleur")


# --- Bad input: a French error with line and column, and nothing written ------------------


@pytest.mark.django_db
def test_bad_category(tmp_path):
    message = refused(tmp_path, csv_bytes(with_cell(1, "Catégorie", "D")))
    assert "Ligne 3, colonne « Catégorie » : « D » n'est pas une catégorie (A, B ou C)." in message
    assert "1 erreur dans le fichier : rien n'a été écrit." in message


@pytest.mark.django_db
def test_every_error_of_the_file_is_listed(tmp_path):
    rows = with_cell(0, "Catégorie", "D")
    rows = with_cell(1, "Date d'arrivée", "31/02/2020", rows)
    rows = with_cell(2, "Courriel", "pas-un-courriel", rows)
    message = refused(tmp_path, csv_bytes(rows))
    assert "Ligne 2, colonne « Catégorie »" in message
    assert (
        "Ligne 3, colonne « Date d'arrivée » : « 31/02/2020 » n'est pas une date valide" in message
    )
    assert "Ligne 4, colonne « Courriel » : « pas-un-courriel » n'est pas une adresse" in message
    assert "3 erreurs dans le fichier" in message


@pytest.mark.django_db
def test_errors_shown_are_capped_with_the_total(tmp_path):
    rows = [[str(2000 + n), "Nom", "Prénom", "D"] for n in range(300)]
    message = refused(tmp_path, csv_bytes(rows, header=["Matricule", "Nom", "Prénom", "Catégorie"]))
    assert message.count("n'est pas une catégorie") == sirh_import.MAX_ERRORS_KEPT
    assert "… et 100 autre(s) erreur(s)." in message
    assert "300 erreurs dans le fichier" in message


@pytest.mark.django_db
def test_unknown_manager(tmp_path):
    message = refused(tmp_path, csv_bytes(with_cell(0, "Responsable", "9999")))
    assert (
        "Ligne 2, colonne « Responsable » : aucun agent de matricule « 9999 » chez cet employeur"
        in message
    )


@pytest.mark.django_db
def test_manager_from_another_employer_is_unknown(world, tmp_path):
    other = world.agents[("Équipe A1a", "metropole")]
    rows = [["5001", "Neuf", "Léa", other.matricule]]
    message = refused(tmp_path, csv_bytes(rows, header=["Matricule", "Nom", "Prénom", "Responsable"]))  # fmt: skip
    assert f"aucun agent de matricule « {other.matricule} » chez cet employeur" in message


@pytest.mark.django_db
def test_cycle_in_the_management_chain_names_the_lines(tmp_path):
    rows = with_cell(2, "Responsable", "1001")  # 1001 -> 1003 -> 1001
    message = refused(tmp_path, csv_bytes(rows))
    assert "Ligne 2, colonne « Responsable » : boucle hiérarchique" in message
    assert "1001 (ligne 2) → 1003 (ligne 4) → 1001" in message
    assert "(lignes 2, 4)" in message


@pytest.mark.django_db
def test_cycle_through_an_agent_already_known(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    # 1003 already manages 1001; the new file makes 1001 manage 1003 (1001 is not in it).
    message = refused(tmp_path, csv_bytes([with_cell(2, "Responsable", "1001")[2]]))
    assert "1003 (ligne 2) → 1001 (déjà connu) → 1003" in message


@pytest.mark.django_db
def test_agent_cannot_manage_themself(tmp_path):
    message = refused(tmp_path, csv_bytes(with_cell(2, "Responsable", "1003")))
    assert "Ligne 4, colonne « Responsable » : l'agent 1003 ne peut pas être son propre responsable." in message  # fmt: skip


@pytest.mark.django_db
def test_duplicate_matricule_names_both_lines(tmp_path):
    message = refused(tmp_path, csv_bytes([*ROWS, ROWS[0]]))
    assert (
        "Ligne 5, colonne « Matricule » : le matricule « 1001 » figure déjà à la ligne 2."
        in message
    )


@pytest.mark.django_db
def test_missing_required_column(tmp_path):
    header = [h for h in HEADER if h != "Prénom"]
    rows = [[c for h, c in zip(HEADER, r, strict=True) if h != "Prénom"] for r in ROWS]
    message = refused(tmp_path, csv_bytes(rows, header=header))
    assert "Ligne 1 : la colonne obligatoire « Prénom » est absente." in message


@pytest.mark.django_db
def test_empty_required_cell(tmp_path):
    message = refused(tmp_path, csv_bytes(with_cell(0, "Nom", "")))
    assert "Ligne 2, colonne « Nom » : le nom est obligatoire." in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header, expected",
    [
        (["Matricule", "Nom", "Prénom", "Nom"], "Ligne 1, colonne « Nom » : cette colonne est en double (colonnes 2 et 4)"),
        (["Matricule", "Nom", "Prénom", "Nom de famille"], "Ligne 1, colonne « Nom de famille » : cette colonne est en double : la colonne « Nom » (n° 2)"),
    ],
)  # fmt: skip
def test_duplicated_column(tmp_path, header, expected):
    message = refused(tmp_path, csv_bytes([["1", "A", "b", "c"]], header=header))
    assert expected in message


@pytest.mark.django_db
def test_formula_matricule_is_refused_as_invalid(tmp_path):
    message = refused(tmp_path, csv_bytes(with_cell(0, "Matricule", "=1+1")))
    assert "Ligne 2, colonne « Matricule » : « =1+1 » n'est pas un matricule valide" in message


@pytest.mark.django_db
@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+Marie", "-Marie", "@SUM(A1)"])
def test_formula_cells_are_refused_never_stored(tmp_path, value):
    message = refused(tmp_path, csv_bytes(with_cell(0, "Prénom", value)))
    assert f"Ligne 2, colonne « Prénom » : « {value} » commence par « {value[0]} »" in message
    assert "risque de formule" in message


@pytest.mark.django_db
def test_international_phone_number_may_start_with_plus(tmp_path):
    run(tmp_path, csv_bytes(with_cell(0, "Téléphone", "+33 6 12 34 56 78")), "--employer", "ville")
    assert Agent.objects.get(matricule="1001").mobile_phone == "+33612345678"


@pytest.mark.django_db
def test_dash_placeholder_reads_as_empty(tmp_path):
    run(tmp_path, csv_bytes(with_cell(0, "Responsable", "-")), "--employer", "ville")
    assert Agent.objects.get(matricule="1001").manager is None


@pytest.mark.django_db
def test_departure_before_arrival(tmp_path):
    header = ["Matricule", "Nom", "Prénom", "Date d'entrée", "Date de sortie"]
    rows = [["1", "A", "b", "02/01/2020", "01/01/2020"]]
    message = refused(tmp_path, csv_bytes(rows, header=header))
    assert "Ligne 2, colonne « Date de sortie » : la date de départ (01/01/2020) précède la date d'arrivée (02/01/2020)." in message  # fmt: skip


@pytest.mark.django_db
def test_contact_channel_column_must_be_consistent(tmp_path):
    header = ["Matricule", "Nom", "Prénom", "Moyen de contact"]
    message = refused(tmp_path, csv_bytes([["1", "A", "b", "Courriel"]], header=header))
    assert "Ligne 2, colonne « Moyen de contact » : moyen de contact « courriel » sans courriel." in message  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "Le fichier est vide."),
        (b"\xef\xbb\xbf\r\n\r\n", "Le fichier est vide."),
        ("Matricule;Nom;Prénom\r\n".encode(), "Le fichier ne contient aucun agent"),
        ("Matricule;Nom;Prénom\r\n1;A;b\r\n".encode("utf-16-le"), "UTF-16 sans marque"),
        (bytes(range(256)) * 20, "n'est pas un tableau CSV ou XLSX"),
        (b"\x81\x8d\x8f\x90\x9d" * 10, "Encodage du fichier non reconnu"),
        ("Matricule|Nom|Prénom\r\n1|A|b\r\n".encode(), "Séparateur non reconnu à la ligne 1"),
        (b"PK\x03\x04broken", "XLSX est illisible"),
    ],
)
def test_unreadable_files(tmp_path, data, expected):
    assert expected in refused(tmp_path, data)


@pytest.mark.django_db
def test_utf16_with_bom_is_read(tmp_path):
    run(tmp_path, csv_bytes(ROWS, encoding="utf-16"), "--employer", "ville")
    assert Agent.objects.count() == 3


@pytest.mark.django_db
def test_file_too_big_for_the_command(tmp_path, settings):
    settings.TREMPLIN_IMPORT_MAX_BYTES = 100
    message = refused(tmp_path, csv_bytes(ROWS))
    assert "c'est plus que la limite" in message


@pytest.mark.django_db
def test_missing_employer(tmp_path):
    path = tmp_path / "agents.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(CommandError, match="Ligne 2 : l'employeur n'est pas indiqué"):
        call_command("import_agents", str(path), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_employer_column_must_match_the_chosen_employer(world, tmp_path):
    header = ["Employeur", "Matricule", "Nom", "Prénom"]
    message = refused(tmp_path, csv_bytes([["Métropole", "1", "A", "b"]], header=header))
    assert "Ligne 2, colonne « Employeur » : l'employeur « Métropole » n'est pas celui choisi" in message  # fmt: skip


@pytest.mark.django_db
def test_scoped_user_cannot_touch_other_employers(world):
    data = csv_bytes([["1", "A", "b"]], header=["Matricule", "Nom", "Prénom"])
    scope = sirh_import.Scope(((world.city.pk, None),))
    plan = sirh_import.build_plan(data, "a.csv", employer_code="metropole", scope=scope)
    assert "hors de votre périmètre" in plan.preview()["errors"][0]["message"]
    plan = sirh_import.build_plan(data, "a.csv", employer_code="nouveau", scope=scope)
    assert "n'existe pas" in plan.preview()["errors"][0]["message"]


# --- Cell parsers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("05/01/2024", dt.date(2024, 1, 5)),
        ("5/1/2024", dt.date(2024, 1, 5)),
        ("2024-01-05", dt.date(2024, 1, 5)),
        ("2024-01-05T00:00:00", dt.date(2024, 1, 5)),
        ("05/01/2024 08:30", dt.date(2024, 1, 5)),
        ("45296", dt.date(2024, 1, 5)),  # the day number a spreadsheet shows for that date
        ("20240105", dt.date(2024, 1, 5)),
    ],
)
def test_dates(text, expected):
    assert sirh_import.parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["31/02/2024", "2024-13-01", "2024/13/01", "demain", "01/01/1850", "2020", "100"],
)
def test_bad_dates(text):
    with pytest.raises(sirh_import.CellError, match="n'est pas une date valide"):
        sirh_import.parse_date(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bureau", "office_hours"),
        ("Horaires de bureau", "office_hours"),
        ("Journée", "office_hours"),
        ("Matin", "morning"),
        ("Équipe du matin", "morning"),
        ("Après-midi", "afternoon"),
        ("apres midi", "afternoon"),
        ("Nuit", "night"),
        ("Alterné", "rotating"),
        ("Cycle 2x8", "rotating"),
        ("Matin / après-midi", "rotating"),
    ],
)
def test_work_patterns(text, expected):
    assert sirh_import.parse_work_pattern(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("100", 100), ("80 %", 80), ("0,8", 80), ("0.5", 50), ("Temps complet", 100), ("90%", 90)],
)
def test_part_time_rates(text, expected):
    assert sirh_import.parse_rate(text) == expected


@pytest.mark.parametrize("text", ["120", "0", "beaucoup"])
def test_bad_part_time_rates(text):
    with pytest.raises(sirh_import.CellError, match="n'est pas une quotité valide"):
        sirh_import.parse_rate(text)


@pytest.mark.parametrize(
    "text, expected",
    [("Mercredi", "3"), ("mercredi et vendredi", "3,5"), ("3", "3"), ("lun, mer", "1,3")],
)
def test_days_off(text, expected):
    assert sirh_import.parse_days_off(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Titulaire", "titulaire"),
        ("Fonctionnaire", "titulaire"),
        ("Non titulaire", "contractuel"),
        ("CDD", "contractuel"),
        ("Stagiaire", "stagiaire"),
        ("Apprenti", "apprenti"),
        ("Contrat aidé", "emploi_aide"),
    ],
)
def test_employment_statuses(text, expected):
    assert sirh_import.parse_status(text) == expected


@pytest.mark.parametrize(
    "header, field",
    [
        ("Matricule", "matricule"),
        ("Nom de famille", "last_name"),
        ("PRÉNOM", "first_name"),
        ("Emploi", "job_title"),
        ("Métier", "job_title"),
        ("Courriel", "email"),
        ("E-mail", "email"),
        ("Mail", "email"),
        ("Mobile", "mobile_phone"),
        ("Date d'entrée", "arrival_date"),
        ("Date de sortie", "departure_date"),
        ("Quotité", "part_time_rate"),
        ("Temps de travail", "part_time_rate"),
        ("Cycle", "work_pattern"),
        ("Collectivité", "employer"),
        ("Famille de métiers", "job_family"),
        ("Code métier", "job_code"),
        ("Statut", "employment_status"),
    ],
)
def test_french_header_synonyms(header, field):
    assert sirh_import.field_from_text(header) == field


@pytest.mark.django_db
def test_agents_changing_different_fields_keep_the_others(tmp_path):
    """Updates are written in batches: one agent's change must not reset another's fields."""
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    before = {a.matricule: a for a in Agent.objects.all()}
    rows = with_cell(0, "Catégorie", "B")
    rows = with_cell(2, "Téléphone", "06 99 99 99 99", rows)
    run(tmp_path, csv_bytes(rows), "--employer", "ville")
    after = {a.matricule: a for a in Agent.objects.all()}
    assert after["1001"].category == "B"
    assert after["1001"].mobile_phone == before["1001"].mobile_phone
    assert after["1003"].mobile_phone.replace(" ", "") == "0699999999"
    assert after["1003"].category == before["1003"].category
    assert after["1003"].email == before["1003"].email
    assert after["1003"].arrival_date == before["1003"].arrival_date


# --- Re-imports, units, jobs, matricules: found in review -----------------------------------


@pytest.mark.django_db
def test_reimport_after_moves_updates_unit_job_site_and_manager(world, tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    helene = Agent.objects.get(matricule="1001")
    old_unit, old_job, old_site = helene.unit_id, helene.job_id, helene.site_id
    rows = with_cell(0, "Service", "Service A1")
    rows = with_cell(0, "Direction", "Direction A", rows)
    rows = with_cell(0, "Équipe", "Équipe A1a", rows)
    rows = with_cell(0, "Métier", "Gestionnaire", rows)
    rows = with_cell(0, "Site", world.site.name, rows)
    rows = with_cell(0, "Responsable", "1002", rows)
    run(tmp_path, csv_bytes(rows), "--employer", "ville")
    helene.refresh_from_db()
    assert helene.unit == world.team_a1a and helene.job.title == "Gestionnaire"
    assert helene.site == world.site and helene.manager.matricule == "1002"
    (entry,) = AuditEntry.objects.filter(
        action="update", target_type="organisation.agent", target_id=str(helene.pk)
    )
    assert entry.changes == {
        "unit_id": [old_unit, world.team_a1a.pk],
        "job_id": [old_job, helene.job_id],
        "site_id": [old_site, world.site.pk],
        "manager_id": [Agent.objects.get(matricule="1003").pk, helene.manager_id],
    }
    # The units she left are kept: other agents, rights or history may point at them.
    assert OrgUnit.objects.filter(pk=old_unit).exists()


@pytest.mark.django_db
def test_unit_names_match_whatever_the_spaces_and_case(tmp_path):
    rows = with_cell(1, "Service", "  service   ehpad ")
    rows = with_cell(1, "Direction", "DIRECTION DES SOLIDARITÉS", rows)
    run(tmp_path, csv_bytes(rows), "--employer", "ville")
    assert OrgUnit.objects.count() == 3
    assert Agent.objects.get(matricule="1001").unit == Agent.objects.get(matricule="1002").unit
    # Later files in another case find the same units, written as first seen.
    run(tmp_path, csv_bytes(with_cell(2, "Service", "SERVICE EHPAD")), "--employer", "ville")
    assert Agent.objects.get(matricule="1003").unit.name == "Service EHPAD"
    assert OrgUnit.objects.count() == 3


@pytest.mark.django_db
def test_same_team_name_under_two_services_is_two_units(tmp_path):
    rows = with_cell(1, "Service", "Service domicile")
    run(tmp_path, csv_bytes(rows), "--employer", "ville")
    helene = Agent.objects.get(matricule="1001")
    paul = Agent.objects.get(matricule="1002")
    assert helene.unit.name == paul.unit.name == "Équipe de nuit"
    assert helene.unit != paul.unit
    assert helene.unit.parent.name == "Service EHPAD"
    assert paul.unit.parent.name == "Service domicile"
    assert paul.unit.path.startswith(paul.unit.parent.path)


@pytest.mark.django_db
def test_generated_job_code_never_collides_with_a_code_of_the_file(tmp_path):
    """A title-only row used to get the code AIDE-SOIGNANT that a later row gives
    explicitly: the insert then broke and the file could never be imported."""
    header = ["Matricule", "Nom", "Prénom", "Code métier", "Métier"]
    rows = [
        ["1", "A", "a", "", "Aide-soignant"],
        ["2", "B", "b", "AIDE-SOIGNANT", "Aide-soignant"],
        ["3", "C", "c", "", "Agent de nuit"],
        ["4", "D", "d", "agent-de-nuit", "Veilleur"],
    ]
    run(tmp_path, csv_bytes(rows, header=header), "--employer", "ville")
    codes = {a.matricule: a.job.code for a in Agent.objects.select_related("job")}
    assert codes["1"] == codes["2"] == "AIDE-SOIGNANT"
    assert codes["4"] == "agent-de-nuit"
    assert codes["3"].casefold() != "agent-de-nuit"
    assert len({code.casefold() for code in Job.objects.values_list("code", flat=True)}) == 3


@pytest.mark.django_db
def test_same_job_title_with_and_without_code_is_one_job(tmp_path):
    header = ["Matricule", "Nom", "Prénom", "Code métier", "Métier"]
    rows = [["1", "A", "a", "", "Technicien"], ["2", "B", "b", "INF01", "Technicien"]]
    data = csv_bytes(rows, header=header)
    run(tmp_path, data, "--employer", "ville")
    assert list(Job.objects.values_list("code", "title")) == [("INF01", "Technicien")]
    out = run(tmp_path, data, "--employer", "ville")
    assert "2 sans changement" in out


@pytest.mark.django_db
def test_matricules_keep_their_leading_zeros(tmp_path):
    header = ["Matricule", "Nom", "Prénom"]
    run(tmp_path, csv_bytes([["00123", "Zéro", "Ana"], ["123", "Sans", "Léo"]], header=header), "--employer", "ville")  # fmt: skip
    assert set(Agent.objects.values_list("matricule", "last_name")) == {
        ("00123", "Zéro"),
        ("123", "Sans"),
    }
    out = run(tmp_path, csv_bytes([["00123", "Zéro", "Ana"]], header=header), "--employer", "ville")  # fmt: skip
    assert "1 sans changement" in out


def xlsx_file(header, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_xlsx_matricules_as_text_or_numbers(tmp_path):
    data = xlsx_file(["Matricule", "Nom", "Prénom"], [["00123", "A", "a"], [124.0, "B", "b"]])
    run(tmp_path, data, "--employer", "ville", name="agents.xlsx")
    assert set(Agent.objects.values_list("matricule", flat=True)) == {"00123", "124"}


@pytest.mark.django_db
def test_xlsx_numeric_matricule_shown_with_zeros_keeps_them(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Matricule", "Nom", "Prénom"])
    sheet.append([123, "A", "a"])
    sheet["A2"].number_format = "00000"
    buffer = io.BytesIO()
    workbook.save(buffer)
    run(tmp_path, buffer.getvalue(), "--employer", "ville", name="agents.xlsx")
    assert Agent.objects.get().matricule == "00123"


# --- Full imports and departures: found in review -----------------------------------------


@pytest.mark.django_db
def test_agent_back_in_a_full_file_is_present_again(tmp_path):
    """A full file lists the agents who work there: one marked departed by an earlier full
    import who is back in it must not stay departed for ever."""
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    run(tmp_path, csv_bytes(ROWS[1:]), "--employer", "ville", "--full")
    helene = Agent.objects.get(matricule="1001")
    assert not helene.is_present
    out = run(tmp_path, csv_bytes(ROWS), "--employer", "ville", "--full", wet=False)
    assert f"Date de départ : {timezone.localdate():%d/%m/%Y} → —" in out
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville", "--full")
    helene.refresh_from_db()
    assert helene.departure_date is None
    entries = AuditEntry.objects.filter(
        action="update", target_type="organisation.agent", target_id=str(helene.pk)
    ).order_by("pk")
    assert [e.changes for e in entries] == [
        {"departure_date": [None, timezone.localdate().isoformat()]},
        {"departure_date": [timezone.localdate().isoformat(), None]},
    ]
    # Without --full the file says nothing about who left: the date stays.
    run(tmp_path, csv_bytes(ROWS[1:]), "--employer", "ville", "--full")
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    assert not Agent.objects.get(matricule="1001").is_present


@pytest.mark.django_db
def test_full_import_with_an_employer_column_departs_per_employer(world, tmp_path):
    header = ["Employeur", "Matricule", "Nom", "Prénom"]
    kept_city = world.agents[("Équipe A1a", "ville")]
    rows = [["ville", kept_city.matricule, kept_city.last_name, kept_city.first_name]]
    run(tmp_path, csv_bytes(rows, header=header), "--full")
    departed = set(Agent.objects.exclude(departure_date=None).values_list("pk", flat=True))
    city_others = set(
        Agent.objects.filter(employer=world.city)
        .exclude(pk=kept_city.pk)
        .values_list("pk", flat=True)
    )
    assert departed == city_others  # Métropole is not in the file: untouched


# --- Stale plans, atomicity, audit: found in review ---------------------------------------


def _plan(data, **kwargs):
    return sirh_import.build_plan(data, "agents.csv", employer_code="ville", **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["deleted", "edited", "departed"])
def test_apply_refuses_a_plan_the_database_moved_away_from(tmp_path, change):
    """Between the check and the writes someone changed an agent the plan updates: the
    plan's 'before' is then false, and applying it blindly would write a wrong audit
    (or audit an update of an agent that no longer exists)."""
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    plan = _plan(csv_bytes(with_cell(0, "Catégorie", "B")[:2]), full=True)
    assert plan.ok and plan.counts()["updated"] == 1 and plan.counts()["departed"] == 1
    helene = Agent.objects.get(matricule="1001")
    if change == "deleted":
        Agent.objects.filter(manager=helene).update(manager=None)
        helene.delete()
    elif change == "edited":
        Agent.objects.filter(pk=helene.pk).update(category="A")
    else:
        Agent.objects.filter(matricule="1003").update(departure_date=dt.date(2020, 1, 1))
    before = counts()
    with pytest.raises(sirh_import.ImportFailed, match="Les données ont changé"):
        sirh_import.apply_plan(plan)
    assert counts() == before


@pytest.mark.django_db
def test_failure_at_the_end_of_apply_writes_nothing(tmp_path, monkeypatch):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    header = ["Employeur", *HEADER]
    rows = [["ville", *row] for row in with_cell(0, "Catégorie", "B")[:2]]
    rows.append(["CCAS", "1004", "Neuve", "Zoé", "Nouvelle direction", "Nouveau service", "", "Nouveau métier", "B", "Nouveau site", "", "", "", "", "", ""])  # fmt: skip
    plan = sirh_import.build_plan(csv_bytes(rows, header=header), "a.csv", full=True)
    assert plan.counts() | {"rows": 0} == {
        "rows": 0, "created": 1, "updated": 1, "departed": 1, "unchanged": 1,
        "units": 2, "jobs": 1, "sites": 1, "employers": 1,
    }  # fmt: skip
    before = counts()
    state = sorted(Agent.objects.values_list("pk", "category", "departure_date", "updated_at"))
    record = sirh_import.audit.record

    def fail_on_summary(action, **kwargs):
        if action == AuditAction.IMPORT:  # the last write: everything else is done by then
            raise RuntimeError("disk full")
        return record(action, **kwargs)

    monkeypatch.setattr(sirh_import.audit, "record", fail_on_summary)
    with pytest.raises(RuntimeError):
        sirh_import.apply_plan(plan)
    assert counts() == before
    assert (
        sorted(Agent.objects.values_list("pk", "category", "departure_date", "updated_at")) == state
    )


@pytest.mark.django_db
def test_every_agent_change_has_exactly_one_audit_entry(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    start = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows = with_cell(0, "Catégorie", "B")[:2]  # 1001 changes, 1002 does not, 1003 leaves
    rows.append(["1004", "Neuve", "Zoé", "", "", "", "", "C", "", "1001", "", "", "", "", ""])
    run(tmp_path, csv_bytes(rows), "--employer", "ville", "--full")
    entries = AuditEntry.objects.filter(pk__gt=start, target_type="organisation.agent")
    by_agent = {}
    for entry in entries.exclude(action=AuditAction.IMPORT):
        by_agent.setdefault(entry.target_id, []).append((entry.action, entry.changes))
    agents = {a.matricule: a for a in Agent.objects.all()}
    today = timezone.localdate().isoformat()
    assert by_agent == {
        str(agents["1001"].pk): [("update", {"category": ["C", "B"]})],
        str(agents["1003"].pk): [("update", {"departure_date": [None, today]})],
        str(agents["1004"].pk): [("create", by_agent[str(agents["1004"].pk)][0][1])],
    }
    created = by_agent[str(agents["1004"].pk)][0][1]
    assert created["manager_id"] == [None, agents["1001"].pk]
    assert created["category"] == [None, "C"] and created["matricule"] == [None, "1004"]
    assert entries.filter(action=AuditAction.IMPORT).count() == 1


# --- Scope of an HR user limited to some units: found in review ---------------------------


@pytest.mark.django_db
def test_hr_limited_to_a_direction_changes_only_agents_of_that_direction(world):
    from tremplin.accounts.enums import Role

    scope = sirh_import.scope_of(world.users[Role.HR])  # HR of Direction A, any employer
    inside = world.agents[("Service A2", "ville")]
    outside = world.agents[("Direction B", "ville")]
    header = ["Matricule", "Nom", "Prénom", "Direction", "Service"]

    def plan(*rows, full=False):
        return _plan(csv_bytes(list(rows), header=header), scope=scope, full=full)

    def errors(*rows):
        return [e["text"] for e in plan(*rows).preview()["errors"]]

    ok = plan(
        [inside.matricule, "Renommé", inside.first_name, "Direction A", "Service A2"],
        ["7001", "Neuve", "Zoé", "direction a", "Service nouveau"],
    )
    assert ok.ok
    assert (ok.counts()["updated"], ok.counts()["created"], ok.counts()["units"]) == (1, 1, 1)
    assert errors([outside.matricule, "Renommé", "X", "Direction A", "Service A2"]) == [
        f"Ligne 2, colonne « Matricule » : l'agent de matricule « {outside.matricule} » est "
        "hors de votre périmètre : vous ne pouvez pas le modifier."
    ]
    out_of_scope = (
        "Ligne 2, colonne « Service » : l'unité « {} » est hors de votre périmètre : vous ne "
        "pouvez pas y rattacher un agent."
    )
    assert errors([inside.matricule, "A", "a", "Direction B", ""]) == [
        out_of_scope.format("Direction B")
    ]
    assert errors(["7002", "Neuve", "Zoé", "Autre direction", "Service X"]) == [
        out_of_scope.format("Autre direction › Service X")
    ]
    assert errors(["7003", "Neuve", "Zoé", "", ""]) == [
        "Ligne 2, colonne « Service » : sans unité, cet agent serait hors de votre périmètre : "
        "indiquez sa direction, son service ou son équipe."
    ]
    # A full import for this HR: "all the agents of my units"; Direction B stays untouched.
    full = plan([inside.matricule, inside.last_name, inside.first_name, "Direction A", "Service A2"], full=True)  # fmt: skip
    assert {pk for pk, _label, _old in full.departures} == {
        world.agents[("Équipe A1a", "ville")].pk
    }


@pytest.mark.django_db
def test_hr_limited_to_an_employer_keeps_every_unit_of_it(world):
    from tests.factories import user_with_role
    from tremplin.accounts.enums import Role

    hr_city = user_with_role(Role.HR, employer=world.city, username="rh-ville")
    scope = sirh_import.scope_of(hr_city)
    outside = world.agents[("Direction B", "metropole")]
    header = ["Matricule", "Nom", "Prénom", "Direction"]
    rows = [
        [world.agents[("Direction B", "ville")].matricule, "Renommé", "X", "Direction B"],
        ["7001", "Neuve", "Zoé", "Nouvelle direction"],
    ]
    plan = _plan(csv_bytes(rows, header=header), scope=scope)
    assert plan.ok and plan.counts()["updated"] == 1 and plan.counts()["created"] == 1
    plan = sirh_import.build_plan(
        csv_bytes([[outside.matricule, "A", "a", "Direction B"]], header=header),
        "a.csv",
        employer_code="metropole",
        scope=scope,
    )
    assert "hors de votre périmètre" in plan.preview()["errors"][0]["message"]


@pytest.mark.django_db
def test_sirh_file_that_lacks_the_new_mailbox_does_not_erase_it(tmp_path):
    """The SIRH rarely knows the mailboxes IT just created: an empty Courriel cell must not
    erase, at every monthly import, the address the identity import wrote on the card
    (and send the agent's convocations back to paper)."""
    from tests.factories import user_with_role
    from tremplin.accounts.enums import Role
    from tremplin.organisation import identities

    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    accounts = csv_bytes(
        [
            ["1002", "paul.martin", "paul.martin@ville.fr"],
            ["1001", "h.durand", "h.durand@ville.fr"],
        ],
        header=["Matricule", "Identifiant", "Messagerie"],
    )
    admin = user_with_role(Role.ADMIN, username="admin-test")
    identities.apply_identity_import(identities.plan_identity_import(accounts, "c.csv", user=admin))
    paul = Agent.objects.get(matricule="1002")
    assert (paul.email, paul.contact_channel) == ("paul.martin@ville.fr", "email")

    rows = with_cell(0, "Courriel", "autre@ville.fr")  # the SIRH knows Hélène's address
    out = run(tmp_path, csv_bytes(rows), "--employer", "ville")
    assert "1 modifié(s)" in out
    paul.refresh_from_db()
    assert (paul.email, paul.contact_channel) == ("paul.martin@ville.fr", "email")
    assert Agent.objects.get(matricule="1001").email == "autre@ville.fr"  # the file wins
    # An address the SIRH gave and no longer gives is emptied, as any other field.
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    assert Agent.objects.get(matricule="1001").email == ""


@pytest.mark.django_db
def test_a_contact_channel_chosen_in_tremplin_survives_the_next_import(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    helene = Agent.objects.get(matricule="1001")  # mobile only: SMS
    assert helene.contact_channel == "sms"
    helene.contact_channel = "paper"  # HR knows she reads her letters, not her texts
    helene.save()
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    helene.refresh_from_db()
    assert helene.contact_channel == "paper"
    # an email address appearing in the SIRH upgrades paper to email
    rows = with_cell(0, "Courriel", "helene.durand@ville.example")
    run(tmp_path, csv_bytes(rows), "--employer", "ville")
    helene.refresh_from_db()
    assert helene.contact_channel == "email"


@pytest.mark.django_db
def test_a_full_import_departing_many_agents_needs_confirm_departures(world, tmp_path):
    from tests.factories import AgentFactory

    for _ in range(12):
        AgentFactory(employer=world.city, unit=world.serv_a2)
    preview = run(tmp_path, csv_bytes(ROWS), "--employer", "ville", "--full", wet=False)
    assert "noterait 15 agents partis sur 15" in preview
    message = refused(tmp_path, csv_bytes(ROWS), "--full")
    assert "--confirm-departures" in message
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville", "--full", "--confirm-departures")
    assert Agent.objects.filter(employer=world.city).present().count() == 3
