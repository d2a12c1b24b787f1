"""SIRH import: the optional gender column the Rapport social unique needs."""

import pytest

from tests.organisation.test_import import HEADER, ROWS, csv_bytes, refused, run
from tremplin.organisation import sirh_import
from tremplin.organisation.models import Agent


def with_gender(header_text: str, values: list[str]):
    header = [*HEADER, header_text]
    rows = [[*row, value] for row, value in zip(ROWS, values, strict=True)]
    return csv_bytes(rows, header=header)


def genders() -> dict[str, str]:
    return dict(Agent.objects.values_list("matricule", "gender"))


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Sexe", "Genre", "GENRE ", "Civilité"])
def test_gender_column_is_recognised_under_its_usual_names(tmp_path, header):
    run(tmp_path, with_gender(header, ["F", "Homme", "femme"]), "--employer", "ville")
    assert genders() == {"1001": "F", "1002": "M", "1003": "F"}


@pytest.mark.django_db
def test_gender_words_and_empty_cell(tmp_path):
    run(tmp_path, with_gender("Sexe", ["Féminin", "M", ""]), "--employer", "ville")
    assert genders() == {"1001": "F", "1002": "M", "1003": ""}


@pytest.mark.django_db
def test_gender_other_or_unknown(tmp_path):
    run(tmp_path, with_gender("Sexe", ["X", "Non précisé", "Madame"]), "--employer", "ville")
    assert genders() == {"1001": "X", "1002": "X", "1003": "F"}


@pytest.mark.django_db
def test_bad_gender_is_a_french_error_with_line_and_column(tmp_path):
    message = refused(tmp_path, with_gender("Sexe", ["F", "Z", "M"]))
    assert (
        "Ligne 3, colonne « Sexe » : « Z » n'est pas un sexe reconnu "
        "(F ou Femme, M ou Homme, X ou Autre)." in message
    )
    assert "1 erreur dans le fichier : rien n'a été écrit." in message


@pytest.mark.django_db
def test_file_without_the_column_imports_and_keeps_a_known_gender(tmp_path):
    run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    assert set(genders().values()) == {""}
    run(tmp_path, with_gender("Sexe", ["F", "M", "F"]), "--employer", "ville")
    # A later file without the column leaves what an earlier one gave.
    out = run(tmp_path, csv_bytes(ROWS), "--employer", "ville")
    assert "3 sans changement" in out
    assert genders() == {"1001": "F", "1002": "M", "1003": "F"}


@pytest.mark.django_db
def test_gender_change_is_shown_in_the_preview(tmp_path):
    run(tmp_path, with_gender("Sexe", ["F", "M", "F"]), "--employer", "ville")
    out = run(tmp_path, with_gender("Sexe", ["F", "X", "F"]), "--employer", "ville", wet=False)
    assert "Sexe : Homme → Autre ou non précisé" in out


def test_gender_is_a_known_field():
    assert sirh_import.field_from_text("Sexe") == "gender"
    assert sirh_import.field_from_text("genre") == "gender"
