from django.core.management.base import BaseCommand
from django.db import transaction

from tremplin.core.audit import acting_as
from tremplin.diagnostic.bank_loader import load_bank


class Command(BaseCommand):
    help = (
        "Charge les questions de la banque (tremplin/diagnostic/bank) dans la base. "
        "Sans effet sur les paramètres calibrés ni sur les questions retirées."
    )

    def handle(self, *args, **options):
        with transaction.atomic(), acting_as(label="commande load_item_bank"):
            counts = load_bank()
        self.stdout.write(
            f"Banque de questions : {counts['created']} créée(s), {counts['updated']} mise(s) à "
            f"jour, {counts['total']} au total."
        )
