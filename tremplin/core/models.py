from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import AuditAction, JobStatus


class AuditEntry(models.Model):
    """One write, or one read of a sensitive page. Never updated, never deleted by the app."""

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("auteur (libellé)", max_length=150, blank=True)
    action = models.CharField("action", max_length=20, choices=AuditAction.choices)
    target_type = models.CharField("type d'objet", max_length=100, blank=True, db_index=True)
    target_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    summary = models.CharField("résumé", max_length=255, blank=True)
    changes = models.JSONField("avant / après", default=dict, blank=True)

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.get_action_display()} {self.summary}"


class BackgroundJob(models.Model):
    """Progress of a long piece of work (an import, a generation) that a page can follow."""

    kind = models.CharField("type", max_length=50)
    status = models.CharField(
        "état", max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lancé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    done = models.PositiveIntegerField("fait", default=0)
    total = models.PositiveIntegerField("total", default=0)
    message = models.CharField("message", max_length=500, blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)

    class Meta:
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def finish(self, status: str, message: str, result: dict | None = None) -> None:
        """Ends the job (done or failed) with the message and result its page shows."""
        self.status = status
        self.message = message[:500]
        self.result = result or {}
        self.finished_at = timezone.now()
        if status == JobStatus.DONE:
            self.done = self.total
        self.save(update_fields=["status", "message", "result", "finished_at", "done"])

    def report(self, done: int, total: int | None = None, message: str = "") -> None:
        """Saves progress outside any running transaction's view is not possible on
        SQLite; callers report progress before and after their atomic block."""
        self.done = done
        if total is not None:
            self.total = total
        if message:
            self.message = message
        type(self).objects.filter(pk=self.pk).update(
            done=self.done, total=self.total, message=self.message, status=JobStatus.RUNNING
        )


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec définitif"


class OutboxMessageQuerySet(models.QuerySet):
    def due(self, now):
        """Messages waiting to be sent whose time has come, oldest first."""
        return self.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )


class OutboxMessage(models.Model):
    """One email waiting to be sent, sent, or given up on (see tremplin/core/outbox.py).

    Attachments live in the row (JSON, base64) rather than in files: they are small
    (an .ics, a one-page letter), they are written in the caller's transaction with the
    message, so a rollback leaves no orphan file and a commit no missing one, and a
    worker on another machine, which shares the database but not the disk, can send them.
    """

    to = models.EmailField("destinataire", max_length=254)
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    html = models.TextField("HTML", blank=True)
    attachments = models.JSONField(
        "pièces jointes", default=list, blank=True, help_text="[{filename, content_type, base64}]"
    )
    kind = models.CharField("type", max_length=50, db_index=True)
    # What the message is about, as "app.model:pk": never a name or an address, so
    # that it can appear in logs.
    related_label = models.CharField("objet concerné", max_length=100, blank=True, db_index=True)
    status = models.CharField(
        "état", max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    # The exception's type only: its text can quote the address.
    last_error = models.CharField("dernière erreur", max_length=100, blank=True)
    next_attempt_at = models.DateTimeField("prochain essai", default=timezone.now)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel sortant"
        verbose_name_plural = "courriels sortants"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"
