"""An agent's Pix history on their competence profile page (issue 4): the participations
are built by the real Pix Orga import; the page says, newest first, what each one was,
its result and whether it counted in the profile, in plain words for the agent and in
detail for the staff, to those who may see the profile only."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import user_with_role
from tremplin.accounts.enums import Role
from tremplin.competences.models import Evidence
from tremplin.diagnostic import pix_history, pix_import
from tremplin.diagnostic.models import PixParticipation

pytestmark = pytest.mark.django_db

COMPETENCE_11 = "Mener une recherche et une veille d'information"
COMPETENCE_31 = "Développer des documents textuels"

PROFILES_HEADER = [
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
    f"Niveau pour la compétence {COMPETENCE_11}",
    f"Nombre de pix pour la compétence {COMPETENCE_11}",
    f"Niveau pour la compétence {COMPETENCE_31}",
    f"Nombre de pix pour la compétence {COMPETENCE_31}",
]
ASSESSMENT_HEADER = [
    "Nom de l'organisation",
    "ID Campagne",
    "Code",
    "Nom de la campagne",
    "Parcours",
    "Nom du Participant",
    "Prénom du Participant",
    "Matricule",
    "% de progression",
    "Date de début (Europe/Paris)",
    "Partage (O/N)",
    "Date du partage (Europe/Paris)",
    "Palier obtenu (/3)",
    "Badge Bureautique obtenu (O/N)",
    "% maitrise de l'ensemble des acquis du profil",
    f"% de maitrise des acquis de la compétence {COMPETENCE_11}",
    f"Nombre d'acquis du profil cible dans la compétence {COMPETENCE_11}",
    f"Acquis maitrisés dans la compétence {COMPETENCE_11}",
    f"% de maitrise des acquis de la compétence {COMPETENCE_31}",
    f"Nombre d'acquis du profil cible dans la compétence {COMPETENCE_31}",
    f"Acquis maitrisés dans la compétence {COMPETENCE_31}",
]


def pix_file(header, rows) -> bytes:
    """A Pix Orga export as Pix writes it: UTF-8 with BOM, `;`, CRLF."""
    lines = [";".join(f'"{cell}"' for cell in header)]
    lines += [";".join(f'"{cell}"' for cell in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def import_pix(header, rows):
    plan, result = pix_import.import_file(pix_file(header, rows), wet=True)
    assert plan.ok, plan.errors
    return result


def profiles_row(agent, code="PROFILS24", name="Profils 2024", shared_on="2024-03-04"):
    # 1.1: level 3 (27 pix); 3.1: 0 pix, "not played".
    person = [agent.last_name, agent.first_name, agent.matricule]
    results = ["Oui", shared_on, "27", "Non", "1", "3", "27", "0", "0"]
    return ["Ville", "1", code, name, *person, *results]


def profiles(agent, **kwargs):
    return import_pix(PROFILES_HEADER, [profiles_row(agent, **kwargs)])


def assessment_rows(agent, code="EVAL24", name="Évaluation bureautique"):
    """Two sendings of the same agent: the first shared (1.1 counts with 8 skills in
    the path; 3.1 has only 3), the later one not shared."""
    start = ["Ville", "2", code, name, "Parcours agents", agent.last_name, agent.first_name]
    shared = ["1", "02/10/2024 09:15", "Oui", "03/10/2024 10:00", "2", "Oui", "0,6"]
    not_shared = ["0,4", "10/01/2025 14:00", "Non", "NA", "NA", "NA", "NA"]
    return [
        start + [agent.matricule] + shared + ["0,75", "8", "6", "0,5", "3", "1"],
        start + [agent.matricule] + not_shared + ["NA", "8", "NA", "NA", "3", "NA"],
    ]


def assessment(agent, **kwargs):
    return import_pix(ASSESSMENT_HEADER, assessment_rows(agent, **kwargs))


def text_of(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def pix_section(page: str) -> str:
    return page.split('id="pix"', 1)[1].split("</section>", 1)[0]


def profile_url(agent) -> str:
    return reverse("competences:agent_profile", args=[agent.pk])


@pytest.fixture
def a20_history(gaps_world):
    """A20 (the agent user's own record): a profiles collection in March 2024, an
    assessment shared in October 2024 and sent again, unshared, in January 2025."""
    a20 = gaps_world.a20
    assert profiles(a20)["evidence"] == 1
    assert assessment(a20)["evidence"] == 1
    return gaps_world


# --- What the history says ---------------------------------------------------------------


def test_history_lists_participations_newest_first_with_what_each_gave(a20_history):
    lines = pix_history.history_for(a20_history.a20)
    assert [(line.campaign.code, line.outcome) for line in lines] == [
        ("EVAL24", pix_history.NOT_SHARED),
        ("EVAL24", pix_history.COUNTED),
        ("PROFILS24", pix_history.COUNTED),
    ]
    unshared, shared, collection = lines
    assert (unshared.evidence_count, unshared.progress, unshared.competences) == (0, 40, [])
    assert (shared.mastery, shared.stage_reached, shared.stage_total) == (60, 2, 3)
    assert shared.badges_obtained == ["Badge Bureautique"]
    assert [c.code for c in shared.counted_competences] == ["1.1"]
    assert [(c.code, c.skills) for c in shared.too_few_skills] == [("3.1", 3)]
    assert collection.total_pix == 27
    assert [(c.code, c.level, c.played) for c in collection.competences] == [
        ("1.1", 3, True),
        ("3.1", 0, False),
    ]
    assert collection.evidence_count == 1


def test_an_assessment_where_the_path_covers_each_competence_too_little_counts_for_nothing(
    gaps_world, client
):
    b1 = gaps_world.b1
    row = ["Ville", "3", "EVAL25", "Évaluation courte", "Parcours court"]
    row += [b1.last_name, b1.first_name, b1.matricule]
    row += ["1", "2025-02-01", "Oui", "2025-02-02", "1", "Non", "0,9"]
    row += ["0,9", "4", "4", "1", "2", "2"]  # 4 and 2 skills: below the 5 needed
    assert import_pix(ASSESSMENT_HEADER, [row])["evidence"] == 0
    (line,) = pix_history.history_for(b1)
    assert line.outcome == pix_history.TOO_FEW_SKILLS
    assert [c.code for c in line.too_few_skills] == ["1.1", "3.1"]
    assert line.badges_missed == ["Badge Bureautique"]
    client.force_login(gaps_world.users[Role.ADMIN])
    section = pix_section(text_of(client.get(profile_url(b1))))
    assert "Badge non obtenu : Badge Bureautique" in section
    assert (
        'Non comptée</span> <span class="d-block small"> Le parcours couvre trop peu ces compétences'
        in section
    )
    assert "Non comptés (moins de 5 acquis dans le parcours) : 1.1, 3.1" in section


def test_only_the_agents_own_participations_and_evidence(a20_history):
    a21 = a20_history.a21
    profiles(a21, code="AUTRE24", name="Autre collecte")
    assert [line.campaign.code for line in pix_history.history_for(a21)] == ["AUTRE24"]
    assert "AUTRE24" not in {
        line.campaign.code for line in pix_history.history_for(a20_history.a20)
    }
    # A participation HR later gave to another agent shows there without the evidence it
    # gave the first one: it did not count in the new agent's profile.
    moved = PixParticipation.objects.get(campaign__code="AUTRE24")
    moved.agent = a20_history.b1
    moved.save()
    (line,) = pix_history.history_for(a20_history.b1)
    assert line.outcome == pix_history.NOTHING
    assert Evidence.objects.get(origin_id=str(moved.pk)).agent == a21


# --- The page, per reader ----------------------------------------------------------------


def test_staff_read_campaign_dates_results_and_what_counted(a20_history, client):
    client.force_login(a20_history.users[Role.HR])
    page = text_of(client.get(profile_url(a20_history.a20)))
    assert '<h2 class="h4" id="pix">Pix</h2>' in page
    assert "<caption" in page and 'scope="row"' in page
    # Newest first: the unshared sending of January 2025, then October 2024, then March.
    rows = pix_section(page).split('<th scope="row"')[1:]
    assert [r.count("EVAL24") + 2 * r.count("PROFILS24") for r in rows] == [1, 1, 2]
    unshared, shared, collection = rows
    assert "10/01/2025" in unshared
    assert "Résultats non partagés" in unshared
    assert "Progression 40 %" in unshared
    assert '<span class="badge text-bg-secondary">Non comptée</span>' in unshared
    assert "Évaluation bureautique" in shared
    assert "02/10/2024" in shared and "Oui, le 03/10/2024" in shared
    assert "Maîtrise 60 %" in shared
    assert "Palier 2 sur 3" in shared
    assert "Badge obtenu : Badge Bureautique" in shared
    assert "1.1 : 75 % (6 acquis sur 8)" in shared
    assert 'Comptée</span> <span class="d-block small"> 1 observation : 1.1 </span>' in shared
    assert "Non compté (moins de 5 acquis dans le parcours) : 3.1" in shared
    assert "Collecte de profils" in collection
    assert "Oui, le 04/03/2024" in collection
    assert "27 pix" in collection
    assert "1.1 : niveau 3 (27 pix)" in collection
    assert "3.1 : non jouée" in collection
    assert "1 observation : 1.1" in collection


def test_the_agent_reads_their_own_history_in_plain_words(a20_history, client):
    client.force_login(a20_history.users[Role.AGENT])  # the agent user is A20
    page = text_of(client.get(profile_url(a20_history.a20)))
    assert "Mes tests Pix" in page
    cards = pix_section(page).split('<li class="card mb-3">')[1:]
    assert len(cards) == 3
    unshared, shared, collection = cards
    assert "Commencé le 10 janvier 2025." in unshared
    assert "Résultats non partagés : vous n'avez pas envoyé vos résultats" in unshared
    assert "Ce test n'a pas compté : résultats non partagés." in unshared
    assert "Évaluation, code EVAL24." in shared
    assert "Commencé le 2 octobre 2024." in shared
    assert "Résultats partagés le 3 octobre 2024." in shared
    assert "Vous maîtrisez 60 % du parcours." in shared
    assert "Palier 2 sur 3." in shared
    assert "Badge obtenu : Badge Bureautique." in shared
    assert "Ce test a compté dans votre profil." in shared
    assert (
        'Mais il n\'a pas compté pour : </p> <ul class="mb-0"> <li> '
        "<strong>Écrire des documents : courriers, comptes rendus</strong> : "
        "le parcours couvre trop peu cette compétence."
    ) in shared
    assert "Résultats partagés le 4 mars 2024." in collection
    assert "Vous avez 27 pix." in collection
    assert "<strong>Chercher des informations sur internet</strong> : autonome (3 sur 8)." in (
        collection
    )
    assert "Écrire des documents" not in collection  # 0 pix: not played, not shown
    assert "Ce test a compté dans votre profil." in collection
    # The staff's detail is not for the agent.
    assert "acquis" not in pix_section(page)


def test_without_participation_the_agent_sees_nothing_and_staff_one_sentence(gaps_world, client):
    client.force_login(gaps_world.users[Role.AGENT])
    page = text_of(client.get(profile_url(gaps_world.a20)))
    assert 'id="pix"' not in page
    client.force_login(gaps_world.users[Role.HR])
    page = text_of(client.get(profile_url(gaps_world.a20)))
    assert "Aucune participation Pix importée pour cet agent." in page
    assert "<table" not in pix_section(page)


# --- Who may read it ---------------------------------------------------------------------


def test_another_agent_and_a_manager_of_another_team_cannot_see_it(a20_history, client):
    url = profile_url(a20_history.a20)
    other_agent = user_with_role(Role.AGENT, agent=a20_history.b0, username="autre-agent")
    client.force_login(other_agent)
    assert client.get(url).status_code == 403
    client.force_login(a20_history.users[Role.MANAGER])  # manages team A1a, not service A2
    assert client.get(url).status_code == 403


def test_the_manager_sees_the_history_of_their_team(gaps_world, client):
    a1a1 = gaps_world.a1a1  # reports to the manager
    profiles(a1a1, code="EQUIPE24", name="Profils équipe")
    client.force_login(gaps_world.users[Role.MANAGER])
    page = text_of(client.get(profile_url(a1a1)))
    assert "Profils équipe" in page
    assert "1.1 : niveau 3 (27 pix)" in page


# --- Queries ----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_number_of_participations(
    gaps_world, client, django_assert_max_num_queries
):
    a20 = gaps_world.a20
    profiles(a20)
    client.force_login(gaps_world.users[Role.HR])
    url = profile_url(a20)
    client.get(url)  # warms the per-process caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert "Profils 2024" in text_of(client.get(url))
    assessment(a20)
    for n in range(3):
        profiles(a20, code=f"PLUS{n}24", name=f"Collecte {n}", shared_on=f"2024-0{n + 4}-01")
    assert PixParticipation.objects.filter(agent=a20).count() == 6
    with CaptureQueriesContext(connection) as six:
        page = text_of(client.get(url))
    assert "Collecte 2" in page and "Évaluation bureautique" in page
    assert len(six) == len(one)
    ContentType.objects.get_for_model(PixParticipation)
    with django_assert_max_num_queries(3):
        assert len(pix_history.history_for(a20)) == 6
