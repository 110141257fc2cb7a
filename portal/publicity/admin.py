"""Admin: read only; publicity changes go through the services (deadlines, audit), nothing is deleted here."""

from django.contrib import admin

from portal.publicity.models import Broadcast, InformationRequest, PlanEntry, Posting, Publication


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "commune", "item", "status", "starts_on", "ends_on"]
    list_filter = ["status", "item", "regime"]
    search_fields = ["title"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["publication", "kind", "village", "due_on", "posted_on", "on_behalf", "removed_on"]
    list_filter = ["kind", "on_behalf"]


admin.site.register(Broadcast, ReadOnlyAdmin)
admin.site.register(PlanEntry, ReadOnlyAdmin)
admin.site.register(InformationRequest, ReadOnlyAdmin)
