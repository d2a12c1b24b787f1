"""`manage.py snapshot_indicators`: keeps today's figures for the dashboard's trends.
Meant for cron, once a night:

    30 2 * * * cd /srv/tremplin && .venv/bin/python manage.py snapshot_indicators

Writes without `--wet-run`, unlike the imports: it only (re)computes derived figures,
replacing those of the same date, so running it twice changes nothing. `--date` computes
another day "as of" that day; `--backfill N` also computes the last day of each of the N
previous months from the dates the data keep (see steering/snapshots.py).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tremplin.steering import snapshots


class Command(BaseCommand):
    help = "Mémorise les indicateurs du tableau de bord pour une date (aujourd'hui par défaut)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Date des indicateurs, AAAA-MM-JJ (aujourd'hui par défaut)."
        )
        parser.add_argument(
            "--backfill",
            type=int,
            default=0,
            metavar="N",
            help="Calcule aussi la fin de chacun des N mois précédents.",
        )

    def handle(self, *args, date, backfill, verbosity, **options):
        today = timezone.localdate()
        try:
            day = dt.date.fromisoformat(date) if date else today
        except ValueError as error:
            raise CommandError(f"Date illisible « {date} » : écrivez-la AAAA-MM-JJ.") from error
        if day > today:
            raise CommandError("Impossible de mémoriser les indicateurs d'une date future.")
        if backfill < 0:
            raise CommandError("--backfill attend un nombre de mois positif.")
        for as_of in [*snapshots.past_month_ends(day, backfill), day]:
            count = snapshots.write(as_of, today)
            if verbosity:
                self.stdout.write(f"{as_of:%d/%m/%Y} : {count} indicateurs mémorisés.")
