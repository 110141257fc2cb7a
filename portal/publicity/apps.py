from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "portal.publicity"
    label = "publicity"
    verbose_name = "Công khai thông tin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.publicity import rules  # noqa: F401  (registers permissions)
