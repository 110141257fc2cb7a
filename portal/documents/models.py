"""Official documents (văn bản): header, structured body, tasks, recipients, signature, number register.

An issued document is immutable: its content fields cannot be saved again (``Document.save`` refuses, and so do
``Section``/``Task`` saves of an issued document). A correction is a new version (``previous`` chain).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from portal import bounds
from portal.bounds import TEXT_MAX
from portal.duerules import DueRule

ISSUED_IMMUTABLE_MESSAGE = "Văn bản đã ban hành không thể sửa; hãy tạo phiên bản mới để đính chính."


SECTION_MAX_CHARS = 20_000  # one section of an official document; a longer text is split into sections


class DocumentType(models.TextChoices):
    """Decree 30/2020, Appendix III abbreviations (value) and the printed type name (label)."""

    PLAN = "KH", "KẾ HOẠCH"
    REPORT = "BC", "BÁO CÁO"
    NOTICE = "TB", "THÔNG BÁO"
    DECISION = "QĐ", "QUYẾT ĐỊNH"
    INVITATION = "GM", "GIẤY MỜI"
    MINUTES = "BB", "BIÊN BẢN"
    SUBMISSION = "TTr", "TỜ TRÌNH"
    PROGRAMME = "CTr", "CHƯƠNG TRÌNH"
    RULES = "QC", "QUY CHẾ"
    REGULATION = "QyĐ", "QUY ĐỊNH"
    GUIDANCE = "HD", "HƯỚNG DẪN"
    SCHEME = "PA", "PHƯƠNG ÁN"
    PROJECT = "ĐA", "ĐỀ ÁN"
    RESOLUTION = "NQ", "NGHỊ QUYẾT"
    LETTER = "CV", "CÔNG VĂN"


# Register groups (sổ văn bản đi): decisions, resolutions and letters have their own books; every other
# administrative document shares one sequence per issuer and year.
REGISTER_GROUPS = {DocumentType.DECISION: "QĐ", DocumentType.RESOLUTION: "NQ", DocumentType.LETTER: "CV"}


def register_group(doc_type: str) -> str:
    return REGISTER_GROUPS.get(doc_type, "HC")


class NumberRegister(models.Model):
    """Sổ văn bản đi: the last number used by an issuer for a type group in a year."""

    issuer = models.ForeignKey("portal.Organization", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("nhóm văn bản", max_length=8)
    year = models.PositiveIntegerField("năm")
    last_number = models.PositiveIntegerField("số cuối đã cấp", default=0)

    class Meta:
        verbose_name = "sổ văn bản đi"
        verbose_name_plural = "sổ văn bản đi"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "group", "year"], name="documents_register_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id}/{self.group}/{self.year}: {self.last_number}"


class ReservedNumber(models.Model):
    """A number held back in a book (giữ số): skipped by the automatic numbering, used later by one document issued
    (or registered from paper) with it. Reserved by a leader or an administrator, with the reason, audited."""

    issuer = models.ForeignKey(
        "portal.Organization", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField("nhóm văn bản", max_length=8)
    year = models.PositiveIntegerField("năm")
    number = models.PositiveIntegerField("số")
    reason = models.CharField("lý do giữ số", max_length=300)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reserved_at = models.DateTimeField("giữ lúc")
    used_by = models.OneToOneField(
        "documents.Document",
        verbose_name="văn bản dùng số",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserved_number",
    )
    used_at = models.DateTimeField("dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "số được giữ"
        verbose_name_plural = "số được giữ"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "group", "year", "number"], name="documents_reserved_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=99999), name="documents_reserved_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Giữ số {self.number:02d} ({self.group}/{self.year}): {self.reason}"[:200]


class DocumentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(replaced_by__isnull=True)


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    class Layout(models.TextChoices):
        STATE = "state", "Cơ quan nhà nước (NĐ 30/2020)"
        PARTY = "party", "Văn bản của Đảng (HD 36-HD/VPTW)"

    class Authority(models.TextChoices):
        NONE = "", "Ký trực tiếp"
        TM = "TM", "TM. (thay mặt)"
        KT = "KT", "KT. (ký thay)"
        Q = "Q", "Q. (quyền)"
        TL = "TL", "TL. (thừa lệnh)"
        TUQ = "TUQ", "TUQ. (thừa ủy quyền)"
        TM_KT = "TM+KT", "TM. + KT. (thay mặt tập thể, ký thay người đứng đầu)"
        TM_Q = "TM+Q", "TM. + Q. (thay mặt tập thể, quyền người đứng đầu)"

    class Purpose(models.TextChoices):
        OWN = "own", "Văn bản của đơn vị (theo dõi nhiệm vụ, hạn)"
        MODEL = "model", "Kế hoạch mẫu cho các xã (các xã sao chép về)"

    # Fields an issued document may still change (bookkeeping only).
    MUTABLE_WHEN_ISSUED = frozenset({"replaced_by", "updated_at"})

    commune = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="xã",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Trống với văn bản của cấp trên (mẫu cho các xã hoặc của chính đơn vị)",
    )
    purpose = models.CharField(
        "mục đích",
        max_length=8,
        choices=Purpose.choices,
        default=Purpose.OWN,
        help_text="Văn bản của cấp trên: kế hoạch mẫu cho các xã, hoặc kế hoạch của chính đơn vị (được theo dõi hạn)",
    )
    unit = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="đơn vị ban hành",
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer = models.ForeignKey(
        "portal.Organization",
        verbose_name="cơ quan ban hành",
        on_delete=models.PROTECT,
        related_name="documents",
    )
    layout = models.CharField("thể thức", max_length=8, choices=Layout.choices, default=Layout.STATE)
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocumentType.choices)
    letter_unit = models.CharField("đơn vị soạn thảo (công văn)", max_length=16, blank=True)
    issuer_symbol = models.CharField("ký hiệu cơ quan", max_length=24, blank=True)
    parent_organ = models.CharField("cơ quan chủ quản", max_length=200, blank=True)
    organ = models.CharField("tên cơ quan ban hành (in)", max_length=200, blank=True)
    number = models.PositiveIntegerField("số", null=True, blank=True)
    register_group = models.CharField("sổ", max_length=8, blank=True)
    register_year = models.PositiveIntegerField("năm của sổ", null=True, blank=True)
    symbol = models.CharField("ký hiệu", max_length=40, blank=True)
    place = models.CharField("địa danh", max_length=80)
    draft_date = models.DateField("ngày dự kiến", null=True, blank=True, validators=[bounds.validate_date])
    draft_day_blank = models.BooleanField(
        "để trống ngày",
        default=False,
        help_text='Dự thảo ghi "ngày … tháng 3 năm 2024": chỉ tháng và năm của ngày dự kiến được in',
    )
    issued_on = models.DateField("ngày ban hành", null=True, blank=True, validators=[bounds.validate_date])
    title = models.CharField("trích yếu", max_length=500, blank=True)
    addressees = models.JSONField("kính gửi", default=list, blank=True)
    enacting_authority = models.CharField(
        "thẩm quyền ban hành",
        max_length=300,
        blank=True,
        help_text="Quyết định, nghị quyết: dòng in hoa đậm dưới trích yếu",
    )
    preamble = models.JSONField("căn cứ, mở đầu", default=list, blank=True)
    preamble_style = models.CharField(
        max_length=8, default="plain", choices=[("plain", "Đoạn văn"), ("italic", "Căn cứ (nghiêng)")]
    )
    closing = models.TextField(
        "đoạn kết", max_length=TEXT_MAX, blank=True, validators=bounds.text_limit(TEXT_MAX)
    )
    # NULL = the type's default line ("QUYẾT ĐỊNH:" for a decision); "" = none: the two must stay distinct.
    enacting = models.CharField(  # noqa: DJ001
        "dòng quyết định",
        max_length=40,
        null=True,
        blank=True,
        help_text='"QUYẾT ĐỊNH:" sau phần căn cứ; trống = theo loại văn bản',
    )
    numbering = models.CharField(
        "kiểu đánh số",
        max_length=10,
        default="roman",
        choices=[
            ("roman", "I., 1., 1.1."),
            ("arabic", "1., 1.1., a)"),
            ("articles", "Điều 1., 1., a)"),
            ("chapters", "Chương I, Điều 1., 1., a)"),
        ],
    )
    level3 = models.CharField(
        "đánh số cấp 3", max_length=4, default="1.1.", choices=[("1.1.", "1.1."), ("a)", "a)")]
    )
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    archive = models.CharField("lưu", max_length=120, default="Lưu: VT")
    sig_authority = models.CharField("thẩm quyền ký", max_length=8, choices=Authority.choices, blank=True)
    sig_organ = models.CharField("tập thể lãnh đạo", max_length=120, blank=True)
    sig_head = models.CharField("chức vụ người đứng đầu", max_length=120, blank=True)
    sig_position = models.CharField("chức vụ người ký", max_length=120, blank=True)
    sig_signer = models.CharField("người ký", max_length=120, blank=True)

    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("phiên bản", default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    source_plan = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="execution_reports",
        help_text="Kế hoạch mà báo cáo này tổng kết",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    registered_late = models.BooleanField(
        "vào sổ sau khi ban hành",
        default=False,
        help_text="Văn bản đã ban hành trên giấy (hoặc hệ thống khác), vào sổ với số và ngày thật",
    )
    scan = models.FileField(
        "bản quét văn bản đã ký", upload_to="documents/scans/%Y/", blank=True, max_length=200
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["commune", "status", "-created_at"], name="documents_commune_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "issued"]), name="documents_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(issued_on__isnull=False)),
                name="documents_issued_has_number",
                violation_error_message="Văn bản đã ban hành phải có số và ngày ban hành.",
            ),
            models.CheckConstraint(
                condition=Q(purpose="own") | (Q(purpose="model") & Q(commune__isnull=True)),
                name="documents_model_is_upper_level",
                violation_error_message="Chỉ cấp trên (huyện, thị xã, thành phố, tỉnh) ban hành văn bản mẫu cho các xã.",
            ),
            models.UniqueConstraint(
                fields=["issuer", "register_group", "register_year", "number"],
                condition=Q(status="issued"),
                name="documents_number_unique",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_doc_type_display().capitalize()
        if self.number:
            return f"{label} số {self.number_line_value()}: {self.title}"[:200]
        return f"{label} (dự thảo): {self.title}"[:200]

    def save(self, *args, **kwargs):
        if self.pk and getattr(self, "_loaded_status", None) == self.Status.ISSUED:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_WHEN_ISSUED:
                raise ValidationError(ISSUED_IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        if self.status == self.Status.ISSUED or getattr(self, "_loaded_status", None) == self.Status.ISSUED:
            raise ValidationError("Văn bản đã ban hành không được xóa.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get(
            "status"
        )  # remembered for the immutability check in save()
        return instance

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_model(self) -> bool:
        """A model plan of an upper level for the communes to copy (its tasks open no deadlines)."""
        return self.purpose == self.Purpose.MODEL

    @property
    def is_upper_level(self) -> bool:
        """Issued above the communes (a model, or the upper level's own plan)."""
        return self.commune_id is None

    @property
    def commune_code(self) -> str:
        return self.commune.code if self.commune_id else ""

    # -- header values ----------------------------------------------------------------------------------------------
    def symbol_for(self, number: int | None = None) -> str:
        """ "62/KH-UBND", "12/UBND-VX", Party "163-KH/ĐU" (without "Số")."""
        issuer_sym = self.issuer_symbol or self.issuer.short_name or "UBND"
        n = number if number is not None else self.number
        num = f"{n:02d}" if n else "\u00a0" * 6
        if self.layout == self.Layout.PARTY:
            return f"{num}-{self.doc_type}/{issuer_sym}"
        if self.doc_type == DocumentType.LETTER:
            suffix = f"-{self.letter_unit}" if self.letter_unit else ""
            return f"{num}/{issuer_sym}{suffix}"
        return f"{num}/{self.doc_type}-{issuer_sym}"

    def number_line_value(self) -> str:
        return self.symbol_for()

    def number_line(self) -> str:
        if self.layout == self.Layout.PARTY:
            return f"Số {self.symbol_for()}"
        return f"Số: {self.symbol_for()}"

    @property
    def display_date(self) -> dt.date | None:
        return self.issued_on or self.draft_date

    def enacting_line(self) -> str:
        """ "QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:" between the legal bases and the articles (Decree 30, Appendix I)."""
        if self.enacting is not None:
            return self.enacting
        return {DocumentType.DECISION: "QUYẾT ĐỊNH:", DocumentType.RESOLUTION: "QUYẾT NGHỊ:"}.get(
            self.doc_type, ""
        )

    def organ_lines(self) -> list[str]:
        if self.organ:
            return [line for line in self.organ.splitlines() if line.strip()]
        name = self.issuer.name.upper()
        for head in ("ỦY BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "):  # "ỦY BAN NHÂN DÂN" / "XÃ TÂN TRUNG"
            if name.startswith(head) and len(name) > 24:
                return [head.strip(), name[len(head) :]]
        return [name]


class Section(models.Model):
    """One node of the structured body: a numbered section, a paragraph, a bullet item, or the task table."""

    class Kind(models.TextChoices):
        SECTION = "section", "Mục"
        PARAGRAPH = "paragraph", "Đoạn văn"
        ITEM = "item", "Gạch đầu dòng"
        TASKS = "tasks", "Nhiệm vụ (tổ chức thực hiện)"
        TABLE = "table", "Bảng"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField("thứ tự")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.SECTION)
    heading = models.CharField("tiêu đề", max_length=500, blank=True)
    text = models.TextField(
        "nội dung", max_length=SECTION_MAX_CHARS, blank=True, validators=bounds.text_limit(SECTION_MAX_CHARS)
    )
    data = models.JSONField(
        "dữ liệu bảng", default=dict, blank=True, help_text='Bảng: {"columns": [...], "rows": [[...], ...]}'
    )

    class Meta:
        verbose_name = "mục văn bản"
        verbose_name_plural = "mục văn bản"
        ordering = ["document", "parent_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["section", "paragraph", "item", "tasks", "table"]),
                name="documents_section_kind_v2",
            ),
        ]

    def __str__(self) -> str:
        return (self.heading or self.text)[:80]

    def save(self, *args, **kwargs):
        if Document.objects.filter(pk=self.document_id, status=Document.Status.ISSUED).exists():
            raise ValidationError(ISSUED_IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Document.objects.filter(pk=self.document_id, status=Document.Status.ISSUED).exists():
            raise ValidationError(ISSUED_IMMUTABLE_MESSAGE)
        return super().delete(*args, **kwargs)


class Task(models.Model):
    """One assignment of the "TỔ CHỨC THỰC HIỆN" part: lead unit, coordinating units, what, due rule."""

    class Due(models.TextChoices):
        NONE = "none", "Không có hạn"
        DATE = "date", "Ngày cụ thể"
        BEFORE = "before", "Trước ngày"
        PERIOD = "period", "Từ ngày … đến ngày"
        MONTH = "month", "Trong tháng"
        YEARLY = "yearly", "Trước ngày … hằng năm"
        QUARTER = "quarter", "Trong quý"
        ONGOING = "ongoing", "Thường xuyên"
        TRIGGER = "trigger", "Khi có sự kiện (văn bản hướng dẫn…)"
        YEAR = "year", "Trong năm"
        BEFORE_EVENT = "event", "Trước sự kiện … ngày"

    class Rhythm(models.TextChoices):
        MONTHLY = "monthly", "hằng tháng"
        QUARTERLY = "quarterly", "hằng quý"
        HALF_YEARLY = "half_yearly", "6 tháng"
        YEARLY = "yearly", "hằng năm"

    class Kind(models.TextChoices):
        TASK = "task", "Nhiệm vụ"
        REQUEST = "request", "Đề nghị (cơ quan không thuộc quyền chỉ đạo)"

    # Task fields that may change after the plan is issued (execution bookkeeping).
    EXECUTION_FIELDS = frozenset({"triggered_on", "triggered_by", "done_at"})

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name="mục của văn bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        help_text="Mục mà nhiệm vụ được viết trong đó (in đúng như lời văn); trống = nhiệm vụ không in",
    )
    kind = models.CharField(
        "loại",
        max_length=8,
        choices=Kind.choices,
        default=Kind.TASK,
        help_text="Đề nghị: theo dõi, không tính hạn",
    )
    position = models.PositiveIntegerField("thứ tự")
    lead = models.CharField("chủ trì", max_length=200)
    lead_org = models.ForeignKey(
        "portal.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coordinating = models.JSONField("phối hợp", default=list, blank=True)
    description = models.TextField(
        "nội dung công việc", max_length=TEXT_MAX, validators=bounds.text_limit(TEXT_MAX)
    )
    due_kind = models.CharField("loại thời hạn", max_length=8, choices=Due.choices, default=Due.NONE)
    due_date = models.DateField("hạn", null=True, blank=True, validators=[bounds.validate_date])
    start_date = models.DateField("từ ngày", null=True, blank=True, validators=[bounds.validate_date])
    due_day = models.PositiveSmallIntegerField(null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    rhythm = models.CharField("chế độ báo cáo", max_length=12, choices=Rhythm.choices, blank=True)
    trigger_label = models.CharField("sự kiện chờ", max_length=300, blank=True)
    within_days = models.PositiveSmallIntegerField("số ngày sau sự kiện", null=True, blank=True)
    within_working = models.BooleanField("tính theo ngày làm việc", default=False)
    repeats = models.BooleanField(
        "lặp lại mỗi khi có sự kiện", default=False, help_text="Mỗi lần ghi nhận sự kiện mở một thời hạn mới"
    )
    no_limit = models.BooleanField("không ấn định số ngày", default=False)
    due_note = models.CharField(
        "ghi chú thời hạn", max_length=200, blank=True, help_text='Ví dụ "và khi có yêu cầu", "hoặc đột xuất"'
    )
    triggered_on = models.DateField(
        "ngày có sự kiện", null=True, blank=True, validators=[bounds.validate_date]
    )
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["document", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    due_kind__in=[
                        "none",
                        "date",
                        "before",
                        "period",
                        "month",
                        "yearly",
                        "quarter",
                        "ongoing",
                        "trigger",
                        "year",
                        "event",
                    ]
                ),
                name="documents_task_due_kind_v2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead}: {self.description[:60]}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        execution_only = update_fields is not None and set(update_fields) <= self.EXECUTION_FIELDS
        if (
            not execution_only
            and Document.objects.filter(pk=self.document_id, status=Document.Status.ISSUED).exists()
        ):
            raise ValidationError(ISSUED_IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Document.objects.filter(pk=self.document_id, status=Document.Status.ISSUED).exists():
            raise ValidationError(ISSUED_IMMUTABLE_MESSAGE)
        return super().delete(*args, **kwargs)

    @property
    def commune_id(self):
        return self.document.commune_id

    @property
    def due_rule(self) -> DueRule:
        """The task's due rule as a :class:`portal.duerules.DueRule` (dates are computed only through it)."""
        k, D = self.due_kind, self.Due  # noqa: N806 - a short alias for the enum
        try:
            if k == D.DATE and self.due_date:
                return DueRule.on(self.due_date)
            if k == D.BEFORE and self.due_date:
                return DueRule.before(self.due_date)
            if k == D.PERIOD and self.due_date:
                return DueRule.period(self.start_date, self.due_date)
            if k == D.MONTH:
                return DueRule.in_month(self.year, self.due_month)
            if k == D.QUARTER:
                return DueRule.in_quarter(self.year, self.quarter)
            if k == D.YEARLY:
                return DueRule.yearly_before(self.due_day, self.due_month)
            if k == D.YEAR:
                return DueRule.in_year(self.year)
            if k == D.ONGOING:
                return DueRule.ongoing(self.rhythm or "quarterly", since=self.year, note=self.due_note)
            if k == D.TRIGGER:
                return DueRule.after_trigger(
                    self.trigger_label,
                    self.within_days,
                    working=self.within_working,
                    repeats=self.repeats,
                    no_limit=self.no_limit,
                )
            if k == D.BEFORE_EVENT:
                return DueRule.before_event(self.trigger_label, self.within_days, repeats=self.repeats)
        except (TypeError, ValueError):  # incomplete fields of a draft task: no due date yet
            pass
        return DueRule.none()


def evidence_path(instance, filename: str) -> str:
    return f"documents/evidence/{instance.task.document_id}/{filename}"


class TaskReport(models.Model):
    """A progress report by the assigned unit, with evidence (a file and/or a link)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("lúc")
    text = models.TextField("kết quả thực hiện", max_length=TEXT_MAX, validators=bounds.text_limit(TEXT_MAX))
    evidence = models.FileField("minh chứng", upload_to=evidence_path, blank=True)
    evidence_link = models.CharField("đường dẫn minh chứng", max_length=500, blank=True)
    completes = models.BooleanField("đã hoàn thành kỳ này / nhiệm vụ", default=False)

    class Meta:
        verbose_name = "báo cáo thực hiện nhiệm vụ"
        verbose_name_plural = "báo cáo thực hiện nhiệm vụ"
        ordering = ["task", "reported_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
