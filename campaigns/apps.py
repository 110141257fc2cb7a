from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    verbose_name = "Phong trào thi đua"
    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from campaigns import rules  # noqa: F401  (registers permissions)
