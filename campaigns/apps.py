from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    verbose_name = "Phong trào thi đua"
    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from campaigns import panels, rules  # noqa: F401  (registers permissions)
        from campaigns.selectors import registration_reminder_recipients
        from portal import registry
        from portal.models import Role

        registry.register_deadline_recipients("contest.registration", registration_reminder_recipients)

        registry.register_menu(
            name="campaigns.list",
            label="Thi đua",
            url_name="campaigns:list",
            roles={Role.JUDGE, Role.OVERSEER, Role.STAFF, Role.LEADER},
            order=60,
        )
        registry.register_panel(
            name="campaigns.judging",
            homes={"staff"},
            context=panels.judging,
            roles={Role.JUDGE},
            order=50,
            reads=panels.READS,
        )
        registry.register_audit_labels(
            {
                "criteriaset.import": "Nhập bộ tiêu chí",
                "criteriaset.copy": "Sao bộ tiêu chí",
                "contest.create": "Tạo cuộc thi",
                "contest.member_add": "Phân công thành viên ban cuộc thi",
                "participant.register": "Đăng ký dự thi",
                "assignment.create": "Phân công giám khảo",
                "assignment.declare_conflict": "Giám khảo khai báo xung đột lợi ích",
                "selfscore.save": "Tự chấm điểm",
                "evidence.add": "Nộp minh chứng",
                "evidence.metric": "Lấy số liệu từ Cổng làm minh chứng",
                "participant.self_submit": "Nộp bản tự chấm",
                "judgescore.save": "Giám khảo chấm điểm",
                "assignment.submit": "Giám khảo nộp phiếu chấm",
                "participant.to_explanation": "Chuyển đơn vị sang giải trình",
                "explanation.save": "Giải trình",
                "participant.to_second_review": "Nộp giải trình, chấm lại",
                "participant.upper_score": "Cấp trên chấm điểm",
                "consensus.save": "Ghi điểm thống nhất của Ban Giám khảo",
                "contest.finalize": "Tổng kết cuộc thi, khóa điểm",
                "award.add": "Đề nghị khen thưởng",
                "contest.document_plan": "Lập kế hoạch cuộc thi",
                "contest.document_decision": "Lập quyết định khen thưởng",
                "contest.document_report": "Lập báo cáo tổng kết",
                "contest.document_plan_issue": "Ban hành kế hoạch cuộc thi",
                "contest.document_decision_issue": "Ban hành quyết định khen thưởng",
                "contest.document_report_issue": "Ban hành báo cáo tổng kết",
                "contest.close_registration": "Kết thúc đăng ký dự thi",
                "contest.letterhead": "Sửa tiêu đề và chữ ký văn bản cuộc thi",
                "contest.publicize_results": "Công khai kết quả cuộc thi",
                "initiative.register": "Đăng ký mô hình Dân vận khéo",
                "initiative.advance": "Chuyển bước mô hình Dân vận khéo",
            }
        )
