from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    verbose_name = "Lấy ý kiến Nhân dân"
    name = "consultations"
    default_auto_field = "django.db.models.BigAutoField"
