"""Admin: read and correct metadata only; workflow changes go through the services, nothing is deleted here."""

from django.contrib import admin

from consultations.models import Comment, Consultation, ImportBatch, Meeting, OrganizationSummary


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Consultation)
class ConsultationAdmin(NoDeleteAdmin):
    list_display = ["title", "commune", "audience", "status", "opens_on", "closes_on"]
    list_filter = ["status", "audience"]
    search_fields = ["title"]
    readonly_fields = [
        "status",
        "publicized_on",
        "plan_issued_on",
        "results_issued_on",
        "decision_number",
        "decision_date",
        "reported_on",
        "created_by",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["commune", "responsible", "plan_document", "report_document"]


@admin.register(Comment)
class CommentAdmin(NoDeleteAdmin):
    list_display = [
        "tracking_code",
        "consultation",
        "channel",
        "status",
        "answer_kind",
        "hidden",
        "received_at",
    ]
    list_filter = ["channel", "status", "answer_kind", "hidden"]
    search_fields = ["tracking_code", "text_search"]
    list_select_related = ["consultation"]
    readonly_fields = [f.name for f in Comment._meta.fields]
    exclude = ["topics"]


for model in (Meeting, ImportBatch, OrganizationSummary):
    admin.site.register(model, NoDeleteAdmin)
