from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "portal.intake"
    label = "intake"
    verbose_name = "Tiếp nhận của người dân"
    default_auto_field = "django.db.models.BigAutoField"
