from django.contrib import admin
from django.db import transaction

from .models import Competence, Domain, Evidence, JobRequirement, Level, ProfileEntry
from .services import recompute_profiles


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    """The CRCN competences are the national framework: admins add local ones beside
    them (a business software…) and may reword what agents read, nothing more."""

    list_display = ["code", "name", "domain", "is_crcn", "position"]
    list_filter = ["is_crcn", "domain"]
    search_fields = ["code", "name", "plain_name"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_crcn:
            return ["domain", "code", "name", "is_crcn"]
        return ["is_crcn"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_crcn


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["number", "label", "band"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRequirement)
class JobRequirementAdmin(admin.ModelAdmin):
    list_display = ["job", "competence", "level"]
    list_editable = ["level"]
    list_filter = ["competence", "job__family"]
    search_fields = ["job__title", "job__code", "competence__code"]
    autocomplete_fields = ["job"]
    list_select_related = ["job", "competence"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Evidence is never edited (a correction is a new observation); deleting one here
    recomputes the profile entry it fed."""

    list_display = ["agent", "competence", "source", "level", "observed_on", "author"]
    list_filter = ["source", "competence"]
    search_fields = ["agent__last_name", "agent__matricule"]
    list_select_related = ["agent", "competence", "author"]
    readonly_fields = [f.name for f in Evidence._meta.fields]
    date_hierarchy = "observed_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            recompute_profiles([(obj.agent_id, obj.competence_id)])

    def delete_queryset(self, request, queryset):
        pairs = set(queryset.values_list("agent_id", "competence_id"))
        with transaction.atomic():
            # One by one so that each deletion is audited.
            for evidence in queryset:
                evidence.delete()
            recompute_profiles(pairs)


@admin.register(ProfileEntry)
class ProfileEntryAdmin(admin.ModelAdmin):
    list_display = ["agent", "competence", "level", "sd", "measured_on", "main_source"]
    list_filter = ["competence", "main_source"]
    search_fields = ["agent__last_name", "agent__matricule"]
    list_select_related = ["agent", "competence"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
