from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "portal.documents"
    label = "documents"
    verbose_name = "Văn bản"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.dashboard import register_panel
        from portal.documents import checks, panels, rules  # noqa: F401

        register_panel(
            name="documents.awaiting_signature",
            template="documents/panels/awaiting.html",
            homes={"staff"},
            context=panels.awaiting_signature,
        )
        register_panel(
            name="documents.overdue_tasks",
            template="documents/panels/overdue.html",
            homes={"staff"},
            context=panels.overdue_tasks_panel,
        )
