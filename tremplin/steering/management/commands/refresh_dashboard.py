"""`manage.py refresh_dashboard`: computes the dashboard's default view of every steering
user ahead of them, so that the page opens at once even at 100,000 agents. Meant for
cron, more often than TREMPLIN_DASHBOARD_MINUTES (15 by default):

    */10 * * * * cd /srv/tremplin && .venv/bin/python manage.py refresh_dashboard

Derived figures only (see steering/precomputed.py): running it twice changes nothing but
their time. Also deletes figures older than a day.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tremplin.steering import precomputed


class Command(BaseCommand):
    help = "Calcule à l'avance le tableau de bord des utilisateurs du pilotage."

    def handle(self, *args, verbosity, **options):
        if settings.TREMPLIN_DASHBOARD_MINUTES <= 0:
            raise CommandError(
                "TREMPLIN_DASHBOARD_MINUTES vaut 0 : le tableau de bord est calculé à chaque "
                "page, rien à calculer à l'avance."
            )
        views, seconds = precomputed.refresh_all()
        deleted = precomputed.prune()
        if verbosity:
            self.stdout.write(
                f"{views} vue(s) du tableau de bord calculée(s) en {seconds:.1f} s ; "
                f"{deleted} ancienne(s) supprimée(s)."
            )
