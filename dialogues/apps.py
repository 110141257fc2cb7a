from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    verbose_name = "Tiếp xúc, đối thoại"
    name = "dialogues"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dialogues import lookup, metrics, rules  # noqa: F401  (registers permissions)

        metrics.register()  # contest criteria read these through portal/metrics.py
        lookup.register()  # petitions' KN- codes on the one lookup page /tra-cuu/
