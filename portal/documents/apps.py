from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "portal.documents"
    label = "documents"
    verbose_name = "Văn bản"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import registry
        from portal.documents import checks, panels, rules  # noqa: F401
        from portal.models import Role

        registry.register_menu(name="documents.list", label="Văn bản", url_name="documents:list", order=50)
        registry.register_panel(
            name="documents.awaiting_signature",
            homes={"staff"},
            roles={Role.LEADER},
            context=panels.awaiting_signature,
            order=20,
            reads=panels.READS,
        )
        registry.register_panel(
            name="documents.overdue_tasks",
            homes={"staff"},
            roles={Role.LEADER},
            context=panels.overdue_tasks_panel,
            order=40,
            reads=panels.READS,
        )
        registry.register_panel(
            name="documents.overdue_own_plan_tasks",
            homes={"overseer"},
            roles={Role.OVERSEER},
            context=panels.overdue_tasks_panel,
            order=40,
            reads=panels.READS,
        )
        registry.register_audit_labels(
            {
                "document.create": "Tạo văn bản",
                "document.update": "Sửa văn bản",
                "document.new_version": "Tạo phiên bản mới của văn bản",
                "document.copy_model": "Sao chép văn bản mẫu về xã",
                "document.issue": "Ban hành văn bản",
                "document.register_issued": "Vào sổ văn bản đã ban hành trên giấy",
                "document.register_reserve": "Giữ số trong sổ văn bản",
                "document.register_correct": "Điều chỉnh sổ văn bản (quản trị)",
                "document.section_add": "Thêm mục vào văn bản",
                "document.section_update": "Sửa mục của văn bản",
                "document.section_delete": "Xóa mục của văn bản",
                "document.section_move": "Đổi thứ tự mục của văn bản",
                "document.task_save": "Lưu nhiệm vụ của kế hoạch",
                "document.task_delete": "Xóa nhiệm vụ của kế hoạch",
                "document.task_report": "Báo cáo kết quả nhiệm vụ",
                "document.task_trigger": "Kích hoạt nhiệm vụ theo sự kiện",
            },
            objects={"document": "văn bản"},
        )
        registry.register_notification_topics({"document": "Văn bản"})
