"""The CRCN framework loaded by the data migration."""

import pytest

from tremplin.competences.models import Competence, Domain, Level, level_label, plain_level

CRCN = {
    "1.1": "Mener une recherche et une veille d’information",
    "1.2": "Gérer des données",
    "1.3": "Traiter des données",
    "2.1": "Interagir",
    "2.2": "Partager et publier",
    "2.3": "Collaborer",
    "2.4": "S’insérer dans le monde numérique",
    "3.1": "Développer des documents textuels",
    "3.2": "Développer des documents multimedia",
    "3.3": "Adapter les documents à leur finalité",
    "3.4": "Programmer",
    "4.1": "Sécuriser l’environnement numérique",
    "4.2": "Protéger les données personnelles et la vie privée",
    "4.3": "Protéger la santé, le bien-être et l’environnement",
    "5.1": "Résoudre des problèmes techniques",
    "5.2": "Construire un environnement numérique",
}

pytestmark = pytest.mark.django_db


def test_the_five_domains():
    assert list(Domain.objects.values_list("code", "name")) == [
        ("1", "Information et données"),
        ("2", "Communication et collaboration"),
        ("3", "Création de contenu"),
        ("4", "Protection et sécurité"),
        ("5", "Environnement numérique"),
    ]


def test_the_sixteen_competences_with_their_official_names_in_order():
    competences = list(Competence.objects.crcn().select_related("domain"))
    assert [(c.code, c.name) for c in competences] == list(CRCN.items())
    assert all(c.domain.code == c.code.split(".")[0] for c in competences)
    # Every one has words an agent can read.
    assert all(c.plain_name and c.plain_name != c.name for c in competences)


def test_the_eight_levels_and_their_labels():
    assert list(Level.objects.values_list("number", "label")) == [
        (1, "Novice 1"),
        (2, "Novice 2"),
        (3, "Indépendant 3"),
        (4, "Indépendant 4"),
        (5, "Avancé 5"),
        (6, "Avancé 6"),
        (7, "Expert 7"),
        (8, "Expert 8"),
    ]
    assert [level_label(n) for n in range(1, 9)] == list(
        Level.objects.values_list("label", flat=True)
    )


def test_levels_in_plain_words():
    assert plain_level(0) == "pas encore appris (0 sur 8)"
    assert plain_level(2) == "débutant (2 sur 8)"
    assert plain_level(3) == "autonome (3 sur 8)"
    assert plain_level(6) == "avancé (6 sur 8)"
    assert plain_level(8) == "expert (8 sur 8)"


def test_a_local_competence_sits_beside_the_framework():
    local = Competence.objects.create(code="L1", name="Utiliser le logiciel de paie")
    assert not local.is_crcn
    assert list(Competence.objects.values_list("code", flat=True))[-1] == "L1"
    assert Competence.objects.crcn().count() == 16
