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
from portal.registry import audit_label


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


class AuditActionFilter(admin.SimpleListFilter):
    """The audit actions by their Vietnamese labels (portal.registry.audit_label), never the raw codes."""

    title = "hành động"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        return sorted(((a, audit_label(a)) for a in actions), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action_label", "object_repr"]
    list_filter = [AuditActionFilter]
    list_select_related = ["actor"]

    @admin.display(description="hành động", ordering="action")
    def action_label(self, event: AuditEvent) -> str:
        return audit_label(event.action)

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
