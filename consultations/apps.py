from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    verbose_name = "Lấy ý kiến Nhân dân"
    name = "consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consultations import panels, rules, tracking  # noqa: F401  (registers permissions)
        from portal.dashboard import register_panel
        from portal.intake import register_lookup

        register_lookup(tracking.KIND, tracking.comment_found, label=tracking.LABEL, prefix="")

        register_panel(
            name="consultations.open",
            template="consultations/panels/staff_open.html",
            homes={"staff"},
            context=panels.staff_open,
        )
        register_panel(
            name="consultations.postings",
            template="consultations/panels/village_postings.html",
            homes={"village"},
            context=panels.village_postings,
        )
        register_panel(
            name="consultations.unanswered",
            template="consultations/panels/mttq_unanswered.html",
            homes={"mttq"},
            context=panels.mttq_unanswered,
        )
        register_panel(
            name="consultations.public",
            template="consultations/panels/public_open.html",
            homes={"public"},
            context=panels.public_open,
        )
