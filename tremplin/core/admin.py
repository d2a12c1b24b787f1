from django.contrib import admin

from .models import AuditEntry, BackgroundJob, OutboxMessage


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_id", "summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ["kind", "status", "created_by", "created_at", "done", "total"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by outbox.queue_email and updated by the sender;
    `manage.py send_outbox --retry-failed --wet-run` puts failed ones back in the queue."""

    list_display = [
        "created_at",
        "kind",
        "related_label",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["related_label"]
    date_hierarchy = "created_at"
    exclude = ["attachments"]
    readonly_fields = ["attachment_names"]

    @admin.display(description="pièces jointes")
    def attachment_names(self, obj):
        return ", ".join(item["filename"] for item in obj.attachments) or "aucune"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
