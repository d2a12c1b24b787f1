from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import KioskToken, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["org_unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    autocomplete_fields = ["agent"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Tremplin", {"fields": ("agent", "login_code_issued_at")}),
    )
    readonly_fields = ["login_code_issued_at"]
    list_display = ["username", "first_name", "last_name", "is_active", "agent"]


@admin.register(KioskToken)
class KioskTokenAdmin(admin.ModelAdmin):
    list_display = ["agent_user", "created_by", "created_at", "expires_at", "used_at"]
    readonly_fields = [f.name for f in KioskToken._meta.fields]
    exclude = ["token", "code"]
