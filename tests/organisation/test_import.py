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
    plan = sirh_import.build_plan(
        data, "a.csv", employer_code="metropole", allowed_employer_ids={world.city.pk}
    )
    assert "hors de votre périmètre" in plan.preview()["errors"][0]["message"]
    plan = sirh_import.build_plan(
        data, "a.csv", employer_code="nouveau", allowed_employer_ids={world.city.pk}
    )
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


@pytest.mark.parametrize("text", ["31/02/2024", "2024/13/01", "demain", "01/01/1850"])
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
