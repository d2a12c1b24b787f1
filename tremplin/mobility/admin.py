"""Positions, wishes and moves in the admin. Redeployment files and placements are
deliberately not registered: their restriction is for the mobility role only, and the
admin is for administrators."""

from django.contrib import admin

from .models import Move, Position, PositionRequirement, Wish


class PositionRequirementInline(admin.TabularInline):
    model = PositionRequirement
    extra = 0


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["job", "unit", "site", "category", "starts_on", "status"]
    list_filter = ["status", "category"]
    list_select_related = ["job", "unit", "site"]
    inlines = [PositionRequirementInline]


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):
    list_display = ["agent", "job", "family", "expressed_on"]
    list_select_related = ["agent", "job"]
    raw_id_fields = ["agent"]


@admin.register(Move)
class MoveAdmin(admin.ModelAdmin):
    list_display = ["agent", "from_job", "to_job", "moved_on"]
    list_select_related = ["agent", "from_job", "to_job"]
    raw_id_fields = ["agent"]
    # The link to a redeployment file would tell who had one.
    exclude = ["file"]
