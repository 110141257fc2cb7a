"""Publicity (công khai, Luật 10/2022/QH15 Điều 11–14): a publication, its postings per place and form, radio days,
the publicity plan (Điều 14.1) and citizens' information requests (Điều 14.2).

State changes happen only in :mod:`portal.publicity.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal import bounds


class ContentItem(models.IntegerChoices):
    """Điều 11 Luật 10/2022/QH15: the 14 contents the commune authority publicizes."""

    SOCIO_ECONOMIC = (
        1,
        "1. Kế hoạch phát triển kinh tế - xã hội, chuyển dịch cơ cấu kinh tế và kết quả thực hiện",
    )
    BUDGET = 2, "2. Dự toán, quyết toán, tình hình thực hiện ngân sách, kế hoạch tài chính"
    INVESTMENT_LAND = (
        3,
        "3. Dự án, công trình đầu tư; thu hồi đất, bồi thường, tái định cư; quỹ đất; quy hoạch xây dựng",
    )
    RULES_DUTIES = 4, "4. Quy chế thực hiện dân chủ; nhiệm vụ, quyền hạn của cán bộ; quy tắc ứng xử"
    FUNDS = 5, "5. Quản lý, sử dụng các loại quỹ, khoản đầu tư, tài trợ; các khoản huy động Nhân dân đóng góp"
    PUBLIC_ASSETS = 6, "6. Quản lý, sử dụng tài sản công"
    SUPPORT_POLICIES = 7, "7. Chính sách hỗ trợ, trợ cấp, tín dụng: tiêu chí, đối tượng, bình xét và kết quả"
    DISASTER_SUPPORT = (
        8,
        "8. Hỗ trợ khắc phục thiên tai, dịch bệnh, sự cố; quản lý, sử dụng tiền, hàng cứu trợ",
    )
    MILITARY_SERVICE = 9, "9. Nghĩa vụ quân sự, Công an nhân dân: chỉ tiêu, danh sách gọi, tạm hoãn, miễn"
    INSPECTION = 10, "10. Kết quả thanh tra, xử lý tham nhũng, kỷ luật; kết quả lấy phiếu, bỏ phiếu tín nhiệm"
    CONSULTATION = (
        11,
        "11. Kế hoạch lấy ý kiến Nhân dân, nội dung lấy ý kiến, kết quả tổng hợp, tiếp thu, giải trình",
    )
    FEES = 12, "12. Đối tượng, mức thu phí, lệ phí và nghĩa vụ tài chính khác do xã trực tiếp thu"
    PROCEDURES = (
        13,
        "13. Thủ tục hành chính, giải quyết công việc của tổ chức, công dân do xã trực tiếp thực hiện",
    )
    OTHER = 14, "14. Nội dung khác theo quy định của pháp luật, quy chế thực hiện dân chủ của xã"

    @classmethod
    def short(cls, value: int) -> str:
        """The label without its number (for headings that print the number themselves)."""
        return str(cls(value).label).split(". ", 1)[1]


class Form(models.TextChoices):
    """Điều 12 khoản 1: the forms of publicizing (letters as in the law)."""

    POSTING = "posting", "a) Niêm yết tại trụ sở và nhà văn hóa thôn"
    PORTAL = "portal", "b) Đăng trên cổng thông tin điện tử của xã"
    RADIO = "radio", "c) Phát trên hệ thống truyền thanh cấp xã"
    VILLAGE_HEAD = "village_head", "d) Thông qua Trưởng thôn, Tổ trưởng tổ dân phố"
    DOCUMENTS = "documents", "đ) Gửi văn bản đến Nhân dân"
    DIALOGUE = "dialogue", "e) Qua hội nghị trao đổi, đối thoại"
    RECEPTION = "reception", "g) Qua tiếp công dân, tiếp xúc cử tri, họp báo, người phát ngôn"
    ORGANIZATIONS = "organizations", "h) Thông báo cho tổ chức chính trị - xã hội"
    SOCIAL = "social", "i) Qua mạng viễn thông, mạng xã hội"
    OTHER = "other", "k) Hình thức khác"


class Regime(models.TextChoices):
    COMMUNE = "commune", "Công khai của chính quyền xã (Điều 11–13)"
    AGENCY = "agency", "Công khai trong cơ quan, đơn vị (Điều 46–48)"


def upload_path(instance, filename: str) -> str:
    return f"publicity/files/{timezone.now():%Y/%m}/{filename}"


class Publication(models.Model):
    """Something publicized: a subject (any object, a document, an uploaded file), its content item and forms."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang công khai"
        PUBLICIZED = "publicized", "Đã thực hiện đủ việc công khai"
        WITHDRAWN = "withdrawn", "Đã rút, gỡ công khai"

    commune = models.ForeignKey(
        "portal.AdministrativeUnit", verbose_name="xã", on_delete=models.PROTECT, related_name="publications"
    )
    regime = models.CharField(
        "chế độ công khai", max_length=8, choices=Regime.choices, default=Regime.COMMUNE
    )
    item = models.PositiveSmallIntegerField(
        "nội dung (Điều 11)", choices=ContentItem.choices, null=True, blank=True
    )
    title = models.CharField("nội dung công khai", max_length=300)
    summary = models.TextField("tóm tắt", max_length=2000, blank=True, validators=bounds.text_limit(2000))
    forms = models.JSONField("hình thức công khai (Điều 12)", default=list, blank=True)
    # The subject: any object (a consultation, a dialogue notice, a contest result …), a document, or a file.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    phase = models.CharField("giai đoạn của đối tượng", max_length=40, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name="văn bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    file = models.FileField("tệp công khai (PDF)", upload_to=upload_path, blank=True, max_length=255)
    filename = models.CharField(max_length=200, blank=True)
    decided_on = models.DateField("ngày quyết định, ban hành văn bản", validators=[bounds.validate_date])
    starts_on = models.DateField("ngày bắt đầu công khai", validators=[bounds.validate_date])
    # null: permanent (Điều 13.2)
    ends_on = models.DateField(
        "công khai đến hết ngày", null=True, blank=True, validators=[bounds.validate_date]
    )
    within_rule = models.CharField("quy định về thời hạn công khai", max_length=64)
    responsible = models.CharField("người, bộ phận chịu trách nhiệm", max_length=200, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    publicized_on = models.DateField(
        "ngày hoàn thành công khai", null=True, blank=True, validators=[bounds.validate_date]
    )
    publicized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField("lý do rút", max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name="thay cho nội dung đã công khai",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "nội dung công khai"
        verbose_name_plural = "nội dung công khai"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "publicized", "withdrawn"]), name="publication_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(regime="agency") | Q(item__gte=1, item__lte=14), name="publication_item_valid"
            ),
            models.CheckConstraint(
                condition=Q(regime__in=["commune", "agency"]), name="publication_regime_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="publication_period_order",
                violation_error_message="Ngày kết thúc công khai phải từ ngày bắt đầu công khai trở đi.",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
                name="publication_withdrawn_reason",
                violation_error_message="Rút nội dung công khai phải ghi lý do.",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "phase"],
                condition=Q(content_type__isnull=False),
                name="publication_one_per_subject_phase",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "item", "-starts_on"]),
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["commune", "starts_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def permanent(self) -> bool:
        return self.ends_on is None

    def public_url(self) -> str:
        """Where a citizen reads what is publicized: the subject's own public page (a subject model offers
        ``get_public_url()``, "" while it is not public), else the uploaded PDF or the issued document; "" if none.

        Callers listing many publications prefetch ``subject`` (``selectors.public_register`` does)."""
        from django.urls import reverse

        if self.content_type_id:
            url = getattr(self.subject, "get_public_url", lambda: "")()
            if url:
                return url
        if self.file:
            return reverse("publicity:file", args=[self.pk])
        if self.document_id and self.document.status == "issued":
            return reverse("publicity:document_pdf", args=[self.pk])
        return ""

    def form_labels(self) -> list[str]:
        labels = dict(Form.choices)
        return [str(labels.get(f, f)) for f in self.forms]

    def item_label(self) -> str:
        return self.get_item_display() if self.item else "Công khai trong cơ quan, đơn vị"

    def is_current(self, today) -> bool:
        if self.status == self.Status.WITHDRAWN:
            return False
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


class Posting(models.Model):
    """One required act of publicizing (Điều 12–13): a notice board, the radio, the portal, a village head."""

    class Kind(models.TextChoices):
        OFFICE = "office", "Niêm yết tại trụ sở UBND/HĐND xã"
        VILLAGE_HOUSE = "village_house", "Niêm yết tại nhà văn hóa thôn"
        RADIO = "radio", "Phát trên Đài truyền thanh"
        PORTAL = "portal", "Đăng trên cổng thông tin"
        VILLAGE_HEAD = "village_head", "Gửi Trưởng thôn"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="postings")
    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("hình thức", max_length=16, choices=Kind.choices)
    village = models.ForeignKey(
        "portal.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trigger_on = models.DateField("ngày phát sinh", validators=[bounds.validate_date])
    due_on = models.DateField("hạn công khai", validators=[bounds.validate_date])
    rule_code = models.CharField("quy định về thời hạn", max_length=64)
    min_rule_code = models.CharField("quy định về thời gian tối thiểu", max_length=64, blank=True)
    legal_basis = models.CharField("căn cứ", max_length=120, blank=True)
    posted_on = models.DateField(
        "ngày niêm yết / thực hiện", null=True, blank=True, validators=[bounds.validate_date]
    )
    photo = models.ImageField(
        "ảnh niêm yết", upload_to="publicity/postings/%Y/%m/", blank=True, max_length=255
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Staff confirmed a village's posting on the village head's behalf (no head account, no phone …).
    on_behalf = models.BooleanField("cán bộ xác nhận thay Trưởng thôn", default=False)
    on_behalf_reason = models.CharField("lý do xác nhận thay", max_length=300, blank=True)
    removed_on = models.DateField("ngày gỡ", null=True, blank=True, validators=[bounds.validate_date])
    removed_reason = models.CharField("lý do gỡ", max_length=300, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "việc công khai"
        verbose_name_plural = "việc công khai"
        ordering = ["publication", "kind", "village__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "kind", "village"],
                condition=Q(village__isnull=False),
                name="pub_posting_unique_per_village",
            ),
            models.UniqueConstraint(
                fields=["publication", "kind"],
                condition=Q(village__isnull=True),
                name="pub_posting_unique_per_commune",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["office", "village_house", "radio", "portal", "village_head"]),
                name="pub_posting_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(on_behalf=False) | ~Q(on_behalf_reason=""),
                name="pub_posting_on_behalf_reason",
                violation_error_message="Cán bộ xác nhận thay Trưởng thôn phải ghi lý do.",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "posted_on"]),
            models.Index(fields=["commune", "kind", "-trigger_on"]),
        ]

    def __str__(self) -> str:
        where = f" — {self.village.name}" if self.village_id else ""
        return f"{self.get_kind_display()}{where}"


class Broadcast(models.Model):
    """One day the commune radio broadcast a posting's content (logged by the radio operator)."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="broadcasts")
    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    broadcast_on = models.DateField("ngày phát", validators=[bounds.validate_date])
    note = models.CharField("ghi chú (giờ phát, thời lượng)", max_length=200, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "buổi phát thanh"
        verbose_name_plural = "nhật ký phát thanh"
        ordering = ["posting", "broadcast_on"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "broadcast_on"], name="pub_broadcast_one_per_day")
        ]

    def __str__(self) -> str:
        return f"Phát thanh ngày {self.broadcast_on:%d/%m/%Y}"


class PlanEntry(models.Model):
    """One line of the commune's publicity plan (Điều 14 khoản 1): content, form, time, duration, who."""

    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    item = models.PositiveSmallIntegerField("nội dung (Điều 11)", choices=ContentItem.choices)
    content = models.CharField("nội dung cụ thể", max_length=300)
    forms = models.JSONField("hình thức", default=list, blank=True)
    timing = models.CharField("thời điểm công khai", max_length=200)
    duration = models.CharField("thời hạn công khai", max_length=200, blank=True)
    responsible = models.CharField("người, bộ phận chịu trách nhiệm", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn = models.BooleanField("đã bỏ khỏi kế hoạch", default=False)

    class Meta:
        verbose_name = "dòng kế hoạch công khai"
        verbose_name_plural = "kế hoạch công khai"
        ordering = ["year", "item", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(item__gte=1, item__lte=14), name="planentry_item_valid"),
            models.CheckConstraint(
                condition=Q(year__gte=2023, year__lte=2100),
                name="planentry_year_valid",
                violation_error_message="Năm của kế hoạch công khai phải từ 2023 đến 2100.",
            ),
        ]

    def __str__(self) -> str:
        return self.content

    def form_labels(self) -> list[str]:
        labels = dict(Form.choices)
        return [str(labels.get(f, f)) for f in self.forms]


class InformationRequest(models.Model):
    """A citizen asks for information (Điều 14 khoản 2: not yet publicized, expired, or unreachable)."""

    class Reason(models.TextChoices):
        NOT_YET = "not_yet", "Thông tin phải công khai nhưng chưa được công khai"
        EXPIRED = "expired", "Thông tin đã hết thời hạn công khai"
        UNREACHABLE = "unreachable", "Đang công khai nhưng không tiếp cận được vì lý do bất khả kháng"

    class Status(models.TextChoices):
        RECEIVED = "received", "Đã tiếp nhận"
        ANSWERED = "answered", "Đã cung cấp thông tin"

    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    requester = models.CharField("người yêu cầu", max_length=120)
    contact = models.CharField("điện thoại / địa chỉ", max_length=200, blank=True)
    reason = models.CharField("trường hợp", max_length=12, choices=Reason.choices)
    text = models.TextField("thông tin yêu cầu", max_length=3000, validators=bounds.text_limit(3000))
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    received_on = models.DateField("ngày tiếp nhận", validators=[bounds.validate_date])
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.RECEIVED)
    answer = models.TextField(
        "nội dung trả lời, thông tin cung cấp",
        max_length=5000,
        blank=True,
        validators=bounds.text_limit(5000),
    )
    answered_on = models.DateField("ngày trả lời", null=True, blank=True, validators=[bounds.validate_date])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "yêu cầu cung cấp thông tin"
        verbose_name_plural = "yêu cầu cung cấp thông tin"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["received", "answered"]), name="inforequest_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""),
                name="inforequest_answered_has_text",
                violation_error_message="Trả lời yêu cầu cung cấp thông tin phải có nội dung.",
            ),
        ]

    def __str__(self) -> str:
        return f"Yêu cầu của {self.requester} ({self.received_on:%d/%m/%Y})"
