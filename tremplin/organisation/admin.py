from django.contrib import admin

from .models import Agent, Collectivite, DigitalIdentity, Employer, Job, OrgUnit, Site


@admin.register(Collectivite)
class CollectiviteAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "primary_color"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "collectivite"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "city", "has_training_room"]
    list_filter = ["kind", "has_training_room"]
    search_fields = ["name", "code", "city"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "family", "work_kind"]
    list_filter = ["work_kind", "family"]
    search_fields = ["title", "code", "family"]


class IdentityInline(admin.StackedInline):
    model = DigitalIdentity
    extra = 0


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "matricule", "employer", "job", "unit", "site", "category"]
    list_filter = ["employer", "category", "work_pattern", "contact_channel"]
    search_fields = ["last_name", "first_name", "matricule"]
    autocomplete_fields = ["unit", "job", "site", "manager"]
    list_select_related = ["employer", "job", "unit", "site"]
    inlines = [IdentityInline]
