from django.contrib import admin, messages

from .forms import ItemAdminForm
from .models import Campaign, Item, Participation, PixCampaign, PixMatch, PixParticipation

ITEM_READONLY = ["code", "competence", "level", "kind", "illustration", "a", "b", "calibrated_at"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Browse, reword and retire questions. Questions come from the bank modules (`manage.py
    load_item_bank`), so none is added or deleted here; a and b change by calibration
    only (`manage.py calibrate_items`)."""

    list_display = ["code", "competence", "level", "kind", "short_stem", "retired", "calibrated"]
    list_filter = ["retired", "level", "kind", "competence"]
    search_fields = ["code", "stem"]
    list_select_related = ["competence"]
    readonly_fields = ITEM_READONLY
    actions = ["retire", "unretire"]
    form = ItemAdminForm

    @admin.display(description="question")
    def short_stem(self, item):
        return item.stem if len(item.stem) <= 80 else item.stem[:79] + "…"

    @admin.display(description="calibrée", boolean=True)
    def calibrated(self, item):
        return item.calibrated_at is not None

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change, form=ItemAdminForm.for_item(obj), **kwargs)

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["code", "competence", "level", "kind", "illustration", "stem"]}),
            (
                "Réponses",
                {
                    "fields": ItemAdminForm.for_item(obj).choice_field_names(),
                    "description": "L'ordre des réponses est celui de la bonne suite pour "
                    "les questions « Remettre dans l'ordre » ; l'écran les mélange.",
                },
            ),
            ("Après la réponse", {"fields": ["explanation", "tags"]}),
            ("Paramètres", {"fields": ["a", "b", "calibrated_at", "retired"]}),
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _set_retired(self, request, queryset, retired: bool) -> int:
        changed = 0
        # One save each (a few hundred at most) so that each change is audited.
        for item in queryset.filter(retired=not retired):
            item.retired = retired
            item.save(update_fields=["retired"])
            changed += 1
        return changed

    @admin.action(description="Retirer les questions choisies")
    def retire(self, request, queryset):
        n = self._set_retired(request, queryset, True)
        self.message_user(request, f"{n} question(s) retirée(s) : elles ne seront plus posées.")

    @admin.action(description="Remettre en service les questions choisies")
    def unretire(self, request, queryset):
        n = self._set_retired(request, queryset, False)
        self.message_user(request, f"{n} question(s) remise(s) en service.", messages.SUCCESS)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "opens_on", "closes_on", "created_by"]
    list_filter = ["status"]
    search_fields = ["name"]
    filter_horizontal = ["competences", "jobs"]
    autocomplete_fields = ["units"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Read only: invitations are made from the campaign pages, which scope and audit them.
    The personal code is a key to the agent's diagnostic: never shown here."""

    list_display = ["agent", "campaign", "channel", "invited_at", "started_at", "finished_at"]
    list_filter = ["campaign", "channel"]
    search_fields = ["agent__last_name", "agent__matricule"]
    list_select_related = ["agent", "campaign"]
    exclude = ["code"]
    readonly_fields = [f.name for f in Participation._meta.fields if f.name != "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Pix data comes from imports only: the admin shows it, never edits it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PixCampaign)
class PixCampaignAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "target_profile", "created_at"]
    search_fields = ["code", "name"]


@admin.register(PixParticipation)
class PixParticipationAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "last_name", "first_name", "agent", "shared", "shared_on"]
    list_filter = ["campaign", "shared"]
    search_fields = ["last_name", "first_name", "external_id"]
    list_select_related = ["campaign", "agent"]


@admin.register(PixMatch)
class PixMatchAdmin(ReadOnlyAdmin):
    list_display = ["key", "campaign", "agent", "decided_by", "decided_at"]
    list_select_related = ["campaign", "agent", "decided_by"]
