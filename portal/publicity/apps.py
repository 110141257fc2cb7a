from django.apps import AppConfig

AUDIT_LABELS = {
    "publication.create": "Công khai nội dung",
    "publication.publicized": "Xác nhận đã thực hiện đủ việc công khai",
    "publication.withdrawn": "Rút nội dung công khai (có lý do)",
    "publication.document_attached": "Đính kèm văn bản đã ban hành vào nội dung công khai",
    "posting.confirm": "Xác nhận niêm yết, gửi Trưởng thôn",
    "posting.broadcast": "Ghi ngày phát thanh",
    "posting.take_down": "Ghi nhận gỡ niêm yết",
    "publicity.plan_entry_add": "Thêm nội dung vào kế hoạch công khai",
    "publicity.plan_entry_withdraw": "Bỏ nội dung khỏi kế hoạch công khai",
    "publicity.plan_document": "Lập Kế hoạch công khai (văn bản)",
    "publicity.quarterly_list": "Lập danh sách nội dung đã công khai theo quý",
    "publicity.hdnd_report": "Lập báo cáo HĐND về công khai",
    "publicity.request_record": "Tiếp nhận yêu cầu cung cấp thông tin",
    "publicity.request_answer": "Trả lời yêu cầu cung cấp thông tin",
}
AUDIT_OBJECTS = {"publication": "nội dung công khai", "posting": "việc niêm yết"}


class PublicityConfig(AppConfig):
    name = "portal.publicity"
    label = "publicity"
    verbose_name = "Công khai thông tin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import registry
        from portal.models import Role
        from portal.publicity import panels, rules  # noqa: F401  (rules registers permissions)

        registry.register_menu(
            name="publicity.register",
            label="Công khai",
            url_name="publicity:register",
            roles={Role.STAFF, Role.LEADER},
            order=25,
        )
        registry.register_menu(
            name="publicity.my_postings",
            label="Niêm yết",
            url_name="publicity:my_postings",
            roles={Role.VILLAGE_HEAD},
            order=30,
        )
        registry.register_menu(
            name="publicity.radio",
            label="Truyền thanh",
            url_name="publicity:radio",
            roles={Role.RADIO},
            order=30,
        )
        registry.register_panel(
            name="publicity.postings",
            homes={"village"},
            roles={Role.VILLAGE_HEAD},
            context=panels.village_postings,
            order=20,
            reads=panels.READS,
        )
        registry.register_panel(
            name="publicity.public_register",
            template="publicity/panels/public_register.html",
            homes={"public"},
            context=panels.public_register,
            order=50,
        )
        registry.register_audit_labels(AUDIT_LABELS, objects=AUDIT_OBJECTS)
