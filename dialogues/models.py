"""Dialogues (tiếp xúc, đối thoại) between the commune's chairman and the people, and the petitions they gather.

Luật 10/2022/QH15 Điều 32 (the yearly dialogue conference), Điều 26.1.a/h and 27.2 (a dialogue as a form of
consultation and with the people affected by a decision), Điều 28.6 (the Front supervises); Luật Tiếp công dân 2013
Điều 25 and 28 (oral petitions written down and signed; mixed submissions split; the 10-working-day reply).
State changes happen only in :mod:`dialogues.services`; nothing a citizen or an official wrote is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

DEFAULT_SCALE = ["Rất hài lòng", "Hài lòng", "Chưa hài lòng", "Không hài lòng"]
DEFAULT_QUESTIONS = [
    "Kiến nghị của ông/bà đã được trả lời chưa?",
    "Câu trả lời có đúng thời hạn đã hẹn không?",
    "Ông/bà có hiểu rõ nội dung trả lời không?",
    "Mức độ hài lòng chung của ông/bà đối với việc giải quyết kiến nghị",
]
SATISFIED_LEVELS = 2  # the first two levels of the scale count as satisfied
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # a sane range for every date typed by people


def bounded_text(*args, max_length: int, **kwargs) -> models.TextField:
    """A TextField whose limit holds in the model's validation too (Django only passes a TextField's max_length
    to the form widget)."""
    return models.TextField(
        *args, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


class Dialogue(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "village", "Chủ tịch UBND xã đối thoại với Nhân dân thôn / cụm thôn"
        ANNUAL = "annual", "Hội nghị đối thoại hằng năm giữa UBND xã với Nhân dân (Điều 32)"
        AFFECTED = "affected", "Đối thoại với người dân chịu tác động của quyết định (Điều 26.1.h, 27.2)"
        THEMATIC = "thematic", "Đối thoại chuyên đề"

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang chuẩn bị"
        NOTICED = "noticed", "Đã thông báo"
        HELD = "held", "Đã tổ chức, chờ rà soát"
        REVIEWED = "reviewed", "Đã rà soát, đang giải quyết kiến nghị"
        CLOSED = "closed", "Đã hoàn thành"
        CANCELLED = "cancelled", "Đã hủy"

    commune = models.ForeignKey(
        "portal.AdministrativeUnit", verbose_name="xã", on_delete=models.PROTECT, related_name="dialogues"
    )
    kind = models.CharField("loại hội nghị", max_length=12, choices=Kind.choices, default=Kind.VILLAGE)
    title = models.CharField("tên hội nghị", max_length=300)
    villages = models.ManyToManyField(
        "portal.AdministrativeUnit", verbose_name="thôn", blank=True, related_name="dialogues_in"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_chairs = models.CharField("đồng chủ trì", max_length=300, blank=True)
    starts_at = models.DateTimeField("thời gian bắt đầu")
    duration_minutes = models.PositiveIntegerField(
        "thời lượng (phút)", default=180, validators=[MinValueValidator(15), MaxValueValidator(720)]
    )
    place = models.CharField("địa điểm", max_length=300, blank=True)
    online_link = models.URLField("đường dẫn trực tuyến", max_length=500, blank=True)
    participants = bounded_text("thành phần tham dự", max_length=2000, blank=True)
    topics = bounded_text("nội dung đối thoại", max_length=4000, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    notice_published_on = models.DateField("ngày thông báo", null=True, blank=True)
    held_on = models.DateField("ngày tổ chức", null=True, blank=True)
    officials_present = bounded_text("đại biểu, cán bộ dự", max_length=2000, blank=True)
    minutes_notes = bounded_text("diễn biến hội nghị (ghi chép)", max_length=20000, blank=True)
    conclusion = bounded_text("kết luận của chủ trì", max_length=10000, blank=True)
    reviewed_on = models.DateField("ngày rà soát sau hội nghị", null=True, blank=True)
    result_publicized_on = models.DateField("ngày công khai kết quả", null=True, blank=True)
    closed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    cancel_reason = models.CharField("lý do hủy", max_length=500, blank=True)
    plan_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invitation_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conclusion_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "hội nghị đối thoại"
        verbose_name_plural = "hội nghị đối thoại"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "noticed", "held", "reviewed", "closed", "cancelled"]),
                name="dialogue_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["village", "annual", "affected", "thematic"]),
                name="dialogue_kind_valid",
            ),
        ]
        # The seek-paginated list (selectors.dialogue_page): a commune's dialogues, latest first.
        indexes = [models.Index(fields=["commune", "-starts_at", "-id"], name="dialogue_list")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dialogues:detail", args=[self.pk])

    def get_public_url(self) -> str:
        """Where anyone reads it (the publicity register links there); "" while it is not public."""
        from django.urls import reverse

        if self.status in (self.Status.DRAFT, self.Status.CANCELLED):
            return ""
        return reverse("dialogues:public", args=[self.pk])


class Channel(models.TextChoices):
    ONLINE = "online", "Gửi trực tuyến trên Cổng"
    PAPER = "paper", "Đơn, phiếu giấy"
    MEETING = "meeting", "Phát biểu tại hội nghị"
    RECEPTION = "reception", "Tiếp công dân"
    ZALO = "zalo", "Nhóm Zalo"
    PHONE = "phone", "Điện thoại"


class Provenance(models.TextChoices):
    CITIZEN = "citizen", "Người dân trực tiếp"
    MTTQ = "mttq", "Ủy ban MTTQ xã tổng hợp"
    ORGANIZATION = "organization", "Các đoàn thể tổng hợp"
    VILLAGE_HEAD = "village_head", "Trưởng thôn tổng hợp"
    DEPUTY = "deputy", "Đại biểu HĐND"
    RECEPTION = "reception", "Sổ tiếp công dân"


class Field(models.TextChoices):
    LAND = "land", "Đất đai"
    ENVIRONMENT = "environment", "Môi trường"
    POLICY = "policy", "Chính sách xã hội"
    INFRASTRUCTURE = "infrastructure", "Hạ tầng, giao thông"
    SECURITY = "security", "An ninh, trật tự"
    PROCEDURE = "procedure", "Thủ tục hành chính"
    OTHER = "other", "Lĩnh vực khác"


class Petition(models.Model):
    """A kiến nghị / phản ánh: from a citizen online, or recorded by staff, MTTQ or a village head."""

    class Kind(models.TextChoices):
        # Luật Tiếp công dân 2013, Điều 25.3: a submission mixing these is split into separate cases.
        RECOMMENDATION = "recommendation", "Kiến nghị, phản ánh"
        COMPLAINT = "complaint", "Khiếu nại"
        DENUNCIATION = "denunciation", "Tố cáo"

    class Competence(models.TextChoices):
        UNKNOWN = "", "Chưa xác định"
        COMMUNE = "commune", "Thuộc thẩm quyền của xã"
        UPPER = "upper", "Vượt thẩm quyền, chuyển cấp trên"

    class Status(models.TextChoices):
        RECEIVED = "received", "Đã tiếp nhận"
        ASSIGNED = "assigned", "Đã giao chuẩn bị trả lời"
        ANSWERED = "answered", "Đã trả lời"
        FORWARDED = "forwarded", "Đã chuyển cấp trên, đang theo dõi"
        REOPENED = "reopened", "Mở lại (người dân chưa hài lòng)"
        CLOSED = "closed", "Đã kết thúc"

    OPEN_STATUSES = ("received", "assigned", "reopened")

    commune = models.ForeignKey(
        "portal.AdministrativeUnit", verbose_name="xã", on_delete=models.PROTECT, related_name="petitions"
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name="hội nghị đối thoại",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    village = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="thôn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_petitions",
    )
    tracking_code = models.CharField("mã tra cứu", max_length=12, unique=True)
    kind = models.CharField("loại đơn", max_length=16, choices=Kind.choices, default=Kind.RECOMMENDATION)
    channel = models.CharField("kênh tiếp nhận", max_length=12, choices=Channel.choices)
    provenance = models.CharField(
        "nguồn", max_length=16, choices=Provenance.choices, default=Provenance.CITIZEN
    )
    field = models.CharField("lĩnh vực", max_length=16, choices=Field.choices, blank=True)
    competence = models.CharField(
        "thẩm quyền", max_length=8, choices=Competence.choices, blank=True, default=Competence.UNKNOWN
    )
    petitioner_name = models.CharField("họ tên người kiến nghị", max_length=120, blank=True)
    petitioner_contact = models.CharField("điện thoại / địa chỉ liên hệ", max_length=200, blank=True)
    text = bounded_text("nội dung", max_length=5000)
    search_text = bounded_text(max_length=12000, blank=True, editable=False)
    is_public = models.BooleanField("được công khai câu trả lời", default=True)
    oral_confirmed = models.BooleanField(
        "người kiến nghị đã ký hoặc điểm chỉ vào bản ghi (Luật Tiếp công dân, Điều 25.2)", default=False
    )
    received_on = models.DateField("ngày tiếp nhận")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ được giao",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_petitions",
    )
    due_on = models.DateField("hạn trả lời", null=True, blank=True)
    # Written before the meeting by the official assigned, for the chair's briefing pack.
    prepared_answer = bounded_text("nội dung trả lời chuẩn bị", max_length=5000, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    # The latest answer, copied for lists and reports (the answers themselves are rows of Answer).
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    answer_how = models.CharField("hình thức trả lời", max_length=12, blank=True)
    answered_on_time = models.BooleanField("trả lời đúng hạn", null=True, blank=True)
    raised_at_meeting = models.BooleanField("nêu tại hội nghị", default=False)
    # Grouping and splitting (never deleting): a duplicate points at the main petition of its group; a part split
    # from a mixed submission points at the original.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts"
    )
    # Forwarded to the upper level: stays tracked with a follow-up date.
    forwarded_to = models.CharField("cơ quan nhận chuyển", max_length=300, blank=True)
    forwarded_on = models.DateField("ngày chuyển", null=True, blank=True)
    follow_up_on = models.DateField("ngày đôn đốc tiếp theo", null=True, blank=True)
    transfer_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The petitioner's say after the answer.
    satisfied = models.BooleanField("người dân hài lòng", null=True, blank=True)
    reopen_reason = bounded_text("lý do chưa hài lòng", max_length=2000, blank=True)
    hidden = models.BooleanField("ẩn khỏi trang công khai", default=False)
    hidden_reason = models.CharField("lý do ẩn", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["received", "assigned", "answered", "forwarded", "reopened", "closed"]
                ),
                name="petition_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["online", "paper", "meeting", "reception", "zalo", "phone"]),
                name="petition_channel_valid",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="petition_not_duplicate_of_itself"
            ),
        ]
        # The seek-paginated lists (selectors.petition_page): each index starts with a list's equality filters and
        # ends with its order (received_on, id), so a page reads 21 index entries at row 20 and at row 100,000.
        indexes = [
            models.Index(fields=["commune", "-received_on", "-id"], name="petition_list"),
            models.Index(fields=["commune", "status", "-received_on", "-id"], name="petition_status_list"),
            models.Index(fields=["dialogue", "-received_on", "-id"], name="petition_dialogue_list"),
            models.Index(
                fields=["dialogue", "status", "-received_on", "-id"], name="petition_dialogue_status"
            ),
            models.Index(fields=["village", "-received_on", "-id"], name="petition_village_list"),
            # The dialogue's public page: answered (or forwarded) public petitions in the order raised.
            models.Index(
                fields=["dialogue", "received_on", "id"],
                condition=Q(is_public=True, hidden=False, duplicate_of__isnull=True)
                & (Q(answered_on__isnull=False) | Q(status="forwarded")),
                name="petition_public_answered",
            ),
            # The homes' "overdue" groups and the deadline views: petitions by due date (dialogues/panels.py). Without
            # it a commune with 100,000 petitions sorted them all for the five shown (25 ms per query).
            models.Index(
                fields=["commune", "due_on", "id"],
                condition=Q(duplicate_of__isnull=True, due_on__isnull=False),
                name="petition_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Kiến nghị {self.tracking_code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dialogues:petition", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Answer(models.Model):
    class How(models.TextChoices):
        AT_MEETING = "at_meeting", "Trả lời tại hội nghị"
        IN_PERSON = "in_person", "Trả lời trực tiếp"
        IN_WRITING = "in_writing", "Trả lời bằng văn bản"
        UPPER_LEVEL = "upper_level", "Cấp trên trả lời"

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="answers")
    how = models.CharField("hình thức trả lời", max_length=12, choices=How.choices)
    text = bounded_text("nội dung trả lời", max_length=10000)
    answered_on = models.DateField("ngày trả lời")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answerer_name = models.CharField("người trả lời", max_length=120, blank=True)
    proof = models.FileField("minh chứng", upload_to="dialogues/proofs/%Y/", blank=True, max_length=300)
    proof_note = models.CharField("ghi chú minh chứng", max_length=300, blank=True)
    letter_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_time = models.BooleanField("đúng hạn", default=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "câu trả lời kiến nghị"
        verbose_name_plural = "câu trả lời kiến nghị"
        ordering = ["answered_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(how__in=["at_meeting", "in_person", "in_writing", "upper_level"]),
                name="answer_how_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Trả lời {self.petition_id} ({self.get_how_display()})"


class Attendance(models.Model):
    class Group(models.TextChoices):
        HOUSEHOLDS = "households", "Đại diện hộ gia đình"
        ELDERS = "elders", "Người có uy tín"
        ORGANIZATIONS = "organizations", "Đoàn viên, hội viên các đoàn thể"
        DEPUTIES = "deputies", "Đại biểu HĐND"
        OFFICIALS = "officials", "Cán bộ, công chức"
        OTHER = "other", "Khác"

    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="attendance")
    village = models.ForeignKey(
        "portal.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField("thành phần", max_length=16, choices=Group.choices)
    count = models.PositiveIntegerField("số người", validators=[MaxValueValidator(100000)])

    class Meta:
        verbose_name = "số người dự"
        verbose_name_plural = "số người dự"
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "village", "group"], name="attendance_unique_row"),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.count}"


class SpeakerRegistration(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Chờ phát biểu"
        DONE = "done", "Đã phát biểu"
        SKIPPED = "skipped", "Không phát biểu"

    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="speakers")
    position = models.PositiveIntegerField("thứ tự")
    name = models.CharField("họ tên", max_length=120)
    village = models.ForeignKey(
        "portal.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("nội dung đăng ký", max_length=500, blank=True)
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.WAITING)
    spoke_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "đăng ký phát biểu"
        verbose_name_plural = "đăng ký phát biểu"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "position"], name="speaker_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class SupervisionNote(models.Model):
    """The Front's supervision of a dialogue and its follow-up (Luật 10/2022/QH15, Điều 28.6)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="supervision_notes")
    petition = models.ForeignKey(Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = bounded_text("nội dung giám sát", max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "ghi chú giám sát"
        verbose_name_plural = "ghi chú giám sát"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Giám sát {self.dialogue_id}"


class Survey(models.Model):
    """The Front's satisfaction survey of a dialogue: questions and scale are data, 4 levels by default."""

    dialogue = models.OneToOneField(Dialogue, on_delete=models.PROTECT, related_name="survey")
    questions = models.JSONField("câu hỏi", default=list)
    scale = models.JSONField("thang đánh giá", default=list)
    token = models.CharField("mã khảo sát", max_length=32, unique=True)
    is_open = models.BooleanField("đang nhận phiếu", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "khảo sát mức độ hài lòng"
        verbose_name_plural = "khảo sát mức độ hài lòng"

    def __str__(self) -> str:
        return f"Khảo sát {self.dialogue}"


class SurveyResponse(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", "Trực tuyến (đường dẫn, mã QR)"
        PAPER = "paper", "Phiếu giấy do MTTQ nhập"

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    petition = models.ForeignKey(Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("hình thức", max_length=8, choices=Source.choices)
    answers = models.JSONField("câu trả lời", default=list)  # one level index (0 = best) per question
    overall = models.PositiveSmallIntegerField("mức độ hài lòng chung")  # level index of the last question
    comment = bounded_text("ý kiến khác", max_length=2000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "phiếu khảo sát"
        verbose_name_plural = "phiếu khảo sát"
        indexes = [models.Index(fields=["survey", "overall"])]

    def __str__(self) -> str:
        return f"Phiếu {self.pk}"
