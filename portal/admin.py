from django.contrib import admin

from portal import workdays
from portal.models import (
    AdministrativeUnit,
    AuditEvent,
    CalendarDay,
    Deadline,
    Membership,
    Notification,
    Organization,
)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "code", "parent", "households", "population", "active"]
    list_filter = ["level", "kind", "active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "short_name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["unit"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "organization", "position", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit", "organization"]
    autocomplete_fields = ["unit", "organization"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "legal_source"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.clear_cache()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.clear_cache()


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["title", "rule_code", "commune", "village", "due_date", "status"]
    list_filter = ["status", "rule_code"]
    list_select_related = ["commune", "village"]
    readonly_fields = [f.name for f in Deadline._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_select_related = ["recipient"]
