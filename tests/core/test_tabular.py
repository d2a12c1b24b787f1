import pytest

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
