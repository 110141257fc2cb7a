"""Administrative units, their organizations, and who holds which role where."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AdministrativeUnit(models.Model):
    """Province → (district, before 01/7/2025) → commune → village / residential group."""

    class Level(models.TextChoices):
        PROVINCE = "province", "Tỉnh / Thành phố"
        DISTRICT = "district", "Huyện (trước 01/7/2025)"
        COMMUNE = "commune", "Xã / Phường / Đặc khu"
        VILLAGE = "village", "Thôn / Tổ dân phố"

    class Kind(models.TextChoices):
        # How the unit names itself ("xã", "phường", "thôn", "tổ dân phố"…).
        PROVINCE = "tinh", "Tỉnh"
        CITY = "thanh_pho", "Thành phố"
        DISTRICT = "huyen", "Huyện"
        TOWN = "thi_xa", "Thị xã"  # district level (before 01/7/2025)
        PROVINCIAL_CITY = "tp_thuoc_tinh", "Thành phố"  # thành phố thuộc tỉnh: district level
        TOWNSHIP = "thi_tran", "Thị trấn"  # commune level
        COMMUNE = "xa", "Xã"
        WARD = "phuong", "Phường"
        SPECIAL_ZONE = "dac_khu", "Đặc khu"
        VILLAGE = "thon", "Thôn"
        HAMLET = "ap", "Ấp"
        HAMLET_B = "ban", "Bản"
        RESIDENTIAL_GROUP = "to_dan_pho", "Tổ dân phố"

    PARENT_LEVELS = {
        Level.PROVINCE: (),
        Level.DISTRICT: (Level.PROVINCE,),
        Level.COMMUNE: (Level.PROVINCE, Level.DISTRICT),
        Level.VILLAGE: (Level.COMMUNE,),
    }

    level = models.CharField("cấp", max_length=16, choices=Level.choices)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    name = models.CharField("tên", max_length=120)
    code = models.CharField("mã đơn vị hành chính", max_length=16, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The commune a village belongs to, denormalized so scoping is one indexed column.
    commune = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    households = models.PositiveIntegerField("số hộ", null=True, blank=True)
    population = models.PositiveIntegerField("số nhân khẩu", null=True, blank=True)
    active = models.BooleanField("đang hoạt động", default=True)
    dissolved_on = models.DateField("ngày giải thể / sáp nhập", null=True, blank=True)

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["province", "district", "commune", "village"]), name="unit_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(level="province") | Q(parent__isnull=False), name="unit_has_parent"
            ),
        ]
        indexes = [models.Index(fields=["commune", "level"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def save(self, *args, **kwargs):
        if self.level == self.Level.COMMUNE:
            self.commune_id = self.pk
        elif self.level == self.Level.VILLAGE and self.parent_id:
            self.commune_id = self.parent_id
        super().save(*args, **kwargs)
        if self.level == self.Level.COMMUNE and self.commune_id != self.pk:
            type(self).objects.filter(pk=self.pk).update(commune_id=self.pk)
            self.commune_id = self.pk

    @property
    def full_name(self) -> str:
        return str(self)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        allowed = self.PARENT_LEVELS[self.Level(self.level)]
        if self.parent is None and allowed:
            raise ValidationError({"parent": "Đơn vị này phải thuộc một đơn vị cấp trên."})
        if self.parent is not None and self.parent.level not in allowed:
            raise ValidationError({"parent": "Đơn vị cấp trên không đúng cấp hành chính."})

    def ancestors(self) -> list["AdministrativeUnit"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def province(self) -> "AdministrativeUnit | None":
        node = self
        while node is not None and node.level != self.Level.PROVINCE:
            node = node.parent
        return node


class Organization(models.Model):
    """An organ or organization of a commune (UBND, HĐND, Đảng ủy, Ủy ban MTTQ, Công đoàn…)."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "ubnd", "Ủy ban nhân dân"
        PEOPLES_COUNCIL = "hdnd", "Hội đồng nhân dân"
        PARTY_COMMITTEE = "dang_uy", "Đảng ủy"
        FATHERLAND_FRONT = "mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam"
        TRADE_UNION = "cong_doan", "Công đoàn cơ sở"
        WOMENS_UNION = "hoi_phu_nu", "Hội Liên hiệp Phụ nữ"
        FARMERS_UNION = "hoi_nong_dan", "Hội Nông dân"
        VETERANS = "hoi_cuu_chien_binh", "Hội Cựu chiến binh"
        YOUTH_UNION = "doan_thanh_nien", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"
        ELDERLY = "hoi_nguoi_cao_tuoi", "Hội Người cao tuổi"
        RADIO = "dai_truyen_thanh", "Đài truyền thanh"
        POLICE = "cong_an", "Công an xã"
        MILITARY = "quan_su", "Ban Chỉ huy quân sự"
        INSPECTION_BOARD = "ban_ttnd", "Ban Thanh tra nhân dân"
        OFFICE = "phong_ban", "Phòng, ban chuyên môn"

    STATE_ORGANS = {Kind.PEOPLES_COMMITTEE, Kind.PEOPLES_COUNCIL, Kind.OFFICE}

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="organizations"
    )
    kind = models.CharField("loại", max_length=32, choices=Kind.choices)
    name = models.CharField("tên đầy đủ", max_length=200)
    short_name = models.CharField(
        "tên viết tắt", max_length=32, blank=True, help_text="Ví dụ: UBND, MTTQ, VX"
    )

    class Meta:
        verbose_name = "cơ quan, tổ chức"
        verbose_name_plural = "cơ quan, tổ chức"
        ordering = ["unit", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="org_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", "Cán bộ, công chức xã"
    LEADER = "leader", "Lãnh đạo UBND xã"
    VILLAGE_HEAD = "village_head", "Trưởng thôn / Tổ trưởng tổ dân phố"
    MTTQ = "mttq", "Ủy ban MTTQ xã"
    UNION = "union", "Công đoàn cơ sở"
    RADIO = "radio", "Đài truyền thanh xã"
    JUDGE = "judge", "Ban Giám khảo"
    OVERSEER = "overseer", "Cấp trên (chỉ xem)"


class Membership(models.Model):
    """A user's role at a unit: the only source of object-level permissions (see portal/rules.py)."""

    # Which level a role is held at.
    ROLE_LEVELS = {
        Role.STAFF: {AdministrativeUnit.Level.COMMUNE},
        Role.LEADER: {AdministrativeUnit.Level.COMMUNE},
        Role.VILLAGE_HEAD: {AdministrativeUnit.Level.VILLAGE},
        Role.MTTQ: {AdministrativeUnit.Level.COMMUNE},
        Role.UNION: {AdministrativeUnit.Level.COMMUNE},
        Role.RADIO: {AdministrativeUnit.Level.COMMUNE},
        Role.JUDGE: {
            AdministrativeUnit.Level.COMMUNE,
            AdministrativeUnit.Level.PROVINCE,
            AdministrativeUnit.Level.DISTRICT,
        },
        Role.OVERSEER: {AdministrativeUnit.Level.PROVINCE, AdministrativeUnit.Level.DISTRICT},
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="memberships"
    )
    # The commune the role acts in (the unit itself for a commune, its commune for a village); null above communes.
    commune = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    position = models.CharField("chức vụ", max_length=120, blank=True, help_text="Ví dụ: Chủ tịch UBND xã")
    active = models.BooleanField("đang giữ", default=True)
    since = models.DateField("từ ngày", null=True, blank=True)

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "active"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    def save(self, *args, **kwargs):
        self.commune_id = self.unit.commune_id if self.unit_id else None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.unit_id and self.unit.level not in self.ROLE_LEVELS[Role(self.role)]:
            raise ValidationError({"unit": "Vai trò này không thể giao ở cấp đơn vị đã chọn."})
