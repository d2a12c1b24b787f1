"""`manage.py import_inventory FILE`: the inventory import from the command line.

Dry run by default: it reads and checks the whole file, prints what would change and
writes nothing. With --wet-run it writes everything in one transaction.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tremplin.core import audit
from tremplin.core.tabular import TabularError
from tremplin.equipment import inventory_import

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Importe l'inventaire du matériel (CSV ou XLSX). Sans --wet-run, montre ce qui "
        "changerait et n'écrit rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV (; ou ,) ou XLSX.")
        parser.add_argument(
            "--wet-run", action="store_true", help="Enregistre les changements (sinon : essai)."
        )

    def handle(self, *args, file, wet_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        data = path.read_bytes()
        with transaction.atomic(), audit.acting_as(label="commande import_inventory"):
            try:
                plan = inventory_import.plan_inventory_import(data, path.name)
            except TabularError as exc:
                raise CommandError(str(exc)) from exc
            if plan.errors:
                for error in plan.errors[:MAX_ERRORS_SHOWN]:
                    column = f", colonne « {error.column} »" if error.column else ""
                    self.stderr.write(f"Ligne {error.line}{column} : {error.message}")
                raise CommandError(
                    f"{len(plan.errors)} erreur(s) : rien n'a été enregistré. Corrigez le "
                    "fichier puis relancez."
                )
            summary = (
                f"{plan.to_create} appareil(s) à ajouter, {plan.to_update} à mettre à jour, "
                f"{plan.unchanged} déjà à jour, {plan.allocations} attribution(s) reprise(s), "
                f"{plan.retirements} réforme(s)."
            )
            if not wet_run:
                self.stdout.write(f"Essai : {summary} Relancez avec --wet-run pour enregistrer.")
                return
            counts = inventory_import.apply_inventory_import(plan)
        self.stdout.write(
            f"Import terminé : {counts['created']} ajouté(s), {counts['updated']} mis à jour, "
            f"{counts['unchanged']} déjà à jour, {counts['allocated']} attribution(s) "
            f"reprise(s), {counts['retired']} réformé(s)."
        )
