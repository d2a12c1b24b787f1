import datetime as dt

import pytest

from tremplin.core import tabular
from tremplin.core.tabular import TabularError, csv_lines, normalise_header, read_table, xlsx_bytes


def rows(table):
    return list(table.rows)


def test_reads_french_excel_csv_with_bom_and_semicolons():
    data = "\ufeffMatricule;Nom;Prénom\r\n001;Lefèvre;Zoé\r\n".encode()
    table = read_table(data, "agents.csv")
    assert table.headers == ["Matricule", "Nom", "Prénom"]
    assert rows(table) == [(2, ["001", "Lefèvre", "Zoé"])]


def test_reads_cp1252_and_commas():
    data = "Matricule,Nom\n002,Hervé\n".encode("cp1252")
    table = read_table(data, "agents.csv")
    assert table.encoding == "cp1252" and table.delimiter == ","
    assert rows(table) == [(2, ["002", "Hervé"])]


def test_reads_xlsx_with_line_numbers():
    data = xlsx_bytes(["Matricule", "Nom"], [["003", "Le Goff"], ["", ""], ["004", "Tanguy"]])
    assert rows(read_table(data, "agents.xlsx")) == [
        (2, ["003", "Le Goff"]),
        (4, ["004", "Tanguy"]),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "vide"),
        (b"Matricule Nom Prenom\n1 A B\n", "Séparateur non reconnu"),
        (b"\x00\x01\x02garbage\x00", "n'est pas un tableau"),
        (b"PK\x03\x04not really a zip", "XLSX est illisible"),
    ],
)
def test_bad_files_get_a_french_message(data, message):
    with pytest.raises(TabularError, match=message):
        rows(read_table(data, "fichier.csv"))


def test_headers_are_recognised_without_accents_or_case():
    assert normalise_header(" Prénom ") == "prenom"
    assert normalise_header("Date d’arrivée") == "date d arrivee"


def test_exported_formulas_are_neutralised():
    text = "".join(csv_lines(["Nom"], [['=HYPERLINK("x")'], ["+33"], ["Durand"]]))
    assert text.splitlines() == ["\ufeffNom", '"\'=HYPERLINK(""x"")"', "'+33", "Durand"]


SPEC = {
    "matricule": ("Matricule", {"matricule", "n matricule"}),
    "day": ("Date", {"date", "le"}),
}


def test_an_import_opens_with_its_columns_and_rows():
    columns, rows, errors = tabular.open_import(
        "N° matricule;Le;Autre\r\nA12; 01/03/2025 10:00 \r\n".encode(),
        "f.csv", SPEC, ["matricule"], max_bytes=1000, too_big="trop gros",
    )  # fmt: skip
    assert errors == []
    ((line, cells),) = rows
    assert line == 2 and columns.cell(cells, "matricule") == "A12"
    assert tabular.parse_date(columns.cell(cells, "day")) == dt.date(2025, 3, 1)
    assert columns.header("day") == "Le" and "day" in columns and "other" not in columns


@pytest.mark.parametrize(
    "data, message",
    [
        (
            "Date;Autre\r\n01/01/2025;x\r\n",
            "la colonne « Matricule » manque dans la ligne d'en-tête",
        ),
        (
            "Matricule;N° matricule\r\nA;B\r\n",
            "« Matricule » et « N° matricule » donnent toutes deux",
        ),
        ("Matricule;Date\r\n", "le fichier ne contient aucune ligne de données."),
    ],
)
def test_an_import_that_cannot_start_says_why(data, message):
    _columns, rows, errors = tabular.open_import(
        data.encode(), "f.csv", SPEC, ["matricule"], max_bytes=1000, too_big="trop gros"
    )
    assert rows == [] and message in str(errors[0])


def test_an_import_refuses_a_file_too_big():
    with pytest.raises(tabular.TabularError, match="trop gros"):
        tabular.open_import(b"x" * 11, "f.csv", SPEC, [], max_bytes=10, too_big="trop gros")
