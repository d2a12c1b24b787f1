from django.contrib import admin

from .models import Allocation, Device, DeviceNeed, FootprintReference, Repair


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "site", "holder", "expected_end_of_life"]
    list_filter = ["kind", "state", "condition"]
    search_fields = ["model_name", "serial_number", "imei"]
    raw_id_fields = ["site"]
    readonly_fields = ["holder", "state"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["device", "agent", "site", "starts_on", "ends_on"]
    raw_id_fields = ["device", "agent", "site"]
    # Allocations change through device.allocate and allocation.close, which keep the
    # device's state and holder in step.
    readonly_fields = ["device", "agent", "site", "starts_on", "ends_on"]


@admin.register(DeviceNeed)
class DeviceNeedAdmin(admin.ModelAdmin):
    list_display = ["agent", "kind", "reason", "priority", "status", "created_at"]
    list_filter = ["status", "reason", "priority"]
    raw_id_fields = ["agent", "allocation"]


@admin.register(Repair)
class RepairAdmin(admin.ModelAdmin):
    list_display = ["device", "requested_on", "returned_on", "outcome", "cost"]
    raw_id_fields = ["device"]


@admin.register(FootprintReference)
class FootprintReferenceAdmin(admin.ModelAdmin):
    list_display = ["kind", "manufacturing_kg", "expected_years", "updated_at"]
