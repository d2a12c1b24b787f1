"""Import of Pix Orga exports: every header version, the file facts, matching, evidence,
idempotence and refusals. The files under pix_files/ are hand-written after Pix's own
export format (both kinds, 2020 to today)."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.competences.helpers import audited_evidence
from tests.factories import AgentFactory, IdentityFactory
from tremplin.competences.enums import EvidenceSource
from tremplin.competences.models import Evidence, ProfileEntry
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry
from tremplin.diagnostic import pix_import
from tremplin.diagnostic.models import PixCampaign, PixCampaignKind, PixMatch, PixParticipation
from tremplin.diagnostic.pix_import import PixImportError

FILES = Path(__file__).parent / "pix_files"


def data(name: str) -> bytes:
    return (FILES / name).read_bytes()


def run(name: str, campaign: str = "", wet: bool = True):
    return pix_import.import_file(data(name), filename=name, campaign_code=campaign, wet=wet)


@pytest.fixture
def people(db):
    alice = AgentFactory(last_name="Martin", first_name="Alice", matricule="A001")
    bernard = AgentFactory(last_name="Dupont", first_name="Bernard", email="b.dupont@ville.fr")
    claire1 = AgentFactory(last_name="Durand", first_name="Claire")
    claire2 = AgentFactory(last_name="DURAND", first_name="Claire")
    IdentityFactory(agent=alice, mailbox="alice@ville.fr")
    AgentFactory(last_name="Parti", first_name="Zoé", departure_date=dt.date(2020, 1, 1))
    return {"alice": alice, "bernard": bernard, "claire": (claire1, claire2)}


def evidence_of(agent, code):
    return list(Evidence.objects.filter(agent=agent, competence__code=code).order_by("observed_on"))


# --- Reading every version -----------------------------------------------------------


def test_profiles_2024_preview_counts_and_writes_nothing(people):
    plan, result = run("profiles_2024.csv", wet=False)
    assert result is None
    assert plan.ok, plan.errors
    assert plan.kind == PixCampaignKind.PROFILES_COLLECTION
    assert plan.code == "PROCOL123"
    assert plan.external_id_label == "Matricule"
    assert plan.counts == {
        "rows": 5,
        "shared": 4,
        "matched": 3,  # Alice twice by matricule, Bernard by name
        "ambiguous": 1,  # two Claire Durand
        "unmatched": 1,
        "out_of_scope": 0,
        "new_participations": 5,
        "changed_participations": 0,
        # Alice: 2 rows × 2 competences; Bernard: 1.1 only (0 pix on 3.1 is "not played")
        "evidence": 5,
    }
    assert not PixCampaign.objects.exists()
    assert not Evidence.objects.exists()


def test_profiles_2024_wet_run_records_dated_evidence_and_latest_weighs_most(people):
    plan, result = run("profiles_2024.csv")
    assert result["participations_created"] == 5
    assert result["evidence"] == 5
    alice = people["alice"]
    first, latest = evidence_of(alice, "1.1")
    assert (first.level, first.observed_on) == (Decimal(3), dt.date(2024, 3, 4))
    assert (latest.level, latest.observed_on) == (Decimal(5), dt.date(2024, 6, 10))
    assert latest.source == EvidenceSource.PIX
    assert latest.origin.campaign.code == "PROCOL123"
    entry = ProfileEntry.objects.get(agent=alice, competence__code="1.1")
    assert Decimal(4) < entry.level < Decimal(5)  # both count, the latest more
    assert entry.measured_on == dt.date(2024, 6, 10)
    bernard = people["bernard"]
    assert [e.level for e in Evidence.objects.filter(agent=bernard)] == [Decimal(2)]


def test_unshared_and_unmatched_rows_only_record_the_participation(people):
    run("profiles_2024.csv")
    claire = PixParticipation.objects.get(last_name="Durand")
    assert (claire.shared, claire.shared_on, claire.agent) == (False, None, None)
    assert claire.values == {}
    assert not Evidence.objects.filter(agent__in=people["claire"]).exists()
    assert PixParticipation.objects.to_review().count() == 2


def test_pix_formula_quote_is_removed_from_cells(people):
    run("profiles_2024.csv")
    row = PixParticipation.objects.get(first_name="Zoé")
    assert row.last_name == "-Lemaire"
    assert row.external_id == "=HYPERLINK(1)"
    assert row.agent is None  # a departed Zoé is not a candidate either


def test_reimport_changes_nothing(people):
    run("profiles_2024.csv")
    audit_count = AuditEntry.objects.count()
    plan, result = run("profiles_2024.csv")
    assert plan.counts["new_participations"] == 0
    assert plan.counts["changed_participations"] == 0
    assert plan.counts["evidence"] == 0
    assert result == {
        "participations_created": 0,
        "participations_changed": 0,
        "evidence": 0,
        "profiles_changed": 0,
    }
    assert Evidence.objects.count() == 5
    assert PixParticipation.objects.count() == 5
    assert AuditEntry.objects.count() == audit_count


def test_wet_run_is_audited(people):
    run("profiles_2024.csv")
    created = AuditEntry.objects.filter(action=AuditAction.CREATE)
    assert created.filter(target_type="diagnostic.pixparticipation").count() == 5
    # The evidence is audited by participation: Alice's two rows and Bernard's one.
    assert created.filter(target_type="competences.evidence").count() == 3
    assert set(audited_evidence()) == set(Evidence.objects.values_list("pk", flat=True))


def test_profiles_2020_without_code_needs_the_campaign_option(people):
    plan, result = run("profiles_2020_no_code.csv")
    assert result is None
    assert [str(e) for e in plan.errors] == [
        "colonne « Code » : Ce fichier ne donne pas le code de la campagne (export d'avant "
        "2021) : indiquez-le (option --campaign)."
    ]
    plan, result = run("profiles_2020_no_code.csv", campaign="old2020")
    assert plan.code == "OLD2020"
    assert plan.external_id_label == ""
    # Bernard twice (names differ only by case): two occurrences, one shared.
    assert [(r.occurrence, r.shared, r.match) for r in plan.rows] == [
        (1, True, "name"),
        (2, False, "name"),
    ]
    (evidence,) = Evidence.objects.filter(agent=people["bernard"])
    assert (evidence.level, evidence.observed_on) == (Decimal(3), dt.date(2020, 11, 2))


def test_excel_cp1252_file_with_paris_dates(people):
    plan, result = run("profiles_excel_cp1252.csv")
    assert plan.encoding == "cp1252"
    assert plan.name == "Profils réenregistrés"
    assert result["evidence"] == 1
    (evidence,) = Evidence.objects.filter(agent=people["bernard"])
    assert (evidence.competence.code, evidence.level) == ("3.1", Decimal(4))
    assert evidence.observed_on == dt.date(2025, 1, 15)


def test_assessment_2023_keeps_mastery_raw_and_applies_the_conservative_rule(people):
    plan, result = run("assessment_2023.csv")
    assert plan.ok, plan.errors
    assert plan.kind == PixCampaignKind.ASSESSMENT
    assert plan.target_profile == "Parcours agents"
    assert plan.external_id_label == "Mail Perso"
    alice_row, paul_row = plan.rows
    assert alice_row.match == "external_id"  # by the identity mailbox
    assert paul_row.match == "unmatched"
    assert alice_row.started_on == dt.date(2023, 10, 2)
    assert alice_row.values["competences"]["1.1"] == {
        "mastery": 0.75,
        "skills": 8,
        "validated": 6,
    }
    assert alice_row.values["stage"] == "2/3"
    assert alice_row.values["badges"] == {"Badge Bureautique": True}
    assert alice_row.values["skills"] == {"@rechInfo1": "OK", "@rechInfo2": "Non testé"}
    assert alice_row.values["groups"] == ["Accueil"]
    assert alice_row.values["domains"]["Information et données"]["skills"] == 8
    # 1.1: 8 skills ≥ 5, floor(4 × 0.75) = 3 with a large SD; 3.1: 3 skills only, no evidence.
    (evidence,) = Evidence.objects.filter(agent=people["alice"])
    assert (evidence.competence.code, evidence.level, evidence.sd) == (
        "1.1",
        Decimal(3),
        Decimal("1.50"),
    )
    assert result["evidence"] == 1
    paul = PixParticipation.objects.get(last_name="Inconnu")
    assert paul.values == {"groups": ["Accueil"], "progress": 0.4}
    assert paul.started_on == dt.date(2023, 10, 5)


def test_assessment_2020_percentages_out_of_100(people):
    plan, result = run("assessment_2020.csv", campaign="EVAL2020")
    assert plan.target_profile == "Profil agents"
    (evidence,) = Evidence.objects.filter(agent=people["bernard"])
    assert evidence.level == Decimal(2)  # 50 % -> floor(4 × 0.5)


# --- Refusals ----------------------------------------------------------------------


def test_file_from_another_tool_is_refused(people):
    with pytest.raises(PixImportError, match="ne vient pas de Pix Orga"):
        run("sirh_agents.csv")


def test_truncated_file_is_refused_with_its_line(people):
    with pytest.raises(PixImportError) as caught:
        run("profiles_truncated.csv")
    assert str(caught.value).startswith("Ligne 4 : 5 cellules au lieu de 16.")
    assert "coupé" in str(caught.value)
    assert not PixCampaign.objects.exists()


def test_bad_cells_are_all_listed_in_french_and_nothing_is_written(people):
    plan, result = run("profiles_bad_cells.csv")
    assert result is None
    assert [str(e) for e in plan.errors] == [
        "Ligne 2, colonne « Date de l'envoi » : « 31/02/2024 » n'est pas une date qui existe.",
        "Ligne 3, colonne « Envoi (O/N) » : « Peut-être » : attendu Oui ou Non.",
    ]
    assert not PixParticipation.objects.exists()


def test_campaign_option_must_agree_with_the_file(people):
    plan, _ = run("profiles_2024.csv", campaign="AUTRE99")
    assert "pas de la campagne AUTRE99" in str(plan.errors[0])


def test_a_campaign_keeps_its_kind(people):
    run("profiles_2020_no_code.csv", campaign="MIXED1")
    plan, result = run("assessment_2020.csv", campaign="MIXED1")
    assert result is None
    assert "autre type" in str(plan.errors[0])


# --- Review and memory ---------------------------------------------------------------


def test_resolving_a_row_records_its_evidence_and_is_remembered(people):
    run("assessment_2023.csv")
    paul = PixParticipation.objects.get(last_name="Inconnu")
    other = AgentFactory(last_name="Inconnu-Martin", first_name="Paul")
    assert pix_import.resolve(paul, other) == 0  # not shared: nothing to record
    assert PixMatch.objects.get().key == "id:paul@example.org"
    paul.refresh_from_db()
    assert paul.agent == other
    plan, _ = run("assessment_2023.csv", wet=False)
    assert plan.rows[1].match == "memory"
    assert plan.counts["changed_participations"] == 0


def test_resolving_a_shared_ambiguous_row_gives_its_evidence_once(people):
    run("profiles_2024.csv")
    lemaire = PixParticipation.objects.get(first_name="Zoé")
    agent = AgentFactory(last_name="Lemaire", first_name="Zoé")
    assert pix_import.resolve(lemaire, agent, remember_globally=True) == 1
    assert PixMatch.objects.get(campaign=None).agent == agent
    _plan, result = run("profiles_2024.csv")
    assert result["evidence"] == 0
    assert Evidence.objects.filter(agent=agent).count() == 1


# --- Command -----------------------------------------------------------------------


def test_command_dry_run_then_wet_run(people):
    out = StringIO()
    call_command("import_pix", str(FILES / "profiles_2024.csv"), stdout=out)
    text = out.getvalue()
    assert "Campagne PROCOL123 (Collecte de profils) Profils 2024" in text
    assert "observations à créer : 5" in text
    assert "à vérifier, ligne 5 : 2 agents possibles" in text
    assert "Simulation" in text
    assert not Evidence.objects.exists()
    out = StringIO()
    call_command("import_pix", str(FILES / "profiles_2024.csv"), "--wet-run", stdout=out)
    assert "Enregistré : 5 participations nouvelles" in out.getvalue()
    assert Evidence.objects.count() == 5
    entry = AuditEntry.objects.filter(target_type="competences.evidence").first()
    assert entry.actor_label == "commande import_pix"


def test_command_refuses_a_bad_file(people):
    with pytest.raises(CommandError, match="coupé"):
        call_command("import_pix", str(FILES / "profiles_truncated.csv"), stdout=StringIO())
    with pytest.raises(CommandError, match="1 erreur"):
        call_command(
            "import_pix",
            str(FILES / "profiles_2020_no_code.csv"),
            stdout=StringIO(),
            stderr=StringIO(),
        )


def test_a_later_export_where_a_row_is_now_shared_adds_its_evidence(people):
    run("profiles_2020_no_code.csv", campaign="OLD2020")
    later = data("profiles_2020_no_code.csv").replace(
        b"DUPONT;bernard;Non;NA;NA;NA;NA;NA;NA", b"DUPONT;bernard;Oui;2021-05-03;40;Non;1;5;40"
    )
    plan, result = pix_import.import_file(later, campaign_code="OLD2020", wet=True)
    assert plan.counts["changed_participations"] == 1
    assert result["participations_created"] == 0
    assert [(e.level, e.observed_on) for e in evidence_of(people["bernard"], "1.1")] == [
        (Decimal(3), dt.date(2020, 11, 2)),
        (Decimal(5), dt.date(2021, 5, 3)),
    ]
    updated = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, target_type="diagnostic.pixparticipation"
    ).get()
    assert "shared" in updated.changes


@pytest.mark.parametrize("keep", [14, 40, 75])
def test_a_file_cut_anywhere_in_its_last_line_is_refused(people, keep):
    full = data("profiles_2024.csv")
    start = full.rindex(b'"Ville de Tremplin"')
    with pytest.raises(PixImportError, match="Ligne 6"):
        pix_import.parse(full[: start + keep])


def test_a_file_cut_between_two_lines_is_read_with_a_warning(people):
    full = data("profiles_2024.csv")
    cut = full[: full.rindex(b'\r\n"Ville de Tremplin"')]
    plan = pix_import.parse(cut)
    assert plan.ok
    assert len(plan.rows) == 4
    assert any("4 participants" in w for w in plan.warnings)
    assert not pix_import.parse(full).warnings
