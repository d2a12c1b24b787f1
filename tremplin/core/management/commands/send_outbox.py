"""`manage.py send_outbox`: sends the outbox's messages whose time has come, as the
background task does (tremplin/core/outbox.py). Meant for cron, every few minutes, as a
safety net when no task worker runs:

    */5 * * * * cd /srv/tremplin && .venv/bin/python manage.py send_outbox --wet-run

Dry run by default: counts the messages waiting and sends nothing. With --retry-failed,
messages given up on go back in the queue with their attempts counted from zero (after
an SMTP outage longer than the last delay, say); that change is audited. Sent messages
older than TREMPLIN_OUTBOX_RETENTION_DAYS are deleted (they hold personal data).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tremplin.core import audit, outbox
from tremplin.core.enums import AuditAction
from tremplin.core.models import OutboxMessage, OutboxStatus

ACTOR_LABEL = "commande send_outbox"


class Command(BaseCommand):
    help = (
        "Envoie les courriels en attente dont l'heure est venue. Sans --wet-run, les compte "
        "et n'envoie rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoie vraiment.")
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Remet dans la file les courriels en échec définitif, avant l'envoi.",
        )

    def handle(self, *args, wet_run, retry_failed, **options):
        now = timezone.now()
        messages = OutboxMessage.objects.all()
        due = messages.due(now).count()
        later = messages.filter(status=OutboxStatus.PENDING, next_attempt_at__gt=now).count()
        failed = messages.filter(status=OutboxStatus.FAILED).count()
        self.stdout.write(
            f"{due} courriel(s) à envoyer maintenant, {later} à réessayer plus tard, "
            f"{failed} en échec définitif."
        )
        if not wet_run:
            if retry_failed and failed:
                self.stdout.write(f"--retry-failed remettrait {failed} courriel(s) dans la file.")
            self.stdout.write("Simulation : rien n'a été envoyé. Ajoutez --wet-run pour envoyer.")
            return
        if retry_failed and failed:
            with audit.acting_as(label=ACTOR_LABEL), transaction.atomic():
                count = messages.filter(status=OutboxStatus.FAILED).update(
                    status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now
                )
                audit.record(
                    AuditAction.UPDATE,
                    target_type=audit.label_of(OutboxMessage),
                    summary=f"{count} courriel(s) en échec remis dans la file",
                )
            self.stdout.write(f"{count} courriel(s) en échec remis dans la file.")
        report = outbox.send_due()
        self.stdout.write(
            f"{len(report.sent)} envoyé(s), {len(report.retried)} à réessayer plus tard, "
            f"{len(report.failed)} en échec définitif."
        )
        purged = outbox.purge_sent()
        if purged:
            self.stdout.write(
                f"{purged} courriel(s) envoyé(s) il y a plus de "
                f"{settings.TREMPLIN_OUTBOX_RETENTION_DAYS} jours effacé(s)."
            )
