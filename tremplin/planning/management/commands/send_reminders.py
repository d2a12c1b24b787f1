"""`manage.py send_reminders`: the reminders a week and a day before each session
(tremplin/planning/reminders.py). Run once a day from cron, in the morning:

    0 7 * * * cd /srv/tremplin && .venv/bin/python manage.py send_reminders --wet-run

Dry run by default: says how many reminders are due and queues nothing.
"""

from django.core.management.base import BaseCommand

from tremplin.planning import reminders


class Command(BaseCommand):
    help = (
        "Range dans la file d'envoi les rappels à 7 jours et la veille des séances. "
        "Sans --wet-run, les compte et n'envoie rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoie vraiment.")

    def handle(self, *args, wet_run, **options):
        if not wet_run:
            week_before, day_before = reminders.due()
            self.stdout.write(
                f"{len(week_before)} rappel(s) à une semaine et {len(day_before)} rappel(s) la "
                "veille à envoyer. Simulation : rien n'a été envoyé. Ajoutez --wet-run pour "
                "envoyer."
            )
            return
        counts = reminders.send_due()
        self.stdout.write(f"Envoyés dans la file : {counts}.")
