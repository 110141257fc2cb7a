from django.apps import AppConfig

# Audit verbs of consultations in Vietnamese (portal.registry; the audit log shows these labels).
AUDIT_LABELS = {
    "consultation.create": "Tạo cuộc lấy ý kiến",
    "consultation.update": "Sửa thông tin cuộc lấy ý kiến",
    "consultation.draft_version": "Thêm bản dự thảo",
    "consultation.plan_document": "Lập kế hoạch lấy ý kiến (văn bản)",
    "consultation.plan_issued": "Ban hành kế hoạch lấy ý kiến",
    "consultation.plan_revised": "Lập kế hoạch sửa đổi (kế hoạch đã ban hành không còn khớp)",
    "consultation.published": "Công bố lấy ý kiến",
    "consultation.open": "Mở nhận góp ý",
    "consultation.closed": "Kết thúc thời gian góp ý",
    "consultation.synthesis": "Bắt đầu tổng hợp, tiếp thu, giải trình",
    "consultation.results_published": "Công khai kết quả lấy ý kiến",
    "consultation.report_document": "Lập báo cáo kết quả (văn bản)",
    "consultation.adopted": "Ghi nhận văn bản được ban hành",
    "consultation.publicized": "Xác nhận đã công khai văn bản ban hành",
    "consultation.reported": "Ghi nhận đã báo cáo HĐND",
    "comment.submit": "Người dân gửi ý kiến",
    "comment.record": "Ghi nhận ý kiến",
    "comment.answer": "Trả lời ý kiến",
    "comment.assign": "Giao xử lý ý kiến",
    "comment.tag": "Gắn chủ đề cho ý kiến",
    "comment.merge": "Gộp ý kiến trùng",
    "comment.hide": "Ẩn ý kiến (có lý do)",
    "comment.unhide": "Hiện lại ý kiến",
    "comment.flag": "Đánh dấu ý kiến cần xem lại",
    "comment.import_uploaded": "Tải lên tệp ý kiến",
    "comment.import_done": "Nhập ý kiến từ tệp",
    "comment.import_failed": "Nhập ý kiến từ tệp không thành công",
    "comment.import_retried": "Nhập lại tệp ý kiến",
    "meeting.record": "Ghi nhận ý kiến tại hội nghị",
    "summary.save": "Lưu bản tổng hợp của MTTQ/Công đoàn",
    "summary.submit": "MTTQ/Công đoàn gửi bản tổng hợp",
}
AUDIT_OBJECTS = {"consultation": "cuộc lấy ý kiến", "comment": "ý kiến", "summary": "bản tổng hợp"}


def _row_changed(sender, instance, **kwargs) -> None:
    """A consultation saved (a transition, an edit, the admin): its cached row (consultations/cache.py) goes now and
    again on commit."""
    from django.db import transaction

    from consultations import cache

    cache.forget(instance.pk)
    transaction.on_commit(lambda: cache.forget(instance.pk))


def _village_moving(sender, instance, **kwargs) -> None:
    """Before a village is saved: the commune it belonged to (one query; villages change seldom), so that a village
    moved to another commune leaves the old commune's pages too (``_village_changed``)."""
    from portal.models import AdministrativeUnit

    if instance.pk and instance.level == AdministrativeUnit.Level.VILLAGE:
        instance._consultations_was_in = (
            AdministrativeUnit.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
        )


def _village_changed(sender, instance, **kwargs) -> None:
    """A village saved or deleted (renamed, merged, deactivated, moved): every consultation of its commune (and of
    the commune it left) shows it, in the comment form's choices and by name in the published results (their files,
    the cached names). A new public version for each, so no page and no results file keeps the old name or choice
    (villages change seldom; this is cheap)."""
    from portal.models import AdministrativeUnit

    communes = {instance.parent_id, getattr(instance, "_consultations_was_in", None)} - {None}
    if instance.level != AdministrativeUnit.Level.VILLAGE or not communes:
        return
    from consultations.models import Consultation
    from consultations.services._base import public_changed

    for pk in Consultation.objects.filter(commune_id__in=communes).values_list("pk", flat=True):
        public_changed(pk)


class ConsultationsConfig(AppConfig):
    verbose_name = "Lấy ý kiến Nhân dân"
    name = "consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from consultations import (  # noqa: F401  (registers permissions)
            documents_bridge,
            exports,
            metrics,
            panels,
            rules,
            tasks,
            tracking,
        )
        from consultations.models import Consultation
        from portal import exports as portal_exports
        from portal import registry
        from portal.intake import register_lookup
        from portal.models import AdministrativeUnit, Role

        post_save.connect(_row_changed, sender=Consultation, dispatch_uid="consultation_row_save")
        post_delete.connect(_row_changed, sender=Consultation, dispatch_uid="consultation_row_delete")
        pre_save.connect(
            _village_moving, sender=AdministrativeUnit, dispatch_uid="consultation_village_moving"
        )
        post_save.connect(
            _village_changed, sender=AdministrativeUnit, dispatch_uid="consultation_village_save"
        )
        post_delete.connect(
            _village_changed, sender=AdministrativeUnit, dispatch_uid="consultation_village_del"
        )

        register_lookup(tracking.KIND, tracking.comment_found, label=tracking.LABEL, prefix="")
        metrics.register()  # contest criteria read these through portal/metrics.py
        portal_exports.register_table(exports.COMMENTS_TABLE, exports.comments_table)

        registry.register_sweep_preview(
            "consultations.windows",
            label="Mở, kết thúc lấy ý kiến",
            task="consultations.tasks.sweep_windows",
            preview=tasks.window_preview,
        )
        registry.register_menu(
            name="consultations.list",
            label="Lấy ý kiến",
            url_name="consultations:list",
            roles={Role.STAFF, Role.LEADER, Role.MTTQ, Role.UNION, Role.OVERSEER},
            order=20,
        )
        registry.register_menu(
            name="consultations.public_list",
            label="Lấy ý kiến Nhân dân",
            url_name="consultations:public_list",
            group="public",
            order=20,
        )
        registry.register_panel(
            name="consultations.open",
            homes={"staff"},
            roles={Role.STAFF, Role.LEADER},
            context=panels.staff_open,
            order=30,
            reads=panels.READS,
        )
        registry.register_panel(
            name="consultations.unanswered",
            homes={"mttq"},
            roles={Role.MTTQ, Role.UNION},
            context=panels.mttq_unanswered,
            order=30,
            reads=panels.READS,
        )
        registry.register_panel(
            name="consultations.public",
            template="consultations/panels/public_open.html",
            homes={"public"},
            context=panels.public_open,
        )
        registry.register_audit_labels(AUDIT_LABELS, objects=AUDIT_OBJECTS)
        registry.register_notification_topics({"consultation": "Lấy ý kiến"})
        registry.register_document_issue_check("consultations.plan", documents_bridge.plan_sign_problems)
