from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "portal.publicity"
    label = "publicity"
    verbose_name = "Công khai thông tin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.dashboard import register_panel
        from portal.publicity import panels, rules  # noqa: F401  (rules registers permissions)

        register_panel(
            name="publicity.postings",
            template="publicity/panels/village_postings.html",
            homes={"village"},
            context=panels.village_postings,
        )
        register_panel(
            name="publicity.public_register",
            template="publicity/panels/public_register.html",
            homes={"public"},
            context=panels.public_register,
        )
