from django.contrib import admin

from .models import (
    ContinuityRule,
    Registration,
    Room,
    Session,
    Trainer,
    TrainerAbsence,
    TrainerAvailability,
)


class AvailabilityInline(admin.TabularInline):
    model = TrainerAvailability
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = TrainerAbsence
    extra = 0


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "home_site", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["modules"]
    inlines = [AvailabilityInline, AbsenceInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "capacity", "has_computers", "has_tablets", "step_free"]
    list_filter = ["has_computers", "has_tablets", "step_free"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["module", "starts_at", "room", "capacity", "status"]
    list_filter = ["status", "module"]
    date_hierarchy = "starts_at"


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: seats change through planning.registrations (locks, waiting list)."""

    list_display = ["agent", "session", "status", "waiting_position", "attendance"]
    list_filter = ["status"]
    raw_id_fields = ["agent", "session", "step"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContinuityRule)
class ContinuityRuleAdmin(admin.ModelAdmin):
    list_display = ["unit", "max_absent_percent"]
