"""`manage.py import_pix FILE [--campaign CODE] [--wet-run]`: a Pix Orga export.

Dry run by default: it reads and checks the whole file, matches the participants to
agents, prints what would be written and writes nothing. With --wet-run it writes
everything in one transaction (see tremplin/diagnostic/pix_import.py for the rules).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.core import audit
from tremplin.diagnostic import pix_import
from tremplin.diagnostic.pix_import import PixImportError

ACTOR_LABEL = "commande import_pix"
REVIEW_SHOWN = 50
COUNT_LABELS = (
    ("rows", "lignes"),
    ("shared", "résultats partagés"),
    ("matched", "agents reconnus"),
    ("ambiguous", "plusieurs agents possibles (à vérifier)"),
    ("unmatched", "agent introuvable (à vérifier)"),
    ("new_participations", "participations nouvelles"),
    ("changed_participations", "participations mises à jour"),
    ("evidence", "observations à créer"),
)


class Command(BaseCommand):
    help = "Importe l'export CSV d'une campagne Pix Orga (simulation sans --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier CSV téléchargé depuis Pix Orga.")
        parser.add_argument(
            "--campaign",
            default="",
            help="Code de la campagne, pour les exports qui ne le donnent pas.",
        )
        parser.add_argument(
            "--wet-run", action="store_true", help="Enregistrer (sinon : simulation)."
        )

    def handle(self, *args, file, campaign, wet_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        with audit.acting_as(label=ACTOR_LABEL):
            try:
                plan, result = pix_import.import_file(
                    path.read_bytes(), filename=path.name, campaign_code=campaign, wet=wet_run
                )
            except PixImportError as exc:
                raise CommandError(str(exc)) from exc
        if not plan.ok:
            for issue in plan.errors:
                self.stderr.write(str(issue))
            if plan.error_total > len(plan.errors):
                self.stderr.write(f"… et {plan.error_total - len(plan.errors)} autres erreurs.")
            raise CommandError(f"{plan.error_total} erreur(s) : rien n'a été enregistré.")
        kind = dict(pix_import.PixCampaignKind.choices)[plan.kind]
        self.stdout.write(f"Campagne {plan.code} ({kind}) {plan.name}".rstrip())
        for warning in plan.warnings:
            self.stdout.write(f"Attention : {warning}")
        counts = plan.counts
        for key, label in COUNT_LABELS:
            self.stdout.write(f"  {label} : {counts[key]}")
        review = plan.to_review()
        for row in review[:REVIEW_SHOWN]:
            reason = (
                f"{row.candidates} agents possibles" if row.match == "ambiguous" else "introuvable"
            )
            self.stdout.write(f"  à vérifier, ligne {row.line} : {reason}")
        if len(review) > REVIEW_SHOWN:
            self.stdout.write(f"  … et {len(review) - REVIEW_SHOWN} autres lignes à vérifier.")
        if result is None:
            self.stdout.write("Simulation : rien n'a été enregistré (ajoutez --wet-run).")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Enregistré : {result['participations_created']} participations "
                    f"nouvelles, {result['participations_changed']} mises à jour, "
                    f"{result['evidence']} observations, {result['profiles_changed']} "
                    "niveaux de profil recalculés."
                )
            )
