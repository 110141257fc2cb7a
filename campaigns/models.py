"""Contests ("Dân vận khéo", "chính quyền thân thiện"): criteria sets, contests, participants, scores, awards.

A criteria set is versioned data (campaigns/FORMAT.md): a tree of groups → criteria → sub-criteria with their maximum
points and how each is scored, bonus criteria under a cap, a share reserved for the upper level, the final-score rule,
star thresholds and the judging tolerances. Nothing of it is hard-coded. The arithmetic is in
:mod:`campaigns.scoring` (pure functions); state changes happen only in :mod:`campaigns.services`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal import bounds

POINTS = {"max_digits": 7, "decimal_places": 2}


class FinalRule(models.TextChoices):
    MEAN = "mean", "Trung bình cộng điểm của các giám khảo"
    MEDIAN = "median", "Trung vị điểm của các giám khảo"
    CONSENSUS = "consensus", "Điểm thống nhất của Ban Giám khảo"


class Scoring(models.TextChoices):
    FIXED = "fixed", "Mức điểm cố định"
    SCALE = "scale", "Thang điểm"
    YES_NO = "yes_no", "Đạt / không đạt"
    COUNT = "count", "Theo số lượng"


class Authored(models.Model):
    """Who created a row, and when (every row someone writes on purpose)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Stamped(models.Model):
    """Who wrote a row last, and when (a score, an explanation: replaced in place, each change audited)."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


def values_constraint(field: str, values: list[str], name: str) -> models.CheckConstraint:
    """The CheckConstraint that guards a choices field (a status, a kind, a role): only its values are stored.
    (A model's Meta cannot see the TextChoices of its own class body, hence the values spelled out.)"""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


class CriteriaSet(Authored):
    code = models.SlugField("mã bộ tiêu chí", max_length=60)
    version = models.PositiveIntegerField("phiên bản", default=1)
    name = models.CharField("tên bộ tiêu chí", max_length=300)
    legal_basis = models.CharField("căn cứ ban hành", max_length=500, blank=True)
    effective_from = models.DateField("ngày áp dụng", validators=[bounds.validate_date])
    owner_unit = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="đơn vị ban hành / sử dụng",
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    total_points = models.DecimalField("tổng điểm tối đa", **POINTS)
    bonus_cap = models.DecimalField("điểm thưởng tối đa", default=Decimal(0), **POINTS)
    reserved_points = models.DecimalField("điểm dành cho cấp trên đánh giá", default=Decimal(0), **POINTS)
    final_rule = models.CharField("cách tính điểm cuối", max_length=12, choices=FinalRule.choices)
    spread_threshold = models.DecimalField("chênh lệch giữa giám khảo cần xem lại", **POINTS)
    max_departure = models.DecimalField("chênh lệch với điểm tự chấm không cần giải thích", **POINTS)
    stars = models.JSONField("mức sao", default=list, help_text='[{"stars": 3, "min": 80}, …]')
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies", verbose_name="sao từ"
    )
    source_name = models.CharField("tệp nguồn", max_length=200, blank=True)

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["-effective_from", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "code", "version"], name="criteriaset_unique_version"
            ),
            values_constraint("final_rule", ["mean", "median", "consensus"], "criteriaset_final_rule_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (phiên bản {self.version})"

    @property
    def star_levels(self) -> list[tuple[int, Decimal]]:
        return sorted((int(s["stars"]), Decimal(str(s["min"]))) for s in self.stars)


class Criterion(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", "Nhóm tiêu chí"
        CRITERION = "criterion", "Tiêu chí"

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField()  # depth-first order in the whole set
    depth = models.PositiveSmallIntegerField(default=0)
    code = models.CharField("mã", max_length=20)
    title = models.CharField("nội dung", max_length=500)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_bonus = models.BooleanField("điểm thưởng", default=False)
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    scoring = models.CharField("cách chấm", max_length=8, choices=Scoring.choices, blank=True)
    step = models.DecimalField("bước điểm", null=True, blank=True, **POINTS)
    levels = models.JSONField("các mức điểm", default=list, blank=True)
    per_item = models.DecimalField("điểm mỗi đơn vị", null=True, blank=True, **POINTS)
    evidence = models.CharField("minh chứng cần có", max_length=500, blank=True)
    metric = models.CharField("chỉ số lấy từ Cổng", max_length=80, blank=True)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code"),
            values_constraint("kind", ["group", "criterion"], "criterion_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="group") | Q(scoring__in=["fixed", "scale", "yes_no", "count"]),
                name="criterion_scored_has_scoring",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_leaf(self) -> bool:
        return self.kind == self.Kind.CRITERION


class Contest(Authored):
    class Status(models.TextChoices):
        DRAFT = "draft", "Đang chuẩn bị"
        OPEN = "open", "Đang diễn ra (đăng ký, tự chấm)"
        JUDGING = "judging", "Đang chấm điểm"
        FINALIZED = "finalized", "Đã tổng kết (khóa điểm)"

    organizer_unit = models.ForeignKey(
        "portal.AdministrativeUnit",
        verbose_name="cấp tổ chức",
        on_delete=models.PROTECT,
        related_name="contests",
    )
    organizer_name = models.CharField(
        "cơ quan tổ chức", max_length=200, help_text="Ví dụ: Ban Thường vụ Huyện ủy Yên Thế"
    )
    organizer_org = models.ForeignKey(
        "portal.Organization",
        verbose_name="cơ quan ban hành văn bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("tên cuộc thi", max_length=300)
    theme = models.CharField("chủ đề", max_length=500)
    year = models.PositiveIntegerField("năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    starts_on = models.DateField("từ ngày", validators=[bounds.validate_date])
    ends_on = models.DateField("đến ngày", validators=[bounds.validate_date])
    registration_due = models.DateField(
        "hạn đăng ký", null=True, blank=True, validators=[bounds.validate_date]
    )
    self_assessment_due = models.DateField(
        "hạn tự chấm", null=True, blank=True, validators=[bounds.validate_date]
    )
    judging_due = models.DateField("hạn chấm điểm", null=True, blank=True, validators=[bounds.validate_date])
    results_due = models.DateField(
        "hạn công bố kết quả", null=True, blank=True, validators=[bounds.validate_date]
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.PROTECT, related_name="contests"
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    results_publicized_at = models.DateTimeField("ngày công khai kết quả", null=True, blank=True)
    results_publicized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How the organizer's documents are headed and signed (KẾ HOẠCH, QUYẾT ĐỊNH khen thưởng, BÁO CÁO tổng kết).
    doc_parent_organ = models.CharField("cơ quan cấp trên (tiêu đề)", max_length=200, blank=True)
    doc_organ = models.CharField("cơ quan ban hành (tiêu đề)", max_length=200, blank=True)
    doc_place = models.CharField("địa danh", max_length=100, blank=True)
    sig_organ = models.CharField("thay mặt", max_length=100, blank=True, help_text="Ví dụ: BAN THƯỜNG VỤ")
    sig_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    sig_signer = models.CharField("người ký", max_length=100, blank=True)
    plan_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "cuộc thi"
        verbose_name_plural = "cuộc thi"
        ordering = ["-year", "title"]
        constraints = [
            values_constraint("status", ["draft", "open", "judging", "finalized"], "contest_status_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contest_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def commune_id(self):
        """Contests are scoped by their organizer unit; a commune-level contest belongs to that commune."""
        return self.organizer_unit.commune_id

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINALIZED


class ContestMember(models.Model):
    """The organizing committee, the judging panel and the secretariat of one contest."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", "Ban Tổ chức"
        JUDGE = "judge", "Ban Giám khảo"
        SECRETARY = "secretary", "Tổ Thư ký"

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_roles")
    role = models.CharField("vai trò", max_length=10, choices=Role.choices)
    position = models.CharField("chức danh trong ban", max_length=120, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "thành viên ban cuộc thi"
        verbose_name_plural = "thành viên ban cuộc thi"
        constraints = [
            models.UniqueConstraint(fields=["contest", "user", "role"], name="contestmember_unique"),
            values_constraint("role", ["organizer", "judge", "secretary"], "contestmember_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class Participant(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", "Xã, phường"
        OFFICE = "office", "Cơ quan, bộ phận của xã"
        VILLAGE_TEAM = "village_team", "Tổ Dân vận cộng đồng thôn"
        INDIVIDUAL = "individual", "Cá nhân"

    class Stage(models.TextChoices):
        SELF = "self", "Đang tự chấm"
        REVIEW = "review", "Giám khảo chấm (vòng 1)"
        EXPLANATION = "explanation", "Đơn vị giải trình"
        SECOND_REVIEW = "second_review", "Giám khảo chấm lại (vòng 2)"
        FINAL = "final", "Đã chốt"

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="participants")
    kind = models.CharField("loại", max_length=14, choices=Kind.choices)
    unit = models.ForeignKey(
        "portal.AdministrativeUnit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "portal.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("tên", max_length=200)
    commune = models.ForeignKey(
        "portal.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    stage = models.CharField("bước", max_length=14, choices=Stage.choices, default=Stage.SELF)
    registered_at = models.DateTimeField(default=timezone.now)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    eligible = models.BooleanField("đủ điều kiện xếp loại", default=True)
    ineligible_reason = models.CharField(max_length=300, blank=True)
    upper_points = models.DecimalField("điểm cấp trên đánh giá", null=True, blank=True, **POINTS)
    upper_comment = models.CharField("nhận xét của cấp trên", max_length=500, blank=True)
    upper_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Filled when the panel finalizes (a snapshot; never recomputed afterwards).
    final_total = models.DecimalField(null=True, blank=True, **POINTS)
    final_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    final_rank = models.PositiveIntegerField(null=True, blank=True)
    final_breakdown = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "đơn vị, cá nhân dự thi"
        verbose_name_plural = "đơn vị, cá nhân dự thi"
        ordering = ["contest", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "unit", "kind", "name"], name="participant_unique_in_contest"
            ),
            values_constraint(
                "kind", ["commune", "office", "village_team", "individual"], "participant_kind_valid"
            ),
            values_constraint(
                "stage",
                ["self", "review", "explanation", "second_review", "final"],
                "participant_stage_valid",
            ),
        ]
        indexes = [models.Index(fields=["contest", "stage"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.commune_id = self.unit.commune_id if self.unit_id else None
        super().save(*args, **kwargs)

    @property
    def round(self) -> int:
        return 2 if self.stage in (self.Stage.EXPLANATION, self.Stage.SECOND_REVIEW) else 1


class SelfScore(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="self_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("điểm tự chấm", **POINTS)
    count = models.PositiveIntegerField("số lượng", null=True, blank=True)
    note = models.CharField("thuyết minh", max_length=1000, blank=True)
    suggested_points = models.DecimalField("điểm gợi ý từ Cổng", null=True, blank=True, **POINTS)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "điểm tự chấm"
        verbose_name_plural = "điểm tự chấm"
        constraints = [
            models.UniqueConstraint(fields=["participant", "criterion"], name="selfscore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.criterion_id} = {self.points}"


def evidence_path(instance, filename: str) -> str:
    return f"campaigns/evidence/{instance.participant_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-80:]}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", "Tệp minh chứng"
        LINK = "link", "Đường dẫn"
        METRIC = "metric", "Số liệu từ Cổng"

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    title = models.CharField("mô tả", max_length=300)
    file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField(max_length=500, blank=True)
    metric_code = models.CharField(max_length=80, blank=True)
    metric_snapshot = models.JSONField(default=dict, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"
        ordering = ["criterion_id", "added_at", "id"]
        constraints = [
            values_constraint("kind", ["file", "link", "metric"], "evidence_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """One judge on one participant. An excluded assignment (conflict of interest) gives no access."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="assignments")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="assignments")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_assignments"
    )
    excluded = models.BooleanField("không chấm (xung đột lợi ích)", default=False)
    exclusion_reason = models.CharField(max_length=300, blank=True)
    submitted_round1_at = models.DateTimeField(null=True, blank=True)
    submitted_round2_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "phân công giám khảo"
        verbose_name_plural = "phân công giám khảo"
        constraints = [
            models.UniqueConstraint(fields=["participant", "judge"], name="assignment_unique"),
            models.CheckConstraint(
                condition=Q(excluded=False) | ~Q(exclusion_reason=""), name="assignment_exclusion_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["judge", "contest"])]

    def __str__(self) -> str:
        return f"{self.judge} → {self.participant}"

    def submitted_at(self, round_no: int):
        return self.submitted_round2_at if round_no == 2 else self.submitted_round1_at


class JudgeScore(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    points = models.DecimalField("điểm", **POINTS)
    count = models.PositiveIntegerField(null=True, blank=True)
    comment = models.CharField("nhận xét", max_length=1000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "điểm giám khảo"
        verbose_name_plural = "điểm giám khảo"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion", "round"], name="judgescore_unique"),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="judgescore_round_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.criterion_id} = {self.points} (vòng {self.round})"


class Explanation(Stamped):
    """The participant's giải trình after the first review (one per criterion at most)."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="explanations")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("giải trình", max_length=2000)

    class Meta:
        verbose_name = "giải trình"
        verbose_name_plural = "giải trình"
        constraints = [
            models.UniqueConstraint(fields=["participant", "criterion"], name="explanation_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ConsensusScore(Stamped):
    """Under the "panel consensus" rule: the score the panel agreed for one criterion of one participant."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="consensus_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(**POINTS)

    class Meta:
        verbose_name = "điểm thống nhất"
        verbose_name_plural = "điểm thống nhất"
        constraints = [models.UniqueConstraint(fields=["participant", "criterion"], name="consensus_unique")]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.criterion_id} = {self.points}"


class Award(Authored):
    class Kind(models.TextChoices):
        COLLECTIVE = "collective", "Tập thể"
        INDIVIDUAL = "individual", "Cá nhân"

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    recipient = models.CharField("tập thể / cá nhân", max_length=200)
    recipient_unit = models.CharField("đơn vị", max_length=200, blank=True)
    title = models.CharField("danh hiệu, giải", max_length=120)
    reason = models.CharField("lý do (một dòng)", max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"
        ordering = ["contest", "kind", "position", "id"]
        constraints = [
            values_constraint("kind", ["collective", "individual"], "award_kind_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="award_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.recipient}"


class Initiative(Authored):
    """A "Dân vận khéo" model (mô hình) a participant registers and follows through its lifecycle."""

    class Field(models.TextChoices):
        ECONOMY = "economy", "Kinh tế"
        CULTURE = "culture", "Văn hóa - xã hội"
        SECURITY = "security", "Quốc phòng - an ninh"
        POLITICS = "politics", "Xây dựng hệ thống chính trị"

    class Status(models.TextChoices):
        REGISTERED = "registered", "Đã đăng ký"
        IMPLEMENTED = "implemented", "Đang thực hiện"
        ASSESSED = "assessed", "Đã đánh giá"
        RECOGNIZED = "recognized", "Được công nhận"
        REPLICATED = "replicated", "Đã nhân rộng"

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="initiatives")
    name = models.CharField("tên mô hình", max_length=300)
    field = models.CharField("lĩnh vực", max_length=10, choices=Field.choices)
    lead = models.CharField("người, tổ chức thực hiện", max_length=300)
    change = models.CharField("điều đã thay đổi", max_length=1000, blank=True)
    results = models.CharField("kết quả, sản phẩm kiểm chứng được", max_length=1000, blank=True)
    people_reached = models.PositiveIntegerField("số người được hưởng lợi", default=0)
    started_on = models.DateField("ngày bắt đầu", validators=[bounds.validate_date])
    evidence_link = models.URLField("minh chứng", max_length=500, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.REGISTERED)
    status_note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "mô hình Dân vận khéo"
        verbose_name_plural = "mô hình Dân vận khéo"
        ordering = ["participant", "id"]
        constraints = [
            values_constraint(
                "status",
                ["registered", "implemented", "assessed", "recognized", "replicated"],
                "initiative_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contest(self) -> Contest:
        """The permission rules read a model's contest (organizers) and participant (its office)."""
        return self.participant.contest
