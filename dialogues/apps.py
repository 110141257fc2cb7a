from django.apps import AppConfig

# Audit verbs of dialogues in Vietnamese (portal.registry; the audit log shows these labels).
AUDIT_LABELS = {
    "dialogue.create": "Lập hội nghị đối thoại",
    "dialogue.update": "Sửa thông tin hội nghị đối thoại",
    "dialogue.noticed": "Thông báo hội nghị đối thoại",
    "dialogue.held": "Ghi nhận đã tổ chức hội nghị đối thoại",
    "dialogue.reviewed": "Chủ tịch rà soát, giao xử lý sau hội nghị",
    "dialogue.closed": "Kết thúc hội nghị đối thoại",
    "dialogue.cancelled": "Hủy hội nghị đối thoại",
    "dialogue.result_publicized": "Công khai kết quả hội nghị đối thoại",
    "dialogue.attendance": "Ghi số người dự hội nghị",
    "dialogue.speaker_registered": "Đăng ký phát biểu",
    "dialogue.speaker_done": "Ghi nhận đã phát biểu",
    "dialogue.speaker_skipped": "Bỏ qua người đăng ký phát biểu",
    "dialogue.supervision_note": "Ủy ban MTTQ ghi ý kiến giám sát",
    "dialogue.plan_document": "Lập kế hoạch đối thoại (văn bản)",
    "dialogue.invitation_document": "Lập giấy mời (văn bản)",
    "dialogue.notice_document": "Lập thông báo hội nghị (văn bản)",
    "dialogue.minutes_document": "Lập biên bản hội nghị (văn bản)",
    "dialogue.conclusion_document": "Lập thông báo kết luận (văn bản)",
    "dialogue.report_document": "Lập báo cáo kết quả đối thoại (văn bản)",
    "dialogue.year_report": "Lập báo cáo kết quả tiếp xúc, đối thoại năm",
    "petition.submitted": "Người dân gửi kiến nghị",
    "petition.recorded": "Ghi nhận kiến nghị",
    "petition.classified": "Phân loại kiến nghị",
    "petition.assigned": "Giao trả lời kiến nghị",
    "petition.answered": "Trả lời kiến nghị",
    "petition.forwarded": "Chuyển kiến nghị lên cấp trên",
    "petition.merged": "Gộp kiến nghị trùng",
    "petition.split": "Tách đơn có nhiều nội dung",
    "petition.satisfied": "Người dân hài lòng với câu trả lời",
    "petition.reopened": "Người dân chưa hài lòng, mở lại kiến nghị",
    "petition.hidden": "Ẩn kiến nghị khỏi trang công khai",
    "petition.letter": "Soạn công văn trả lời kiến nghị",
    "petition.prepared": "Chuẩn bị nội dung trả lời kiến nghị",
    "survey.open": "Mở khảo sát mức độ hài lòng",
    "survey.close": "Kết thúc khảo sát mức độ hài lòng",
    "survey.paper_entered": "Nhập phiếu khảo sát giấy",
}
AUDIT_OBJECTS = {"dialogue": "hội nghị đối thoại", "petition": "kiến nghị", "survey": "khảo sát"}


class DialoguesConfig(AppConfig):
    verbose_name = "Tiếp xúc, đối thoại"
    name = "dialogues"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dialogues import lookup, metrics, panels, rules  # noqa: F401  (rules registers the permissions)
        from dialogues.services.publicity import attach_issued_notice
        from portal import registry
        from portal.models import AdministrativeUnit, Role

        registry.register_document_issued("dialogues.notice", attach_issued_notice)
        from dialogues import exports
        from portal import exports as portal_exports

        portal_exports.register_table(exports.PETITIONS_TABLE, exports.petitions_table)
        metrics.register()  # contest criteria read these through portal/metrics.py
        lookup.register()  # petitions' KN- codes on the one lookup page /tra-cuu/
        registry.register_menu(
            name="dialogues.list",
            label="Đối thoại",
            url_name="dialogues:list",
            roles={Role.STAFF, Role.LEADER, Role.MTTQ},
            order=25,
        )
        registry.register_menu(
            name="dialogues.petition_record",
            label="Kiến nghị",
            url_name="dialogues:petition_record",
            roles={Role.VILLAGE_HEAD},
            order=35,
        )
        registry.register_panel(
            name="dialogues.staff",
            homes={"staff"},
            roles={Role.STAFF, Role.LEADER},
            context=panels.staff_home,
            order=35,
            reads=panels.READS,
        )
        registry.register_panel(
            name="dialogues.village",
            homes={"village"},
            roles={Role.VILLAGE_HEAD},
            context=panels.village_home,
            order=25,
            reads=panels.READS,
        )
        registry.register_panel(
            name="dialogues.mttq",
            homes={"mttq"},
            roles={Role.MTTQ},
            context=panels.mttq_home,
            order=35,
            reads=panels.READS,
        )
        registry.register_menu(
            name="dialogues.overseer",
            label="Đối thoại các xã",
            url_name="dialogues:overseer",
            roles={Role.OVERSEER},
            order=26,
        )
        registry.register_panel(
            name="dialogues.overseer",
            homes={"overseer"},
            roles={Role.OVERSEER},
            context=panels.overseer_home,
            order=35,
            reads=[*panels.READS, AdministrativeUnit],
        )
        registry.register_panel(
            name="dialogues.public",
            template="dialogues/panels/public_upcoming.html",
            homes={"public"},
            context=panels.public_upcoming,
            order=30,
        )
        registry.register_audit_labels(AUDIT_LABELS, objects=AUDIT_OBJECTS)
        registry.register_notification_topics({"dialogue": "Tiếp xúc, đối thoại", "petition": "Kiến nghị"})
