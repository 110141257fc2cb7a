"""Consultations (lấy ý kiến): the plan, the draft and its versions, postings, comments, meetings, summaries.

Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15: Điều 25–28 (the people), Điều 53–55 (the commune's own staff).
State changes happen only in :mod:`consultations.services`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal import bounds
from portal.bounds import TEXT_MAX

COMMENT_MAX_CHARS = 5000  # one comment, whoever types it (portal, paper, import)
DRAFT_MAX_CHARS = 300_000  # a whole draft (a long regulation is ~100,000); more is a wrong paste
DERIVED_HTML_MAX = 3_000_000  # escaped or diffed copies of bounded texts (written by the code, never typed)


class Audience(models.TextChoices):
    PEOPLE = "people", "Nhân dân"
    STAFF = "staff", "Cán bộ, công chức, người lao động"


class Category(models.TextChoices):
    # Điều 25 Luật 10/2022/QH15: contents on which the people are consulted.
    P1 = "p1", "Điều 25.1: Dự thảo kế hoạch phát triển kinh tế - xã hội"
    P2 = "p2", "Điều 25.2: Dự thảo quy hoạch, kế hoạch sử dụng đất"
    P3 = "p3", "Điều 25.3: Chủ trương đầu tư, xây dựng, bồi thường, tái định cư"
    P4 = "p4", "Điều 25.4: Đề án thành lập, nhập, chia, điều chỉnh địa giới đơn vị hành chính"
    P5 = "p5", "Điều 25.5: Dự thảo quyết định hành chính liên quan lợi ích cộng đồng"
    P6 = "p6", "Điều 25.6: Nhiệm vụ, đồ án quy hoạch xây dựng"
    P7 = "p7", "Điều 25.7: Dự thảo Quy chế thực hiện dân chủ ở xã"
    P8 = "p8", "Điều 25.8: Dự thảo quyết định hành chính làm phát sinh nghĩa vụ của công dân"
    P9 = "p9", "Điều 25.9: Nội dung khác"
    # Điều 53: contents on which the agency's staff are consulted.
    A1 = "a1", "Điều 53.1: Biện pháp thực hiện chủ trương, chính sách"
    A2 = "a2", "Điều 53.2: Kế hoạch công tác hằng năm"
    A3 = "a3", "Điều 53.3: Phong trào thi đua"
    A4 = "a4", "Điều 53.4: Báo cáo sơ kết, tổng kết"
    A5 = "a5", "Điều 53.5: Cải tiến tổ chức, lề lối làm việc; phòng, chống tham nhũng"
    A6 = "a6", "Điều 53.6: Kế hoạch tuyển dụng, đào tạo, bổ nhiệm"
    A7 = "a7", "Điều 53.7: Chế độ, chính sách liên quan quyền lợi của cán bộ"
    A8 = "a8", "Điều 53.8: Dự thảo Quy chế thực hiện dân chủ trong cơ quan"
    A9 = "a9", "Điều 53.9: Dự thảo Quy chế chi tiêu nội bộ"
    A10 = "a10", "Điều 53.10: Dự thảo quy định nội bộ khác"
    A11 = "a11", "Điều 53.11: Nội dung khác"

    @classmethod
    def for_audience(cls, audience: str) -> list[tuple[str, str]]:
        prefix = "p" if audience == Audience.PEOPLE else "a"
        return [(v, label) for v, label in cls.choices if v.startswith(prefix)]


class Channel(models.TextChoices):
    ONLINE = "online", "Trên cổng thông tin"
    MEETING = "meeting", "Hội nghị, hội thảo"
    PAPER = "paper", "Văn bản, phiếu góp ý"
    ZALO = "zalo", "Nhóm Zalo"
    RADIO = "radio", "Gọi điện đến Đài truyền thanh"
    MTTQ = "mttq", "Qua Ủy ban MTTQ"
    UNION = "union", "Qua Công đoàn cơ sở"


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo kế hoạch"
        PUBLISHED = "published", "Đã công bố"
        OPEN = "open", "Đang lấy ý kiến"
        CLOSED = "closed", "Đã hết thời gian góp ý"
        SYNTHESIS = "synthesis", "Đang tổng hợp, tiếp thu, giải trình"
        RESULTS_PUBLISHED = "results_published", "Đã công khai kết quả"
        ADOPTED = "adopted", "Đã ban hành"
        PUBLICIZED = "publicized", "Đã công khai văn bản ban hành"
        REPORTED = "reported", "Đã báo cáo HĐND"

    commune = models.ForeignKey(
        "portal.AdministrativeUnit", verbose_name="xã", on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField("tên dự thảo lấy ý kiến", max_length=300)
    summary = models.TextField(
        "nội dung tóm tắt", max_length=TEXT_MAX, blank=True, validators=bounds.text_limit(TEXT_MAX)
    )
    category = models.CharField("nội dung theo Luật", max_length=4, choices=Category.choices)
    audience = models.CharField(
        "đối tượng lấy ý kiến", max_length=8, choices=Audience.choices, default=Audience.PEOPLE
    )
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField("ngày bắt đầu lấy ý kiến", validators=[bounds.validate_date])
    closes_on = models.DateField("ngày kết thúc lấy ý kiến", validators=[bounds.validate_date])
    channels = models.JSONField("hình thức lấy ý kiến", default=list, blank=True)
    organizers = models.ManyToManyField(
        "portal.Organization", verbose_name="cơ quan, tổ chức phối hợp", blank=True, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ phụ trách",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary_due_on = models.DateField(
        "hạn MTTQ / Công đoàn gửi kết quả tổng hợp", null=True, blank=True, validators=[bounds.validate_date]
    )
    # Plan (Điều 28 khoản 1).
    plan_issued_on = models.DateField(
        "ngày ban hành kế hoạch", null=True, blank=True, validators=[bounds.validate_date]
    )
    plan_sent_hdnd_on = models.DateField(
        "ngày gửi kế hoạch đến HĐND", null=True, blank=True, validators=[bounds.validate_date]
    )
    plan_sent_mttq_on = models.DateField(
        "ngày gửi kế hoạch đến Ủy ban MTTQ", null=True, blank=True, validators=[bounds.validate_date]
    )
    plan_sent_union_on = models.DateField(
        "ngày gửi kế hoạch đến Công đoàn cơ sở", null=True, blank=True, validators=[bounds.validate_date]
    )
    publicized_on = models.DateField(
        "ngày công khai nội dung lấy ý kiến", null=True, blank=True, validators=[bounds.validate_date]
    )
    # Results (Điều 28 khoản 3).
    results_issued_on = models.DateField(
        "ngày báo cáo kết quả tổng hợp", null=True, blank=True, validators=[bounds.validate_date]
    )
    results_summary = models.TextField(
        "nhận xét chung về kết quả", max_length=TEXT_MAX, blank=True, validators=bounds.text_limit(TEXT_MAX)
    )
    # Adoption.
    decision_number = models.CharField("số quyết định ban hành", max_length=50, blank=True)
    decision_date = models.DateField(
        "ngày ban hành", null=True, blank=True, validators=[bounds.validate_date]
    )
    final_text = models.TextField(
        "văn bản được ban hành",
        max_length=DRAFT_MAX_CHARS,
        blank=True,
        validators=bounds.text_limit(DRAFT_MAX_CHARS),
    )
    regulation_publicized_on = models.DateField(
        "ngày công khai văn bản ban hành", null=True, blank=True, validators=[bounds.validate_date]
    )
    # Report to HĐND (Điều 28 khoản 5).
    hdnd_session_on = models.DateField(
        "kỳ họp thường lệ gần nhất của HĐND", null=True, blank=True, validators=[bounds.validate_date]
    )
    reported_on = models.DateField(
        "ngày báo cáo HĐND", null=True, blank=True, validators=[bounds.validate_date]
    )
    # Official documents generated through the documents engine (portal/documents).
    plan_document = models.ForeignKey(
        "documents.Document",
        verbose_name="Kế hoạch lấy ý kiến",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_document = models.ForeignKey(
        "documents.Document",
        verbose_name="Báo cáo tổng hợp, tiếp thu, giải trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_document = models.ForeignKey(
        "documents.Document",
        verbose_name="Quyết định ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Incremented in the same transaction as every write that changes the public page (answers, hidden or merged
    # comments, transitions, versions, and new comments once results are out): the key of the cached public page,
    # coherent across processes. A new comment before results changes only counts, which the cached page takes
    # from the tally on every response (consultations/cache.py, services._base.counts_changed).
    public_version = models.PositiveIntegerField(default=0, editable=False)
    # Incremented with public_version, and also by writes only staff see (assignment, MTTQ flags, links from an
    # accepted comment to the changed article): the key of the cached staff list fragments (portal/fragments.py).
    staff_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "cuộc lấy ý kiến"
        verbose_name_plural = "cuộc lấy ý kiến"
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "published",
                        "open",
                        "closed",
                        "synthesis",
                        "results_published",
                        "adopted",
                        "publicized",
                        "reported",
                    ]
                ),
                name="consultation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["people", "staff"]), name="consultation_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="consultation_window_order",
                violation_error_message="Ngày kết thúc lấy ý kiến phải cùng ngày hoặc sau ngày bắt đầu.",
            ),
        ]
        indexes = [models.Index(fields=["commune", "status"]), models.Index(fields=["status", "closes_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_people(self) -> bool:
        return self.audience == Audience.PEOPLE

    def get_public_url(self) -> str:
        """Where anyone can read it (the publicity register links there); "" while it is not public."""
        from django.urls import reverse

        if not self.is_people or self.status == self.Status.DRAFT:
            return ""
        return reverse("consultations:public_detail", args=[self.pk])

    @staticmethod
    def bounds_of(opens_on: dt.date, closes_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The window as aware datetimes, half-open: [opens_on 00:00, closes_on + 1 day 00:00) local time."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(opens_on, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(closes_on + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    @classmethod
    def accepts_at(cls, status: str, opens_on: dt.date, closes_on: dt.date, when: dt.datetime) -> bool:
        """The rule of ``accepts_comments_at`` on bare values (the public page's cached state)."""
        start, end = cls.bounds_of(opens_on, closes_on)
        return status in (cls.Status.PUBLISHED, cls.Status.OPEN) and start <= when < end

    def window_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return self.bounds_of(self.opens_on, self.closes_on)

    def accepts_comments_at(self, when: dt.datetime) -> bool:
        return self.accepts_at(self.status, self.opens_on, self.closes_on, when)

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [labels.get(c, c) for c in self.channels]


# Once results are published the public page shows every answered comment and the statistics, not only counts.
RESULT_STATUSES = (
    Consultation.Status.RESULTS_PUBLISHED,
    Consultation.Status.ADOPTED,
    Consultation.Status.PUBLICIZED,
    Consultation.Status.REPORTED,
)


class DraftVersion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("lần")
    note = models.TextField(
        "ghi chú thay đổi", max_length=1000, blank=True, validators=bounds.text_limit(1000)
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "phiên bản dự thảo"
        verbose_name_plural = "phiên bản dự thảo"
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="draftversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"Dự thảo lần {self.number}"


class Article(models.Model):
    """One unit of the draft: a Chương, Điều or Khoản, in reading order."""

    class Kind(models.TextChoices):
        CHAPTER = "chapter", "Chương"
        ARTICLE = "article", "Điều"
        CLAUSE = "clause", "Khoản"

    class Change(models.TextChoices):
        UNCHANGED = "unchanged", "Không đổi"
        CHANGED = "changed", "Sửa đổi"
        ADDED = "added", "Bổ sung"

    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="articles")
    kind = models.CharField("loại", max_length=8, choices=Kind.choices)
    number = models.CharField("số", max_length=20)
    heading = models.CharField("tên", max_length=300, blank=True)
    text = models.TextField(
        "nội dung", max_length=DRAFT_MAX_CHARS, blank=True, validators=bounds.text_limit(DRAFT_MAX_CHARS)
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField("thứ tự")
    key = models.CharField("khóa so sánh giữa các phiên bản", max_length=60)
    change = models.CharField(max_length=10, choices=Change.choices, default=Change.ADDED)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    diff_html = models.TextField(
        max_length=DERIVED_HTML_MAX, blank=True, editable=False
    )  # derived, never typed

    class Meta:
        verbose_name = "điều khoản"
        verbose_name_plural = "điều khoản"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="article_unique_key_per_version"),
            models.CheckConstraint(
                condition=Q(kind__in=["chapter", "article", "clause"]), name="article_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.CLAUSE:
            parent = f" {self.parent.label}" if self.parent_id and self.parent else ""
            return f"Khoản {self.number}{parent}"
        base = f"{self.get_kind_display()} {self.number}"
        return f"{base}. {self.heading}" if self.heading else base


class PublicityPhase(models.TextChoices):
    """What of a consultation is publicized (each phase is one core Publication, portal/publicity)."""

    PLAN = "plan", "Kế hoạch và dự thảo"
    RESULTS = "results", "Kết quả tổng hợp, tiếp thu, giải trình"
    REGULATION = "regulation", "Văn bản được ban hành"


class Meeting(models.Model):
    """A hội nghị / hội thảo where comments were collected."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="meetings")
    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("tên hội nghị", max_length=300)
    held_on = models.DateField("ngày tổ chức", validators=[bounds.validate_date])
    place = models.CharField("địa điểm", max_length=200, blank=True)
    village = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="thôn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name="tổ chức chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.PositiveIntegerField("số người tham dự", default=0)
    minutes = models.TextField(
        "biên bản tóm tắt", max_length=TEXT_MAX, blank=True, validators=bounds.text_limit(TEXT_MAX)
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "hội nghị lấy ý kiến"
        verbose_name_plural = "hội nghị lấy ý kiến"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Đang chờ xử lý"
        DONE = "done", "Đã nhập"
        FAILED = "failed", "Có lỗi, không nhập dòng nào"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="imports")
    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="consultations/imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.PAPER)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "đợt nhập ý kiến"
        verbose_name_plural = "đợt nhập ý kiến"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "failed"]), name="importbatch_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class Topic(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="topics")
    name = models.CharField("chủ đề", max_length=100)

    class Meta:
        verbose_name = "chủ đề"
        verbose_name_plural = "chủ đề"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["consultation", "name"], name="topic_unique_name")]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Mới tiếp nhận"
        ASSIGNED = "assigned", "Đã giao xử lý"
        ANSWERED = "answered", "Đã trả lời"
        MERGED = "merged", "Trùng, đã gộp"

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "Tiếp thu"
        PARTLY = "partly", "Tiếp thu một phần"
        EXPLAINED = "explained", "Giải trình, không tiếp thu"
        FORWARDED = "forwarded", "Chuyển cơ quan có thẩm quyền"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(
        Article,
        verbose_name="điều khoản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    # The article's position, copied when the article is set (services): the public results list is ordered by it
    # through one partial index instead of sorting every answered comment joined with its article.
    article_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    text = models.TextField(
        "nội dung góp ý", max_length=COMMENT_MAX_CHARS, validators=bounds.text_limit(COMMENT_MAX_CHARS)
    )
    text_html = models.TextField(max_length=DERIVED_HTML_MAX, editable=False)  # escaped once at write time
    text_search = models.TextField(max_length=DERIVED_HTML_MAX, editable=False)  # unaccented lowercase copy
    author_name = models.CharField("họ và tên", max_length=120, blank=True)
    contact = models.CharField("điện thoại / email", max_length=120, blank=True)
    channel = models.CharField("hình thức", max_length=8, choices=Channel.choices)
    village = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="thôn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name="tổ chức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField("thời điểm tiếp nhận")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    tracking_code = models.CharField("mã tra cứu", max_length=9, unique=True)
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xử lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer_kind = models.CharField("hình thức trả lời", max_length=10, choices=Answer.choices, blank=True)
    answer_text = models.TextField(
        "nội dung trả lời, giải trình",
        max_length=TEXT_MAX,
        blank=True,
        validators=bounds.text_limit(TEXT_MAX),
    )
    answer_html = models.TextField(max_length=DERIVED_HTML_MAX, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    changed_article = models.ForeignKey(
        Article,
        verbose_name="điều khoản đã sửa ở dự thảo sau",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accepted_comments",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="comments")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # How many comments are merged into this one, maintained by ``services.comment_merge`` (the staff list shows it
    # without grouping every comment of the consultation); ``manage.py consultations_recount`` repairs it.
    duplicate_count = models.PositiveIntegerField(default=0, editable=False)
    hidden = models.BooleanField("đã ẩn", default=False)
    hidden_reason = models.CharField("lý do ẩn", max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    flagged_at = models.DateTimeField("MTTQ/Công đoàn nhắc chưa trả lời", null=True, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    flag_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "ý kiến góp ý"
        verbose_name_plural = "ý kiến góp ý"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["received", "assigned", "answered", "merged"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["online", "meeting", "paper", "zalo", "radio", "mttq", "union"]),
                name="comment_channel_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer_kind=""),
                name="comment_answered_has_kind",
                violation_error_message="Ý kiến đã trả lời phải có hình thức trả lời (tiếp thu hoặc giải trình).",
            ),
            models.CheckConstraint(
                condition=~Q(answer_kind="explained") | ~Q(answer_text=""),
                name="comment_explained_has_reasons",
                violation_error_message="Giải trình phải có nội dung lý do không tiếp thu.",
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
                violation_error_message="Ẩn ý kiến phải ghi lý do.",
            ),
        ]
        indexes = [
            # The staff list and the MTTQ review: newest first, seek-paginated on (received_at, id).
            models.Index(fields=["consultation", "-received_at", "-id"], name="comment_staff_list"),
            models.Index(fields=["consultation", "status"]),
            models.Index(fields=["consultation", "article"]),
            models.Index(fields=["consultation", "village"]),
            # The public results list (selectors.public_comments) and its paginator's COUNT.
            models.Index(
                fields=["consultation", "article_position", "id"],
                name="comment_public_answered",
                condition=Q(status="answered", hidden=False, merged_into__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Ý kiến {self.tracking_code}"


class OrganizationSummary(models.Model):
    """The aggregated result that Ủy ban MTTQ (people) or Công đoàn (staff) sends to UBND by the plan's date."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="org_summaries")
    commune = models.ForeignKey("portal.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("portal.Organization", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(
        "nội dung tổng hợp", max_length=TEXT_MAX, blank=True, validators=bounds.text_limit(TEXT_MAX)
    )
    meetings_held = models.PositiveIntegerField("số hội nghị đã tổ chức", default=0)
    participants = models.PositiveIntegerField("số lượt người tham gia", default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "báo cáo tổng hợp của tổ chức"
        verbose_name_plural = "báo cáo tổng hợp của tổ chức"
        constraints = [
            models.UniqueConstraint(fields=["consultation", "organization"], name="orgsummary_one_per_org")
        ]

    def __str__(self) -> str:
        return f"Tổng hợp của {self.organization}"


class CommentTally(models.Model):
    """One maintained count of a consultation's comments, by key (see :mod:`consultations.services.tally`).

    Updated in the same transaction as every write that adds a comment or changes what it counts under (hidden,
    merged, answered, article), so pages read their statistics instead of aggregating every comment per request.
    ``manage.py consultations_recount`` rebuilds them from a fresh aggregate.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="tallies")
    key = models.CharField(max_length=40)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "số liệu ý kiến"
        verbose_name_plural = "số liệu ý kiến"
        constraints = [
            models.UniqueConstraint(fields=["consultation", "key"], name="commenttally_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.n}"
